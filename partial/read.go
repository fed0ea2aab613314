package partial

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/internal/pq"
)

// Magic starts (and ends) every Parquet file.
const Magic = "PAR1"

// ErrNotPartial is returned for a Parquet file that is not a partial
// aggregate (tailor.partial.version is absent).
var ErrNotPartial = errors.New("a Parquet file that is not a tailor partial aggregate (no " + keyVersion + " metadata)")

// schema is the one schema a partial file has.
var schema = parquet.SchemaOf(row{})

// readBatch is how many rows Read decodes at once.
const readBatch = 256

// Read reads a partial file of size bytes. It reads one row group at a
// time, and refuses a file of another version or schema. A partial with
// no rows at all is an error: even an empty run writes its counts.
func Read(r io.ReaderAt, size int64) (p *Aggregate, err error) {
	err = read(r, size, 0, func(q *Aggregate) error {
		p = q
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ReadChunks reads a partial as Read does, but hands it to fn in pieces
// of about chunk facts of its main aggregate each, so that a merge never
// holds a whole partial beside what it merges into. Each piece has the
// file's header (its inputs in the first piece only) and its fold state,
// and merging every piece gives what merging the whole partial gives; a
// cross-account call's rows stay in one piece. An error after a piece was
// handed on leaves fn with part of the file: a caller that must not keep
// part of a partial stops at the error.
func ReadChunks(r io.ReaderAt, size int64, chunk int, fn func(*Aggregate) error) error {
	return read(r, size, max(chunk, 1), fn)
}

// read is Read, and ReadChunks when chunk > 0.
func read(r io.ReaderAt, size int64, chunk int, fn func(*Aggregate) error) (err error) {
	// A damaged file must be an error, never a crash of the run: the
	// decoder checks much, not everything.
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("corrupt Parquet file: %v", v)
		}
	}()
	f, err := pq.Open(r, size)
	if err != nil {
		return err
	}
	h, err := header(f)
	if err != nil {
		return err
	}
	if !parquet.EqualNodes(f.Schema(), schema) {
		return fmt.Errorf("partial aggregate version %d with an unexpected schema (columns %s)", h.Version, columnNames(f.Schema()))
	}
	if f.NumRows() == 0 {
		return errors.New("partial aggregate with no rows")
	}
	p := New(h.MaxResources)
	p.Header = h
	var folds []row // the fold rows, for each piece after the first
	buf := make([]row, readBatch)
	var shared *Shared
	err = pq.EachRow(f, buf, func(_ int, r *row) error {
		if chunk > 0 && r.Shared == "" && r.Kind == kindFact && len(p.Main.Facts) >= chunk {
			sortInputs(p.Header.Inputs)
			if err := fn(p); err != nil {
				return err
			}
			p = New(h.MaxResources)
			p.Header = h
			p.Header.Inputs = nil
			for j := range folds {
				if err := p.add(&folds[j], &shared); err != nil {
					return err
				}
			}
		}
		if chunk > 0 && r.Shared == "" && r.Kind == kindFold {
			folds = append(folds, *r)
		}
		return p.add(r, &shared)
	})
	if err != nil {
		return err
	}
	sortInputs(p.Header.Inputs)
	return fn(p)
}

func (p *Aggregate) add(r *row, cur **Shared) error {
	switch {
	case r.Kind == kindShared:
		if r.Shared == "" || p.Shared[r.Shared] != nil {
			return fmt.Errorf("shared_event row: key %q empty or repeated", r.Shared)
		}
		s := &Shared{EventID: r.Text, Aggregate: analyze.NewAggregate()}
		s.Aggregate.MaxResources = p.Header.MaxResources
		p.Shared[r.Shared] = s
		*cur = s
		return nil
	case r.Shared == "" && r.Kind == kindInput:
		p.Header.Inputs = append(p.Header.Inputs, Input{Name: r.Text, Size: r.Size})
		return nil
	case r.Shared == "":
		return addRow(p.Main, r)
	}
	s := p.Shared[r.Shared]
	if s == nil || s != *cur {
		return fmt.Errorf("%s row of shared event %q out of order", r.Kind, r.Shared)
	}
	return addRow(s.Aggregate, r)
}

// ReadHeader reads only a partial file's header: what a merge needs to
// know before it reads the rows.
func ReadHeader(r io.ReaderAt, size int64) (h Header, err error) {
	defer func() {
		if v := recover(); v != nil {
			h, err = Header{}, fmt.Errorf("corrupt Parquet file: %v", v)
		}
	}()
	f, err := pq.Open(r, size)
	if err != nil {
		return Header{}, err
	}
	return header(f)
}

// header reads the key-value metadata; it refuses a version it does not
// know.
func header(f *parquet.File) (Header, error) {
	v, ok := f.Lookup(keyVersion)
	if !ok {
		// tailor export's files say so in their own key (export.KeyVersion).
		if ev, ok := f.Lookup("tailor.export.version"); ok {
			return Header{}, fmt.Errorf("a tailor export (tailor.export.version %s), not a partial aggregate: give it to --source, which reads its events", ev)
		}
		return Header{}, ErrNotPartial
	}
	version, err := strconv.Atoi(v)
	if err != nil || version != FormatVersion {
		return Header{}, fmt.Errorf("partial aggregate format version %q; this tailor reads version %d only", v, FormatVersion)
	}
	h := Header{Version: version}
	h.Tailor, _ = f.Lookup(keyTailor)
	h.CatalogDate, _ = f.Lookup(keyCatalogDate)
	h.Generalize, _ = f.Lookup(keyGeneralize)
	ints := []struct {
		key string
		v   *int64
	}{{keyFirstSeen, &h.First}, {keyLastSeen, &h.Last}}
	for _, x := range ints {
		s, _ := f.Lookup(x.key)
		if *x.v, err = strconv.ParseInt(s, 10, 64); err != nil {
			return Header{}, fmt.Errorf("partial aggregate metadata %s: %q is not a number", x.key, s)
		}
	}
	s, _ := f.Lookup(keyMaxResources)
	if h.MaxResources, err = strconv.Atoi(s); err != nil || h.MaxResources < 0 {
		return Header{}, fmt.Errorf("partial aggregate metadata %s: %q is not a cap", keyMaxResources, s)
	}
	for _, x := range []struct {
		key string
		t   *time.Time
	}{{keySince, &h.Since}, {keyUntil, &h.Until}} {
		s, _ := f.Lookup(x.key)
		if s == "" {
			continue
		}
		if *x.t, err = time.Parse(time.RFC3339, s); err != nil {
			return Header{}, fmt.Errorf("partial aggregate metadata %s: %q is not an RFC 3339 time", x.key, s)
		}
	}
	return h, nil
}

func columnNames(s *parquet.Schema) string {
	var b bytes.Buffer
	for i, f := range s.Fields() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name())
	}
	return b.String()
}
