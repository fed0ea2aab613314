// Who must act on a denial, and where a resource's policy is attached.

package synth

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
)

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
