package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/export"
	"github.com/tailor-iam/tailor/partial"
)

// exportFile runs tailor export with args and returns the file's bytes and
// the stderr summary.
func exportFile(t *testing.T, args ...string) ([]byte, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "events.parquet")
	stdout, errOut, code := run(t, append([]string{"export", "--out", out}, args...)...)
	if code != exitOK || stdout != "" {
		t.Fatalf("export %v: exit %d, stdout %q, stderr:\n%s", args, code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b, errOut
}

// summaryInt reads "name: N ..." from a stderr summary.
func summaryInt(t *testing.T, errOut, name string) int64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `: (\d+)`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no %q line in:\n%s", name, errOut)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// derivedFacts is the number of (event, action, resource) facts the
// analyzer derives from the demo trail, as its partial aggregate counts
// them: before links resolve, a cross-account call's copy counted once.
func derivedFacts(t *testing.T) int64 {
	t.Helper()
	p := filepath.Join(t.TempDir(), "p.parquet")
	if _, errOut, code := run(t, "analyze", "--emit-partial", p); code != exitOK {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	part, err := partial.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	agg := part.Settle(nil)
	var n int64
	for _, s := range agg.Facts {
		n += s.Count
	}
	for _, s := range agg.Pending {
		n += s.Count
	}
	return n
}

// TestExportDemo reads the demo trail's export back with parquet-go's
// generic reader: its schema (golden), its metadata, and one row per fact
// the analyzer derived.
func TestExportDemo(t *testing.T) {
	b, errOut := exportFile(t)
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "export.schema.txt", f.Schema().String()+"\n")
	if v, _ := f.Lookup(export.KeyVersion); v != strconv.Itoa(export.Version) {
		t.Errorf("%s = %q, want %d", export.KeyVersion, v, export.Version)
	}
	for _, key := range []string{"tailor.version", "tailor.catalog.date", "tailor.export.order"} {
		if v, ok := f.Lookup(key); !ok || v == "" {
			t.Errorf("metadata %s missing", key)
		}
	}
	rows := summaryInt(t, errOut, "rows")
	if want := derivedFacts(t); rows != want {
		t.Errorf("%d rows, the analyzer derived %d facts", rows, want)
	}
	if f.NumRows() != rows {
		t.Errorf("the file holds %d rows, the summary says %d", f.NumRows(), rows)
	}
	columns := strings.Split("principal principal_kind account region event_time event_source event_name action resource outcome error_code denial_reason denying_policy_arn source_ip vpc_endpoint user_agent event_id shared_event_id linked_id principal_account principal_id passed_to_service instance_profile via_action identity_provider denial_explicit denial_through_scp calling_service tls mfa_authenticated error_message linked_kind linked_account", " ")
	r := parquet.NewGenericReader[any](bytes.NewReader(b))
	defer r.Close()
	got := make([]any, f.NumRows()+1)
	n, _ := r.Read(got)
	if int64(n) != rows {
		t.Fatalf("the generic reader read %d rows, want %d", n, rows)
	}
	outcomes := map[any]int{}
	for _, row := range got[:n] {
		m, ok := row.(map[string]any)
		if !ok {
			t.Fatalf("row %T, want a map", row)
		}
		for _, c := range columns {
			if _, ok := m[c]; !ok {
				t.Fatalf("row without %s: %v", c, m)
			}
		}
		if len(m) != len(columns) {
			t.Fatalf("row with %d columns, want %d: %v", len(m), len(columns), m)
		}
		outcomes[m["outcome"]]++
	}
	for _, o := range []string{export.Allowed, export.Denied, export.Failed} {
		if outcomes[o] == 0 {
			t.Errorf("no %s row in the demo's export (%v)", o, outcomes)
		}
	}
	if summaryInt(t, errOut, "events") == 0 || !strings.Contains(errOut, fmt.Sprintf("(%d bytes)", len(b))) {
		t.Errorf("summary without events or the file's size:\n%s", errOut)
	}
}

// TestExportDeterministic: runs with other workers, with runs spilled and
// merged, and to stdout give the same bytes.
func TestExportDeterministic(t *testing.T) {
	want, _ := exportFile(t, "--workers", "1")
	t.Run("four workers", func(t *testing.T) {
		if got, _ := exportFile(t, "--workers", "4"); !bytes.Equal(got, want) {
			t.Errorf("%d bytes, differ from one worker's %d", len(got), len(want))
		}
	})
	t.Run("spilled runs", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "e.parquet")
		var errOut bytes.Buffer
		cmd := newExportCmd(streams{Out: &bytes.Buffer{}, ErrOut: &errOut}, func(ctx context.Context, o *exportOptions) error {
			o.runRows = 40 // the demo's rows in 77 runs, merged in passes of 16
			return exportRun(ctx, o)
		})
		cmd.SetArgs([]string{"--out", out, "--workers", "2"})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("%v\n%s", err, errOut.String())
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d bytes, differ from one worker's %d", len(got), len(want))
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Errorf("left in the output's folder: %v, want only the file", left)
		}
	})
	t.Run("stdout", func(t *testing.T) {
		got, errOut, code := run(t, "export", "--out", "-")
		if code != exitOK || !bytes.Equal([]byte(got), want) {
			t.Errorf("exit %d, %d bytes on stdout, want the file's %d:\n%s", code, len(got), len(want), errOut)
		}
	})
}

