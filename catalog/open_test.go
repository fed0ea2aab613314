package catalog

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// embeddedFile decodes the embedded catalog's file afresh, for a test to
// change.
func embeddedFile(t testing.TB) *file {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(embedded))
	if err != nil {
		t.Fatal(err)
	}
	var f file
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// writeFile writes f to path as a gzip'd catalog file.
func writeFile(t *testing.T, path string, f *file) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsBadDate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog.json.gz")
	f := embeddedFile(t)
	f.Source, f.Version, f.Date = "test", "yesterday", "yesterday"
	writeFile(t, path, f)
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("err = %v, want a date error", err)
	}
}
