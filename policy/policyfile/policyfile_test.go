package policyfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	d, err := Read(filepath.Join("..", "testdata", "awsdocs", "allow-all.json"))
	if err != nil || len(d.Statement) != 1 || d.Statement[0].Sid != "AllowAll" {
		t.Errorf("ParseFile = %+v, %v", d, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"Statement":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(bad); err == nil || err.Error() != bad+": policy: Statement: empty array" {
		t.Errorf("Read(bad) error = %v", err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.HasPrefix(err.Error(), "read policy: open ") {
		t.Errorf("Read(missing) error = %v", err)
	}
}

func TestReadAllErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text, want string
	}{
		{"array with a missing brace", "[\n  {\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}\n]", `policy array: invalid JSON at line 3, column 1 (byte 88): invalid character ']' after object key:value pair`},
		{"bad second document", `[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},{"Statement":[]}]`, `document 1: policy: Statement: empty array`},
		{"empty array", `[]`, `empty policy array`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "p.json")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadAll(path)
			if want := path + ": " + tc.want; err == nil || err.Error() != want {
				t.Errorf("error\n got %v\nwant %s", err, want)
			}
		})
	}
}

// A policy file over policy.MaxFileSize is refused before it is parsed, naming the
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
		func(p string) error { _, err := Read(p); return err },
		func(p string) error { _, err := ReadAll(p); return err },
	} {
		err := parse(big)
		if err == nil || !strings.Contains(err.Error(), "big.json") || !strings.Contains(err.Error(), "1048576 bytes") {
			t.Errorf("a 100,000-statement file: %v", err)
		}
	}
	if _, err := ReadAll(write("ok.json", 12000)); err != nil { // 0.9 MB
		t.Errorf("a file under the limit: %v", err)
	}
}
