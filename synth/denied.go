package synth

import (
	"fmt"
	"strings"

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
	Caller  analyze.Principal // who was denied, as the analysis knows it
	Message analyze.Message   // the latest errorMessage
	Parsed  analyze.Denial    // Message, parsed
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
	caller := analyze.Principal{ARN: principal}
	if info := agg.Principals[principal]; info != nil {
		caller = info.Principal
	}
	facts := agg.FactsOf(principal)
	var out []Denial
	for _, f := range facts {
		if !f.Denied() || f.Via != "" {
			continue
		}
		d := Denial{Fact: f, Caller: caller}
		if m, ok := agg.MessageOf(principal, f.Action, f.Denial); ok {
			d.Message = m
			d.Parsed = analyze.ParseDenial(m.Text)
			d.EncodedCut = d.Parsed.Encoded == "" && d.Parsed.Truncated && strings.Contains(m.Text, "Encoded authorization failure message:")
		}
		d.Fix = fixFor(cat, caller, f, facts, agg.RolesOfProfile)
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
		if d.Denial.Reason == analyze.ReasonIdentityPolicy {
			d.Denial.Reason = analyze.ReasonExplicitDenyIdent
		}
		d.Fix = denyFix(d.Caller, d.Fact, v.Statements)
		d.Fix.Summary += " (decoded: an explicit Deny matched)"
	case !v.Allowed:
		d.Fix.Summary += " (decoded: no statement allowed the request, an implicit deny)"
	}
}

// fixFor works out the fix of one denied fact; facts are the caller's.
func fixFor(cat *catalog.Catalog, caller analyze.Principal, f analyze.Fact, facts []analyze.Fact, profileRoles func(account, profile string) []string) Fix {
	principal := caller.ARN
	scoped := func() *Policy {
		grant := []analyze.Fact{allowed(f)}
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
		if hasDenial(facts, f, analyze.ReasonIdentityPolicy) {
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

// denyFix is the fix of a Deny no Allow can override: an explicit Deny in
// any policy, or a service or resource control policy. statements, when
// known, are the Sids of the Deny statements that matched.
func denyFix(caller analyze.Principal, f analyze.Fact, statements []string) Fix {
	matched := ""
	if len(statements) > 0 {
		matched = " (statement " + strings.Join(statements, ", ") + ")"
	}
	orgAdmins := "the AWS Organizations administrators (the management account or a delegated administrator)"
	if org, mgmt := orgOf(f.Denial.PolicyARN); org != "" {
		orgAdmins = "the administrators of organization " + org + " (management account " + mgmt + ", or a delegated administrator)"
	}
	removeDeny := "; no Allow can override it: narrow or remove that Deny statement"
	fix := Fix{Kind: FixRemoveDeny}
	switch f.Denial.Reason {
	case analyze.ReasonSCP:
		fix.Kind, fix.Owner = FixOrganizationPolicy, orgAdmins
		fix.Summary = policyName("a service control policy", f) + matched + " denies " + f.Action + "; no Allow in the account can fix it: the SCP must change, or the workload must not need the action"
		return fix
	case analyze.ReasonRCP:
		fix.Kind, fix.Owner = FixOrganizationPolicy, orgAdmins
		fix.Summary = policyName("a resource control policy", f) + matched + " denies " + f.Action + " on this resource; no Allow can fix it: the RCP must change"
		return fix
	case analyze.ReasonVPCEndpointPolicy:
		if f.Denial.ThroughSCP {
			fix.Kind, fix.Owner = FixOrganizationPolicy, orgAdmins+", who own "+policyName("the service control policy", f)
			fix.Summary = "a VPC endpoint policy enforced through " + policyName("a service control policy", f) + matched + " denies " + f.Action +
				throughEndpoints(f) + "; no Allow in the account or in the endpoint's own policy can fix it: the SCP must change"
			return fix
		}
		fix.Owner = endpointOwner(f)
	case analyze.ReasonIdentityPolicy, analyze.ReasonExplicitDenyIdent:
		fix.Owner = "whoever manages " + caller.ARN + "'s IAM policies"
		if f.Denial.PolicyARN != "" {
			fix.Owner += " (iam:CreatePolicyVersion on " + f.Denial.PolicyARN + ")"
		}
		fix.Summary = "an explicit Deny in " + policyName("an identity-based policy", f) + matched + " refuses " + f.Action + removeDeny
		return fix
	case analyze.ReasonBoundary:
		fix.Owner = boundaryOwner(caller, f.Denial.PolicyARN)
	case analyze.ReasonSessionPolicy:
		fix.Owner = sessionOwner(caller)
	case analyze.ReasonResourcePolicy:
		target, api := policyHolder(f.Resource)
		fix.Target, fix.Owner = target, resourceOwner(target, api)
		fix.Summary = "an explicit Deny in the resource-based policy of " + target + matched + " refuses " + f.Action + removeDeny
		return fix
	case analyze.ReasonRoleTrustPolicy:
		fix.Target, fix.Owner = f.Resource, trustOwner(f.Resource)
		fix.Summary = "an explicit Deny in the trust policy of " + f.Resource + matched + " refuses " + f.Action + removeDeny
		return fix
	default: // a Deny the message does not place (a decoded EC2 message)
		fix.Owner = "whoever manages the policy that holds it: " + caller.ARN + "'s IAM policies, its permissions boundary or session policy, " +
			"the resource's policy, or a service control policy (the decoded message does not say which)"
		fix.Summary = "an explicit Deny" + matched + " refuses " + f.Action + removeDeny
		return fix
	}
	fix.Summary = fmt.Sprintf("an explicit Deny in %s%s refuses %s%s", policyName(denyPlace[f.Denial.Reason], f), matched, f.Action, removeDeny)
	return fix
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
