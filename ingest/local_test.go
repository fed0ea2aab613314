package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/tailor-iam/tailor/trail"
)

type counter struct{ n int }

func (c *counter) Record(*trail.Record) { c.n++ }

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

const twoRecords = `{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject"},{"eventSource":"s3.amazonaws.com","eventName":"PutObject"}]}`

func TestLocalRun(t *testing.T) {
	dir := t.TempDir()
	good := gz(t, twoRecords)
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0xff
	files := map[string][]byte{
		"a/111_CloudTrail_us-east-1_1.json.gz": good,
		"a/b/111_CloudTrail_us-east-1_2.json":  []byte(twoRecords),
		"a/events.jsonl":                       []byte("{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n"),
		"a/corrupt.json.gz":                    corrupt,
		"a/truncated.json.gz":                  good[:len(good)-12],
		"a/truncated-json.json":                []byte(twoRecords[:60]),
		"a/invalid.json":                       []byte(`{"Records":[{"eventName":"A"},]}`),
		"a/empty.json.gz":                      nil,
		"a/notes.txt":                          []byte("hello"),
		"a/config.json":                        []byte(`{"setting":true}`),
		"AWSLogs/111/CloudTrail-Digest/us-east-1/2026/11/01/x.json.gz": gz(t, `{"digestStartTime":"x"}`),
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 3} {
		var hs []*counter
		handlers, rep, err := Run(context.Background(), []Source{Local{Root: dir}}, Options{Workers: workers}, func() Handler {
			c := &counter{}
			hs = append(hs, c)
			return c
		})
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		if len(handlers) != workers {
			t.Fatalf("%d handlers, want %d", len(handlers), workers)
		}
		total := 0
		for _, h := range hs {
			total += h.n
		}
		// 2 + 2 + 2 good, plus the records before each truncation or error.
		if rep.Files != 3 {
			t.Errorf("files read = %d, want 3", rep.Files)
		}
		if total != rep.Records {
			t.Errorf("handlers saw %d records, report says %d", total, rep.Records)
		}
		want := map[SkipReason]int{SkipEmpty: 1, SkipNotLog: 1, SkipNotTrail: 1, SkipDigest: 1}
		for k, v := range want {
			if rep.Skipped[k] != v {
				t.Errorf("skipped[%s] = %d, want %d (all: %v)", k, rep.Skipped[k], v, rep.Skipped)
			}
		}
		var names []string
		for _, p := range rep.Failed {
			names = append(names, filepath.Base(p.Name)+": "+p.Err.Error())
		}
		got := strings.Join(names, "\n")
		for _, want := range []string{"corrupt.json.gz: corrupt gzip", "invalid.json: invalid JSON", "truncated-json.json: truncated JSON", "truncated.json.gz: corrupt gzip: truncated"} {
			if !strings.Contains(got, want) {
				t.Errorf("problems lack %q:\n%s", want, got)
			}
		}
		if len(rep.Failed) != 4 {
			t.Errorf("%d problems, want 4:\n%s", len(rep.Failed), got)
		}
	}
}

func TestLocalStrict(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(twoRecords), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"Records":[`), 0o644)
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte(`x`), 0o644)
	_, _, err := Run(context.Background(), []Source{Local{Root: dir}}, Options{Workers: 1, Strict: true}, func() Handler { return &counter{} })
	var se *StrictError
	if !errors.As(err, &se) || !strings.HasSuffix(se.Problem.Name, "b.json") {
		t.Fatalf("err = %v, want a StrictError naming b.json", err)
	}
}

func TestLocalMissing(t *testing.T) {
	_, _, err := Run(context.Background(), []Source{Local{Root: "/nonexistent/tailor"}}, Options{}, func() Handler { return &counter{} })
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/tailor") {
		t.Fatalf("err = %v, want one naming the path", err)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		size int64
		want SkipReason
	}{
		{"AWSLogs/1/CloudTrail/us-east-1/2026/11/01/1_CloudTrail_us-east-1_x.json.gz", 10, ""},
		{"AWSLogs/1/CloudTrail-Digest/us-east-1/2026/11/01/1_CloudTrail-Digest_x.json.gz", 10, SkipDigest},
		{"x.json", 0, SkipEmpty},
		{"x.jsonl.gz", 5, ""},
		{"x.JSON", 5, ""},
		{"README.md", 5, SkipNotLog},
		{"x.parquet", 5, ""}, // read by content: a partial aggregate
		{"x.parquet.gz", 5, SkipNotLog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.name, tc.size); got != tc.want {
				t.Errorf("Classify = %q, want %q", got, tc.want)
			}
		})
	}
}
