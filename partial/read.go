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
)

// Magic starts (and ends) every Parquet file.
const Magic = "PAR1"

// ErrNotPartial is returned for a Parquet file that is not a partial
// aggregate (tailor.partial.version is absent).
var ErrNotPartial = errors.New("a Parquet file that is not a tailor partial aggregate (no " + keyVersion + " metadata)")

// schema is the one schema a partial file has.
var schema = parquet.SchemaOf(row{})

// readBatch is how many rows Read decodes at once.
const readBatch = 1024

// Read reads a partial file of size bytes. It reads one row group at a
// time, and refuses a file of another version or schema. A partial with
// no rows at all is an error: even an empty run writes its counts.
func Read(r io.ReaderAt, size int64) (p *Aggregate, err error) {
	// A damaged file must be an error, never a crash of the run: the
	// decoder checks much, not everything.
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("corrupt Parquet file: %v", v)
		}
	}()
	f, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		return nil, fmt.Errorf("corrupt or truncated Parquet file: %w", err)
	}
	h, err := header(f)
	if err != nil {
		return nil, err
	}
	if !parquet.EqualNodes(f.Schema(), schema) {
		return nil, fmt.Errorf("partial aggregate version %d with an unexpected schema (columns %s)", h.Version, columnNames(f.Schema()))
	}
	if f.NumRows() == 0 {
		return nil, errors.New("partial aggregate with no rows")
	}
	p = New(h.MaxResources)
	p.Header = h
	buf := make([]row, readBatch)
	var shared *Shared
	for _, rg := range f.RowGroups() {
		rr := parquet.NewGenericRowGroupReader[row](rg)
		for {
			n, err := rr.Read(buf)
			for i := range buf[:n] {
				if err := p.add(&buf[i], &shared); err != nil {
					rr.Close()
					return nil, err
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rr.Close()
				return nil, fmt.Errorf("corrupt Parquet file: %w", err)
			}
		}
		if err := rr.Close(); err != nil {
			return nil, fmt.Errorf("corrupt Parquet file: %w", err)
		}
	}
	sortInputs(p.Header.Inputs)
	return p, nil
}

// add restores one row. Rows come sorted by shared key, each key headed
// by its shared_event row; cur is the key being read.
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
	f, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		return Header{}, fmt.Errorf("corrupt or truncated Parquet file: %w", err)
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
