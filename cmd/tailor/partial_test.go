package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/partial"
)

// A trail to split: its root and its log files, relative to the root.
type splitTrail struct {
	root  string
	files []string
}

func demoTrail(t *testing.T) splitTrail {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, fixtures.Demo()); err != nil {
		t.Fatal(err)
	}
	return splitTrail{root: dir, files: logFiles(t, dir, nil)}
}

func corpusTrail(t *testing.T) splitTrail {
	t.Helper()
	dir := testenv.Shared(t, "corpus")
	// variants/ and envelopes/ are read too, as a run over the whole
	// directory reads them: the same records in other forms.
	return splitTrail{root: dir, files: logFiles(t, dir, nil)}
}

func logFiles(t *testing.T, root string, skip []string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && slices.Contains(skip, d.Name()) {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".json.gz") || strings.HasSuffix(p, ".jsonl")) && !strings.Contains(p, "CloudTrail-Digest") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

var (
	dayOf     = regexp.MustCompile(`/(\d{4})/(\d{2})/(\d{2})/|_(\d{8})T`)
	accountOf = regexp.MustCompile(`(^|/)(\d{12})(/|_)`)
)

// groupBy splits the files by what key finds in their path ("" is a group
// of its own).
func groupBy(files []string, key func(string) string) [][]string {
	groups := map[string][]string{}
	for _, f := range files {
		k := key(f)
		groups[k] = append(groups[k], f)
	}
	var out [][]string
	for _, k := range slices.Sorted(mapsKeys(groups)) {
		out = append(out, groups[k])
	}
	return out
}

func mapsKeys(m map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// equivalenceCommands are the outputs a split run must reproduce: the
// principals chosen are the single run's roles and users with most events.
func equivalenceCommands(t *testing.T, sources []string, extra []string) [][]string {
	t.Helper()
	out, errOut, code := run(t, append(append([]string{"analyze", "--format", "json"}, sources...), extra...)...)
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	var rows []principalSummary
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Events > rows[j].Events })
	cmds := [][]string{{"analyze", "--format", "json"}, {"analyze"}, {"denied", "--format", "json"}, {"denied"}}
	n := 0
	for _, r := range rows {
		if (r.Kind == "Role" || r.Kind == "IAMUser") && n < 4 {
			cmds = append(cmds, []string{"suggest", "--principal", r.Principal}, []string{"suggest", "--principal", r.Principal, "--include-denied"})
			if n < 2 {
				// verify and diff against the policy the single run
				// suggests for another principal: some requests pass,
				// some do not.
				pol := policyFor(t, sources, extra, rows, r.Principal)
				cmds = append(cmds, []string{"verify", "--policy", pol, "--principal", r.Principal, "--format", "json"},
					[]string{"diff", "--policy", pol, "--principal", r.Principal}, []string{"diff", "--policy", pol, "--principal", r.Principal, "--format", "json"})
			}
			n++
		}
	}
	return cmds
}

