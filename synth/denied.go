package synth

import (
	"fmt"
	"regexp"
	"slices"
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

// denyPlace names where an explicit Deny of each reason sits.
var denyPlace = map[string]string{
	analyze.ReasonBoundary:          "the permissions boundary",
	analyze.ReasonSessionPolicy:     "the session policy",
	analyze.ReasonVPCEndpointPolicy: "the VPC endpoint policy",
}

// policyName names the denying policy: its ARN when the message gave it.
func policyName(kind string, f analyze.Fact) string {
	if f.Denial.PolicyARN != "" {
		return kind + " " + f.Denial.PolicyARN
	}
	return kind
}

// noIdentityPolicy are the callers no IAM identity policy applies to.
var noIdentityPolicy = map[string]bool{
	analyze.KindWebIdentity:    true,
	analyze.KindSAML:           true,
	analyze.KindIdentityCenter: true,
}

func boundaryOwner(caller analyze.Principal, policyARN string) string {
	api := "iam:PutRolePermissionsBoundary or iam:PutUserPermissionsBoundary"
	switch {
	case strings.Contains(caller.ARN, ":role/"):
		api = "iam:PutRolePermissionsBoundary"
	case strings.Contains(caller.ARN, ":user/"):
		api = "iam:PutUserPermissionsBoundary"
	}
	owner := "the IAM administrators who set " + caller.ARN + "'s permissions boundary (" + api
	if policyARN != "" {
		owner += ", or iam:CreatePolicyVersion on " + policyARN
	}
	return owner + ")"
}

func sessionOwner(caller analyze.Principal) string {
	if strings.Contains(caller.ARN, ":role/") {
		return "whoever creates the session: the caller of sts:AssumeRole (or AssumeRoleWithSAML, AssumeRoleWithWebIdentity) on " + caller.ARN + " that passed the Policy or PolicyArns"
	}
	return "whoever creates the session: the caller of sts:GetFederationToken that created " + caller.ARN + "'s session and passed the Policy or PolicyArns"
}

func resourceOwner(target, api string) string {
	how := api
	if acct := accountOfARN(target); acct != "" {
		return join("the administrators of account "+acct+", which owns "+target, how)
	}
	if strings.HasPrefix(target, "arn:") {
		how = strings.TrimPrefix(how+"; the ARN does not name the owning account", "; ")
	}
	return join("the owner of "+target, how)
}

// join appends a parenthesized note, when there is one.
func join(s, note string) string {
	if note == "" {
		return s
	}
	return s + " (" + note + ")"
}

func trustOwner(role string) string {
	owner := "the administrators of the role " + role
	if acct := accountOfARN(role); acct != "" {
		owner += " in account " + acct
	}
	return owner + " (iam:UpdateAssumeRolePolicy on that role)"
}

// endpoints lists the VPC endpoints the fact's requests came through, as
// far as the events say.
func endpoints(f analyze.Fact) string {
	var ids []string
	for _, o := range f.Origins {
		if o.VPCE != "" && !slices.Contains(ids, o.VPCE) {
			ids = append(ids, o.VPCE)
		}
	}
	if len(ids) > 0 && f.MoreOrigins {
		ids = append(ids, "others")
	}
	return strings.Join(ids, ", ")
}

func endpointOwner(f analyze.Fact) string {
	if ids := endpoints(f); ids != "" {
		return "the network administrators of VPC endpoint " + ids + " (ec2:ModifyVpcEndpoint)"
	}
	return "the network administrators of the VPC endpoint the request went through (the events do not name it; ec2:ModifyVpcEndpoint)"
}

func throughEndpoints(f analyze.Fact) string {
	if ids := endpoints(f); ids != "" {
		return " through VPC endpoint " + ids
	}
	return ""
}

// orgOf reads the organization and its management account from an SCP or
// RCP ARN: arn:aws:organizations::MGMT:policy/o-ORG/….
func orgOf(policyARN string) (org, mgmt string) {
	parts := strings.SplitN(policyARN, ":", 6)
	if len(parts) != 6 || parts[2] != "organizations" {
		return "", ""
	}
	p := strings.Split(parts[5], "/")
	if len(p) < 2 || p[0] != "policy" || !strings.HasPrefix(p[1], "o-") {
		return "", ""
	}
	return p[1], parts[4]
}

func accountOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		return parts[4]
	}
	return ""
}

