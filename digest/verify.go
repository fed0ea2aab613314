package digest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Options are what Verify checks against.
type Options struct {
	// Window bounds the log files checked by delivery time, and so the
	// digests read; zero bounds take the whole trail.
	Window
	// Keys gives CloudTrail's public keys. Without it no signature is
	// checked: every digest's is reported unchecked.
	Keys KeySource
	// Signatures is the sidecar for digests read without S3 metadata.
	Signatures Signatures
	// Workers is how many files are read at once; 0 means GOMAXPROCS.
	Workers int
}

// maxDigestBytes bounds a digest's uncompressed size: an hour of one
// region's log files is a few thousand entries of a few hundred bytes.
const maxDigestBytes = 64 << 20

// file is a listed object and its place in the layout.
type file struct {
	src Source
	obj Object
	pl  place
}

// digestFile is a digest read, and what the checks found of it.
type digestFile struct {
	file
	// inRange is false for a digest after the window, read only for the
	// previousDigestSignature it records.
	inRange  bool
	d        *Digest
	sum      [sha256.Size]byte // of the uncompressed content
	trailing bool
	// sig is the signature found beside the digest, and sigFrom where:
	// "s3-metadata" or "sidecar".
	sig, sigFrom string
	// generated is a backfill digest's generation time, from its metadata.
	generated time.Time
	failed    bool // unreadable or malformed, reported already
	next      *digestFile
	verdict   DigestVerdict
}

type verifier struct {
	opts    Options
	sidecar map[string]string
	logs    map[string]*file // by ref
	listed  map[string]bool  // digest refs listed, read or not
	digests []*digestFile    // read, sorted by chain and time
	byRef   map[string]*digestFile
	keys    keyring

	mu  sync.Mutex // guards rep while files are read
	rep *Report
}

// Verify checks the trail under sources against its digests: every digest
// in the window, its signature and its link to the one before, and every
// log file a digest lists or the window holds. Integrity failures are
// findings in the report; the error is for a run that could not look (a
// listing that failed, keys that could not be had).
func Verify(ctx context.Context, sources []Source, opts Options) (*Report, error) {
	if opts.Workers < 1 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	v := &verifier{opts: opts, sidecar: opts.Signatures.byRef(), logs: map[string]*file{}, listed: map[string]bool{},
		byRef: map[string]*digestFile{},
		rep:   &Report{Since: opts.Since, Until: opts.Until, Findings: []Finding{}, Digests: []DigestVerdict{}, Files: []FileVerdict{}, Signatures: Signatures{}}}
	if err := v.list(ctx, sources); err != nil {
		return nil, err
	}
	if err := v.readDigests(ctx); err != nil {
		return nil, err
	}
	if err := v.loadKeys(ctx); err != nil {
		return nil, err
	}
	v.checkChains()
	if err := v.checkLogs(ctx); err != nil {
		return nil, err
	}
	v.rep.sort()
	return v.rep, nil
}

func (v *verifier) find(k Kind, name, dig, format string, a ...any) {
	v.mu.Lock()
	v.rep.Findings = append(v.rep.Findings, Finding{Kind: k, Name: name, Digest: dig, Detail: fmt.Sprintf(format, a...)})
	v.mu.Unlock()
}

func slashed(p string) string { return filepath.ToSlash(p) }

