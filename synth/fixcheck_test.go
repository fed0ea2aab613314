package synth_test

import (
	"context"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
	"github.com/tailor-iam/tailor/verify"
)

// TestFixesAllowTheirDenial is the property over the denial fixtures: each
// statement a fix asks to add, rendered and parsed back, allows the request
// that was denied, under every context the trail saw it in. For a resource,
// trust or endpoint policy the statement must name the caller.
func TestFixesAllowTheirDenial(t *testing.T) {
	cat := catalog.Embedded()
	sources := map[string]func(t *testing.T) []string{
		"demo":    func(*testing.T) []string { return nil },
		"denials": func(t *testing.T) []string { return []string{testenv.ModuleRoot(t) + "/fixtures/denials"} },
		"corpus":  func(t *testing.T) []string { return []string{testenv.Shared(t, "corpus")} },
	}
	for name, source := range sources {
		t.Run(name, func(t *testing.T) {
			src := source(t)
			res, err := pipeline.Run(context.Background(), pipeline.Config{Sources: src, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, p := range res.Aggregate.SortedPrincipals() {
				for _, d := range synth.Denied(cat, res.Aggregate, p.ARN) {
					for what, pol := range map[string]*policy.Document{"identity": d.Fix.Identity, "boundary": d.Fix.Boundary} {
						if pol == nil {
							continue
						}
						doc := parsed(t, pol)
						for _, req := range verify.Requests(d.Caller, d.Fact) {
							if dec := doc.Evaluate(req); !dec.Allowed() {
								t.Errorf("%s: %s fix for %s on %s (%s) does not allow it: %s", p.ARN, what, d.Action, d.Resource, d.Denial.Reason, dec.Reason)
								break
							}
						}
						checked++
					}
					if pol := d.Fix.ResourcePolicy; pol != nil && d.Fix.Kind != synth.FixSessionPolicy {
						doc := parsed(t, pol)
						if !namesPrincipal(doc) {
							t.Errorf("%s: %s fix for %s names no caller: %+v", p.ARN, d.Fix.Kind, d.Action, doc.Statement)
						}
						if d.Fix.Kind == synth.FixResourcePolicyStatement || d.Fix.Kind == synth.FixVPCEndpointPolicy {
							// Its action and resource cover the request (the
							// evaluator leaves the Principal to the caller).
							for _, req := range verify.Requests(d.Caller, d.Fact) {
								if dec := doc.Evaluate(req); !dec.Allowed() {
									t.Errorf("%s: %s fix for %s on %s does not cover it: %s", p.ARN, d.Fix.Kind, d.Action, d.Resource, dec.Reason)
									break
								}
							}
						}
						checked++
					}
				}
			}
			if checked == 0 && name != "corpus" {
				t.Fatal("no fix checked")
			}
			t.Logf("%d fix documents checked", checked)
		})
	}
}

func parsed(t *testing.T, p *policy.Document) *policy.Document {
	t.Helper()
	raw, err := synth.RenderJSON([]*policy.Document{p})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := policy.Parse(raw)
	if err != nil {
		t.Fatalf("fix does not parse: %v\n%s", err, raw)
	}
	return doc
}

// namesPrincipal reports whether every statement names a principal.
func namesPrincipal(doc *policy.Document) bool {
	for _, st := range doc.Statement {
		if st.Principal == nil {
			return false
		}
	}
	return true
}