// holderRule says where a resource policy attaches when it is not the
// resource itself: re matches the ARN's resource part, and holder is its
// expansion, the holder's resource part.
type holderRule struct {
	service string
	re      *regexp.Regexp
	holder  string
	global  bool // only ARNs without region and account (S3 buckets)
}

var holderRules = []holderRule{
	{"s3", regexp.MustCompile(`^(accesspoint/[^/]+)/object/.*$`), "$1", false},
	{"s3", regexp.MustCompile(`^([^/]+)/.*$`), "$1", true}, // an object: the bucket's policy
	{"s3-object-lambda", regexp.MustCompile(`^(accesspoint/[^/]+)/.*$`), "$1", false},
	{"dynamodb", regexp.MustCompile(`^(table/[^/]+)/index/.*$`), "$1", false},
	{"es", regexp.MustCompile(`^(domain/[^/]+)/.*$`), "$1", false},
	{"execute-api", regexp.MustCompile(`^([^/]+)/.*$`), "$1", false},
	{"glue", regexp.MustCompile(`^.*$`), "catalog", false}, // one Data Catalog policy per account and region
	{"codeartifact", regexp.MustCompile(`^package/([^/]+/[^/]+)/.*$`), "repository/$1", false},
}

// policyAPIs is the action that changes each service's resource policy.
var policyAPIs = map[string]string{
	"s3":                "s3:PutBucketPolicy",
	"s3-object-lambda":  "s3:PutAccessPointPolicyForObjectLambda",
	"kms":               "kms:PutKeyPolicy",
	"sqs":               "sqs:SetQueueAttributes",
	"sns":               "sns:SetTopicAttributes",
	"secretsmanager":    "secretsmanager:PutResourcePolicy",
	"lambda":            "lambda:AddPermission",
	"ecr":               "ecr:SetRepositoryPolicy",
	"dynamodb":          "dynamodb:PutResourcePolicy",
	"events":            "events:PutPermission",
	"kinesis":           "kinesis:PutResourcePolicy",
	"es":                "es:UpdateDomainConfig",
	"execute-api":       "apigateway:UpdateRestApiPolicy",
	"glue":              "glue:PutResourcePolicy",
	"codeartifact":      "codeartifact:PutRepositoryPermissionsPolicy",
	"backup":            "backup:PutBackupVaultAccessPolicy",
	"glacier":           "glacier:SetVaultAccessPolicy",
	"elasticfilesystem": "elasticfilesystem:PutFileSystemPolicy",
}

// policyHolder returns the ARN whose resource policy governs arn (an S3
// object's bucket, an index's table; most resources hold their own), and
// the action that changes that policy when known.
func policyHolder(arn string) (holder, api string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return arn, ""
	}
	service, res := parts[2], parts[5]
	api = policyAPIs[service]
	if service == "s3" && strings.HasPrefix(res, "accesspoint/") {
		api = "s3:PutAccessPointPolicy"
	}
	for _, r := range holderRules {
		if r.service != service || !r.re.MatchString(res) || (r.global && parts[3]+parts[4] != "") {
			continue
		}
		parts[5] = r.re.ReplaceAllString(res, r.holder)
		return strings.Join(parts, ":"), api
	}
	return arn, api
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
// a role with action (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, …).
func trustStatement(action string, principal map[string][]string, cond map[string]map[string][]string) *Policy {
	p := &Policy{Version: Version, Statement: []Statement{{
		Effect:    "Allow",
		Principal: principal,
		Action:    []string{action},
		Condition: cond,
	}}}
	assignSids(p.Statement)
	return p
}

// federatedActions are the calls of web identity and SAML callers, whom
// only the role's trust policy can let in.
var federatedActions = map[string]bool{
	"sts:AssumeRoleWithWebIdentity": true,
	"sts:AssumeRoleWithSAML":        true,
}

// builtinProviders are the web identity providers a trust policy names by
// host; any other OIDC provider is named by its IAM provider ARN.
var builtinProviders = map[string]bool{
	"accounts.google.com":            true,
	"cognito-identity.amazonaws.com": true,
	"graph.facebook.com":             true,
	"www.amazon.com":                 true,
}

