package export

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/trail"
)

// demoRecords calls fn with every record of the demo trail's log files,
// file by file in name order.
func demoRecords(t testing.TB, fn func(file int, r *trail.Record)) {
	t.Helper()
	fsys := fixtures.Demo()
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json.gz") && !strings.Contains(p, "CloudTrail-Digest") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range files {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := trail.Decode(zr, func(r *trail.Record) error { fn(i, r); return nil }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.Close()
	}
}

// exportDemo spreads the demo trail's files over workers analyzers, as a
// run's workers would read them, and writes the export.
func exportDemo(t testing.TB, workers int, opts Options, keep func(string) bool) ([]byte, Stats, *analyze.Aggregate) {
	t.Helper()
	opts.Dir = t.TempDir()
	c := NewCollector(opts)
	defer c.Close()
	// One aggregate for the counts, the analyzers' own for the rows.
	counted := analyze.New(catalog.Embedded(), analyze.Options{MaxResources: -1, Shared: analyze.NewEventSet()})
	var ans []*analyze.Analyzer
	for range workers {
		ans = append(ans, analyze.New(catalog.Embedded(), analyze.Options{Observe: c.Worker()}))
	}
	demoRecords(t, func(file int, r *trail.Record) {
		// Files in reverse order on worker 0, so that the last copy of a
		// cross-account call can come first.
		ans[(file*7)%workers].Record(r)
		counted.Record(r)
	})
	var b bytes.Buffer
	st, err := c.Write(&b, Header{Tailor: "test", CatalogDate: "2026-01-01"}, keep)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), st, counted.Aggregate()
}

// facts is the number of (event, action, resource) facts an aggregate
// counted before links resolve.
func facts(agg *analyze.Aggregate) int64 {
	var n int64
	for _, s := range agg.Facts {
		n += s.Count
	}
	for _, s := range agg.Pending {
		n += s.Count
	}
	return n
}

// TestWriteDemo: every fact of the demo trail is a row, sorted, once
// however the files were spread over workers and however small the runs;
// the bytes are the same each way.
func TestWriteDemo(t *testing.T) {
	want, st, agg := exportDemo(t, 1, Options{}, nil)
	if st.Rows != facts(agg) {
		t.Errorf("%d rows, the analyzer counted %d facts", st.Rows, facts(agg))
	}
	if st.Duplicates == 0 || st.Events == 0 || st.Events > agg.Counts.APICalls {
		t.Errorf("stats %+v: want duplicates (the demo has cross-account calls) and at most %d events", st, agg.Counts.APICalls)
	}
	rows := readRows(t, want)
	if int64(len(rows)) != st.Rows {
		t.Fatalf("read %d rows back, wrote %d", len(rows), st.Rows)
	}
	if !slices.IsSortedFunc(rows, func(a, b Row) int { return a.compare(&b) }) {
		t.Error("rows are not sorted")
	}
	for _, tc := range []struct {
		name    string
		workers int
		opts    Options
	}{
		{"three workers", 3, Options{}},
		{"runs of 7 rows, merged in several passes", 2, Options{RunRows: 7}},
		{"runs of 1000 rows", 3, Options{RunRows: 1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, gst, _ := exportDemo(t, tc.workers, tc.opts, nil)
			if gst != st {
				t.Errorf("stats %+v, want %+v", gst, st)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%d bytes differ from the one-worker export's %d", len(got), len(want))
			}
		})
	}
}

// TestWriteKeep: keep narrows the rows to one principal's.
func TestWriteKeep(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/service/checkout-api"
	_, all, _ := exportDemo(t, 2, Options{}, nil)
	b, st, agg := exportDemo(t, 2, Options{}, func(p string) bool { return p == role })
	var want int64
	for _, f := range agg.FactsOf(role) {
		want += f.Count
	}
	if st.Rows != want || st.Rows+st.Other != all.Rows {
		t.Errorf("kept %d rows and left %d, want %d of %d", st.Rows, st.Other, want, all.Rows)
	}
	for _, r := range readRows(t, b) {
		if r.Principal != role {
			t.Fatalf("row of %s kept", r.Principal)
		}
	}
}

func readRows(t testing.TB, b []byte) []Row {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Lookup(KeyVersion); v != strconv.Itoa(Version) {
		t.Errorf("%s = %q, want %d", KeyVersion, v, Version)
	}
	rows := make([]Row, f.NumRows())
	r := parquet.NewGenericReader[Row](bytes.NewReader(b))
	n, err := r.Read(rows)
	if n != len(rows) {
		t.Fatalf("read %d of %d rows: %v", n, len(rows), err)
	}
	return rows
}
