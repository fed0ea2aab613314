package synth

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

// Fix kinds: what kind of change would end a denial.
const (
	FixIdentityStatement       = "add-identity-statement"
	FixBoundaryStatement       = "add-boundary-statement"
	FixResourcePolicyStatement = "add-resource-policy-statement"
	FixTrustPolicyStatement    = "add-trust-policy-statement"
	FixSessionPolicy           = "change-session-policy"
	FixVPCEndpointPolicy       = "change-vpc-endpoint-policy"
	FixRemoveDeny              = "remove-explicit-deny"
	FixOrganizationPolicy      = "change-organization-policy"
	FixBlockPublicAccess       = "s3-block-public-access"
)

// Denial is one entry of the denied report: one kind of denied call, a
// principal's action refused for one reason on the resources each such
// call named, with what would fix it.
type Denial struct {
	// Fact is the kind: its key, with Resource the resource the denial
	// message named (else the first resource of its own, not one it shares
	// with other kinds, such as a table's catalog), and its Stat, whose
	// Count is the number of denied records of this kind.
	analyze.Fact
	// Resources are the resources the calls of this kind named, sorted, and
	// Facts their facts. A fact's own count can be larger than the kind's:
	// calls of another kind may have named it too (the Glue catalog and
	// database of two tables).
	Resources []string
	Facts     []analyze.Fact
	Caller    analyze.Principal // who was denied, as the analysis knows it
	Message   analyze.Message   // the latest errorMessage of the action and reason
	Parsed    analyze.Denial    // Message, parsed
	// EncodedCut reports an EC2 encoded message whose token CloudTrail cut
	// at its length limit: it is encoded, but cannot be decoded.
	EncodedCut bool
	Fix        Fix
}

// Fix says what would end a denial, and who can make the change. Exactly
// the documents the fix needs are set.
type Fix struct {
	Kind    string
	Summary string
	Owner   string // who must make the change
	// Find says how to find the policy that holds a Deny the message does
	// not place: one way per line, each a command or where to look.
	Find []string
	// Identity holds statements for the principal's identity policy,
	// scoped as suggest scopes them (PassRole included).
	Identity *policy.Document
	// Boundary holds statements the permissions boundary lacks.
	Boundary *policy.Document
	// ResourcePolicy holds statements, with a Principal, for the policy
	// attached to Target (a resource policy, a trust policy, a VPC endpoint
	// policy or a session policy).
	ResourcePolicy *policy.Document
	Target         string
}

// Denied lists a principal's denials with their fixes: one per kind of
// denied call (see callKinds), sorted by action, then resources.
// Inferred iam:PassRole facts of a denied call, and the call's other
// actions, are not entries of their own: they join the fix of the action
// they were inferred for.
func Denied(cat *catalog.Catalog, agg *analyze.Aggregate, principal string) []Denial {
	caller := analyze.Principal{ARN: principal}
	if info := agg.Principals[principal]; info != nil {
		caller = info.Principal
	}
	facts := agg.FactsOf(principal)
	var denied []analyze.Fact
	for _, f := range facts {
		if f.Denied() && f.Via == "" {
			denied = append(denied, f)
		}
	}
	var out []Denial
	for _, k := range callKinds(cat, denied) {
		d := Denial{Fact: analyze.Fact{FactKey: k.facts[0].FactKey, Stat: k.stat}, Facts: k.facts, Caller: caller}
		d.Resource = k.own
		for _, f := range k.facts {
			d.Resources = append(d.Resources, f.Resource)
		}
		if m, ok := agg.MessageOf(principal, d.Action, d.Denial); ok {
			d.Message = m
			d.Parsed = analyze.ParseDenial(m.Text)
			d.EncodedCut = d.Parsed.Encoded == "" && d.Parsed.Truncated && strings.Contains(m.Text, "Encoded authorization failure message:")
			if slices.Contains(d.Resources, d.Parsed.Resource) {
				d.Resource = d.Parsed.Resource
			}
		}
		d.Fix = fixFor(cat, caller, d.Fact, k.facts, facts, agg.RolesOfProfile)
		out = append(out, d)
	}
	return out
}

// Decoded is the verdict sts:DecodeAuthorizationMessage gives on a denial.
type Decoded struct {
	Allowed      bool
	ExplicitDeny bool
	Statements   []string // the Sids of the statements that matched
}