// list lists every source a day wider than the window on each side: a
// digest in range may list a log file named just outside it, and the first
// digest after the range records the signature of the last one in it.
func (v *verifier) list(ctx context.Context, sources []Source) error {
	w := v.opts.Window
	wide := w
	if !wide.Since.IsZero() {
		wide.Since = wide.Since.Add(-24 * time.Hour)
	}
	if !wide.Until.IsZero() {
		wide.Until = wide.Until.Add(24 * time.Hour)
	}
	after := map[string]*digestFile{} // per chain, the first digest after the window
	for _, src := range sources {
		err := src.List(ctx, wide, func(o Object) error {
			pl, ok := locate(slashed(o.Key))
			if !ok {
				return nil
			}
			f := file{src: src, obj: o, pl: pl}
			if !pl.digest {
				if _, dup := v.logs[o.Ref]; !dup {
					v.logs[o.Ref] = &f
				}
				return nil
			}
			if v.listed[o.Ref] {
				return nil
			}
			v.listed[o.Ref] = true
			switch {
			case w.digests(pl.at):
				v.digests = append(v.digests, &digestFile{file: f, inRange: true})
			case !w.Until.IsZero() && !pl.at.Before(w.Until.Add(lookahead)):
				if a := after[pl.chain()]; a == nil || pl.at.Before(a.pl.at) {
					after[pl.chain()] = &digestFile{file: f}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, a := range after {
		v.digests = append(v.digests, a)
	}
	sort.Slice(v.digests, func(i, j int) bool {
		a, b := v.digests[i].pl, v.digests[j].pl
		if a.chain() != b.chain() {
			return a.chain() < b.chain()
		}
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		return v.digests[i].obj.Ref < v.digests[j].obj.Ref
	})
	return nil
}

// readDigests reads, hashes and parses the digests, a few at once.
func (v *verifier) readDigests(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(v.opts.Workers)
	for _, d := range v.digests {
		g.Go(func() error { return v.readDigest(ctx, d) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, d := range v.digests {
		if !d.failed {
			v.byRef[d.obj.Ref] = d
		}
	}
	return nil
}

func (v *verifier) readDigest(ctx context.Context, d *digestFile) error {
	fail := func(k Kind, format string, a ...any) {
		d.failed = true
		if d.inRange {
			v.find(k, d.obj.Name, "", format, a...)
		}
	}
	rc, meta, err := d.src.Open(ctx, d.obj)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fail(KindUnreadable, "%v", err)
		return nil
	}
	in, err := inflate(rc, maxDigestBytes)
	rc.Close()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fail(KindMalformed, "%v", err)
		return nil
	}
	if d.d, err = ParseDigest(in.Body); err != nil {
		fail(KindMalformed, "%v", err)
		return nil
	}
	d.sum, d.trailing = in.Sum, in.Trailing
	if d.trailing && d.inRange {
		v.find(KindModified, d.obj.Name, "", "%v", errTrailing)
	}
	if sig := meta["signature"]; sig != "" {
		d.sig, d.sigFrom = sig, "s3-metadata"
		v.mu.Lock()
		v.rep.Signatures[d.obj.Key] = sig
		v.mu.Unlock()
	} else if sig := v.sidecar[d.pl.ref]; sig != "" {
		d.sig, d.sigFrom = sig, "sidecar"
	}
	if t, err := time.Parse(time.RFC3339, meta["backfill-generation-timestamp"]); err == nil {
		d.generated = t
	}
	return nil
}

// loadKeys asks the key source for each region's keys over the time the
// digests read span.
func (v *verifier) loadKeys(ctx context.Context) error {
	if v.opts.Keys == nil {
		return nil
	}
	type span struct{ from, to time.Time }
	spans := map[string]*span{}
	for _, d := range v.digests {
		if d.d == nil {
			continue
		}
		s := spans[d.pl.region]
		if s == nil {
			s = &span{from: d.d.Start, to: d.d.End}
			spans[d.pl.region] = s
		}
		for _, t := range []time.Time{d.d.Start, d.d.End, d.generated} {
			if t.IsZero() {
				continue
			}
			if t.Before(s.from) {
				s.from = t
			}
			if t.After(s.to) {
				s.to = t
			}
		}
	}
	regions := make([]string, 0, len(spans))
	for r := range spans {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	v.keys = keyring{}
	for _, r := range regions {
		s := spans[r]
		keys, err := v.opts.Keys.PublicKeys(ctx, r, s.from.Add(-time.Hour), s.to.Add(time.Hour))
		if err != nil {
			return fmt.Errorf("public keys for %s: %w", r, err)
		}
		for _, k := range keys {
			if err := v.keys.add(k); err != nil {
				return fmt.Errorf("public key %s for %s: %w", k.Fingerprint, r, err)
			}
		}
	}
	return nil
}
