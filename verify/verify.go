// Package verify replays a principal's observed requests against policies:
// which requests the policy layers would deny (verify), and what a policy
// grants beyond what was used (diff). It does no I/O.
package verify

import (
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/policy"
)

// Layers are the policies that decide a principal's requests. Identity
// must allow; every other layer given must allow too (an SCP, a boundary
// and a session policy only limit); an explicit Deny in any layer denies.
type Layers struct {
	Identity []*policy.Document
	Boundary *policy.Document
	SCPs     []*policy.Document // each must allow: one per level of the organization
	Session  *policy.Document
}

// Layer names, as results report them.
const (
	LayerIdentity = "identity"
	LayerBoundary = "permissions-boundary"
	LayerSCP      = "scp"
	LayerSession  = "session-policy"
)

// Result is one observed fact and what the layers decide for it.
type Result struct {
	analyze.Fact
	Allowed bool
	Layer   string // the layer that denied it; "" when allowed
	Reason  string // the deciding layer's explanation
}

// Request turns a fact into the request the evaluator decides: the action,
// the resource, and the context keys the trail implies.
func Request(principal string, f analyze.Fact) policy.Request {
	ctx := map[string][]string{"aws:PrincipalArn": {principal}}
	if f.PassedTo != "" {
		ctx["iam:PassedToService"] = []string{f.PassedTo}
	}
	if parts := strings.SplitN(f.Resource, ":", 6); len(parts) == 6 && parts[3] != "" && !strings.ContainsAny(parts[3], "*?") {
		ctx["aws:RequestedRegion"] = []string{parts[3]}
	}
	return policy.Request{Action: f.Action, Resource: f.Resource, Context: ctx}
}

// Decide runs one request through the layers.
func (l Layers) Decide(req policy.Request) (bool, string, string) {
	id := policy.Evaluate(l.Identity, req)
	type layer struct {
		name string
		d    policy.Decision
	}
	var limits []layer
	if l.Boundary != nil {
		limits = append(limits, layer{LayerBoundary, l.Boundary.Evaluate(req)})
	}
	for _, scp := range l.SCPs {
		limits = append(limits, layer{LayerSCP, scp.Evaluate(req)})
	}
	if l.Session != nil {
		limits = append(limits, layer{LayerSession, l.Session.Evaluate(req)})
	}
	// An explicit Deny anywhere decides first.
	if id.Effect == policy.ExplicitDeny {
		return false, LayerIdentity, id.Reason
	}
	for _, x := range limits {
		if x.d.Effect == policy.ExplicitDeny {
			return false, x.name, x.d.Reason
		}
	}
	if !id.Allowed() {
		return false, LayerIdentity, id.Reason
	}
	for _, x := range limits {
		if !x.d.Allowed() {
			return false, x.name, x.d.Reason
		}
	}
	return true, "", id.Reason
}

// Replay decides every fact of a principal: the used ones, and the denied
// ones (whose result says whether the layers would now allow them).
func Replay(principal string, facts []analyze.Fact, l Layers) []Result {
	out := make([]Result, 0, len(facts))
	for _, f := range facts {
		if f.Via != "" {
			continue // an inferred PassRole of a denied call: never requested
		}
		ok, layer, reason := l.Decide(Request(principal, f))
		out = append(out, Result{Fact: f, Allowed: ok, Layer: layer, Reason: reason})
	}
	return out
}