// policyFor writes the policy the run suggests for the busiest role or
// user other than principal (or principal's own, if it is the only one)
// to a file, and returns its path.
func policyFor(t *testing.T, sources, extra []string, rows []principalSummary, principal string) string {
	t.Helper()
	other := principal
	for _, r := range rows {
		if (r.Kind == "Role" || r.Kind == "IAMUser") && r.Principal != principal {
			other = r.Principal
			break
		}
	}
	out, errOut, code := run(t, append(append([]string{"suggest", "--principal", other}, sources...), extra...)...)
	if code != 0 {
		t.Fatalf("suggest %s: exit %d: %s", other, code, errOut)
	}
	path := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sourcesOf(root string, files []string) []string {
	var out []string
	for _, f := range files {
		out = append(out, "--source", filepath.Join(root, f))
	}
	return out
}

// TestPartialEquivalence is the contract of partial aggregates: a trail
// split by file, by day, by account or by --shard, each part analyzed
// with --emit-partial and the partials merged, gives byte-identical
// output to a single run; with a low --max-resources too, so that some
// parts fold and others do not, and with the two copies of a
// cross-account call in different parts.
func TestPartialEquivalence(t *testing.T) {
	if testing.Short() {
		t.Skip("splits and re-runs two trails many times")
	}
	for _, tr := range []struct {
		name  string
		trail func(*testing.T) splitTrail
	}{{"demo", demoTrail}, {"corpus", corpusTrail}} {
		t.Run(tr.name, func(t *testing.T) {
			trail := tr.trail(t)
			for _, maxRes := range []string{"1000", "20"} {
				t.Run("max-resources="+maxRes, func(t *testing.T) {
					equivalence(t, trail, []string{"--max-resources", maxRes}, tr.name == "demo")
				})
			}
		})
	}
}

func equivalence(t *testing.T, trail splitTrail, extra []string, demo bool) {
	whole := []string{"--source", trail.root}
	cmds := equivalenceCommands(t, whole, extra)
	want := map[string]string{}
	for _, c := range cmds {
		out, errOut, code := run(t, append(append(slices.Clone(c), whole...), extra...)...)
		if code != 0 && code != exitUnallowed {
			t.Fatalf("%v: exit %d: %s", c, code, errOut)
		}
		want[strings.Join(c, " ")] = fmt.Sprintf("exit %d\n%s", code, out)
	}
	type split struct {
		name  string
		parts [][]string // each part's arguments
	}
	var splits []split
	byFile := split{name: "by file"}
	for _, f := range trail.files {
		byFile.parts = append(byFile.parts, sourcesOf(trail.root, []string{f}))
	}
	splits = append(splits, byFile)
	for _, s := range []struct {
		name string
		key  func(string) string
	}{
		{"by day", func(f string) string { return strings.Join(dayOf.FindStringSubmatch(filepath.ToSlash(f)), "") }},
		{"by account", func(f string) string {
			if m := accountOf.FindStringSubmatch(filepath.ToSlash(f)); m != nil {
				return m[2]
			}
			return ""
		}},
	} {
		sp := split{name: s.name}
		for _, g := range groupBy(trail.files, s.key) {
			sp.parts = append(sp.parts, sourcesOf(trail.root, g))
		}
		if len(sp.parts) < 2 {
			t.Fatalf("%s: only %d part", s.name, len(sp.parts))
		}
		splits = append(splits, sp)
	}
	for _, n := range []int{1, 2, 7} {
		sp := split{name: fmt.Sprintf("shard n=%d", n)}
		for i := 1; i <= n; i++ {
			sp.parts = append(sp.parts, append(slices.Clone(whole), "--shard", fmt.Sprintf("%d/%d", i, n)))
		}
		splits = append(splits, sp)
	}
	for _, sp := range splits {
		t.Run(sp.name, func(t *testing.T) {
			dir := t.TempDir()
			var partials []string
			folded := map[bool]int{}
			for i, args := range sp.parts {
				p := filepath.Join(dir, fmt.Sprintf("part-%03d.parquet", i))
				_, errOut, code := run(t, append(append([]string{"analyze", "--emit-partial", p}, args...), extra...)...)
				if code != 0 && code != exitNoEvents {
					t.Fatalf("part %d: exit %d: %s", i, code, errOut)
				}
				partials = append(partials, p)
				folded[readPartial(t, p).Folded()]++
			}
			merged := filepath.Join(dir, "merged.parquet")
			if _, errOut, code := run(t, append([]string{"merge", "--out", merged}, partials...)...); code != 0 {
				t.Fatalf("merge: exit %d: %s", code, errOut)
			}
			m := readPartial(t, merged)
			if demo && sp.name == "by account" && m.Main.Counts.Duplicates != 5 {
				t.Errorf("the demo's 5 cross-account calls, split across accounts' parts: merged partial counts %d duplicates", m.Main.Counts.Duplicates)
			}
			if demo && extra[1] == "20" && sp.name == "by day" && (folded[true] == 0 || folded[false] == 0) {
				t.Errorf("--max-resources 20 folds in %d parts and not in %d: the test wants both", folded[true], folded[false])
			}
			// The merged partial, the partials themselves, and all but the
			// last part as partials mixed with the last part's logs.
			readings := map[string][]string{"merged": {"--source", merged}}
			var each []string
			for _, p := range partials {
				each = append(each, "--source", p)
			}
			// Reading a hundred partials a dozen times adds time, not cover.
			if len(sp.parts) <= 10 {
				readings["partials"] = each
			}
			if len(sp.parts) > 1 && len(sp.parts) <= 10 {
				readings["mixed"] = append(slices.Clone(each[:len(each)-2]), sp.parts[len(sp.parts)-1]...)
			}
			for reading, sources := range readings {
				for _, c := range cmds {
					args := append(append(slices.Clone(c), sources...), extra...)
					if reading == "mixed" && slices.Contains(sources, "--shard") {
						continue // --shard would apply to the partials too
					}
					out, errOut, code := run(t, args...)
					if code != 0 && code != exitUnallowed {
						t.Fatalf("%s: %v: exit %d: %s", reading, c, code, errOut)
					}
					if w, got := want[strings.Join(c, " ")], fmt.Sprintf("exit %d\n%s", code, out); got != w {
						out = got
						t.Errorf("%s: %v differs from the single run:\n%s", reading, c, firstDiff(w, out))
					}
				}
			}
		})
	}
}

func readPartial(t *testing.T, path string) *partial.Aggregate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := partial.Read(strings.NewReader(string(data)), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// TestBadPartial: a damaged partial among the sources is counted and named
// like a bad log file, fatal only with --strict; merge refuses it.
func TestBadPartial(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	if _, errOut, code := run(t, "analyze", "--emit-partial", good); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "logs", "bad.parquet")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "analyze", "--source", good, "--source", filepath.Dir(bad))
	if code != 0 || !strings.Contains(errOut, "failed inputs: 1") || !strings.Contains(errOut, "error: "+bad+": corrupt or truncated Parquet file") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 0, one failed input named", code, errOut)
	}
	if _, errOut, code := run(t, "analyze", "--strict", "--source", good, "--source", filepath.Dir(bad)); code != exitError || !strings.Contains(errOut, bad) {
		t.Errorf("--strict: exit %d, stderr:\n%s\nwant exit 1 naming the file", code, errOut)
	}
	if _, errOut, code := run(t, "merge", "--out", filepath.Join(dir, "m.parquet"), good, bad); code != exitError || !strings.Contains(errOut, bad) {
		t.Errorf("merge: exit %d, stderr:\n%s\nwant exit 1 naming the file", code, errOut)
	}
	if _, errOut, code := run(t, "merge", "--out", filepath.Join(dir, "m.parquet"), good, filepath.Dir(bad)); code != exitUsage || !strings.Contains(errOut, "a directory; merge takes partial files") {
		t.Errorf("merge of a directory: exit %d, stderr:\n%s\nwant a usage error", code, errOut)
	}
}

