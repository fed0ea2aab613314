package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/fixtures/parquetforms"
	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// tableRun is what a run over some sources gathered: its partial's bytes
// (the inputs' names left out: they differ by form) and its aggregate.
type tableRun struct {
	partial []byte
	agg     *analyze.Aggregate
	rep     *Report
}

func runOf(t *testing.T, sources ...string) tableRun {
	t.Helper()
	return runConfig(t, Config{Sources: sources})
}

// runConfig is runOf for a run configured by cfg.
func runConfig(t *testing.T, cfg Config) tableRun {
	t.Helper()
	var out tableRun
	cfg.Partial = func(p *partial.Aggregate) error {
		q := *p
		q.Header.Inputs = nil
		var b bytes.Buffer
		if err := partial.Write(&b, &q); err != nil {
			return err
		}
		out.partial = b.Bytes()
		return nil
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out.agg, out.rep = res.Aggregate, res.Report
	return out
}

// suggested is the policy suggest prints for a principal: learned names
// widened, denials left out.
func suggested(t *testing.T, agg *analyze.Aggregate, principal string) string {
	t.Helper()
	cat := catalog.Embedded()
	facts, _ := learn.Generalize(cat, agg.FactsOf(principal))
	sg := synth.Suggest(cat, facts, synth.Options{ProfileRoles: agg.RolesOfProfile})
	if sg.Policy == nil {
		t.Fatalf("%s: no policy", principal)
	}
	out, err := synth.RenderJSON([]*policy.Document{sg.Policy})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// tablePrincipals are those whose policies the test compares: roles with
// learned names, links and passed roles, a user, another account.
var tablePrincipals = []string{
	"arn:aws:iam::111122223333:role/service/checkout-api",
	"arn:aws:iam::111122223333:role/report-builder",
	"arn:aws:iam::111122223333:role/automation/ci-deployer",
	"arn:aws:iam::444455556666:role/deployer",
	"arn:aws:iam::111122223333:user/alice",
	"arn:aws:iam::777788889999:root",
}

// TestParquetTables: the demo trail written as each Parquet table gives
// what its JSON gives: the same partial aggregate byte for byte (facts
// with counts, first and last seen and origins; denials and their
// messages; links, profiles, cross-account calls; the counters), so the
// same output of every command; the policies of a few principals are
// compared too, for a failure that reads as one.
func TestParquetTables(t *testing.T) {
	files, err := parquetforms.WriteDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := runOf(t)
	for _, form := range parquetforms.Forms {
		t.Run(string(form), func(t *testing.T) {
			got := runOf(t, files[form])
			if got.rep.Files != 1 || len(got.rep.Failed) != 0 {
				t.Fatalf("report %+v, want one file read", got.rep)
			}
			if !bytes.Equal(got.partial, want.partial) {
				t.Errorf("the partial aggregate differs from the JSON trail's:\n%s", aggDiff(got.agg, want.agg))
			}
			for _, p := range tablePrincipals {
				if g, w := suggested(t, got.agg, p), suggested(t, want.agg, p); g != w {
					t.Errorf("%s: policy\n%s\nwant\n%s", p, g, w)
				}
			}
		})
	}
}

// TestParquetTablesWithoutUnmapped: a Security Lake table that kept none
// of what OCSF does not map (no unmapped column) loses the records'
// sharedEventID, tlsDetails and, in source version 1, requestParameters,
// responseElements and eventType (parquettrail's tests list it member by
// member). Of the facts, that changes exactly this: the cross-account
// calls delivered to both accounts' trails count twice, and no request
// shows it came over TLS. With source version 2 the policies stay the
// same; with version 1, whose request parameters were only in unmapped,
// only the principals and the actions their calls name do: the resources
// that come from request parameters are lost, and so is iam:PassRole,
// which only a request's parameters show.
func TestParquetTablesWithoutUnmapped(t *testing.T) {
	dir := t.TempDir()
	files, err := parquetforms.WriteDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := runOf(t)
	if want.agg.Counts.Duplicates == 0 {
		t.Fatal("the demo has no cross-account call delivered twice; the test needs some")
	}
	for _, form := range []parquetforms.Form{parquetforms.OCSF1, parquetforms.OCSF2} {
		t.Run(string(form), func(t *testing.T) {
			data, err := os.ReadFile(files[form])
			if err != nil {
				t.Fatal(err)
			}
			if data, err = parquetforms.Drop(data, "unmapped"); err != nil {
				t.Fatal(err)
			}
			bare := filepath.Join(dir, "bare-"+string(form)+".parquet")
			if err := os.WriteFile(bare, data, 0o644); err != nil {
				t.Fatal(err)
			}
			got := runOf(t, bare)
			c, w := got.agg.Counts, want.agg.Counts
			w.APICalls += w.Duplicates
			w.Duplicates = 0
			if form == parquetforms.OCSF1 {
				// Without eventType, sign-ins and service events read as API
				// calls; compare what does not depend on it.
				c.NonAPI, w.NonAPI, c.APICalls, w.APICalls, c.Unmapped, w.Unmapped, c.Permissionless, w.Permissionless = 0, 0, 0, 0, 0, 0, 0, 0
			}
			if c != w {
				t.Errorf("counts %+v, want %+v", c, w)
			}
			for _, f := range got.agg.Facts {
				for _, o := range f.Origins {
					if o.TLS {
						t.Fatalf("an origin over TLS, which no record can say without unmapped")
					}
				}
			}
			for _, p := range tablePrincipals {
				if form == parquetforms.OCSF2 {
					if g, w := suggested(t, got.agg, p), suggested(t, want.agg, p); g != w {
						t.Errorf("%s: policy\n%s\nwant\n%s", p, g, w)
					}
					continue
				}
				if g, w := actionsOf(got.agg, p), actionsOf(want.agg, p, analyze.PassRoleAction); g != w {
					t.Errorf("%s: actions\n%s\nwant\n%s", p, g, w)
				}
			}
		})
	}
}

// actionsOf lists the actions of a principal's facts, allowed or
// denied, but those left out.
func actionsOf(agg *analyze.Aggregate, principal string, leftOut ...string) string {
	seen := map[string]bool{}
	for _, f := range agg.FactsOf(principal) {
		if !slices.Contains(leftOut, f.Action) {
			seen[fmt.Sprintf("%s denied=%t", f.Action, f.Denied())] = true
		}
	}
	var out []string
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// aggDiff says how two aggregates differ: their counts, and the facts
// only one has or that differ, a few of each.
func aggDiff(got, want *analyze.Aggregate) string {
	var b strings.Builder
	if got.Counts != want.Counts {
		fmt.Fprintf(&b, "counts %+v\n  want %+v\n", got.Counts, want.Counts)
	}
	n := 0
	for k, s := range got.Facts {
		w, ok := want.Facts[k]
		switch {
		case n >= 10:
		case !ok:
			fmt.Fprintf(&b, "only in the table: %+v\n", k)
			n++
		case fmt.Sprint(*s) != fmt.Sprint(*w):
			fmt.Fprintf(&b, "%+v: %+v\n  want %+v\n", k, *s, *w)
			n++
		}
	}
	for k := range want.Facts {
		if _, ok := got.Facts[k]; !ok && n < 20 {
			fmt.Fprintf(&b, "only in the JSON: %+v\n", k)
			n++
		}
	}
	return b.String()
}

// TestBadParquetTables: a Parquet file that is neither a partial nor a
// CloudTrail table, or a damaged one, is counted and named like a bad log
// file, and the run reads the rest; with --strict it stops the run.
func TestBadParquetTables(t *testing.T) {
	dir := t.TempDir()
	events, err := parquetforms.Events(fixtures.Demo())
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := parquetforms.Write(&good, parquetforms.OCSF2, events[:100]); err != nil {
		t.Fatal(err)
	}
	var empty bytes.Buffer
	if err := parquetforms.Write(&empty, parquetforms.Athena, nil); err != nil {
		t.Fatal(err)
	}
	type other struct {
		EventName string `parquet:"event_name"`
		Count     int64  `parquet:"count"`
	}
	type wrongType struct {
		EventSource string `parquet:"eventsource"`
		EventName   int64  `parquet:"eventname"`
		EventTime   string `parquet:"eventtime"`
		UserType    string `parquet:"useridentity_type"`
	}
	files := map[string]struct {
		data []byte
		want string
	}{
		"good.parquet":       {good.Bytes(), ""},
		"truncated.parquet":  {good.Bytes()[:good.Len()/2], "corrupt or truncated Parquet file"},
		"other.parquet":      {rowsOf(t, []other{{"GetObject", 1}}), "a Parquet file that is neither a tailor partial (no tailor.partial.version metadata) nor a CloudTrail table tailor reads: no Security Lake OCSF columns"},
		"wrong-type.parquet": {rowsOf(t, []wrongType{{"s3.amazonaws.com", 1, "2026-11-01T00:00:00Z", "IAMUser"}}), "Athena CloudTrail table: column eventname is INT64; the form has a string there"},
		"empty.parquet":      {empty.Bytes(), "Athena CloudTrail table with no rows"},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), Config{Sources: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Files != 1 || res.Aggregate.Counts.Records != 100 {
		t.Errorf("%d files read, %d records; want the good file's 100", res.Report.Files, res.Aggregate.Counts.Records)
	}
	failed := map[string]string{}
	for _, p := range res.Report.Failed {
		failed[filepath.Base(p.Name)] = p.Err.Error()
	}
	for name, f := range files {
		switch got, ok := failed[name]; {
		case f.want == "" && ok:
			t.Errorf("%s failed: %s", name, got)
		case f.want != "" && !strings.Contains(got, f.want):
			t.Errorf("%s: error %q, want %q", name, got, f.want)
		}
	}
	_, err = Run(context.Background(), Config{Sources: []string{dir}, Strict: true})
	var se *StrictError
	if !errors.As(err, &se) || !strings.HasSuffix(se.Problem.Name, ".parquet") || se.Problem.Name == filepath.Join(dir, "good.parquet") {
		t.Errorf("--strict: error %v, want the first bad file", err)
	}
}

func rowsOf[T any](t *testing.T, rows []T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParquetUnload: Athena's UNLOAD names its files without an extension
// (QUERYID_UUID): a folder of them, beside a file of text, is read by
// content and gives what the JSON trail gives.
func TestParquetUnload(t *testing.T) {
	files, err := parquetforms.WriteDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	body, err := os.ReadFile(files[parquetforms.Athena])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "20261101_093000_00012_abcde_5f1d9c1e-4a7b-4c2e-9f00-0a1b2c3d4e5f"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest"), []byte("s3://results/unload/20261101_093000_00012_abcde_5f1d9c1e\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := runOf(t)
	got := runOf(t, dir)
	if got.rep.Files != 1 || len(got.rep.Failed) != 0 || got.rep.Skipped[SkipNotLog] != 1 {
		t.Fatalf("report %+v, want one file read and the manifest skipped", got.rep)
	}
	if !bytes.Equal(got.partial, want.partial) {
		t.Errorf("the partial aggregate differs from the JSON trail's:\n%s", aggDiff(got.agg, want.agg))
	}
}
