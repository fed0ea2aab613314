package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// cwlExport is a CloudWatch Logs export task file's lines: each message
// after its time and a space.
func cwlExport(messages ...string) string {
	var b strings.Builder
	for i, m := range messages {
		fmt.Fprintf(&b, "2026-11-01T00:%02d:%02d.%03dZ %s\n", i/60%60, i%60, i*7%1000, m)
	}
	return b.String()
}

// TestByContent: a file whose name does not say what it holds (no
// extension, or only .gz) is read when its content is JSON, Parquet or
// CloudWatch Logs export lines, and skipped as not-log otherwise, never
// failed; a name with another extension is skipped unread.
func TestByContent(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		records int
		skipped SkipReason
		failed  string
	}{
		{"exportedlogs/task/stream/000000.gz", gz(t, cwlExport(record("A"), record("B"))), 2, "", ""},
		{"export-plain", []byte(cwlExport(record("A"))), 1, "", ""},
		{"firehose-1-2026-11-01-00-00-00-0a1b", gz(t, record("A")+record("B")+record("C")), 3, "", ""},
		{"lookup", []byte(`{"Events":[{"CloudTrailEvent":` + quoted(record("E")) + `}]}`), 1, "", ""},
		{"README", []byte("# the trail bucket\n"), 0, SkipNotLog, ""},
		{"access-log-2026-11-01-00-00-00", []byte("79a59df900b949e55d96a1e698fbaced bucket [01/Nov/2026:00:00:00 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /bucket?versioning HTTP/1.1\" 200\n"), 0, SkipNotLog, ""},
		{"binary.gz", gz(t, "\x00\x01\x02"), 0, SkipNotLog, ""},
		{"blank", []byte("\n\n  \n"), 0, SkipNotLog, ""},
		{"_SUCCESS", nil, 0, SkipEmpty, ""},
		{"notes.txt", []byte(record("A")), 0, SkipNotLog, ""},
		{"truncated.gz", []byte(cwlExport(record("A")))[:60], 0, "", "truncated JSON"},
		// Cut before its first line: nothing shows it is a log.
		{"cut-early.gz", gz(t, cwlExport(record("A")))[:30], 0, SkipNotLog, ""},
		{"not-gzip.gz", []byte{0x1f, 0x8b, 0, 0, 0}, 0, SkipNotLog, ""},
		// Cut once its lines show it is a log: an error, as for any log.
		{"cut-late.gz", cutGzip(t, 200), -1, "", "corrupt gzip"},
		// Another log group's export: lines with a time, but no records.
		{"exportedlogs/lambda/s/000000.gz", gz(t, "2026-11-01T00:00:00.000Z START RequestId: 1f0e Version: $LATEST\n2026-11-01T00:00:00.100Z END RequestId: 1f0e\n"), 0, SkipNotLog, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, filepath.FromSlash(tc.name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tc.body, 0o644); err != nil {
				t.Fatal(err)
			}
			c := &counter{}
			_, rep, err := Run(context.Background(), []Source{Local{Root: dir}}, Options{Workers: 1}, func() Handler { return c })
			if err != nil {
				t.Fatal(err)
			}
			var skipped map[SkipReason]int
			if tc.skipped != "" {
				skipped = map[SkipReason]int{tc.skipped: 1}
			}
			if tc.records < 0 { // some records before the cut
				tc.records = max(rep.Records, 1)
			}
			if rep.Records != tc.records || c.n != tc.records || fmt.Sprint(rep.Skipped) != fmt.Sprint(skipped) || rep.Malformed != 0 {
				t.Errorf("records %d (%d handled), skipped %v, malformed %d; want %d, %v, 0", rep.Records, c.n, rep.Skipped, rep.Malformed, tc.records, skipped)
			}
			var failed string
			if len(rep.Failed) > 0 {
				failed = rep.Failed[0].String()
			}
			if (failed == "") != (tc.failed == "") || !strings.Contains(failed, tc.failed) || tc.failed != "" && !strings.Contains(failed, p) {
				t.Errorf("failed %q, want one naming the file and %q", failed, tc.failed)
			}
		})
	}
}

