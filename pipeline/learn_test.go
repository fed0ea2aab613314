package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/policy"
)

// TestLearnOnlyPerRun learns from the shared corpus, the demo trail and the
// denials fixture: every generalization comes with its evidence, and none
// covers a set of names the trail shows as stable: one where most names are
// used across most of the days their principal was active (three at least).
func TestLearnOnlyPerRun(t *testing.T) {
	root := testenv.ModuleRoot(t)
	trails := map[string][]string{
		"demo":    nil,
		"denials": {filepath.Join(root, "fixtures", "denials")},
		"corpus":  {testenv.Shared(t, "corpus")},
	}
	cat := catalog.Embedded()
	for name, sources := range trails {
		t.Run(name, func(t *testing.T) {
			res, err := Run(context.Background(), Config{Sources: sources})
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			agg := res.Aggregate
			total := 0
			for arn, info := range agg.Principals {
				facts := agg.FactsOf(arn)
				_, gens := learn.Generalize(cat, facts)
				activeDays := days(info.First, info.Last)
				for _, g := range gens {
					total++
					if !strings.HasPrefix(g.Evidence, g.Action+": ") || !strings.HasSuffix(g.Evidence, "→ "+g.Pattern) || g.Names < 2 || len(g.NewPerDay) < 2 {
						t.Errorf("%s: generalization without its evidence: %+v", arn, g)
					}
					covered, longLived := 0, 0
					for _, f := range facts {
						if f.Action != g.Action || f.Denied() || !policy.MatchResource(g.Pattern, policy.Unescape(f.Resource)) {
							continue
						}
						covered++
						if used := days(f.First, f.Last); used >= 3 && used*2 > activeDays {
							longLived++
						}
					}
					if covered < 2 || longLived*2 > covered {
						t.Errorf("%s: %s widened to %s covers %d names, %d of them used across most days: a stable set", arn, g.Action, g.Pattern, covered, longLived)
					}
					t.Logf("%s: %s", arn, g.Evidence)
				}
			}
			t.Logf("%d principals, %d generalizations", len(agg.Principals), total)
		})
	}
}

// days counts the UTC days from first to last, both included.
func days(first, last int64) int {
	if first == 0 || last < first {
		return 0
	}
	return int(last/86400-first/86400) + 1
}
