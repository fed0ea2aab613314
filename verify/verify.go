// Package verify replays a principal's observed requests against policies:
// which requests the policy layers would deny (verify), and what a policy
// grants beyond what was used (diff). It does no I/O.
package verify

import (
	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/policy"
)

// Layers are the policies that decide a principal's requests. Identity
// must allow; every other layer given must allow too (an SCP, an RCP, a
// boundary and a session policy only limit); an explicit Deny in any layer
// denies. An SCP or RCP without Allow statements is a deny list: only its
// denies count.
type Layers struct {
	Identity []*policy.Document
	Boundary *policy.Document
	SCPs     []*policy.Document // each must allow: one per level of the organization
	RCPs     []*policy.Document // each must allow, as SCPs on the resource side
	Session  *policy.Document
}

// Layer names, as results report them.
const (
	LayerIdentity = "identity"
	LayerBoundary = "permissions-boundary"
	LayerSCP      = "scp"
	LayerRCP      = "rcp"
	LayerSession  = "session-policy"
)

// Result is one observed fact and what the layers decide for it.
type Result struct {
	analyze.Fact
	Allowed bool
	// Undetermined marks a denial that may not be one: the fact's resource
	// is a pattern ("*" when the event did not reveal the ARN, or a folded
	// parent/*), which an ARN-scoped statement cannot be matched against.
	Undetermined bool
	Layer        string // the layer that denied it; "" when allowed
	Reason       string // the deciding layer's explanation
}

// denyOnly evaluates an organization policy. One without any Allow
// statement is a deny list, written to sit beside FullAWSAccess (for RCPs,
// RCPFullAWSAccess, which AWS always attaches): only its explicit denies
// count. One with Allow statements is an allow list and must allow.
func denyOnly(doc *policy.Document, req policy.Request) policy.Decision {
	d := doc.Evaluate(req)
	if d.Effect != policy.ImplicitDeny {
		return d
	}
	for _, st := range doc.Statement {
		if st.Effect == policy.EffectAllow {
			return d
		}
	}
	return policy.Decision{Effect: policy.Allow, Reason: "no statement of the deny list matches"}
}

// Request turns a fact into the request the evaluator decides: the action,
// the resource, and the context keys the trail implies.
func Request(principal string, f analyze.Fact) policy.Request {
	ctx := map[string][]string{"aws:PrincipalArn": {principal}}
	if f.PassedTo != "" {
		ctx["iam:PassedToService"] = []string{f.PassedTo}
	}
	if f.Region != "" {
		ctx["aws:RequestedRegion"] = []string{f.Region}
	}
	return policy.Request{Action: f.Action, Resource: policy.Unescape(f.Resource), Context: ctx}
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
		limits = append(limits, layer{LayerSCP, denyOnly(scp, req)})
	}
	for _, rcp := range l.RCPs {
		limits = append(limits, layer{LayerRCP, denyOnly(rcp, req)})
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
		ok, layer, reason := l.Decide(Request(principal, f))
		out = append(out, Result{Fact: f, Allowed: ok, Undetermined: !ok && policy.HasWildcard(f.Resource), Layer: layer, Reason: reason})
	}
	return out
}
