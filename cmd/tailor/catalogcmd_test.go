package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/cache"
	"github.com/tailor-iam/tailor/catalog/catalogtest"
)

// newServiceReference serves the embedded catalog on 127.0.0.1 as AWS lays
// out its service reference: a smaller one fails the update's checks.
// Paths in missing answer 404.
func newServiceReference(t *testing.T, missing ...string) *httptest.Server {
	return catalogtest.NewServer(t, nil, missing...)
}

// lines turns "name: value" output into a map.
func lines(s string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			m[k] = v
		}
	}
	return m
}

// TestCatalogUpdateThenInfo: update fills the cache that info then reports
// as in use; --catalog embedded still reports the embedded catalog.
func TestCatalogUpdateThenInfo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(cache.DirEnv, dir)
	srv := newServiceReference(t)
	cachePath := filepath.Join(dir, cache.FileName)

	stdout, stderr, code := run(t, "catalog", "update", "--url", srv.URL+"/")
	if code != exitOK {
		t.Fatalf("update: exit %d; stderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("update wrote to stdout:\n%s", stdout)
	}
	sum := lines(stderr)
	emb := catalog.Embedded().Info()
	for k, want := range map[string]string{"cache": cachePath, "services": fmt.Sprint(emb.Services), "actions": fmt.Sprint(emb.Actions), "operations": "0", "source": "aws-service-reference " + catalogtest.Version} {
		if sum[k] != want {
			t.Errorf("update summary %s: %q, want %q; stderr:\n%s", k, sum[k], want, stderr)
		}
	}

	stdout, stderr, code = run(t, "catalog", "info")
	if code != exitOK {
		t.Fatalf("info: exit %d; stderr:\n%s", code, stderr)
	}
	info := lines(stdout)
	if info["in use"] != cachePath || info["services"] != fmt.Sprint(emb.Services) || info["date"] != sum["date"] {
		t.Errorf("info after update:\n%s", stdout)
	}

	stdout, _, code = run(t, "catalog", "info", "--catalog", "embedded")
	if info := lines(stdout); code != exitOK || info["in use"] != "embedded" || info["date"] != emb.Date {
		t.Errorf("info --catalog embedded: exit %d:\n%s", code, stdout)
	}

	stdout, _, code = run(t, "catalog", "info", "--catalog", cachePath)
	if info := lines(stdout); code != exitOK || info["in use"] != cachePath {
		t.Errorf("info --catalog PATH: exit %d:\n%s", code, stdout)
	}
}

func TestCatalogUpdateFailures(t *testing.T) {
	tests := []struct {
		name      string
		args      func(srvURL string) []string
		missing   string
		code      int
		stderrHas []string
	}{
		{name: "a service file is missing", args: func(u string) []string { return []string{"--url", u + "/"} },
			missing: "/v1/sqs/sqs.json", code: exitError, stderrHas: []string{"service sqs", "/v1/sqs/sqs.json", "404", "cache is unchanged"}},
		{name: "not an http URL", args: func(string) []string { return []string{"--url", "ftp://example.invalid/"} },
			code: exitUsage, stderrHas: []string{"--url"}},
		{name: "arguments", args: func(string) []string { return []string{"now"} }, code: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(cache.DirEnv, dir)
			srv := newServiceReference(t, tc.missing)
			stdout, stderr, code := run(t, append([]string{"catalog", "update"}, tc.args(srv.URL)...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, cache.FileName)); !os.IsNotExist(err) {
				t.Errorf("a failed update left a cache (stat: %v)", err)
			}
		})
	}
}

// TestCatalogInfoCorruptCache: a cache that cannot be read is never used:
// a warning names it, and the embedded catalog is in use.
func TestCatalogInfoCorruptCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(cache.DirEnv, dir)
	path := filepath.Join(dir, cache.FileName)
	if err := os.WriteFile(path, []byte("not a catalog"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "catalog", "info")
	if code != exitOK || lines(stdout)["in use"] != "embedded" || !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, path) {
		t.Errorf("exit %d, stdout %q, stderr %q; want the embedded catalog and a warning naming %s", code, stdout, stderr, path)
	}
	if _, _, code := run(t, "catalog", "info", "--catalog", "embedded"); code != exitOK {
		t.Errorf("--catalog embedded with a corrupt cache: exit %d", code)
	}
}

// TestCatalogRunWithoutCobra calls the run functions directly, as other
// code and tests may.
func TestCatalogRunWithoutCobra(t *testing.T) {
	srv := newServiceReference(t)
	dir := t.TempDir()
	var out, errOut strings.Builder
	io := streams{Out: &out, ErrOut: &errOut}
	if err := catalogUpdateRun(t.Context(), &catalogUpdateOptions{IO: io, URL: srv.URL + "/", Dir: dir, Client: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, cache.FileName)
	if err := catalogInfoRun(&catalogInfoOptions{IO: io, Catalog: path}); err != nil {
		t.Fatal(err)
	}
	if got := lines(out.String())["in use"]; got != path {
		t.Errorf("in use: %q, want %q", got, path)
	}
}

func TestCatalogHelp(t *testing.T) {
	for _, cmd := range [][]string{{"catalog", "update"}, {"catalog", "info"}} {
		stdout, _, code := run(t, append(cmd, "--help")...)
		if code != 0 || !strings.Contains(stdout, "Examples:") {
			t.Errorf("%v --help: exit %d, no examples:\n%s", cmd, code, stdout)
		}
	}
}
