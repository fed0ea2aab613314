package pipeline

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/policy"
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
		if _, err := synth.RenderJSON([]*policy.Document{sg.Policy}); err != nil {
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
	scoping(t, cat, agg)
}

// scopingFloor is the least share of scopable used facts that must name a
// concrete ARN over the corpus, a little below what tailor reaches (98.1%);
// serviceFloor holds each service with at least 5 such facts, but those
// whose records cannot tell the ARN: IAM names users and roles without
// their path, and AWS Config's Describe calls without names list all.
const (
	scopingFloor = 0.97
	serviceFloor = 0.90
)

var scopingExempt = map[string]bool{"iam": true, "config": true}

// scoping reports, per service and overall, how many used facts of actions
// the catalog lets scope to a resource name a concrete ARN rather than
// "*", lists those left at "*", and holds the floors. A fact is one
// principal, action and resource, as the aggregate keeps it; iam:PassRole
// facts, inferred rather than logged, are left out.
func scoping(t *testing.T, cat *catalog.Catalog, agg *analyze.Aggregate) {
	type tally struct{ scoped, total int }
	per := map[string]*tally{}
	var all tally
	var wild []string
	for k := range agg.Facts {
		if k.Denied() || k.Action == analyze.PassRoleAction {
			continue
		}
		a, ok := cat.Action(k.Action)
		if !ok || len(cat.ResourceTypes(a)) == 0 {
			continue
		}
		tl := per[a.Service]
		if tl == nil {
			tl = &tally{}
			per[a.Service] = tl
		}
		tl.total++
		all.total++
		if k.Resource != analyze.Wildcard {
			tl.scoped++
			all.scoped++
		} else {
			wild = append(wild, k.Action)
		}
	}
	services := slices.Sorted(maps.Keys(per))
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-22s %7s %7s %7s\n", "service", "scoped", "facts", "share")
	for _, s := range services {
		tl := per[s]
		share := float64(tl.scoped) / float64(tl.total)
		fmt.Fprintf(&b, "%-22s %7d %7d %6.1f%%\n", s, tl.scoped, tl.total, 100*share)
		if tl.total >= 5 && share < serviceFloor && !scopingExempt[s] {
			t.Errorf("%s: only %d of %d scopable used facts name an ARN", s, tl.scoped, tl.total)
		}
	}
	share := float64(all.scoped) / float64(max(all.total, 1))
	fmt.Fprintf(&b, "%-22s %7d %7d %6.1f%%\n", "overall", all.scoped, all.total, 100*share)
	slices.Sort(wild)
	fmt.Fprintf(&b, "left at \"*\" (%d): %s\n", len(wild), strings.Join(wild, " "))
	t.Logf("resource scoping of used facts:%s", b.String())
	if share < scopingFloor {
		t.Errorf("only %.1f%% of scopable used facts name an ARN; the floor is %.1f%%", 100*share, 100*scopingFloor)
	}
}
