package verify

import (
	"strconv"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

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

// replay is one request of a fact, in the context it was made in. The
// requests of one group differ only in what the trail does not say: a call
// a service made may have used the principal's own credentials (a forward
// access session: aws:ViaAWSService true) or not, and a record without
// tlsDetails may have come over TLS or not. Each is replayed both ways.
type replay struct {
	req    policy.Request
	origin analyze.Origin
	time   int64
	group  int
	via    string // "true"/"false" when the service case is replayed both ways
	tls    string // "true"/"false" when TLS is replayed both ways
}

// Requests turns a fact into the requests the evaluator decides, with the
// context keys the trail gives: one per origin the fact was seen from
// (aws:SourceIp, aws:SourceVpce, aws:SecureTransport,
// aws:MultiFactorAuthPresent, aws:ViaAWSService), at that origin's first
// and last time (aws:CurrentTime), in each variant the trail leaves open.
func Requests(p analyze.Principal, f analyze.Fact) []policy.Request {
	rs := replays(p, f)
	out := make([]policy.Request, len(rs))
	for i, r := range rs {
		out[i] = r.req
	}
	return out
}

func replays(p analyze.Principal, f analyze.Fact) []replay {
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
	seen := f.Origins
	if len(seen) == 0 {
		seen = []analyze.Seen{{First: f.First, Last: f.Last}}
	}
	resource := policy.Unescape(f.Resource)
	var out []replay
	group := 0
	for _, s := range seen {
		o := s.Origin
		times := []int64{s.Last}
		if s.First != s.Last && s.First != 0 {
			times = append(times, s.First)
		}
		vias := []string{"false"}
		if o.Service != "" {
			vias = []string{"true", "false"}
		}
		tlss := []string{"true"}
		if !o.TLS {
			tlss = []string{"true", "false"}
		}
		for _, t := range times {
			for _, via := range vias {
				for _, tls := range tlss {
					ctx := make(map[string][]string, len(base)+8)
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
					if o.MFA != "" {
						ctx["aws:MultiFactorAuthPresent"] = []string{o.MFA}
					}
					ctx["aws:ViaAWSService"] = []string{via}
					if via == "true" && calledVia[o.Service] {
						ctx["aws:CalledVia"] = []string{o.Service}
						ctx["aws:CalledViaFirst"] = []string{o.Service}
						ctx["aws:CalledViaLast"] = []string{o.Service}
					}
					ctx["aws:SecureTransport"] = []string{tls}
					if t != 0 {
						ctx["aws:CurrentTime"] = []string{time.Unix(t, 0).UTC().Format(time.RFC3339)}
						ctx["aws:EpochTime"] = []string{strconv.FormatInt(t, 10)}
					}
					r := replay{req: policy.Request{Action: f.Action, Resource: resource, Context: ctx}, origin: o, time: t, group: group}
					if len(vias) > 1 {
						r.via = via
					}
					if len(tlss) > 1 {
						r.tls = tls
					}
					out = append(out, r)
				}
			}
			group++
		}
	}
	return out
}

// variantText names what a replay assumed that the trail does not say.
func variantText(r replay) string {
	var parts []string
	if r.via != "" {
		parts = append(parts, r.origin.Service+" used the principal's credentials: aws:ViaAWSService "+r.via)
	}
	if r.tls != "" {
		parts = append(parts, "aws:SecureTransport "+r.tls)
	}
	return strings.Join(parts, " and ")
}

// undetermined reports whether docs deny req only because the fact's
// resource is a pattern: no explicit deny, the action takes resources, and
// some Allow statement whose Resource may cover an ARN the pattern stands
// for would allow the request on it.
func undetermined(cat *catalog.Catalog, docs []*policy.Document, req policy.Request, f analyze.Fact) bool {
	if !policy.HasWildcard(f.Resource) || policy.Evaluate(docs, req).Effect != policy.ImplicitDeny {
		return false
	}
	return widened(cat, docs, req, f, policy.EffectAllow)
}

// mayDeny names the layer whose Deny statement, scoped to ARNs, may cover
// the real resource of an allowed fact whose resource is a pattern; "" when
// none may.
func mayDeny(cat *catalog.Catalog, docsOf func(string) []*policy.Document, rs []replay, f analyze.Fact) string {
	if !policy.HasWildcard(f.Resource) {
		return ""
	}
	for _, layer := range layerNames {
		docs := docsOf(layer)
		for _, r := range rs {
			if widened(cat, docs, r.req, f, policy.EffectDeny) {
				return layer
			}
		}
	}
	return ""
}

// widened reports whether a statement of the effect, its Resource widened
// to "*", applies to req, where its Resource (not "*") may cover an ARN
// the fact's pattern stands for.
func widened(cat *catalog.Catalog, docs []*policy.Document, req policy.Request, f analyze.Fact, effect string) bool {
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
			if st.Effect != effect || len(st.NotResource) > 0 || !overlapsAny(cat, st.Resource, f) {
				continue
			}
			wide := st
			wide.Resource = []string{"*"}
			one := &policy.Document{Version: doc.Version, Statement: []policy.Statement{wide}}
			if d := one.Evaluate(req); d.Effect != policy.ImplicitDeny {
				return true
			}
		}
	}
	return false
}

// overlapsAny reports whether one of a statement's Resource entries, other
// than "*" (which decides by itself), may match an ARN the fact's resource
// pattern stands for: for an unknown resource, an ARN of the action's
// service; for a folded one (parent/*), an ARN under the same parent.
func overlapsAny(cat *catalog.Catalog, resources []string, f analyze.Fact) bool {
	for _, r := range resources {
		if r == "*" {
			continue
		}
		if f.Resource == analyze.Wildcard {
			if sameService(cat, r, f.Action) {
				return true
			}
			continue
		}
		a, b := literalPrefix(r), literalPrefix(f.Resource)
		if strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
			return true
		}
	}
	return false
}

// sameService reports whether the ARN pattern r is of a service the
// action's resource types live in.
func sameService(cat *catalog.Catalog, r, action string) bool {
	seg := strings.SplitN(r, ":", 4)
	if len(seg) < 3 {
		return false
	}
	if strings.ContainsAny(seg[2], "*?") {
		return true
	}
	if cat != nil {
		if a, ok := cat.Action(action); ok {
			for _, rt := range cat.ResourceTypes(a) {
				if s := strings.SplitN(rt.ARN, ":", 4); len(s) >= 3 && s[2] == seg[2] {
					return true
				}
			}
			return false
		}
	}
	prefix, _, _ := strings.Cut(action, ":")
	return seg[2] == prefix
}

// literalPrefix is a pattern's text before its first wildcard; escapes
// count as the characters they stand for.
func literalPrefix(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "${*}"), strings.HasPrefix(p[i:], "${?}"), strings.HasPrefix(p[i:], "${$}"):
			b.WriteByte(p[i+2])
			i += 3
		case p[i] == '*' || p[i] == '?':
			return b.String()
		case strings.HasPrefix(p[i:], "${"):
			return b.String() // a policy variable: anything
		default:
			b.WriteByte(p[i])
		}
	}
	return b.String()
}