// TestExportPrincipal: a principal flag keeps its rows only; one not in the
// trail is exit 3 and writes nothing.
func TestExportPrincipal(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/service/checkout-api"
	b, errOut := exportFile(t, "--role", "checkout-api")
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Lookup("tailor.export.principal"); v != role {
		t.Errorf("tailor.export.principal = %q, want %q", v, role)
	}
	rows := make([]export.Row, f.NumRows())
	n, _ := parquet.NewGenericReader[export.Row](bytes.NewReader(b)).Read(rows)
	if n == 0 || int64(n) != summaryInt(t, errOut, "rows") {
		t.Fatalf("read %d rows:\n%s", n, errOut)
	}
	for _, r := range rows[:n] {
		if r.Principal != role {
			t.Fatalf("row of %s", r.Principal)
		}
	}
	out := filepath.Join(t.TempDir(), "none.parquet")
	if _, errOut, code := run(t, "export", "--out", out, "--role", "no-such-role"); code != exitNoEvents {
		t.Errorf("no such role: exit %d, want 3:\n%s", code, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("no such role: %s written (%v)", out, err)
	}
}

// TestExportUsage: a bad command line is exit 2, before anything is read.
func TestExportUsage(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "e.parquet")
	for _, tc := range []struct {
		name string
		args []string
		tty  bool
		want string
	}{
		{"unknown flag", []string{"export", "--out", out, "--bogus"}, false, "unknown flag"},
		{"no --out", []string{"export"}, false, "--out"},
		{"stdout is a terminal", []string{"export", "--out", "-"}, true, "terminal"},
		{"no such folder", []string{"export", "--out", filepath.Join(dir, "nope", "e.parquet")}, false, "not a directory"},
		{"two principals", []string{"export", "--out", out, "--role", "a", "--user", "b"}, false, "at most one"},
		{"ambiguous name", []string{"export", "--out", out, "--role", "deployer"}, false, "matches"},
		{"bad --workers", []string{"export", "--out", out, "--workers", "0"}, false, "--workers"},
		{"bad --since", []string{"export", "--out", out, "--since", "yesterday"}, false, "--since"},
		{"bad --shard", []string{"export", "--out", out, "--shard", "3/2"}, false, "--shard"},
		{"an argument", []string{"export", "--out", out, "events"}, false, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, errOut bytes.Buffer
			code := execute(context.Background(), tc.args, streams{Out: &stdout, ErrOut: &errOut, OutTTY: tc.tty})
			if code != exitUsage || !strings.Contains(errOut.String(), tc.want) || stdout.Len() > 0 {
				t.Errorf("exit %d, stdout %d bytes, stderr:\n%s\nwant exit 2 naming %q", code, stdout.Len(), errOut.String(), tc.want)
			}
		})
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestExportPartial: a partial cannot be exported (exportsource_test.go
// reads exports as a source).
func TestExportPartial(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.parquet")
	if _, errOut, code := run(t, "analyze", "--emit-partial", p); code != exitOK {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	_, errOut, code := run(t, "export", "--source", p, "--out", filepath.Join(dir, "x.parquet"))
	if code != exitUsage || !strings.Contains(errOut, "partial aggregates") {
		t.Errorf("export --source a partial: exit %d, stderr:\n%s", code, errOut)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("files left: %v", names)
	}
}

// duckDBNodeVersion is the @duckdb/node-api the DuckDB test reads with,
// as benchmarks/run.sh pins it.
const duckDBNodeVersion = "1.5.6-r.1"

// duckDB returns where @duckdb/node-api is installed, installing it into
// the user's cache (never the repository) when it is not; it skips the
// test when node or npm is absent or the install fails.
func duckDB(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("DuckDB reader: %s is not on PATH", tool)
		}
	}
	version := cmp.Or(os.Getenv("DUCKDB_NODE_VERSION"), duckDBNodeVersion)
	dir := os.Getenv("DUCKDB_NODE_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("DuckDB reader: no cache directory to install it in: %v", err)
		}
		dir = filepath.Join(cache, "tailor", "duckdb-node")
	}
	pkg, _ := os.ReadFile(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json"))
	var have struct{ Version string }
	json.Unmarshal(pkg, &have)
	if have.Version != version {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		t.Logf("installing @duckdb/node-api@%s into %s", version, dir)
		out, err := exec.CommandContext(ctx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "@duckdb/node-api@"+version).CombinedOutput()
		if err != nil {
			t.Skipf("DuckDB reader: npm install @duckdb/node-api@%s failed: %v\n%s", version, err, out)
		}
	}
	return dir
}

// TestExportDuckDB reads the demo's export with DuckDB: the columns and
// their types, the rows, the README's query and the version, as the Go
// reader sees them.
func TestExportDuckDB(t *testing.T) {
	prefix := duckDB(t)
	b, _ := exportFile(t)
	file := filepath.Join(t.TempDir(), "events.parquet")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join("testdata", "export_duckdb.mjs"), file)
	cmd.Env = append(os.Environ(), "DUCKDB_NODE_PREFIX="+prefix)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "Cannot find module") || strings.Contains(stderr.String(), "ERR_DLOPEN_FAILED") {
			t.Skipf("DuckDB reader: @duckdb/node-api does not load here: %s", stderr.String())
		}
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got struct {
		Columns   []string
		Count     int
		ByAction  []string
		FirstTime string
		Version   string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	golden(t, "export.duckdb.txt", strings.Join(got.Columns, "\n")+"\n")

	pr := parquet.NewGenericReader[export.Row](bytes.NewReader(b))
	rows := make([]export.Row, pr.NumRows())
	n, _ := pr.Read(rows)
	rows = rows[:n]
	counts := map[[2]string]int{}
	for _, r := range rows {
		counts[[2]string{r.Principal, r.Action}]++
	}
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, func(a, b [2]string) int {
		return cmp.Or(-cmp.Compare(counts[a], counts[b]), cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	var want []string
	for _, k := range keys {
		want = append(want, fmt.Sprintf("%s %s %d", k[0], k[1], counts[k]))
	}
	first := time.UnixMilli(rows[0].EventTime).UTC().Format("2006-01-02T15:04:05.000")
	switch {
	case got.Count != n:
		t.Errorf("DuckDB counts %d rows, parquet-go reads %d", got.Count, n)
	case !slices.Equal(got.ByAction, want):
		t.Errorf("DuckDB's rows per principal and action differ from parquet-go's:\n%s", firstDiff(strings.Join(want, "\n"), strings.Join(got.ByAction, "\n")))
	case got.FirstTime != first:
		t.Errorf("first event_time: DuckDB %s, parquet-go %s", got.FirstTime, first)
	case got.Version != strconv.Itoa(export.Version):
		t.Errorf("DuckDB reads tailor.export.version %q", got.Version)
	}
}
