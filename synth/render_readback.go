// Reading rendered output back. No renderer's output is returned before it
// has been parsed again, by the parser of its format, and found to hold
// exactly the documents it was given: an escape a renderer forgot shows
// up here as an error, never as a policy someone deploys.

package synth

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/tailor-iam/tailor/policy"
)

// readJSON parses RenderJSON's output with the policy package: one
// document, or an array of them.
func readJSON(out []byte) ([]*policy.Document, error) {
	raws := []json.RawMessage{out}
	if len(out) > 0 && out[0] == '[' {
		raws = nil
		if err := json.Unmarshal(out, &raws); err != nil {
			return nil, err
		}
	}
	docs := make([]*policy.Document, 0, len(raws))
	for i, raw := range raws {
		d, err := policy.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// checkReadBack compares the documents read back from a format's output
// with the ones rendered.
func checkReadBack(format string, want, got []*policy.Document) error {
	if len(got) != len(want) {
		return fmt.Errorf("render %s: the output reads back as %d documents, not %d", format, len(got), len(want))
	}
	for i := range want {
		if diff := policyDiff(want[i], got[i]); diff != "" {
			return fmt.Errorf("render %s: document %d does not read back as the policy: %s", format, i+1, diff)
		}
	}
	return nil
}

// policyDiff names the first element where got differs from want, or
// returns "". A nil Action, Resource or Condition equals an empty one: no
// format tells them apart. The elements tailor never writes (Id,
// NotPrincipal, NotAction, NotResource) must be absent from both or equal,
// and a Principal present in both or neither.
func policyDiff(want, got *policy.Document) string {
	if want.Version != got.Version {
		return fmt.Sprintf("Version %s, want %s", shown(got.Version), shown(want.Version))
	}
	if want.ID != got.ID {
		return fmt.Sprintf("Id %s, want %s", shown(got.ID), shown(want.ID))
	}
	if len(want.Statement) != len(got.Statement) {
		return fmt.Sprintf("%d statements, want %d", len(got.Statement), len(want.Statement))
	}
	for i, w := range want.Statement {
		g := got.Statement[i]
		var elem string
		switch {
		case w.Sid != g.Sid:
			elem = "Sid"
		case w.Effect != g.Effect:
			elem = "Effect"
		case !samePrincipal(w.Principal, g.Principal):
			elem = "Principal"
		case !samePrincipal(w.NotPrincipal, g.NotPrincipal):
			elem = "NotPrincipal"
		case !slices.Equal(w.Action, g.Action):
			elem = "Action"
		case (w.NotAction == nil) != (g.NotAction == nil) || !slices.Equal(w.NotAction, g.NotAction):
			elem = "NotAction"
		case !slices.Equal(w.Resource, g.Resource):
			elem = "Resource"
		case (w.NotResource == nil) != (g.NotResource == nil) || !slices.Equal(w.NotResource, g.NotResource):
			elem = "NotResource"
		case !maps.EqualFunc(w.Condition, g.Condition, func(a, b map[string][]string) bool {
			return maps.EqualFunc(a, b, slices.Equal)
		}):
			elem = "Condition"
		default:
			continue
		}
		return fmt.Sprintf("statement %d (%s): %s differs", i+1, w.Sid, elem)
	}
	return ""
}

// samePrincipal reports whether two Principal (or NotPrincipal) elements
// are both absent, or name the same principals.
func samePrincipal(a, b *policy.Principal) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Wildcard == b.Wildcard && maps.EqualFunc(a.IDs, b.IDs, slices.Equal)
}