// TestPartialRefused: a partial that would not give the single run's
// answer is refused with what to do.
func TestPartialRefused(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.parquet")
	if _, errOut, code := run(t, "analyze", "--max-resources", "2", "--emit-partial", p); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "--source", p}, "folded resources at --max-resources 2"},
		{[]string{"analyze", "--source", p, "--max-resources", "2", "--since", "2020-01-01"}, "cannot be narrowed"},
		{[]string{"suggest", "--role", "checkout-api", "--source", p, "--max-resources", "2", "--generalize", "revisions"}, "partial made with --generalize \"\"; this run has \"revisions\""},
	} {
		_, errOut, _ := run(t, tc.args...)
		if !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: stderr\n%s\nwant %q", tc.args, errOut, tc.want)
		}
	}
	if _, errOut, code := run(t, "analyze", "--source", p, "--max-resources", "1"); code != 0 {
		t.Errorf("a lower cap folds further: exit %d: %s", code, errOut)
	}
}

func TestShardFlag(t *testing.T) {
	for _, v := range []string{"0/2", "3/2", "1/0", "x", "1/", "/2", "-1/2"} {
		if _, errOut, code := run(t, "analyze", "--shard", v); code != exitUsage || !strings.Contains(errOut, "--shard") {
			t.Errorf("--shard %s: exit %d, stderr %q; want a usage error", v, code, errOut)
		}
	}
}

