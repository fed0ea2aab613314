package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/export"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// exportOf runs over sources as tailor export does and returns the file.
func exportOf(t *testing.T, sources ...string) []byte {
	t.Helper()
	col := export.NewCollector(export.Options{Dir: t.TempDir()})
	defer col.Close()
	res, err := Run(context.Background(), Config{Sources: sources, MaxResources: -1, Observe: col.Worker})
	if err != nil {
		t.Fatal(err)
	}
	agg := res.Aggregate
	var b bytes.Buffer
	h := export.Header{Tailor: "test", Learned: export.Learned{Links: agg.Links, ProfileRoles: agg.ProfileRoles}}
	if _, err := col.Write(&b, h, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestExportSource: a run over a trail's export gives the facts the
// trail gives, resolved links and instance profiles' roles included, and
// so every principal's policy; a run that emits a partial (each
// cross-account call kept apart) too.
func TestExportSource(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"demo", func(t *testing.T) string { return filepath.Join(testenv.ModuleRoot(t), "fixtures", "demo") }},
		{"corpus", func(t *testing.T) string { return testenv.Shared(t, "corpus") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			file := filepath.Join(t.TempDir(), "events.parquet")
			if err := os.WriteFile(file, exportOf(t, dir), 0o644); err != nil {
				t.Fatal(err)
			}
			want := runOf(t, dir)
			got := runOf(t, file)
			if len(got.rep.Failed) != 0 || got.rep.Files != 1 {
				t.Fatalf("report %+v", got.rep)
			}
			if !reflect.DeepEqual(got.agg.Facts, want.agg.Facts) {
				t.Errorf("%d facts from the export, %d from the trail\n%s", len(got.agg.Facts), len(want.agg.Facts), aggDiff(got.agg, want.agg))
			}
			if !reflect.DeepEqual(got.agg.ProfileRoles, want.agg.ProfileRoles) || !reflect.DeepEqual(got.agg.Links, want.agg.Links) {
				t.Error("links or instance profiles' roles differ")
			}
			n := 0
			for arn := range want.agg.Principals {
				if len(want.agg.FactsOf(arn)) == 0 {
					if got.agg.Principals[arn] != nil {
						t.Errorf("%s: no facts in the trail, yet in the export", arn)
					}
					continue
				}
				if g, w := policyOf(t, got.agg, arn), policyOf(t, want.agg, arn); g != w {
					t.Errorf("%s: policy from the export differs:\n%s\nfrom the trail:\n%s", arn, g, w)
				}
				n++
			}
			if n == 0 {
				t.Error("no principal compared")
			}
		})
	}
}

// TestBadExports: a damaged export, one of a version this tailor does
// not know, and one with a column of another type are per-file errors
// that name the file and say why; the good files beside them are read.
func TestBadExports(t *testing.T) {
	demo := filepath.Join(testenv.ModuleRoot(t), "fixtures", "demo")
	good := exportOf(t, demo)
	dir := t.TempDir()
	newer := bytes.Replace(good, []byte(`tailor.export.version`+"\x18\x01"+`2`), []byte(`tailor.export.version`+"\x18\x01"+`9`), 1)
	files := map[string]struct {
		data []byte
		want string
	}{
		"good.parquet":      {good, ""},
		"truncated.parquet": {good[:len(good)/2], "corrupt or truncated Parquet file"},
		"newer.parquet":     {newer, "tailor export version 9; this tailor reads versions 1 to 2"},
	}
	if bytes.Equal(newer, good) {
		t.Fatal("the version key was not found in the file's footer")
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
	if res.Report.Files != 1 || res.Aggregate.Counts.APICalls == 0 {
		t.Errorf("%d files read, %d calls; want the good file's", res.Report.Files, res.Aggregate.Counts.APICalls)
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
}

// policyOf is suggested's policy, or "" for a principal with none (only
// denied calls).
func policyOf(t *testing.T, agg *analyze.Aggregate, principal string) string {
	t.Helper()
	cat := catalog.Embedded()
	facts, _ := learn.Generalize(cat, agg.FactsOf(principal))
	sg := synth.Suggest(cat, facts, synth.Options{ProfileRoles: agg.RolesOfProfile})
	if sg.Policy == nil {
		return ""
	}
	out, err := synth.RenderJSON([]*policy.Document{sg.Policy})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
