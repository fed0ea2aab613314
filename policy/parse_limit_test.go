package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A policy file over MaxFileSize is refused before it is parsed, naming the
// file and the limit; one just under it parses.
func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, statements int) string {
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := 0; i < statements; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}`)
		}
		b.WriteString("]}")
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.json", 100000) // 7.7 MB
	for _, parse := range []func(string) error{
		func(p string) error { _, err := ParseFile(p); return err },
		func(p string) error { _, err := ParseFiles(p); return err },
	} {
		err := parse(big)
		if err == nil || !strings.Contains(err.Error(), "big.json") || !strings.Contains(err.Error(), "1048576 bytes") {
			t.Errorf("a 100,000-statement file: %v", err)
		}
	}
	if _, err := ParseFiles(write("ok.json", 12000)); err != nil { // 0.9 MB
		t.Errorf("a file under the limit: %v", err)
	}
}
