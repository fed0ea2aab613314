package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"

	"github.com/tailor-iam/tailor/trail"
)

// Handler consumes the records one worker decodes. Each worker has its own,
// so a Handler needs no locking. The *trail.Record is reused after Record
// returns.
type Handler interface {
	Record(r *trail.Record)
}

// ParquetHandler is a Handler that also reads Parquet files: an object
// whose content starts with Parquet's magic goes to Parquet, whole (with its name), rather
// than to the record decoder. Its error is the file's problem.
type ParquetHandler interface {
	Handler
	Parquet(name string, f io.ReaderAt, size int64) error
}

// Options tune a run.
type Options struct {
	Workers int  // concurrent objects in flight; 0 means GOMAXPROCS
	Strict  bool // stop at the first per-file problem
	// Shard, when its Count is above 1, reads only the objects whose Rel
	// falls in this share (see Shard).
	Shard Shard
	// Progress, if set, hears how the run advances.
	Progress Progress
}

// Progress hears how a run advances, object by object. Its methods are
// called from the lister and the workers at once: they must be safe for
// concurrent use, and quick.
type Progress interface {
	// Listed is an object of the run (in its shard), as listing finds it.
	Listed(o Object)
	// ListingDone says every object is listed.
	ListingDone()
	// Read is an object read, in full or not, with the records it held.
	Read(o Object, records int)
	// Skipped is an object never read: skipped by its name or size, or
	// failed at listing.
	Skipped(o Object)
}

// StrictError is returned by Run with Options.Strict at the first problem.
type StrictError struct{ Problem Problem }

func (e *StrictError) Error() string { return e.Problem.String() }

