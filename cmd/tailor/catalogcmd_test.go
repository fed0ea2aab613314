package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// refFiles are the service reference files the catalog package tests with.
const refFiles = "../../catalog/testdata/servicereference"

// newServiceReference serves refFiles on 127.0.0.1 as AWS lays them out: the
// service list at / and the files under /v1/. Paths in missing answer 404.
func newServiceReference(t *testing.T, missing ...string) *httptest.Server {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(refFiles, "v1", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no service reference files under %s (%v)", refFiles, err)
	}
	files := http.FileServer(http.Dir(refFiles))
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range missing {
			if r.URL.Path == m {
				http.NotFound(w, r)
				return
			}
		}
		if r.URL.Path != "/" {
			files.ServeHTTP(w, r)
			return
		}
		var list []map[string]string
		for _, p := range paths {
			rel, _ := filepath.Rel(refFiles, p)
			list = append(list, map[string]string{"service": filepath.Base(filepath.Dir(p)), "url": srv.URL + "/" + filepath.ToSlash(rel)})
		}
		json.NewEncoder(w).Encode(list)
	}))
	t.Cleanup(srv.Close)
	return srv
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
	cache := t.TempDir()
	t.Setenv(catalog.CacheDirEnv, cache)
	srv := newServiceReference(t)
	cachePath := filepath.Join(cache, catalog.CacheFile)

	stdout, stderr, code := run(t, "catalog", "update", "--url", srv.URL+"/")
	if code != exitOK {
		t.Fatalf("update: exit %d; stderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("update wrote to stdout:\n%s", stdout)
	}
	sum := lines(stderr)
	for k, want := range map[string]string{"cache": cachePath, "services": "3", "actions": "15", "operations": "5", "source": "aws-service-reference v1.3"} {
		if sum[k] != want {
			t.Errorf("update summary %s: %q, want %q; stderr:\n%s", k, sum[k], want, stderr)
		}
	}

	stdout, stderr, code = run(t, "catalog", "info")
	if code != exitOK {
		t.Fatalf("info: exit %d; stderr:\n%s", code, stderr)
	}
	info := lines(stdout)
	if info["in use"] != cachePath || info["services"] != "3" || info["date"] != sum["date"] {
		t.Errorf("info after update:\n%s", stdout)
	}

	stdout, _, code = run(t, "catalog", "info", "--catalog", "embedded")
	emb := catalog.Embedded().Info()
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
			cache := t.TempDir()
			t.Setenv(catalog.CacheDirEnv, cache)
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
			if _, err := os.Stat(filepath.Join(cache, catalog.CacheFile)); !os.IsNotExist(err) {
				t.Errorf("a failed update left a cache (stat: %v)", err)
			}
		})
	}
}

// TestCatalogInfoCorruptCache: a cache that cannot be read is an error that
// names it, not a silent fall back to the embedded catalog.
func TestCatalogInfoCorruptCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(catalog.CacheDirEnv, cache)
	path := filepath.Join(cache, catalog.CacheFile)
	if err := os.WriteFile(path, []byte("not a catalog"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "catalog", "info")
	if code != exitError || stdout != "" || !strings.Contains(stderr, path) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 naming %s", code, stdout, stderr, path)
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
	path := filepath.Join(dir, catalog.CacheFile)
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
