package synth

import (
	"fmt"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
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

// Denial is one entry of the denied report: a principal's denied action on
// a resource for one reason, with what would fix it.
type Denial struct {
	analyze.Fact
	Message analyze.Message // the latest errorMessage
	Parsed  analyze.Denial  // Message, parsed
	Fix     Fix
}

// Fix says what would end a denial, and who can make the change. Exactly
// the documents the fix needs are set.
type Fix struct {
	Kind    string
	Summary string
	Owner   string // who must make the change
	// Identity holds statements for the principal's identity policy,
	// scoped as suggest scopes them (PassRole included).
	Identity *Policy
	// Boundary holds statements the permissions boundary lacks.
	Boundary *Policy
	// ResourcePolicy holds statements, with a Principal, for the policy
	// attached to Target (a resource policy, a trust policy, a VPC endpoint
	// policy or a session policy).
	ResourcePolicy *Policy
	Target         string
}

// Denied lists a principal's denials with their fixes, in FactsOf order.
// Inferred iam:PassRole facts of a denied call are not entries of their
// own: they join the fix of the action they were inferred for.
func Denied(cat *catalog.Catalog, agg *analyze.Aggregate, principal string) []Denial {
	facts := agg.FactsOf(principal)
	var out []Denial
	for _, f := range facts {
		if !f.Denied() || f.Via != "" {
			continue
		}
		d := Denial{Fact: f}
		if m, ok := agg.MessageOf(principal, f.Action, f.Denial); ok {
			d.Message = m
			d.Parsed = analyze.ParseDenial(m.Text)
		}
		d.Fix = fixFor(cat, principal, f, facts, agg.RolesOfProfile)
		out = append(out, d)
	}
	return out
}

// fixFor works out the fix of one denied fact; facts are the principal's.
func fixFor(cat *catalog.Catalog, principal string, f analyze.Fact, facts []analyze.Fact, profileRoles func(account, profile string) []string) Fix {
	scoped := func() *Policy {
		grant := []analyze.Fact{allowed(f)}
		for _, g := range facts {
			if g.Via == f.Action && g.Denial == f.Denial {
				grant = append(grant, allowed(g))
			}
		}
		return Suggest(cat, grant, Options{ProfileRoles: profileRoles}).Policy
	}
	policyName := func(kind string) string {
		if f.Denial.PolicyARN != "" {
			return kind + " " + f.Denial.PolicyARN
		}
		return kind
	}
	reason := f.Denial.Reason
	if f.Denial.Explicit && reason != analyze.ReasonExplicitDenyIdent && reason != analyze.ReasonSCP && reason != analyze.ReasonRCP {
		reason = "explicit"
	}
	switch reason {
	case analyze.ReasonIdentityPolicy:
		return Fix{Kind: FixIdentityStatement, Identity: scoped(),
			Summary: "no identity-based policy allows " + f.Action + "; add this statement to the principal's policy",
			Owner:   "whoever manages " + principal + "'s IAM policies"}
	case analyze.ReasonUnknown:
		return Fix{Kind: FixIdentityStatement, Identity: scoped(),
			Summary: "the message does not say which policy denied " + f.Action + "; when it is a missing identity-policy Allow (the common case), this statement fixes it",
			Owner:   "whoever manages " + principal + "'s IAM policies"}
	case analyze.ReasonExplicitDenyIdent:
		return Fix{Kind: FixRemoveDeny,
			Summary: "an explicit Deny in " + policyName("an identity-based policy") + " refuses " + f.Action + "; no Allow can override it: narrow or remove that Deny statement",
			Owner:   "whoever manages " + principal + "'s IAM policies"}
	case analyze.ReasonSCP:
		return Fix{Kind: FixOrganizationPolicy,
			Summary: policyName("a service control policy") + " denies " + f.Action + "; no Allow in the account can fix it: the SCP must change, or the workload must not need the action",
			Owner:   "the AWS Organizations administrators (management account or delegated administrator)"}
	case analyze.ReasonRCP:
		return Fix{Kind: FixOrganizationPolicy,
			Summary: policyName("a resource control policy") + " denies " + f.Action + " on this resource; no Allow can fix it: the RCP must change",
			Owner:   "the AWS Organizations administrators (management account or delegated administrator)"}
	case analyze.ReasonBoundary:
		fix := Fix{Kind: FixBoundaryStatement, Boundary: scoped(),
			Summary: policyName("the permissions boundary") + " does not allow " + f.Action + "; add this statement to the boundary",
			Owner:   "whoever sets " + principal + "'s permissions boundary"}
		if hasDenial(facts, f, analyze.ReasonIdentityPolicy) {
			fix.Identity = fix.Boundary
			fix.Summary += ", and to the identity policy, which lacks it too"
		}
		return fix
	case analyze.ReasonSessionPolicy:
		return Fix{Kind: FixSessionPolicy, ResourcePolicy: scoped(),
			Summary: "the session policy passed when the role was assumed does not allow " + f.Action + "; pass one that includes this statement, or none",
			Owner:   "the caller that assumes the role (its AssumeRole Policy or PolicyArns)"}
	case analyze.ReasonResourcePolicy:
		return Fix{Kind: FixResourcePolicyStatement, ResourcePolicy: withPrincipal(scoped(), principal), Target: f.Resource,
			Summary: "the resource-based policy of " + f.Resource + " does not allow " + principal + "; add this statement to it",
			Owner:   "the owner of " + f.Resource}
	case analyze.ReasonVPCEndpointPolicy:
		return Fix{Kind: FixVPCEndpointPolicy, ResourcePolicy: withPrincipal(scoped(), principal),
			Summary: "the VPC endpoint's policy does not allow " + f.Action + "; add this statement to the endpoint policy the call went through",
			Owner:   "the network administrators who own the VPC endpoint"}
	case analyze.ReasonRoleTrustPolicy:
		return Fix{Kind: FixTrustPolicyStatement, ResourcePolicy: trustStatement(f.Action, principal), Target: f.Resource,
			Summary: "the trust policy of " + f.Resource + " does not let " + principal + " assume it; add this statement to that role's trust policy",
			Owner:   "the owner of " + f.Resource}
	case analyze.ReasonS3BlockPublicAccess:
		return Fix{Kind: FixBlockPublicAccess,
			Summary: "S3 Block Public Access refuses a public ACL or policy; no policy change can fix it: turn the setting off for this bucket or account only if public access is intended",
			Owner:   "the bucket owner or the account's S3 administrators"}
	}
	// Explicit denies in a boundary, a session, resource or VPC endpoint
	// policy, or a trust policy.
	fix := Fix{Kind: FixRemoveDeny,
		Summary: fmt.Sprintf("an explicit Deny in %s refuses %s; no Allow can override it: narrow or remove that Deny statement", policyName(denyPlace[f.Denial.Reason]), f.Action),
		Owner:   "whoever manages that policy"}
	if reason := f.Denial.Reason; reason == analyze.ReasonResourcePolicy || reason == analyze.ReasonRoleTrustPolicy {
		fix.Target = f.Resource // the resource whose policy denies
	}
	return fix
}

// denyPlace names where an explicit Deny of each reason sits.
var denyPlace = map[string]string{
	analyze.ReasonBoundary:          "the permissions boundary",
	analyze.ReasonSessionPolicy:     "the session policy",
	analyze.ReasonResourcePolicy:    "the resource-based policy",
	analyze.ReasonVPCEndpointPolicy: "the VPC endpoint policy",
	analyze.ReasonRoleTrustPolicy:   "the role trust policy",
}

// allowed returns the fact as if it had been allowed, for synthesis.
func allowed(f analyze.Fact) analyze.Fact {
	f.Denial = analyze.DenialKey{}
	f.Via = ""
	return f
}

// hasDenial reports whether the principal was also denied f's action on
// f's resource for reason.
func hasDenial(facts []analyze.Fact, f analyze.Fact, reason string) bool {
	for _, g := range facts {
		if g.Action == f.Action && g.Resource == f.Resource && g.Denial.Reason == reason {
			return true
		}
	}
	return false
}

// withPrincipal turns identity statements into resource-policy statements
// that name the principal.
func withPrincipal(p *Policy, principal string) *Policy {
	if p == nil {
		return nil
	}
	for i := range p.Statement {
		p.Statement[i].Principal = map[string][]string{"AWS": {principal}}
	}
	assignSids(p.Statement)
	return p
}

// trustStatement is the trust-policy statement that lets principal assume
// a role with action (sts:AssumeRole, sts:TagSession, …).
func trustStatement(action, principal string) *Policy {
	p := &Policy{Version: Version, Statement: []Statement{{
		Effect:    "Allow",
		Principal: map[string][]string{"AWS": {principal}},
		Action:    []string{action},
	}}}
	assignSids(p.Statement)
	return p
}