// Run reads every object the sources list, fanning them out to workers. It
// calls newHandler once per worker and returns the handlers, so the caller
// can merge what they gathered, and the Report of what was read and skipped.
// Per-file problems go into the Report; Run fails only on a listing error,
// cancellation, or the first problem under Options.Strict.
func Run(ctx context.Context, sources []Source, opts Options, newHandler func() Handler) ([]Handler, *Report, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		src Source
		obj Object
	}
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan job, workers)
	listReport := &Report{}
	g.Go(func() error {
		defer close(jobs)
		for _, src := range sources {
			err := src.List(ctx, func(o Object) error {
				if !opts.Shard.Has(o.Rel) {
					listReport.OtherShares++
					return nil
				}
				listReport.Listed++
				if opts.Progress != nil {
					opts.Progress.Listed(o)
				}
				if o.Err != nil {
					if opts.Progress != nil {
						opts.Progress.Skipped(o)
					}
					p := Problem{Name: o.Name, Err: o.Err}
					listReport.Failed = append(listReport.Failed, p)
					if opts.Strict {
						return &StrictError{p}
					}
					return nil
				}
				if why := skipByName(o); why != "" {
					listReport.skip(why)
					if opts.Progress != nil {
						opts.Progress.Skipped(o)
					}
					return nil
				}
				select {
				case jobs <- job{src, o}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil {
				return err
			}
		}
		if opts.Progress != nil {
			opts.Progress.ListingDone()
		}
		return nil
	})
	handlers := make([]Handler, workers)
	reports := make([]*Report, workers)
	for i := 0; i < workers; i++ {
		h := newHandler()
		rep := &Report{}
		handlers[i], reports[i] = h, rep
		g.Go(func() error {
			for j := range jobs {
				before := rep.Records
				err := readObject(ctx, j.src, j.obj, h, rep)
				if opts.Progress != nil {
					opts.Progress.Read(j.obj, rep.Records-before)
				}
				if err == nil {
					continue
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				p := Problem{Name: j.obj.Name, Err: err}
				rep.Failed = append(rep.Failed, p)
				if opts.Strict {
					return &StrictError{p}
				}
			}
			return nil
		})
	}
	err := g.Wait()
	total := listReport
	for _, r := range reports {
		total.Merge(r)
	}
	total.sortProblems()
	return handlers, total, err
}

// readObject reads one object into h, counting into rep. A returned error is
// a per-file problem; skips by design are counted in rep and return nil.
func readObject(ctx context.Context, src Source, o Object, h Handler, rep *Report) error {
	rc, err := src.Open(ctx, o)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	cr := &countingReader{r: rc}
	br := bufio.NewReaderSize(cr, 64<<10)
	var r io.Reader = br
	magic, err := br.Peek(2)
	if err != nil && len(magic) == 0 {
		if err == io.EOF {
			rep.skip(SkipEmpty)
			return nil
		}
		return fmt.Errorf("read: %w", err)
	}
	if head, _ := br.Peek(len(parquetMagic)); string(head) == parquetMagic {
		if err := readParquet(o, rc, br, h); err != nil {
			return err
		}
		rep.Bytes += o.Size
		rep.Files++
		return nil
	}
	// A file whose name says nothing is a log only once its content shows
	// it is one: until then, what cannot be read as one (a gzip header
	// that is not one) is skipped as not-log, never an error.
	byContent := byContentOf(o)
	quiet := byContent && !o.Stream
	gzipped := len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if quiet && !readFault(err) {
				rep.skip(SkipNotLog)
				return nil
			}
			return fmt.Errorf("corrupt gzip: %w", err)
		}
		defer zr.Close()
		r = gzipErrors{zr}
	}
	if byContent {
		var known bool
		if r, known = sniff(r); !known && !o.Stream {
			rep.skip(SkipNotLog)
			return nil
		}
	}
	st, err := trail.Decode(r, func(rec *trail.Record) error {
		h.Record(rec)
		return nil
	})
	if err == nil {
		// Read to the end so gzip verifies its checksum: a flipped byte can
		// still decode as JSON, and only the CRC shows the file is corrupt.
		_, err = io.Copy(io.Discard, r)
	}
	rep.Records += st.Records
	rep.Malformed += st.Malformed
	rep.Bytes += cr.n
	if st.Malformed > 0 {
		rep.MalformedIn = append(rep.MalformedIn, Problem{Name: o.Name, Err: malformedErr(st)})
	}
	rep.skipN(SkipControlMessage, st.Control)
	rep.skipN(SkipOtherEvent, st.Other)
	if errors.Is(err, trail.ErrNotTrail) {
		// Decode says so only of valid JSON: anything else is an error.
		rep.skip(SkipNotTrail)
		return nil
	}
	if err != nil {
		err = describe(err)
		if !gzipped && isGzipName(o.Name) {
			err = fmt.Errorf("no gzip header; read as plain JSON: %w", err)
		}
		return err
	}
	rep.Files++
	return nil
}

// sniff looks at the start of a stream whose name does not say what it
// holds: JSON (a delivery file, events or their envelopes), or CloudWatch
// Logs export lines that hold records, whose time prefixes it then
// removes. known is false for anything else (text, a binary file, another
// log group's export lines, gzip that fails before its first bytes). A
// source that fails to deliver the bytes (S3, a cancelled run) counts as
// known, whatever came before: decoding it reports the error.
func sniff(r io.Reader) (_ io.Reader, known bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 64; ; n *= 4 {
		head, err := br.Peek(n)
		rest := bytes.TrimLeft(head, " \t\r\n")
		switch {
		case len(rest) > 0 && (rest[0] == '{' || rest[0] == '['):
			return br, true
		case trail.StampedRecord(head):
			return trail.Unstamp(br), true
		case err != nil && readFault(err):
			// Too little arrived to tell: the failure is the file's
			// problem, not bytes that are not a log.
			return failed{err}, true
		case len(rest) > 0:
			return br, false
		case err != nil:
			return br, len(head) == 0 && err == io.EOF
		case n >= 64<<10:
			return br, false // 64 KiB of white space
		}
	}
}

// failed is a reader that fails with err.
type failed struct{ err error }

func (f failed) Read([]byte) (int, error) { return 0, f.err }

// readFault reports whether err is the source failing to deliver bytes,
// not the bytes being wrong: an error however the file is named.
func readFault(err error) bool {
	var re *S3ReadError
	return errors.As(err, &re) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// malformedErr says how many records of a file were malformed, and which
// was the first.
func malformedErr(st trail.Stats) error {
	noun := "records"
	if st.Malformed == 1 {
		noun = "record"
	}
	return fmt.Errorf("%d malformed %s skipped; first: %s", st.Malformed, noun, st.FirstMalformed)
}

func isGzipName(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".gz")
}

// describe names the kind of problem so reports read well.
func describe(err error) error {
	// An S3 body that failed for good reaches here through gzip: it is a
	// network fault, not a corrupt file.
	var re *S3ReadError
	if errors.As(err, &re) {
		return re
	}
	var ge gzipError
	if errors.As(err, &ge) {
		if errors.Is(ge.err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("corrupt gzip: truncated stream: %w", ge.err)
		}
		return fmt.Errorf("corrupt gzip: %w", ge.err)
	}
	return err
}

// gzipErrors marks errors that come from decompression, so a truncated gzip
// stream is not reported as truncated JSON.
type gzipErrors struct{ r io.Reader }

type gzipError struct{ err error }

func (e gzipError) Error() string { return e.err.Error() }
func (e gzipError) Unwrap() error { return e.err }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = gzipError{err}
	}
	return n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