// Placeholders stand for the identity provider when the events do not
// name it.
const (
	oidcPlaceholder = "<oidc-provider-host>"
	samlPlaceholder = "<saml-provider-name>"
)

// federatedTrustFix is the trust-policy statement that lets a web identity
// or SAML caller assume the role f names: Principal Federated, and for a
// web identity, conditions on the token's audience and subject.
func federatedTrustFix(caller analyze.Principal, f analyze.Fact) Fix {
	role := f.Resource
	partition, acct := "aws", accountOfARN(role)
	if p := strings.SplitN(role, ":", 3); len(p) == 3 && p[0] == "arn" {
		partition = p[1]
	}
	if acct == "" {
		acct = "<account>"
	}
	provider, aud, sub := federationOf(caller)
	fix := Fix{Kind: FixTrustPolicyStatement, Target: role, Owner: trustOwner(role)}
	var federated, unnamed string
	var cond map[string]map[string][]string
	if f.Action == "sts:AssumeRoleWithSAML" {
		federated = provider
		if !strings.Contains(provider, ":saml-provider/") {
			federated = "arn:" + partition + ":iam::" + acct + ":saml-provider/" + samlPlaceholder
			unnamed = "; the events do not name the SAML provider: replace " + samlPlaceholder + " with the IAM SAML provider the assertion came from"
		}
		fix.Summary = "only the role's trust policy applies to a SAML caller: add this statement to the trust policy of " + role + unnamed
	} else {
		host := provider
		if h, ok := strings.CutPrefix(provider[strings.LastIndexByte(provider, ':')+1:], "oidc-provider/"); ok && strings.HasPrefix(provider, "arn:") {
			host, federated = h, provider
		} else if builtinProviders[provider] {
			federated = provider
		} else {
			if provider == "" {
				host = oidcPlaceholder
				unnamed = "; the events do not name the identity provider: replace " + oidcPlaceholder + " with the host of the OIDC provider that issued the token"
			}
			federated = "arn:" + partition + ":iam::" + acct + ":oidc-provider/" + host
		}
		keys := map[string][]string{}
		if aud != "" {
			keys[host+":aud"] = []string{aud}
		}
		if sub != "" && host != "cognito-identity.amazonaws.com" { // a Cognito subject is one end user
			keys[host+":sub"] = []string{sub}
		}
		if len(keys) > 0 {
			cond = map[string]map[string][]string{"StringEquals": keys}
		}
		fix.Summary = "only the role's trust policy applies to a web identity caller: add this statement to the trust policy of " + role + ", for tokens with subject " + sub + unnamed
	}
	if f.Denial.Reason == analyze.ReasonUnknown {
		fix.Summary = "the message does not say which policy denied " + f.Action + ", but " + fix.Summary
	}
	fix.ResourcePolicy = trustStatement(f.Action, map[string][]string{"Federated": {federated}}, cond)
	return fix
}

// federationOf reads a web identity or SAML caller's identity provider,
// audience and subject, as far as the analysis kept them. The caller's
// name is its userName, which for a web identity is the token's subject;
// its ID, when kept, is the principalId: PROVIDER:AUDIENCE:SUBJECT for a
// web identity, where PROVIDER is an OIDC provider's ARN or a host such as
// accounts.google.com.
func federationOf(caller analyze.Principal) (provider, aud, sub string) {
	_, sub, _ = strings.Cut(caller.ARN, "/")
	id := caller.ID
	if id == "" {
		return "", "", sub
	}
	var rest string
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 7)
		if len(parts) < 6 {
			return "", "", sub
		}
		provider = strings.Join(parts[:6], ":")
		if len(parts) == 7 {
			rest = parts[6]
		}
	} else {
		provider, rest, _ = strings.Cut(id, ":")
	}
	switch {
	case sub == id: // no userName: the name is the principalId
		aud, sub, _ = strings.Cut(rest, ":")
	case sub != "" && strings.HasSuffix(rest, ":"+sub):
		aud = strings.TrimSuffix(rest, ":"+sub)
	}
	return provider, aud, sub
}
