// Package verify replays a principal's observed requests against policies:
// which requests the policy layers would deny (verify), and what a policy
// grants beyond what was used (diff). It does no I/O.
package verify

import (
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

// Layers are the policies that decide a principal's requests. Identity
// must allow; every other layer given must allow too (an SCP, an RCP, a
// boundary and a session policy only limit); an explicit Deny in any layer
// denies. An SCP or RCP without Allow statements is a deny list: only its
// denies count. A resource-based policy given for the request's resource
// may allow in place of identity within one account, must allow as well
// across accounts, and must always allow for a KMS key (allowedBy).
type Layers struct {
	Identity []*policy.Document
	Boundary *policy.Document
	SCPs     []*policy.Document // each must allow: one per level of the organization
	RCPs     []*policy.Document // each must allow, as SCPs on the resource side
	Session  *policy.Document
	// Resources are resource-based policies (a bucket policy, a key
	// policy, a queue policy), each for the resource ARN it is attached to.
	Resources []ResourcePolicy
}

// ResourcePolicy is a resource-based policy and the resource it is
// attached to. It applies to requests on that ARN, on what is under it
// ("ARN/…", a bucket's objects), or on what the ARN matches when it has
// wildcards.
type ResourcePolicy struct {
	ARN string
	Doc *policy.Document
}

// Layer names, as results report them.
const (
	LayerIdentity = "identity"
	LayerBoundary = "permissions-boundary"
	LayerSCP      = "scp"
	LayerRCP      = "rcp"
	LayerSession  = "session-policy"
	LayerResource = "resource-policy"
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

// decide runs one request through the layers: allowed, the denying
// layer, and why.
func (l Layers) decide(req policy.Request) (bool, string, string) {
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
	rps := l.resourcePolicies(req.Resource)
	var grant policy.Grant
	if len(rps) > 0 {
		grant = resourceGrant(rps, req)
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
	if grant.Effect == policy.ExplicitDeny {
		return false, LayerResource, grant.Reason
	}
	if ok, layer, why := allowedBy(req, id, grant, len(rps) > 0); !ok {
		return false, layer, why
	}
	for _, x := range limits {
		if !x.d.Allowed() {
			return false, x.name, x.d.Reason
		}
	}
	if !id.Allowed() {
		return true, "", "resource policy: " + grant.Reason
	}
	return true, "", id.Reason
}

// allowedBy combines the identity decision with the resource policy's, as
// IAM does: within one account either may allow (an Allow naming only the
// account defers to its identity policies); across accounts both must;
// a KMS key's policy must always allow, itself or by deferring to the
// account's identity policies.
func allowedBy(req policy.Request, id policy.Decision, grant policy.Grant, withResource bool) (bool, string, string) {
	if !withResource {
		return id.Allowed(), LayerIdentity, id.Reason
	}
	callerAcct := first(req.Context["aws:PrincipalAccount"])
	resAcct := arn.AccountOf(req.Resource) // "" for S3 buckets and objects, whose ARNs carry none
	kms := strings.HasPrefix(req.Resource, "arn:") && serviceOf(req.Resource) == "kms"
	cross := callerAcct != "" && resAcct != "" && callerAcct != resAcct
	switch {
	case kms || cross:
		if !grant.Allowed() {
			return false, LayerResource, grant.Reason
		}
		if (cross || grant.ViaAccount) && !id.Allowed() {
			return false, LayerIdentity, id.Reason
		}
		return true, "", ""
	case id.Allowed() || (grant.Allowed() && !grant.ViaAccount):
		return true, "", ""
	}
	return false, LayerIdentity, id.Reason + "; nor does the resource policy: " + grant.Reason
}

// resourcePolicies are the resource-based policies that apply to a
// request on resource.
func (l Layers) resourcePolicies(resource string) []*policy.Document {
	var out []*policy.Document
	for _, rp := range l.Resources {
		if rp.ARN == resource || strings.HasPrefix(resource, rp.ARN+"/") ||
			(policy.HasWildcard(rp.ARN) && policy.MatchARN(rp.ARN, resource)) {
			out = append(out, rp.Doc)
		}
	}
	return out
}

// resourceGrant evaluates the applicable resource policies for the caller
// the request context names: an explicit Deny in any wins, then an Allow
// naming the caller, then one naming its account.
func resourceGrant(docs []*policy.Document, req policy.Request) policy.Grant {
	c := policy.Caller{ARN: first(req.Context["aws:PrincipalArn"]), Account: first(req.Context["aws:PrincipalAccount"])}
	var best policy.Grant
	for _, d := range docs {
		g := d.EvaluateFor(req, c)
		switch {
		case g.Effect == policy.ExplicitDeny:
			return g
		case g.Allowed() && (!best.Allowed() || (best.ViaAccount && !g.ViaAccount)):
			best = g
		case !best.Allowed() && best.Reason == "":
			best = g
		}
	}
	return best
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func serviceOf(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

// Replay decides every fact of a principal: the used ones, and the denied
// ones (whose result says whether the layers would now allow them). A fact
// is allowed when every one of its requests is (one per origin and time it
// was seen with); otherwise the result is the first request denied.
func Replay(cat *catalog.Catalog, p analyze.Principal, facts []analyze.Fact, l Layers) []Result {
	out := make([]Result, 0, len(facts))
	for _, f := range facts {
		out = append(out, decideFact(cat, p, f, l.decide, l.docs))
	}
	return out
}

// decider decides one request: allowed, the denying layer, and why.
type decider func(policy.Request) (bool, string, string)

// decideFact replays f's requests through decide. Variants of one request
// that differ only in what the trail does not say (whether a service used
// the principal's credentials, whether TLS was used) must agree, or the
// request is undetermined. A fact whose resource is a pattern is
// undetermined where an ARN-scoped statement may or may not cover the
// real ARN.
func decideFact(cat *catalog.Catalog, p analyze.Principal, f analyze.Fact, decide decider, docsOf func(string) []*policy.Document) Result {
	r := Result{Fact: f, Allowed: true}
	someAllowed := false
	rs := replays(p, f)
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].group == rs[i].group {
			j++
		}
		var allowed, denied []int
		var layer, reason string
		for k := i; k < j; k++ {
			ok, l, why := decide(rs[k].req)
			if k == 0 {
				r.Reason = why
			}
			if ok {
				allowed = append(allowed, k)
			} else {
				if len(denied) == 0 {
					layer, reason = l, why
				}
				denied = append(denied, k)
			}
		}
		if len(denied) == 0 {
			someAllowed = true
		} else if r.Allowed || (r.Undetermined && len(allowed) == 0) {
			x := rs[denied[0]]
			r.Allowed, r.Layer, r.Origin, r.Time = false, layer, x.origin, x.time
			r.Reason, r.Undetermined = reason, false
			if len(allowed) > 0 {
				// Allowed or denied by what the trail does not say.
				r.Undetermined = true
				r.Reason = reason + "; allowed when " + variantText(rs[allowed[0]]) + ", denied when " + variantText(x) + ", which the trail does not say"
			} else {
				r.Undetermined = undetermined(cat, docsOf(layer), x.req, f)
			}
		}
		i = j
	}
	r.Mixed = !r.Allowed && someAllowed
	if r.Allowed {
		if deny := mayDeny(cat, docsOf, rs, f); deny != "" {
			r.Allowed, r.Undetermined, r.Layer, r.Reason = false, true, deny, "a Deny scoped to ARNs may cover the resource the trail did not reveal"
		}
	}
	return r
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
	case LayerResource:
		var out []*policy.Document
		for _, rp := range l.Resources {
			out = append(out, rp.Doc)
		}
		return out
	}
	return nil
}

// layerNames are the layers docs knows, in evaluation order.
var layerNames = []string{LayerIdentity, LayerBoundary, LayerSCP, LayerRCP, LayerSession}