// ApplyDecoded updates a denial with its decoded verdict. An explicit Deny
// makes the denial explicit, and its fix one that no Allow can replace.
func ApplyDecoded(d *Denial, v Decoded) {
	switch {
	case v.ExplicitDeny:
		d.Denial.Explicit = true
		switch d.Denial.Reason {
		case analyze.ReasonIdentityPolicy:
			d.Denial.Reason = analyze.ReasonExplicitDenyIdent
		case analyze.ReasonUnknown: // the decoded message does not say which policy
			d.Denial.Reason = analyze.ReasonExplicitDenyUnknown
		}
		d.Fix = denyFix(d.Caller, d.Fact, v.Statements)
		d.Fix.Summary += " (decoded: an explicit Deny matched)"
	case !v.Allowed:
		d.Fix.Summary += " (decoded: no statement allowed the request, an implicit deny)"
	}
}

// fixFor works out the fix of one kind of denied call: f is its key, kind
// its facts (one per resource), facts all the caller's.
func fixFor(cat *catalog.Catalog, caller analyze.Principal, f analyze.Fact, kind, facts []analyze.Fact, profileRoles func(account, profile string) []string) Fix {
	principal := caller.ARN
	scoped := func() *policy.Document {
		var grant []analyze.Fact
		for _, g := range kind {
			grant = append(grant, allowed(g))
		}
		for _, g := range facts {
			if g.Via == f.Action && g.Denial == f.Denial {
				grant = append(grant, allowed(g))
			}
		}
		return Suggest(cat, grant, Options{ProfileRoles: profileRoles}).Policy
	}
	reason := f.Denial.Reason
	if federatedActions[f.Action] && !f.Denial.Explicit &&
		(reason == analyze.ReasonRoleTrustPolicy || reason == analyze.ReasonUnknown || reason == analyze.ReasonIdentityPolicy) {
		// No identity policy applies to a web identity or SAML caller:
		// only the role's trust policy decides.
		return federatedTrustFix(caller, f)
	}
	if f.Denial.Explicit || f.Denial.ThroughSCP || reason == analyze.ReasonSCP || reason == analyze.ReasonRCP || reason == analyze.ReasonExplicitDenyIdent {
		return denyFix(caller, f, nil)
	}
	switch reason {
	case analyze.ReasonIdentityPolicy, analyze.ReasonUnknown:
		fix := Fix{Kind: FixIdentityStatement, Identity: scoped(), Owner: "whoever manages " + principal + "'s IAM policies",
			Summary: "no identity-based policy allows " + f.Action + "; add this statement to the principal's policy"}
		if reason == analyze.ReasonUnknown {
			fix.Summary = "the message does not say which policy denied " + f.Action + "; when it is a missing identity-policy Allow (the common case), this statement fixes it"
		}
		if noIdentityPolicy[caller.Kind] {
			fix.Summary = "no IAM policy attaches to a " + caller.Kind + "; its permissions are those of the role it assumed: when a missing Allow denied " + f.Action + ", add this statement to that role's policy"
			fix.Owner = "whoever manages the policies of the role " + principal + " assumed"
		}
		return fix
	case analyze.ReasonBoundary:
		fix := Fix{Kind: FixBoundaryStatement, Boundary: scoped(), Owner: boundaryOwner(caller, f.Denial.PolicyARN),
			Summary: policyName("the permissions boundary", f) + " does not allow " + f.Action + "; add this statement to the boundary"}
		if hasDenial(facts, kind, analyze.ReasonIdentityPolicy) {
			fix.Identity = fix.Boundary
			fix.Summary += ", and to the identity policy, which lacks it too"
		}
		return fix
	case analyze.ReasonSessionPolicy:
		return Fix{Kind: FixSessionPolicy, ResourcePolicy: scoped(), Owner: sessionOwner(caller),
			Summary: "the session policy passed when the session was created does not allow " + f.Action + "; pass one that includes this statement, or none"}
	case analyze.ReasonResourcePolicy:
		target, api := policyHolder(f.Resource)
		return Fix{Kind: FixResourcePolicyStatement, ResourcePolicy: withPrincipal(scoped(), principal), Target: target, Owner: resourceOwner(target, api),
			Summary: "the resource-based policy of " + target + " does not allow " + principal + " to call " + f.Action + "; add this statement to it"}
	case analyze.ReasonVPCEndpointPolicy:
		return Fix{Kind: FixVPCEndpointPolicy, ResourcePolicy: withPrincipal(scoped(), principal), Owner: endpointOwner(f),
			Summary: "the VPC endpoint's policy does not allow " + f.Action + "; add this statement to the policy of the endpoint the call went through"}
	case analyze.ReasonRoleTrustPolicy:
		return Fix{Kind: FixTrustPolicyStatement, ResourcePolicy: trustStatement(f.Action, map[string][]string{"AWS": {principal}}, nil),
			Target: f.Resource, Owner: trustOwner(f.Resource),
			Summary: "the trust policy of " + f.Resource + " does not let " + principal + " assume it; add this statement to that role's trust policy"}
	case analyze.ReasonS3BlockPublicAccess:
		return Fix{Kind: FixBlockPublicAccess,
			Summary: "S3 Block Public Access refuses a public ACL or policy; no policy change can fix it: turn the setting off for this bucket or account only if public access is intended",
			Owner:   "the bucket owner or the account's S3 administrators"}
	}
	return denyFix(caller, f, nil)
}

