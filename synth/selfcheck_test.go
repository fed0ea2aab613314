package synth_test

import (
	"context"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
	"github.com/tailor-iam/tailor/verify"
)

// TestSuggestAllowsWhatWasObserved is the verify-style self-check: for every
// principal of the fixtures and the shared corpus, the suggested policy,
// rendered and parsed back, allows every observed request (every used fact)
// and every identity-policy denial, as tailor's own evaluator decides; and
// it grants no denial that an SCP, RCP, boundary or explicit deny caused,
// unless the same request was also made successfully.
func TestSuggestAllowsWhatWasObserved(t *testing.T) {
	sources := map[string][]string{
		"demo":    nil, // the bundled demo trail
		"denials": {testenv.ModuleRoot(t) + "/fixtures/denials"},
	}
	if dir := testenv.Shared(t, "corpus"); dir != "" {
		sources["corpus"] = []string{dir}
	}
	cat := catalog.Embedded()
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			res, err := pipeline.Run(context.Background(), pipeline.Config{Sources: src, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, p := range res.Aggregate.SortedPrincipals() {
				facts := res.Aggregate.FactsOf(p.ARN)
				sg := synth.Suggest(cat, facts, synth.Options{IncludeDenied: true})
				if sg.Policy == nil {
					continue
				}
				raw, err := synth.RenderJSON([]*policy.Document{sg.Policy})
				if err != nil {
					t.Fatalf("%s: %v", p.ARN, err)
				}
				doc, err := policy.Parse(raw)
				if err != nil {
					t.Fatalf("%s: the suggested policy does not parse: %v\n%s", p.ARN, err, raw)
				}
				if err := doc.Validate(); err != nil {
					t.Errorf("%s: the suggested policy has problems: %v", p.ARN, err)
				}
				grantable := func(f analyze.Fact) bool {
					return !f.Denied() || f.Denial.Reason == analyze.ReasonIdentityPolicy || f.Denial.Reason == analyze.ReasonUnknown
				}
				// A request made successfully, or denied for want of an
				// identity Allow, is granted even if another policy also
				// denied it once.
				needed := map[[3]string]bool{}
				for _, f := range facts {
					if grantable(f) {
						needed[[3]string{f.Action, f.Resource, f.PassedTo}] = true
					}
				}
				for _, f := range facts {
					d := evaluateAll(doc, p.Principal, f)
					switch {
					case grantable(f) && !d.Allowed():
						t.Errorf("%s: %s on %s (denial %q) is not allowed: %s", p.ARN, f.Action, f.Resource, f.Denial.Reason, d.Reason)
					case !grantable(f) && d.Allowed() && !needed[[3]string{f.Action, f.Resource, f.PassedTo}]:
						t.Errorf("%s: %s on %s, denied by %s, is granted: %s", p.ARN, f.Action, f.Resource, f.Denial.Reason, d.Reason)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no facts checked")
			}
			t.Logf("%d facts checked against the suggested policies", checked)
		})
	}
}

// evaluateAll replays each of a fact's requests (one per origin and time
// it was seen with): the decision is the first denial, else an allow.
func evaluateAll(doc *policy.Document, p analyze.Principal, f analyze.Fact) policy.Decision {
	var d policy.Decision
	for _, req := range verify.Requests(p, f) {
		if d = doc.Evaluate(req); !d.Allowed() {
			return d
		}
	}
	return d
}
