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
func readJSON(out []byte) ([]*Policy, error) {
	raws := []json.RawMessage{out}
	if len(out) > 0 && out[0] == '[' {
		raws = nil
		if err := json.Unmarshal(out, &raws); err != nil {
			return nil, err
		}
	}
	docs := make([]*Policy, 0, len(raws))
	for i, raw := range raws {
		d, err := policy.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		p, err := fromDocument(d)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		docs = append(docs, p)
	}
	return docs, nil
}

// fromDocument turns a parsed document into the synth model, refusing
// the elements tailor never writes.
func fromDocument(d *policy.Document) (*Policy, error) {
	if d.ID != "" {
		return nil, fmt.Errorf("unexpected Id")
	}
	p := &Policy{Version: d.Version}
	for i, s := range d.Statement {
		if s.NotPrincipal != nil || s.NotAction != nil || s.NotResource != nil || (s.Principal != nil && s.Principal.Wildcard) {
			return nil, fmt.Errorf("statement %d: an element tailor never writes", i+1)
		}
		st := Statement{Sid: s.Sid, Effect: s.Effect, Action: s.Action, Resource: s.Resource, Condition: s.Condition}
		if s.Principal != nil {
			st.Principal = s.Principal.IDs
		}
		p.Statement = append(p.Statement, st)
	}
	return p, nil
}

// checkReadBack compares the documents read back from a format's output
// with the ones rendered.
func checkReadBack(format string, want, got []*Policy) error {
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
// returns "". A nil list or map equals an empty one: no format tells
// them apart.
func policyDiff(want, got *Policy) string {
	if want.Version != got.Version {
		return fmt.Sprintf("Version %s, want %s", shown(got.Version), shown(want.Version))
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
		case !maps.EqualFunc(w.Principal, g.Principal, slices.Equal):
			elem = "Principal"
		case !slices.Equal(w.Action, g.Action):
			elem = "Action"
		case !slices.Equal(w.Resource, g.Resource):
			elem = "Resource"
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