// allowed returns the fact as if it had been allowed, for synthesis.
func allowed(f analyze.Fact) analyze.Fact {
	f.Denial = analyze.DenialKey{}
	f.Via = ""
	return f
}

// hasDenial reports whether the principal was also denied the action on
// one of kind's resources for reason.
func hasDenial(facts, kind []analyze.Fact, reason analyze.Reason) bool {
	for _, f := range kind {
		for _, g := range facts {
			if g.Action == f.Action && g.Resource == f.Resource && g.Denial.Reason == reason {
				return true
			}
		}
	}
	return false
}

// A kind of denied call is what one call named: a Glue GetTable names the
// catalog, the database and the table, three facts of one call. The
// aggregate keeps facts, one per resource, with counts, times and origins,
// not the calls, so callKinds infers which facts came from the same calls:
//   - facts of one key (all but the resource) with the same records (count,
//     first and last seen, origins) are one kind, unless two of them are
//     siblings: resources of the same catalog resource type, neither a
//     pattern covering the other (in any account and region), which one
//     call does not name together (two objects denied in the same second
//     are two calls);
//   - a kind seen more often, over a span and origins that hold another's,
//     and not its sibling, was named by that other kind's calls too (the
//     catalog of two tables): its resources join the other's, and only the
//     records left over, if any, are a kind of its own.
// The counts of the kinds of one key add up to the records of that key.

// callKind is one kind of denied call: its facts, one per resource, and
// its records (Count, and when and where they were seen).
type callKind struct {
	facts []analyze.Fact
	stat  analyze.Stat
	own   string // the first resource of its own, not joined from a wider kind
}

// callKinds groups denied facts (Via unset) into kinds, sorted by action,
// then resources, then the rest of the key.
func callKinds(cat *catalog.Catalog, facts []analyze.Fact) []callKind {
	groups := map[analyze.FactKey][]analyze.Fact{}
	var keys []analyze.FactKey
	for _, f := range facts {
		k := f.FactKey
		k.Resource = ""
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	rt := resourceTypes{cat: cat, memo: map[[2]string]string{}}
	var out []callKind
	for _, k := range keys {
		out = append(out, rt.kindsOf(groups[k])...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].facts[0], out[j].facts[0]
		if a.Action != b.Action {
			return a.Action < b.Action
		}
		if c := slices.CompareFunc(out[i].facts, out[j].facts, func(x, y analyze.Fact) int { return strings.Compare(x.Resource, y.Resource) }); c != 0 {
			return c < 0
		}
		return false // FactsOf order for the rest of the key
	})
	return out
}

// bundle is facts with the same records; parent, when set, is the bundle
// whose calls also named these facts' resources, and spare the records not
// given to a child.
type bundle struct {
	facts  []analyze.Fact
	stat   analyze.Stat
	parent *bundle
	spare  int64
}

