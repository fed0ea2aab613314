package export

import (
	"container/heap"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/internal/pq"
)

// Header is what the file's key-value metadata says of the run that
// made it.
type Header struct {
	Tailor      string // tailor's version
	CatalogDate string // the IAM catalog's date
	// Principal is the one principal the rows were narrowed to, when the
	// command named one.
	Principal string
	// Learned are the run's links and instance profiles' roles: what a
	// reader of the file needs to scope its rows as the run did.
	Learned Learned
}

// Stats count what Write wrote and left out.
type Stats struct {
	Rows   int64 // rows written
	Events int64 // the records they came from
	// Duplicates are rows of a cross-account call's second copy, which
	// another trail delivered too: not written, as the run did not count
	// them.
	Duplicates int64
	// Other are rows of principals keep refused.
	Other int64
}

// RowGroupRows bounds a row group of the file, and so what Write holds
// before it writes one.
const RowGroupRows = 64 << 10

// fanIn is how many runs a merge reads at once.
const fanIn = 16

// Write writes the rows the workers gathered to w as one Parquet file,
// sorted (Row.compare), in row groups of RowGroupRows, keeping only the
// principals keep accepts (nil: all). Call it once, after the run's last
// record: the observers must not be called during or after it.
func (c *Collector) Write(w io.Writer, h Header, keep func(principal string) bool) (Stats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return Stats{}, c.err
	}
	// Too many runs to read at once are merged into fewer first.
	for len(c.runs) > fanIn {
		name := c.runName()
		if err := c.mergeRuns(c.runs[:fanIn], name); err != nil {
			return Stats{}, fmt.Errorf("export: merge sorted runs: %w", err)
		}
		c.runs = append(c.runs[fanIn:], name)
	}
	var streams []stream
	defer func() {
		for _, s := range streams {
			s.close()
		}
	}()
	for _, name := range c.runs {
		r, err := openRun(name)
		if err != nil {
			return Stats{}, fmt.Errorf("export: read sorted run: %w", err)
		}
		streams = append(streams, r)
	}
	for _, wk := range c.workers {
		sortRows(wk.rows)
		streams = append(streams, &memRun{rows: wk.rows})
	}
	options := []parquet.WriterOption{
		parquet.Compression(pq.Codec),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
		parquet.CreatedBy("tailor", h.Tailor, ""),
		parquet.KeyValueMetadata(KeyVersion, strconv.Itoa(Version)),
		parquet.KeyValueMetadata(keyTailor, h.Tailor),
		parquet.KeyValueMetadata(keyCatalogDate, h.CatalogDate),
		parquet.KeyValueMetadata(keyOrder, order),
	}
	if h.Principal != "" {
		options = append(options, parquet.KeyValueMetadata(keyPrincipal, h.Principal))
	}
	links, profiles, err := h.Learned.metadata()
	if err != nil {
		return Stats{}, fmt.Errorf("export: %w", err)
	}
	if links != "" {
		options = append(options, parquet.KeyValueMetadata(keyLinks, links))
	}
	if profiles != "" {
		options = append(options, parquet.KeyValueMetadata(keyProfiles, profiles))
	}
	pw := parquet.NewGenericWriter[Row](w, options...)
	losers := c.losers()
	var st Stats
	var prev Row
	batch := make([]Row, 0, 1024)
	flush := func() error {
		_, err := pw.Write(batch)
		clear(batch)
		batch = batch[:0]
		return err
	}
	err = merge(streams, func(r *Row) error {
		switch {
		case r.SharedEventID != "" && losers[r.EventID]:
			st.Duplicates++
			return nil
		case keep != nil && !keep(r.Principal):
			st.Other++
			return nil
		}
		if st.Rows == 0 || !r.sameEvent(&prev) {
			st.Events++
			prev = *r
		}
		st.Rows++
		batch = append(batch, *r)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = pw.Close()
	}
	if err != nil {
		return st, fmt.Errorf("export: %w", err)
	}
	return st, nil
}

// mergeRuns merges runs into one new run, and removes them.
func (c *Collector) mergeRuns(names []string, out string) error {
	var streams []stream
	for _, name := range names {
		r, err := openRun(name)
		if err != nil {
			closeAll(streams)
			return err
		}
		streams = append(streams, r)
	}
	var mergeErr error
	err := writeRun(out, func(yield func(Row) bool) {
		mergeErr = merge(streams, func(r *Row) error {
			if !yield(*r) {
				return io.ErrShortWrite
			}
			return nil
		})
	})
	closeAll(streams)
	if err == nil {
		err = mergeErr
	}
	if err != nil {
		return err
	}
	for _, name := range names {
		os.Remove(name)
	}
	return nil
}

func closeAll(streams []stream) {
	for _, s := range streams {
		s.close()
	}
}

// merge calls fn with the rows of the sorted streams, in order. The row fn
// is given is valid only during the call.
func merge(streams []stream, fn func(*Row) error) error {
	h := &rowHeap{}
	for _, s := range streams {
		r, err := s.next()
		if err != nil {
			return err
		}
		if r != nil {
			h.items = append(h.items, head{r, s})
		}
	}
	heap.Init(h)
	for len(h.items) > 0 {
		top := &h.items[0]
		if err := fn(top.row); err != nil {
			return err
		}
		r, err := top.s.next()
		if err != nil {
			return err
		}
		if r == nil {
			heap.Pop(h)
			continue
		}
		top.row = r
		heap.Fix(h, 0)
	}
	return nil
}

type head struct {
	row *Row
	s   stream
}

type rowHeap struct{ items []head }

func (h *rowHeap) Len() int           { return len(h.items) }
func (h *rowHeap) Less(i, j int) bool { return h.items[i].row.compare(h.items[j].row) < 0 }
func (h *rowHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *rowHeap) Push(x any)         { h.items = append(h.items, x.(head)) }
func (h *rowHeap) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}
