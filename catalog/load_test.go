package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTestCache writes a tiny catalog dated date as dir's cache and
// returns its bytes.
func writeTestCache(t *testing.T, dir, date string) []byte {
	t.Helper()
	f := &file{Source: "test", Version: date, Date: date, Services: []fileService{
		{Prefix: "s3", Actions: []fileAction{{Name: "GetObject", Level: "Read"}}},
	}}
	if _, err := writeCache(dir, f); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, CacheFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCacheDir(t *testing.T) {
	t.Setenv(CacheDirEnv, "/some/where")
	if d, err := CacheDir(); err != nil || d != "/some/where" {
		t.Errorf("CacheDir() = %q, %v; want the %s override", d, err, CacheDirEnv)
	}
	t.Setenv(CacheDirEnv, "")
	d, err := CacheDir()
	if err == nil && filepath.Base(d) != "tailor" {
		t.Errorf("CacheDir() = %q, want a directory named tailor", d)
	}
}

func TestLoad(t *testing.T) {
	embeddedDate := Embedded().Info().Date
	tests := []struct {
		name      string
		cacheDate string // "" for no cache; "corrupt" for garbage
		choice    string // "@cache" means the cache file's path
		want      string // "embedded", "cache" or an error substring prefixed "error: "
	}{
		{"no cache", "", "", "embedded"},
		{"no cache, auto", "", "auto", "embedded"},
		{"newer cache", "2999-12-31", "", "cache"},
		{"same date prefers the cache", embeddedDate, "auto", "cache"},
		{"older cache", "2000-01-01", "", "embedded"},
		{"embedded forced over a newer cache", "2999-12-31", "embedded", "embedded"},
		{"explicit older file", "2000-01-01", "@cache", "cache"},
		{"corrupt cache", "corrupt", "", "error: " + CacheFile},
		{"corrupt cache, embedded forced", "corrupt", "embedded", "embedded"},
		{"missing file", "", "/nonexistent/catalog.json.gz", "error: /nonexistent/catalog.json.gz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(CacheDirEnv, dir)
			path := filepath.Join(dir, CacheFile)
			switch tc.cacheDate {
			case "":
			case "corrupt":
				if err := os.WriteFile(path, []byte("not gzip"), 0o644); err != nil {
					t.Fatal(err)
				}
			default:
				writeTestCache(t, dir, tc.cacheDate)
			}
			choice := tc.choice
			if choice == "@cache" {
				choice = path
			}
			c, err := Load(choice)
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("Load(%q) error = %v, want one naming %q", choice, err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "cache"
			if c == Embedded() {
				got = "embedded"
			}
			if got != tc.want {
				t.Fatalf("Load(%q) chose the %s catalog (%+v), want the %s one", choice, got, c.Info(), tc.want)
			}
			if got == "cache" && c.Info().Path != path {
				t.Errorf("Info().Path = %q, want %q", c.Info().Path, path)
			}
		})
	}
}

func TestOpenRejectsBadDate(t *testing.T) {
	dir := t.TempDir()
	writeTestCache(t, dir, "yesterday")
	if _, err := Open(filepath.Join(dir, CacheFile)); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("err = %v, want a date error", err)
	}
}