// kindsOf infers the kinds of one key's facts.
func (rt resourceTypes) kindsOf(facts []analyze.Fact) []callKind {
	var bundles []*bundle
	for _, f := range facts {
		i := slices.IndexFunc(bundles, func(b *bundle) bool { return sameRecords(b.stat, f.Stat) && !rt.siblings(b.facts, []analyze.Fact{f}) })
		if i < 0 {
			bundles = append(bundles, &bundle{stat: f.Stat, spare: f.Count})
			i = len(bundles) - 1
		}
		bundles[i].facts = append(bundles[i].facts, f)
	}
	// The largest first, each under the smallest bundle that can hold it.
	bySize := slices.Clone(bundles)
	sort.SliceStable(bySize, func(i, j int) bool { return bySize[i].stat.Count > bySize[j].stat.Count })
	for i, y := range bySize {
		var best *bundle
		for _, x := range bySize[:i] {
			if x.stat.Count > y.stat.Count && x.spare >= y.stat.Count && (best == nil || x.stat.Count < best.stat.Count) &&
				holds(x.stat, y.stat) && !rt.siblingsUp(x, y.facts) {
				best = x
			}
		}
		if best != nil {
			y.parent = best
			best.spare -= y.stat.Count
		}
	}
	var out []callKind
	for _, b := range bundles {
		if b.spare == 0 {
			continue // every call that named it is a child's
		}
		k := callKind{stat: b.stat, own: slices.MinFunc(b.facts, func(x, y analyze.Fact) int { return strings.Compare(x.Resource, y.Resource) }).Resource}
		k.stat.Count = b.spare
		for x := b; x != nil; x = x.parent {
			k.facts = append(k.facts, x.facts...)
		}
		sort.Slice(k.facts, func(i, j int) bool { return k.facts[i].Resource < k.facts[j].Resource })
		out = append(out, k)
	}
	return out
}

// sameRecords reports whether two facts' stats may be those of the same
// records.
func sameRecords(a, b analyze.Stat) bool {
	return a.Count == b.Count && a.First == b.First && a.Last == b.Last && a.MoreOrigins == b.MoreOrigins && slices.Equal(a.Origins, b.Origins)
}

// holds reports whether outer's records may include all of inner's: a span
// around inner's, and, when outer kept all its origins, each of inner's.
func holds(outer, inner analyze.Stat) bool {
	if inner.First != 0 && inner.First < outer.First || inner.Last > outer.Last {
		return false
	}
	if outer.MoreOrigins {
		return true
	}
	for _, o := range inner.Origins {
		i := slices.IndexFunc(outer.Origins, func(s analyze.Seen) bool { return s.Origin == o.Origin })
		if i < 0 || o.First != 0 && o.First < outer.Origins[i].First || o.Last > outer.Origins[i].Last {
			return false
		}
	}
	return true
}

// resourceTypes names the catalog resource type of an action's resource.
type resourceTypes struct {
	cat  *catalog.Catalog
	memo map[[2]string]string
}

// siblings reports whether any fact of a and any of b are siblings.
func (rt resourceTypes) siblings(a, b []analyze.Fact) bool {
	for _, f := range a {
		for _, g := range b {
			if rt.of(f.Action, f.Resource) == rt.of(g.Action, g.Resource) && !covers(f.Resource, g.Resource) && !covers(g.Resource, f.Resource) {
				return true
			}
		}
	}
	return false
}

// siblingsUp reports whether facts are siblings of b's or its parents'.
func (rt resourceTypes) siblingsUp(b *bundle, facts []analyze.Fact) bool {
	for ; b != nil; b = b.parent {
		if rt.siblings(b.facts, facts) {
			return true
		}
	}
	return false
}

// covers reports whether pattern, in any account and region, matches
// resource: a message may name the resource in another account than the
// event.
func covers(pattern, resource string) bool {
	if !policy.HasWildcard(pattern) {
		return false
	}
	if p, ok := arn.Parse(pattern); ok {
		p.Region, p.Account = "*", "*"
		pattern = p.String()
	}
	return policy.MatchARN(pattern, resource)
}

var templateVar = regexp.MustCompile(`\$\{[^}]*\}`)

// of returns the name of the most specific of the action's resource types
// whose ARN template matches arn; "" when none does.
func (rt resourceTypes) of(action, arn string) string {
	key := [2]string{action, arn}
	if t, ok := rt.memo[key]; ok {
		return t
	}
	best, bestLit := "", -1
	if a, ok := rt.cat.Action(action); ok {
		for _, t := range rt.cat.ResourceTypes(a) {
			for _, tpl := range append([]string{t.ARN}, t.ARNs...) {
				for _, form := range strings.Split(tpl, ", arn:") {
					if !strings.HasPrefix(form, "arn:") {
						form = "arn:" + form
					}
					glob := templateVar.ReplaceAllString(form, "*")
					if lit := len(glob) - strings.Count(glob, "*"); lit > bestLit && policy.MatchARN(glob, arn) {
						best, bestLit = t.Name, lit
					}
				}
			}
		}
	}
	rt.memo[key] = best
	return best
}
