// Package verify replays a principal's observed requests against policies:
// which requests the policy layers would deny (verify), and what a policy
// grants beyond what was used (diff). It does no I/O.
package verify

import (
	"strconv"
	"time"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
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
	// parent/*), and an Allow statement scoped to ARNs would allow the
	// request if the real ARN matched it. An explicit deny, or an action
	// that takes no resource, is always determined.
	Undetermined bool
	Layer        string // the layer that denied it; "" when allowed
	Reason       string // the deciding layer's explanation
	// Origin and Time are the context of the first request denied; Mixed
	// is set when others of the fact's requests were allowed, so the
	// decision turned on that context (a source address, a time).
	Origin analyze.Origin
	Time   int64
	Mixed  bool
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

// principalTypes are aws:PrincipalType's values by principal kind.
var principalTypes = map[string]string{
	analyze.KindRole:      "AssumedRole",
	analyze.KindUser:      "User",
	analyze.KindRoot:      "Account",
	analyze.KindFederated: "FederatedUser",
}

// calledVia are the services AWS reports in aws:CalledVia when they call
// another service with the principal's credentials.
var calledVia = map[string]bool{
	"athena.amazonaws.com":         true,
	"cloudformation.amazonaws.com": true,
	"dynamodb.amazonaws.com":       true,
	"kms.amazonaws.com":            true,
}

// Requests turns a fact into the requests the evaluator decides, with the
// context keys the trail gives: one per origin the fact was seen from
// (aws:SourceIp, aws:SourceVpce, aws:ViaAWSService), at its first and last
// time (aws:CurrentTime). A condition on any of them can deny one of the
// fact's requests and not another.
func Requests(p analyze.Principal, f analyze.Fact) []policy.Request {
	base := map[string][]string{"aws:PrincipalArn": {p.ARN}}
	if p.Account != "" {
		base["aws:PrincipalAccount"] = []string{p.Account}
	}
	if t := principalTypes[p.Kind]; t != "" {
		base["aws:PrincipalType"] = []string{t}
	}
	if p.Kind == analyze.KindUser {
		base["aws:username"] = []string{p.Name()}
		if p.ID != "" {
			base["aws:userid"] = []string{p.ID}
		}
	}
	if f.PassedTo != "" {
		base["iam:PassedToService"] = []string{f.PassedTo}
	}
	if f.Region != "" {
		base["aws:RequestedRegion"] = []string{f.Region}
	}
	origins := f.Origins
	if len(origins) == 0 {
		origins = []analyze.Origin{{}}
	}
	times := []int64{f.Last}
	if f.First != f.Last {
		times = append(times, f.First)
	}
	resource := policy.Unescape(f.Resource)
	var out []policy.Request
	for _, o := range origins {
		for _, t := range times {
			ctx := make(map[string][]string, len(base)+6)
			for k, v := range base {
				ctx[k] = v
			}
			switch {
			case o.IP != "" && o.VPCE != "":
				ctx["aws:VpcSourceIp"] = []string{o.IP}
			case o.IP != "":
				ctx["aws:SourceIp"] = []string{o.IP}
			}
			if o.VPCE != "" {
				ctx["aws:SourceVpce"] = []string{o.VPCE}
			}
			ctx["aws:ViaAWSService"] = []string{strconv.FormatBool(o.Service != "")}
			if calledVia[o.Service] {
				ctx["aws:CalledVia"] = []string{o.Service}
				ctx["aws:CalledViaFirst"] = []string{o.Service}
				ctx["aws:CalledViaLast"] = []string{o.Service}
			}
			if t != 0 {
				ctx["aws:CurrentTime"] = []string{time.Unix(t, 0).UTC().Format(time.RFC3339)}
				ctx["aws:EpochTime"] = []string{strconv.FormatInt(t, 10)}
			}
			out = append(out, policy.Request{Action: f.Action, Resource: resource, Context: ctx})
		}
	}
	return out
}

// requestContext gives the origin and time of Requests' i-th request.
func requestContext(f analyze.Fact, i int) (analyze.Origin, int64) {
	n := 1
	if f.First != f.Last {
		n = 2
	}
	var o analyze.Origin
	if len(f.Origins) > 0 {
		o = f.Origins[i/n]
	}
	if i%n == 0 {
		return o, f.Last
	}
	return o, f.First
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
// ones (whose result says whether the layers would now allow them). A fact
// is allowed when every one of its requests is; otherwise the result is
// the first request denied.
func Replay(cat *catalog.Catalog, p analyze.Principal, facts []analyze.Fact, l Layers) []Result {
	out := make([]Result, 0, len(facts))
	for _, f := range facts {
		r := Result{Fact: f, Allowed: true}
		someAllowed := false
		for i, req := range Requests(p, f) {
			ok, layer, reason := l.Decide(req)
			if i == 0 {
				r.Reason = reason
			}
			if ok {
				someAllowed = true
				continue
			}
			if r.Allowed {
				r.Allowed, r.Layer, r.Reason = false, layer, reason
				r.Origin, r.Time = requestContext(f, i)
				r.Undetermined = undetermined(cat, l.docs(layer), req)
			}
		}
		r.Mixed = !r.Allowed && someAllowed
		out = append(out, r)
	}
	return out
}

// docs are the layer's documents.
func (l Layers) docs(layer string) []*policy.Document {
	switch layer {
	case LayerIdentity:
		return l.Identity
	case LayerBoundary:
		return []*policy.Document{l.Boundary}
	case LayerSCP:
		return l.SCPs
	case LayerRCP:
		return l.RCPs
	case LayerSession:
		return []*policy.Document{l.Session}
	}
	return nil
}

// undetermined reports whether docs deny req only because its resource is
// a pattern: no explicit deny, the action takes resources, and some Allow
// statement would allow the request on an ARN the pattern may stand for.
func undetermined(cat *catalog.Catalog, docs []*policy.Document, req policy.Request) bool {
	if !policy.HasWildcard(req.Resource) {
		return false
	}
	if policy.Evaluate(docs, req).Effect != policy.ImplicitDeny {
		return false
	}
	if cat != nil {
		if a, ok := cat.Action(req.Action); ok && len(cat.ResourceTypes(a)) == 0 {
			return false
		}
	}
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		for _, st := range doc.Statement {
			if st.Effect != policy.EffectAllow {
				continue
			}
			wide := st
			wide.Resource, wide.NotResource = []string{"*"}, nil
			one := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{wide}}
			if one.Evaluate(req).Allowed() {
				return true
			}
		}
	}
	return false
}