// TestStdinExportLines: CloudWatch Logs export lines piped in are read.
func TestStdinExportLines(t *testing.T) {
	c := &counter{}
	_, rep, err := Run(context.Background(), []Source{Stdin{R: strings.NewReader(cwlExport(record("A"), record("B")))}}, Options{Workers: 1}, func() Handler { return c })
	if err != nil || rep.Records != 2 || len(rep.Failed) != 0 {
		t.Fatalf("err %v, records %d, failed %v", err, rep.Records, rep.Failed)
	}
}

// TestNamedFile: a file named by itself is read by content whatever its
// name; one that holds no log is skipped as not-log, and one with a log's
// name is read as before, its errors reported.
func TestNamedFile(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		records int
		skipped SkipReason
		failed  string
	}{
		{"events.bin", record("A") + "\n" + record("B"), 2, "", ""},
		{"notes.txt", "hello\n", 0, SkipNotLog, ""},
		{"empty.bin", "", 0, SkipEmpty, ""},
		{"export.log", cwlExport(record("A")), 1, "", ""},
		{"bad.json", "hello\n", 0, "", "invalid character"},
		{"CloudTrail-Digest.json", `{"digestStartTime":"x"}`, 0, SkipDigest, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			c := &counter{}
			_, rep, err := Run(context.Background(), []Source{Local{Root: p}}, Options{Workers: 1}, func() Handler { return c })
			if err != nil {
				t.Fatal(err)
			}
			var skipped map[SkipReason]int
			if tc.skipped != "" {
				skipped = map[SkipReason]int{tc.skipped: 1}
			}
			if rep.Records != tc.records || fmt.Sprint(rep.Skipped) != fmt.Sprint(skipped) {
				t.Errorf("records %d, skipped %v; want %d, %v", rep.Records, rep.Skipped, tc.records, skipped)
			}
			var failed string
			if len(rep.Failed) > 0 {
				failed = rep.Failed[0].String()
			}
			if (failed == "") != (tc.failed == "") || !strings.Contains(failed, tc.failed) {
				t.Errorf("failed %q, want %q", failed, tc.failed)
			}
		})
	}
}

// cutGzip is n export lines gzip'd and cut in the middle.
func cutGzip(t *testing.T, n int) []byte {
	msgs := make([]string, n)
	for i := range msgs {
		msgs[i] = record(fmt.Sprint("Get", i))
	}
	b := gz(t, cwlExport(msgs...))
	return b[:len(b)/2]
}

// cutSource serves one object whose body gives some bytes, then fails as
// an S3 read that outlasted its retries.
type cutSource struct {
	name string
	body []byte
}

func (s cutSource) List(_ context.Context, fn func(Object) error) error {
	return fn(Object{Name: s.name, Key: s.name, Size: int64(len(s.body)) + 100, Rel: s.name})
}

func (s cutSource) Open(context.Context, Object) (io.ReadCloser, error) {
	fail := &S3ReadError{Name: s.name, Offset: int64(len(s.body)), Size: int64(len(s.body)) + 100, Why: "connection reset", Err: errors.New("reset")}
	return io.NopCloser(io.MultiReader(bytes.NewReader(s.body), iotest.ErrReader(fail))), nil
}

// TestByContentReadFault: a file read by content whose bytes stop coming
// is a failed input whatever its first bytes were, never skipped: its
// name said nothing, and the bytes that would say were not delivered.
func TestByContentReadFault(t *testing.T) {
	export := gz(t, cwlExport(record("A"), record("B"), record("C")))
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"exportedlogs/t/s/000000", []byte("2026-11-01T00:00")},
		{"exportedlogs/t/s/000001", []byte("2")},
		{"firehose-1-2026", []byte(`{"eventVersion"`)},
		{"exportedlogs/t/s/000002.gz", export[:12]},
		{"exportedlogs/t/s/000003.gz", export[:40]},
		{"exportedlogs/t/s/000004.gz", export[:2]},
	} {
		_, rep, err := Run(context.Background(), []Source{cutSource{name: "s3://b/" + tc.name, body: tc.body}}, Options{Workers: 1}, func() Handler { return &counter{} })
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failed) != 1 || rep.SkippedTotal() != 0 || !strings.Contains(rep.Failed[0].String(), "connection reset") {
			t.Errorf("%s cut after %d bytes: failed %v, skipped %v; want it failed", tc.name, len(tc.body), rep.Failed, rep.Skipped)
		}
	}
}
