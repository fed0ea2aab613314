// Who must act on a denial: the fixes of a Deny no Allow can override, the
// owner of each kind of policy, and where a resource's policy is attached.

package synth

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
)

// denyPlace names where an explicit Deny of each reason sits.
var denyPlace = map[analyze.Reason]string{
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
	default: // explicit-deny-unknown: a Deny the message (or the decoded one) does not place
		return unplacedDenyFix(caller, f, matched)
	}
	fix.Summary = fmt.Sprintf("an explicit Deny in %s%s refuses %s%s", policyName(denyPlace[f.Denial.Reason], f), matched, f.Action, removeDeny)
	return fix
}

// unplacedDenyFix is the fix of an explicit Deny whose message does not say
// which policy holds it: the older "… with an explicit deny" form, or a
// decoded EC2 message. No Allow can override it, so the fix is to find the
// Deny: it names every layer that can hold one, and how to look in each.
func unplacedDenyFix(caller analyze.Principal, f analyze.Fact, matched string) Fix {
	p, res := caller.ARN, f.Resource
	in := " (the message does not say which policy holds it)"
	if f.Denial.PolicyARN != "" {
		in = " in " + f.Denial.PolicyARN + " (the message does not say what kind of policy it is)"
	}
	// A call on no resource ARN ("*") may still be on a resource that has
	// a policy of its own: the events do not say.
	resPolicy, resOwner, holderARN := "the resource's own policy, if it has one", "the resource's owner", "ARN"
	if res != "" && res != analyze.Wildcard {
		holder, _ := policyHolder(res)
		resPolicy, resOwner, holderARN = "the resource-based policy of "+holder, "the owner of "+holder, holder
	}
	fix := Fix{Kind: FixRemoveDeny,
		Summary: "an explicit Deny" + in + matched + " refuses " + f.Action + "; no Allow can override it: find that Deny statement and narrow or remove it. " +
			"It may be in " + p + "'s identity policies (for a user, its groups' too), its permissions boundary, the session policy, " +
			"a service control policy or resource control policy of the organization, or " + resPolicy,
		Owner: "whoever manages the policy that holds the Deny: the IAM administrators of " + p + " (identity policies, permissions boundary), " +
			"whoever created the session (session policy), the AWS Organizations administrators (SCP, RCP), or " + resOwner + " (its resource-based policy)",
	}
	simulate := "aws iam simulate-principal-policy --policy-source-arn " + p + " --action-names " + f.Action
	if res != "" && res != analyze.Wildcard {
		simulate += " --resource-arns " + res
	}
	if strings.Contains(p, ":role/") || strings.Contains(p, ":user/") {
		fix.Find = append(fix.Find, simulate+"   # evaluates the identity policies and permissions boundary, names the statement that denies, and says whether the organization's SCPs allow the action")
	}
	acct := arn.AccountOf(p)
	if acct == "" {
		acct = "ACCOUNT"
	}
	fix.Find = append(fix.Find,
		"aws organizations list-policies-for-target --target-id "+acct+" --filter SERVICE_CONTROL_POLICY   # in the management account; repeat for each OU above the account and the root, and with --filter RESOURCE_CONTROL_POLICY",
		resPolicy+", and the session policy (Policy or PolicyArns) passed when the session was created",
		"tailor verify --policy IDENTITY.json --principal "+p+" --boundary B.json --scp SCP.json --rcp RCP.json --session-policy S.json --resource-policy "+holderARN+"=R.json   # replays the denied call through the layers you give it and names the one that denies it",
	)
	return fix
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
	if acct := arn.AccountOf(target); acct != "" {
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
	if acct := arn.AccountOf(role); acct != "" {
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
	a, ok := arn.Parse(policyARN)
	if !ok || a.Service != "organizations" {
		return "", ""
	}
	p := strings.Split(a.Resource, "/")
	if len(p) < 2 || p[0] != "policy" || !strings.HasPrefix(p[1], "o-") {
		return "", ""
	}
	return p[1], a.Account
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

// policyHolder returns the ARN whose resource policy governs resource (an
// S3 object's bucket, an index's table; most resources hold their own), and
// the action that changes that policy when known.
func policyHolder(resource string) (holder, api string) {
	a, ok := arn.Parse(resource)
	if !ok {
		return resource, ""
	}
	res := a.Resource
	api = policyAPIs[a.Service]
	if a.Service == "s3" && strings.HasPrefix(res, "accesspoint/") {
		api = "s3:PutAccessPointPolicy"
	}
	for _, r := range holderRules {
		if r.service != a.Service || !r.re.MatchString(res) || (r.global && a.Region+a.Account != "") {
			continue
		}
		a.Resource = r.re.ReplaceAllString(res, r.holder)
		return a.String(), api
	}
	return resource, api
}
