package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/synth"
)

// TestCorpus reads every real CloudTrail file in ../shared/corpus: every
// counted file must parse in full, and no action missing from the catalog
// may reach a fact or a suggested policy.
func TestCorpus(t *testing.T) {
	dir := testenv.Shared(t, "corpus")
	// variants/ and envelopes/ hold other delivery formats (their own issue);
	// every other .json and .json.gz file is a delivery file.
	var sources []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "variants" || d.Name() == "envelopes") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".json.gz")) {
			sources = append(sources, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 50 {
		t.Fatalf("found only %d corpus files", len(sources))
	}
	res, err := Run(context.Background(), Config{Sources: sources, Strict: true})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	rep := res.Report
	if len(rep.Failed) > 0 || rep.Malformed > 0 {
		t.Fatalf("corpus did not parse in full: failed %v, malformed records %d", rep.Failed, rep.Malformed)
	}
	if rep.Files != len(sources) {
		t.Errorf("read %d files of %d (skipped %v)", rep.Files, len(sources), rep.Skipped)
	}
	agg := res.Aggregate
	if agg.Counts.Records < 1000 {
		t.Errorf("only %d records decoded", agg.Counts.Records)
	}
	cat := catalog.Embedded()
	for k := range agg.Facts {
		if !cat.Exists(k.Action) {
			t.Errorf("fact with an action missing from the catalog: %s", k.Action)
		}
	}
	policies := 0
	for arn := range agg.Principals {
		sg := synth.Suggest(cat, agg.FactsOf(arn), synth.Options{IncludeDenied: true})
		if sg.Policy == nil {
			continue
		}
		policies++
		if _, err := synth.Render(sg.Policy); err != nil {
			t.Errorf("%s: %v", arn, err)
		}
		for _, st := range sg.Policy.Statement {
			for _, a := range st.Action {
				if !cat.Exists(a) {
					t.Errorf("%s: policy grants %s, which is not in the catalog", arn, a)
				}
			}
		}
	}
	t.Logf("%d files, %d records, %d principals, %d policies, %d facts, %d unmapped calls",
		rep.Files, agg.Counts.Records, len(agg.Principals), policies, len(agg.Facts), agg.Counts.Unmapped)
}
