package partial

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/internal/pq"
)

// Metadata keys of the Header.
const (
	keyVersion      = "tailor.partial.version"
	keyTailor       = "tailor.version"
	keyCatalogDate  = "tailor.catalog.date"
	keyMaxResources = "tailor.max_resources"
	keyGeneralize   = "tailor.generalize"
	keySince        = "tailor.since"
	keyUntil        = "tailor.until"
	keyFirstSeen    = "tailor.first_seen"
	keyLastSeen     = "tailor.last_seen"
)

// rowGroupRows bounds a row group, and so what a reader holds at once.
const rowGroupRows = 16 << 10

// factChunk is how many fact rows Write makes at once.
const factChunk = 1 << 10

// Write writes p to w as a Parquet file. The same partial gives the same
// bytes.
func Write(w io.Writer, p *Aggregate) error {
	h := p.Header
	h.First, h.Last = eventRange(p)
	// The main aggregate's facts, most of a partial's rows, are kept as
	// sorted keys and made into rows a chunk at a time, in their place
	// among the others: after the main rows of lower kinds.
	rows := rowsOf(p.Main, "", false)
	for _, in := range h.Inputs {
		rows = append(rows, row{Kind: kindInput, Text: in.Name, Size: in.Size})
	}
	for k, s := range p.Shared {
		rows = append(rows, row{Kind: kindShared, Shared: k, Text: s.EventID})
		rows = append(rows, rowsOf(s.Aggregate, k, true)...)
	}
	sortRows(rows)
	facts := sortedFacts(p.Main)
	at, _ := slices.BinarySearchFunc(rows, kindRank[kindFact], func(r row, rank int) int {
		if r.Shared != "" {
			return 1
		}
		return cmp.Compare(kindRank[r.Kind], rank)
	})
	pw := parquet.NewGenericWriter[row](w,
		parquet.Compression(pq.Codec),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.PageBufferSize(64<<10),
		parquet.CreatedBy("tailor", h.Tailor, ""),
		parquet.KeyValueMetadata(keyVersion, strconv.Itoa(FormatVersion)),
		parquet.KeyValueMetadata(keyTailor, h.Tailor),
		parquet.KeyValueMetadata(keyCatalogDate, h.CatalogDate),
		parquet.KeyValueMetadata(keyMaxResources, strconv.Itoa(h.MaxResources)),
		parquet.KeyValueMetadata(keyGeneralize, h.Generalize),
		parquet.KeyValueMetadata(keySince, timeText(h.Since)),
		parquet.KeyValueMetadata(keyUntil, timeText(h.Until)),
		parquet.KeyValueMetadata(keyFirstSeen, strconv.FormatInt(h.First, 10)),
		parquet.KeyValueMetadata(keyLastSeen, strconv.FormatInt(h.Last, 10)),
	)
	if _, err := pw.Write(rows[:at]); err != nil {
		return fmt.Errorf("write partial: %w", err)
	}
	chunk := make([]row, 0, min(len(facts), factChunk))
	for len(facts) > 0 {
		chunk = chunk[:0]
		for _, f := range facts[:min(len(facts), factChunk)] {
			chunk = append(chunk, withStat(withFact(row{Kind: kindFact}, f.k), f.s))
		}
		facts = facts[len(chunk):]
		if _, err := pw.Write(chunk); err != nil {
			return fmt.Errorf("write partial: %w", err)
		}
	}
	if _, err := pw.Write(rows[at:]); err != nil {
		return fmt.Errorf("write partial: %w", err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("write partial: %w", err)
	}
	return nil
}

// eventRange is the first and last time of the partial's principals'
// events.
func eventRange(p *Aggregate) (first, last int64) {
	for _, info := range p.Main.Principals {
		first, last = widen(first, last, info.First, info.Last)
	}
	for _, s := range p.Shared {
		for _, info := range s.Aggregate.Principals {
			first, last = widen(first, last, info.First, info.Last)
		}
	}
	return first, last
}

func widen(first, last, f, l int64) (int64, int64) {
	if f != 0 && (first == 0 || f < first) {
		first = f
	}
	return first, max(last, l)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
