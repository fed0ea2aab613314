package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/tailor-iam/tailor/catalog"
)

// writeTestCache writes the embedded catalog's data, dated date, as dir's
// cache and returns its bytes: a cache that passes every check Load makes.
func writeTestCache(t *testing.T, dir, date string) []byte {
	t.Helper()
	f := embeddedFile(t)
	f.Source, f.Version, f.Date = "test", date, date
	return writeTestFile(t, dir, f)
}

// writeTestFile writes f as dir's cache and returns its bytes.
func writeTestFile(t *testing.T, dir string, f *file) []byte {
	t.Helper()
	if _, err := writeCache(dir, f); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// embeddedFile decodes the embedded catalog's file afresh, for a test to
// change: the file package catalog embeds, read from its directory.
func embeddedFile(t testing.TB) *file {
	t.Helper()
	b, err := os.ReadFile("../catalog.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var f file
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestCacheDir(t *testing.T) {
	t.Setenv(DirEnv, "/some/where")
	if d, err := Dir(); err != nil || d != "/some/where" {
		t.Errorf("Dir() = %q, %v; want the %s override", d, err, DirEnv)
	}
	t.Setenv(DirEnv, "")
	d, err := Dir()
	if err == nil && filepath.Base(d) != "tailor" {
		t.Errorf("Dir() = %q, want a directory named tailor", d)
	}
}

func TestLoad(t *testing.T) {
	embeddedDate := catalog.Embedded().Info().Date
	tests := []struct {
		name      string
		cacheDate string // "" for no cache; "corrupt" for garbage
		choice    string // "@cache" means the cache file's path
		// "embedded", "cache", "error: " and a substring of the error, or
		// "rejected: " and one of the error that comes with the embedded
		// catalog
		want string
	}{
		{"no cache", "", "", "embedded"},
		{"no cache, auto", "", "auto", "embedded"},
		{"newer cache", "2999-12-31", "", "cache"},
		{"same date prefers the cache", embeddedDate, "auto", "cache"},
		{"older cache", "2000-01-01", "", "embedded"},
		{"embedded forced over a newer cache", "2999-12-31", "embedded", "embedded"},
		{"explicit older file", "2000-01-01", "@cache", "cache"},
		{"corrupt cache", "corrupt", "", "rejected: " + FileName},
		{"corrupt cache, embedded forced", "corrupt", "embedded", "embedded"},
		{"corrupt file named", "corrupt", "@cache", "error: " + FileName},
		{"missing file", "", "/nonexistent/catalog.json.gz", "error: /nonexistent/catalog.json.gz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(DirEnv, dir)
			path := filepath.Join(dir, FileName)
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
				if err == nil || !strings.Contains(err.Error(), want) || errors.Is(err, ErrRejected) {
					t.Fatalf("Load(%q) error = %v, want one naming %q", choice, err, want)
				}
				return
			}
			if want, ok := strings.CutPrefix(tc.want, "rejected: "); ok {
				if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), want) {
					t.Fatalf("Load(%q) error = %v, want ErrRejected naming %q", choice, err, want)
				}
				if c != catalog.Embedded() {
					t.Fatalf("Load(%q) returned %+v with a rejected cache, want the embedded catalog", choice, c.Info())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "cache"
			if c == catalog.Embedded() {
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

// refEC2 is a service reference file for ec2 with one action, which the
// embedded catalog says requires a security group, a subnet and more, and
// one resource type the embedded catalog does not know.
const refEC2 = `{
  "Name": "ec2",
  "Version": "v1.3",
  "Actions": [
    {
      "Name": "RunInstances",
      "Annotations": {"Properties": {"IsWrite": true}},
      "Resources": [{"Name": "image"}, {"Name": "instance"}, {"Name": "key-pair"}, {"Name": "network-interface"},
        {"Name": "security-group"}, {"Name": "subnet"}, {"Name": "volume"}, {"Name": "brand-new-type"}]
    },
    {
      "Name": "DescribeInstances",
      "Annotations": {"Properties": {"IsList": true}}
    }
  ],
  "Resources": [
    {"Name": "security-group", "ARNFormats": ["arn:${Partition}:ec2:${Region}:${Account}:security-group/${SecurityGroupId}"]},
    {"Name": "subnet", "ARNFormats": ["arn:${Partition}:ec2:${Region}:${Account}:subnet/${SubnetId}"]},
    {"Name": "brand-new-type", "ARNFormats": ["arn:${Partition}:ec2:${Region}:${Account}:brand-new/${Id}"]}
  ]
}`

// TestLoadCacheKeepsRequired: a cache built from the service reference,
// which has no required flag, marks required what the embedded catalog
// does, so the analyzer still adds RunInstances' subnet and security group.
func TestLoadCacheKeepsRequired(t *testing.T) {
	withoutBaseline(t) // one service: a cache Load would otherwise refuse
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			io.WriteString(w, `[{"service": "ec2", "url": "/v1/ec2/ec2.json"}]`)
		case "/v1/ec2/ec2.json":
			io.WriteString(w, refEC2)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	t.Setenv(DirEnv, dir)
	if _, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, nil); err != nil {
		t.Fatal(err)
	}
	c, err := Load(ChoiceAuto)
	if err != nil {
		t.Fatal(err)
	}
	if c.Info().Source != catalog.SourceServiceReference {
		t.Fatalf("Load chose %+v, want the cache", c.Info())
	}
	embedded, ok := catalog.Embedded().Action("ec2:RunInstances")
	if !ok {
		t.Fatal("embedded catalog lacks ec2:RunInstances")
	}
	want := map[string]bool{"brand-new-type": false}
	for _, r := range embedded.Resources {
		want[r.Type] = r.Required
	}
	if !want["security-group"] || !want["subnet"] {
		t.Fatalf("embedded RunInstances no longer requires security-group and subnet: %+v", embedded.Resources)
	}
	a, ok := c.Action("ec2:RunInstances")
	if !ok {
		t.Fatal("cache lacks ec2:RunInstances")
	}
	if len(a.Resources) != 8 {
		t.Errorf("resources %+v, want the reference's 8", a.Resources)
	}
	for _, r := range a.Resources {
		if r.Required != want[r.Type] {
			t.Errorf("%s required = %v, want %v as in the embedded catalog", r.Type, r.Required, want[r.Type])
		}
	}
	if s, _ := c.Service("ec2"); s.Name != "Amazon EC2" {
		t.Errorf("service name %q, want the embedded catalog's", s.Name)
	}
	if c.Exists("ec2:TerminateInstances") {
		t.Error("an action the reference lacks came from the embedded catalog")
	}
}