// TestEmptyShard: with more workers than files, a share may hold no file:
// its worker writes an empty partial and succeeds, and the partials of
// all shares merge into the single run; a source with no file at all is
// still exit 3, shard or not.
func TestEmptyShard(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "trail")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	demo, err := fs.Glob(fixtures.Demo(), "AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")
	if err != nil || len(demo) < 3 {
		t.Fatalf("demo files: %v, %v", demo, err)
	}
	for _, f := range demo[:3] {
		body, err := fs.ReadFile(fixtures.Demo(), f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, filepath.Base(f)), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const n = 9 // more shares than files
	var partials []string
	empty := 0
	for i := 1; i <= n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("p%d.parquet", i))
		_, errOut, code := run(t, "analyze", "--source", src, "--shard", fmt.Sprintf("%d/%d", i, n), "--emit-partial", p)
		if code != 0 {
			t.Fatalf("share %d/%d: exit %d: %s", i, n, code, errOut)
		}
		if strings.Contains(errOut, "this share holds none of the 3 files listed") {
			empty++
		}
		partials = append(partials, "--source", p)
	}
	if empty == 0 {
		t.Fatal("no share was empty: the test wants one")
	}
	// Without a partial to write, an empty share has nothing to give.
	none := 0
	for i := 1; i <= n; i++ {
		_, errOut, code := run(t, "analyze", "--source", src, "--shard", fmt.Sprintf("%d/%d", i, n))
		if code == exitNoEvents && strings.Contains(errOut, "found no CloudTrail records") {
			none++
		} else if code != 0 {
			t.Errorf("share %d/%d without --emit-partial: exit %d: %s", i, n, code, errOut)
		}
	}
	if none != empty {
		t.Errorf("without --emit-partial, %d shares exit 3; %d are empty", none, empty)
	}
	want, _, _ := run(t, "analyze", "--format", "json", "--source", src)
	got, errOut, code := run(t, append([]string{"analyze", "--format", "json"}, partials...)...)
	if code != 0 || got != want {
		t.Errorf("the shares' partials: exit %d, same as one run %v\n%s", code, got == want, errOut)
	}
	if _, errOut, code := run(t, "analyze", "--source", t.TempDir(), "--shard", "1/2"); code != exitNoEvents {
		t.Errorf("an empty directory, sharded: exit %d, want %d: %s", code, exitNoEvents, errOut)
	}
}

// TestEmitPartialAnyCommand: every reading command writes the same partial
// as analyze, whatever principal it prints: a partial is merged later with
// others and must hold them all.
func TestEmitPartialAnyCommand(t *testing.T) {
	dir := t.TempDir()
	want := filepath.Join(dir, "analyze.parquet")
	if _, errOut, code := run(t, "analyze", "--emit-partial", want); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	wantBytes, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{
		{"suggest", "--role", "checkout-api"},
		{"denied", "--all"},
		{"denied", "--role", "checkout-api"},
		{"diff", "--policy", "testdata/policy-wide.json", "--role", "checkout-api"},
		{"verify", "--policy", "testdata/policy-wide.json", "--role", "checkout-api"},
	} {
		path := filepath.Join(dir, c[0]+fmt.Sprint(len(c))+".parquet")
		_, errOut, code := run(t, append(slices.Clone(c), "--emit-partial", path)...)
		if code != 0 && code != exitUnallowed && code != exitError {
			t.Fatalf("%v: exit %d: %s", c, code, errOut)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v wrote no partial (exit %d: %s)", c, code, errOut)
		}
		if !bytes.Equal(got, wantBytes) {
			t.Errorf("%v --emit-partial differs from analyze's", c)
		}
	}
}
