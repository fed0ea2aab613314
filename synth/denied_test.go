package synth

import (
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/trail"
)

// deniedFact is a fact of caller denied action on resource for reason.
func deniedFact(caller, action, resource string, reason analyze.Reason, explicit bool) analyze.Fact {
	return analyze.Fact{FactKey: analyze.FactKey{Principal: caller, Action: action, Resource: resource, Region: "us-east-1",
		Denial: analyze.DenialKey{Reason: reason, Explicit: explicit, Code: "AccessDenied"}}, Stat: analyze.Stat{Count: 1}}
}

func statementJSON(t *testing.T, p *policy.Document) string {
	t.Helper()
	if p == nil || len(p.Statement) != 1 {
		t.Fatalf("want one statement, got %+v", p)
	}
	raw, err := (&policy.Document{Version: policy.Version2012, Statement: p.Statement}).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestFederatedTrustFix: web identity and SAML callers are let in by the
// role's trust policy alone, with Principal Federated, whatever the
// message said; the provider comes from the principalId when kept.
func TestFederatedTrustFix(t *testing.T) {
	const gha = "repo:example-org/app:ref:refs/heads/main"
	const roleARN = "arn:aws:iam::111122223333:role/deploy"
	tests := []struct {
		name          string
		caller        analyze.Principal
		action        string
		reason        analyze.Reason
		explicit      bool
		kind          string
		has, hasNot   []string
		summaryHas    string
		ownerHas      string
		targetIsRole  bool
		noPlaceholder bool
	}{
		{
			name:   "github, provider unknown: a placeholder and the subject",
			caller: analyze.Principal{ARN: "WebIdentityUser/" + gha, Kind: analyze.KindWebIdentity},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonUnknown, kind: FixTrustPolicyStatement,
			has:        []string{`"Federated":["arn:aws:iam::111122223333:oidc-provider/<oidc-provider-host>"]`, `"<oidc-provider-host>:sub":["` + gha + `"]`},
			hasNot:     []string{`"AWS"`, `"Resource"`},
			summaryHas: "replace <oidc-provider-host>", ownerHas: "iam:UpdateAssumeRolePolicy", targetIsRole: true,
		},
		{
			name: "github, principalId kept: the provider ARN, aud and sub",
			caller: analyze.Principal{ARN: "WebIdentityUser/" + gha, Kind: analyze.KindWebIdentity,
				ID: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:" + gha},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonRoleTrustPolicy, kind: FixTrustPolicyStatement,
			has: []string{`"Federated":["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]`,
				`"token.actions.githubusercontent.com:aud":["sts.amazonaws.com"]`, `"token.actions.githubusercontent.com:sub":["` + gha + `"]`},
			targetIsRole: true, noPlaceholder: true,
		},
		{
			name:   "google: named by host",
			caller: analyze.Principal{ARN: "WebIdentityUser/1234567890", Kind: analyze.KindWebIdentity, ID: "accounts.google.com:app-1.apps.googleusercontent.com:1234567890"},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonUnknown, kind: FixTrustPolicyStatement,
			has:          []string{`"Federated":["accounts.google.com"]`, `"accounts.google.com:aud":["app-1.apps.googleusercontent.com"]`, `"accounts.google.com:sub":["1234567890"]`},
			targetIsRole: true, noPlaceholder: true,
		},
		{
			name: "cognito: the identity pool, not one end user",
			caller: analyze.Principal{ARN: "WebIdentityUser/us-east-1:0000-identity", Kind: analyze.KindWebIdentity,
				ID: "cognito-identity.amazonaws.com:us-east-1:1111-pool:us-east-1:0000-identity"},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonUnknown, kind: FixTrustPolicyStatement,
			has:    []string{`"Federated":["cognito-identity.amazonaws.com"]`, `"cognito-identity.amazonaws.com:aud":["us-east-1:1111-pool"]`},
			hasNot: []string{":sub"}, targetIsRole: true, noPlaceholder: true,
		},
		{
			name:   "another OIDC host: its IAM provider ARN in the role's account",
			caller: analyze.Principal{ARN: "WebIdentityUser/user-7", Kind: analyze.KindWebIdentity, ID: "oidc.example.com:client-9:user-7"},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonIdentityPolicy, kind: FixTrustPolicyStatement,
			has:          []string{`"Federated":["arn:aws:iam::111122223333:oidc-provider/oidc.example.com"]`, `"oidc.example.com:aud":["client-9"]`},
			targetIsRole: true, noPlaceholder: true,
		},
		{
			name:   "saml, provider unknown",
			caller: analyze.Principal{ARN: "SAMLUser/carol", Kind: analyze.KindSAML, ID: "Vx6lE7Fb=:carol"},
			action: "sts:AssumeRoleWithSAML", reason: analyze.ReasonUnknown, kind: FixTrustPolicyStatement,
			has:        []string{`"Federated":["arn:aws:iam::111122223333:saml-provider/<saml-provider-name>"]`, `"Action":["sts:AssumeRoleWithSAML"]`},
			summaryHas: "replace <saml-provider-name>", targetIsRole: true,
		},
		{
			name:   "saml, provider kept",
			caller: analyze.Principal{ARN: "SAMLUser/carol", Kind: analyze.KindSAML, ID: "arn:aws:iam::111122223333:saml-provider/ExampleIdP"},
			action: "sts:AssumeRoleWithSAML", reason: analyze.ReasonRoleTrustPolicy, kind: FixTrustPolicyStatement,
			has:          []string{`"Federated":["arn:aws:iam::111122223333:saml-provider/ExampleIdP"]`},
			targetIsRole: true, noPlaceholder: true,
		},
		{
			name:   "an explicit Deny in the trust policy is removed, not outvoted",
			caller: analyze.Principal{ARN: "WebIdentityUser/" + gha, Kind: analyze.KindWebIdentity},
			action: "sts:AssumeRoleWithWebIdentity", reason: analyze.ReasonRoleTrustPolicy, explicit: true, kind: FixRemoveDeny,
			ownerHas: "iam:UpdateAssumeRolePolicy", targetIsRole: true,
		},
	}
	cat := catalog.Embedded()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := deniedFact(tc.caller.ARN, tc.action, roleARN, tc.reason, tc.explicit)
			fix := fixFor(cat, tc.caller, f, []analyze.Fact{f}, []analyze.Fact{f}, nil)
			if fix.Kind != tc.kind || fix.Identity != nil {
				t.Fatalf("kind %s, identity %v; want %s and no identity statement", fix.Kind, fix.Identity, tc.kind)
			}
			if tc.targetIsRole && fix.Target != roleARN {
				t.Errorf("target %q, want the role", fix.Target)
			}
			if !strings.Contains(fix.Summary, tc.summaryHas) || !strings.Contains(fix.Owner, tc.ownerHas) {
				t.Errorf("summary %q, owner %q", fix.Summary, fix.Owner)
			}
			if tc.kind != FixTrustPolicyStatement {
				return
			}
			st := statementJSON(t, fix.ResourcePolicy)
			for _, s := range tc.has {
				if !strings.Contains(st, s) {
					t.Errorf("statement lacks %s:\n%s", s, st)
				}
			}
			for _, s := range tc.hasNot {
				if strings.Contains(st, s) {
					t.Errorf("statement has %s:\n%s", s, st)
				}
			}
			if tc.noPlaceholder && (strings.Contains(st, "<") || strings.Contains(fix.Summary, "replace")) {
				t.Errorf("placeholder although the provider is known: %s\n%s", st, fix.Summary)
			}
		})
	}
}

func TestPolicyHolder(t *testing.T) {
	tests := []struct{ arn, holder, api string }{
		{"arn:aws:s3:::other/k", "arn:aws:s3:::other", "s3:PutBucketPolicy"},
		{"arn:aws:s3:::other/a/b/c.txt", "arn:aws:s3:::other", "s3:PutBucketPolicy"},
		{"arn:aws:s3:::other", "arn:aws:s3:::other", "s3:PutBucketPolicy"},
		{"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1/object/a/b", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1", "s3:PutAccessPointPolicy"},
		{"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1", "s3:PutAccessPointPolicy"},
		{"arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-day", "arn:aws:dynamodb:us-east-1:111122223333:table/orders", "dynamodb:PutResourcePolicy"},
		{"arn:aws:sqs:us-east-1:111122223333:q1", "arn:aws:sqs:us-east-1:111122223333:q1", "sqs:SetQueueAttributes"},
		{"arn:aws:sns:us-east-1:111122223333:t", "arn:aws:sns:us-east-1:111122223333:t", "sns:SetTopicAttributes"},
		{"arn:aws:kms:us-east-1:444455556666:key/abcd", "arn:aws:kms:us-east-1:444455556666:key/abcd", "kms:PutKeyPolicy"},
		{"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", "secretsmanager:PutResourcePolicy"},
		{"arn:aws:lambda:us-east-1:111122223333:function:f1", "arn:aws:lambda:us-east-1:111122223333:function:f1", "lambda:AddPermission"},
		{"arn:aws:glue:us-east-1:111122223333:table/db/t", "arn:aws:glue:us-east-1:111122223333:catalog", "glue:PutResourcePolicy"},
		{"*", "*", ""},
	}
	for _, tc := range tests {
		holder, api := policyHolder(tc.arn)
		if holder != tc.holder || api != tc.api {
			t.Errorf("policyHolder(%s) = %s, %s; want %s, %s", tc.arn, holder, api, tc.holder, tc.api)
		}
	}
}

// TestPolicyAPIsExist: every action a fix names as the way to change a
// policy is a real IAM action.
func TestPolicyAPIsExist(t *testing.T) {
	cat := catalog.Embedded()
	apis := []string{"s3:PutAccessPointPolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary",
		"iam:PutUserPermissionsBoundary", "iam:CreatePolicyVersion", "ec2:ModifyVpcEndpoint"}
	for _, api := range policyAPIs {
		apis = append(apis, api)
	}
	for _, api := range apis {
		if !cat.Exists(api) {
			t.Errorf("%s is not in the catalog", api)
		}
	}
}

// TestOwners: every fix that is not the principal's own identity policy
// names who must act, specifically.
func TestOwners(t *testing.T) {
	const scp = "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-1"
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app", Kind: analyze.KindRole}
	user := analyze.Principal{ARN: "arn:aws:iam::111122223333:user/bob", Kind: analyze.KindUser}
	fed := analyze.Principal{ARN: "arn:aws:sts::111122223333:federated-user/bob", Kind: analyze.KindFederated}
	vpce := func(f analyze.Fact) analyze.Fact {
		f.Origins = []analyze.Seen{{Origin: analyze.Origin{IP: "10.0.0.1", VPCE: "vpce-0abc"}}}
		return f
	}
	through := func(f analyze.Fact) analyze.Fact {
		f.Denial.ThroughSCP = true
		f.Denial.PolicyARN = scp
		return f
	}
	tests := []struct {
		name     string
		caller   analyze.Principal
		f        analyze.Fact
		kind     string
		owner    []string
		summary  string
		target   string
		resource bool
	}{
		{"boundary of a role", role, deniedFact(role.ARN, "sqs:DeleteQueue", "arn:aws:sqs:us-east-1:111122223333:q", analyze.ReasonBoundary, false),
			FixBoundaryStatement, []string{"iam:PutRolePermissionsBoundary", role.ARN}, "", "", false},
		{"explicit deny in a user's boundary", user, deniedFact(user.ARN, "iam:CreateUser", "*", analyze.ReasonBoundary, true),
			FixRemoveDeny, []string{"iam:PutUserPermissionsBoundary"}, "", "", false},
		{"session policy of a role", role, deniedFact(role.ARN, "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t", analyze.ReasonSessionPolicy, true),
			FixRemoveDeny, []string{"sts:AssumeRole", "Policy or PolicyArns"}, "", "", false},
		{"session policy of a federated user", fed, deniedFact(fed.ARN, "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t", analyze.ReasonSessionPolicy, false),
			FixSessionPolicy, []string{"sts:GetFederationToken", "Policy or PolicyArns"}, "", "", true},
		{"resource policy of another account's key", role, deniedFact(role.ARN, "kms:Decrypt", "arn:aws:kms:us-east-1:444455556666:key/k", analyze.ReasonResourcePolicy, true),
			FixRemoveDeny, []string{"account 444455556666", "kms:PutKeyPolicy"}, "", "arn:aws:kms:us-east-1:444455556666:key/k", false},
		{"bucket policy of an object", role, deniedFact(role.ARN, "s3:GetObject", "arn:aws:s3:::other/k", analyze.ReasonResourcePolicy, false),
			FixResourcePolicyStatement, []string{"arn:aws:s3:::other ", "s3:PutBucketPolicy"}, "policy of arn:aws:s3:::other does", "arn:aws:s3:::other", true},
		{"explicit deny in a bucket policy", role, deniedFact(role.ARN, "s3:GetObject", "arn:aws:s3:::other/k", analyze.ReasonResourcePolicy, true),
			FixRemoveDeny, []string{"arn:aws:s3:::other "}, "", "arn:aws:s3:::other", false},
		{"trust policy", user, deniedFact(user.ARN, "sts:AssumeRole", "arn:aws:iam::444455556666:role/x", analyze.ReasonRoleTrustPolicy, true),
			FixRemoveDeny, []string{"iam:UpdateAssumeRolePolicy", "account 444455556666"}, "", "arn:aws:iam::444455556666:role/x", false},
		{"vpc endpoint, id known", role, vpce(deniedFact(role.ARN, "s3:ListBucket", "arn:aws:s3:::b", analyze.ReasonVPCEndpointPolicy, false)),
			FixVPCEndpointPolicy, []string{"vpce-0abc", "ec2:ModifyVpcEndpoint"}, "", "", true},
		{"vpc endpoint, id unknown", role, deniedFact(role.ARN, "s3:ListBucket", "arn:aws:s3:::b", analyze.ReasonVPCEndpointPolicy, true),
			FixRemoveDeny, []string{"the events do not name it"}, "", "", false},
		{"vpc endpoint through an SCP", role, through(vpce(deniedFact(role.ARN, "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t", analyze.ReasonVPCEndpointPolicy, true))),
			FixOrganizationPolicy, []string{"organization o-a1b2c3d4e5", scp}, scp, "", false},
		{"scp", role, deniedFact(role.ARN, "ec2:RunInstances", "*", analyze.ReasonSCP, true),
			FixOrganizationPolicy, []string{"AWS Organizations administrators"}, "", "", false},
	}
	cat := catalog.Embedded()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fix := fixFor(cat, tc.caller, tc.f, []analyze.Fact{tc.f}, []analyze.Fact{tc.f}, nil)
			if fix.Kind != tc.kind {
				t.Errorf("kind %s, want %s", fix.Kind, tc.kind)
			}
			for _, s := range tc.owner {
				if !strings.Contains(fix.Owner+" ", s) {
					t.Errorf("owner %q lacks %q", fix.Owner, s)
				}
			}
			if !strings.Contains(fix.Summary, tc.summary) {
				t.Errorf("summary %q lacks %q", fix.Summary, tc.summary)
			}
			if fix.Target != tc.target {
				t.Errorf("target %q, want %q", fix.Target, tc.target)
			}
			if (fix.ResourcePolicy != nil) != tc.resource {
				t.Errorf("resource policy set: %v, want %v", fix.ResourcePolicy != nil, tc.resource)
			}
			if tc.resource && strings.HasPrefix(tc.f.Resource, "arn:aws:s3:::other/") {
				if st := statementJSON(t, fix.ResourcePolicy); !strings.Contains(st, `"Resource":["arn:aws:s3:::other/k"]`) {
					t.Errorf("the statement must keep the object ARN: %s", st)
				}
			}
		})
	}
}

func TestApplyDecoded(t *testing.T) {
	user := analyze.Principal{ARN: "arn:aws:iam::111122223333:user/bob", Kind: analyze.KindUser}
	cat := catalog.Embedded()
	for _, reason := range []analyze.Reason{analyze.ReasonUnknown, analyze.ReasonIdentityPolicy} {
		f := deniedFact(user.ARN, "ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", reason, false)
		d := Denial{Fact: f, Caller: user, Fix: fixFor(cat, user, f, []analyze.Fact{f}, []analyze.Fact{f}, nil)}
		if d.Fix.Identity == nil {
			t.Fatalf("%s: no identity statement before decoding", reason)
		}
		ApplyDecoded(&d, Decoded{ExplicitDeny: true, Statements: []string{"DenyStart"}})
		if !d.Denial.Explicit || d.Fix.Kind != FixRemoveDeny || d.Fix.Identity != nil || !strings.Contains(d.Fix.Summary, "DenyStart") {
			t.Errorf("%s: explicit %v, fix %+v", reason, d.Denial.Explicit, d.Fix)
		}
		want := map[analyze.Reason]analyze.Reason{analyze.ReasonIdentityPolicy: analyze.ReasonExplicitDenyIdent, analyze.ReasonUnknown: analyze.ReasonExplicitDenyUnknown}[reason]
		if d.Denial.Reason != want {
			t.Errorf("reason %s, want %s", d.Denial.Reason, want)
		}
	}
}

// TestUnplacedDenyFix: an explicit Deny whose message names no policy type
// is never fixed by an Allow; the fix names every layer that can hold the
// Deny, and how to find it.
func TestUnplacedDenyFix(t *testing.T) {
	cat := catalog.Embedded()
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app", Kind: analyze.KindRole}
	for _, tc := range []struct {
		name, action, resource, policyARN string
		summary, find                     []string
	}{
		{name: "lambda:ListFunctions on *", action: "lambda:ListFunctions", resource: "*",
			summary: []string{"explicit Deny (the message does not say which policy holds it)", "no Allow can override it", "the resource's own policy, if it has one"},
			find:    []string{"aws iam simulate-principal-policy --policy-source-arn " + role.ARN + " --action-names lambda:ListFunctions   #", "--resource-policy ARN=R.json"}},
		{name: "an object: the bucket's policy", action: "s3:GetObject", resource: "arn:aws:s3:::bkt/k",
			summary: []string{"resource-based policy of arn:aws:s3:::bkt"},
			find:    []string{"--resource-arns arn:aws:s3:::bkt/k", "--resource-policy arn:aws:s3:::bkt=R.json"}},
		{name: "the message names the policy but not its type", action: "s3:GetObject", resource: "arn:aws:s3:::bkt/k", policyARN: "arn:aws:iam::111122223333:policy/Perimeter",
			summary: []string{"explicit Deny in arn:aws:iam::111122223333:policy/Perimeter (the message does not say what kind of policy it is)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := deniedFact(role.ARN, tc.action, tc.resource, analyze.ReasonExplicitDenyUnknown, true)
			f.Denial.PolicyARN = tc.policyARN
			fix := fixFor(cat, role, f, []analyze.Fact{f}, []analyze.Fact{f}, nil)
			if fix.Kind != FixRemoveDeny || fix.Identity != nil || fix.Boundary != nil || fix.ResourcePolicy != nil {
				t.Fatalf("kind %s with documents %v %v %v: an explicit Deny takes no Allow", fix.Kind, fix.Identity, fix.Boundary, fix.ResourcePolicy)
			}
			layers := []string{"identity policies", "permissions boundary", "session policy", "service control policy", "resource control policy"}
			for _, s := range append(layers, tc.summary...) {
				if !strings.Contains(fix.Summary, s) {
					t.Errorf("summary lacks %q: %s", s, fix.Summary)
				}
			}
			for _, s := range []string{"IAM administrators of " + role.ARN, "AWS Organizations administrators", "session"} {
				if !strings.Contains(fix.Owner, s) {
					t.Errorf("owner lacks %q: %s", s, fix.Owner)
				}
			}
			find := strings.Join(fix.Find, "\n")
			for _, s := range append([]string{"aws iam simulate-principal-policy", "aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY",
				"RESOURCE_CONTROL_POLICY", "tailor verify --policy IDENTITY.json --principal " + role.ARN + " --boundary B.json --scp SCP.json --rcp RCP.json --session-policy S.json"}, tc.find...) {
				if !strings.Contains(find, s) {
					t.Errorf("find lacks %q:\n%s", s, find)
				}
			}
		})
	}
}

// TestCallKinds: facts of one action and reason become one entry per kind
// of call, the facts one call named together, with counts that add up to
// the calls.
func TestCallKinds(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/app"
	fact := func(action, resource string, count, first, last int64) analyze.Fact {
		f := deniedFact(role, action, resource, analyze.ReasonIdentityPolicy, false)
		f.Stat = analyze.Stat{Count: count, First: first, Last: last}
		return f
	}
	const glue = "arn:aws:glue:us-east-1:111122223333:"
	const s3 = "arn:aws:s3:::bkt/"
	const ec2 = "arn:aws:ec2:us-east-1:111122223333:instance/"
	tests := []struct {
		name  string
		facts []analyze.Fact
		want  []string // "count resource,resource"
	}{
		{
			name:  "a Glue table names its catalog and database: one call",
			facts: []analyze.Fact{fact("glue:GetTable", glue+"catalog", 1, 10, 10), fact("glue:GetTable", glue+"database/hr", 1, 10, 10), fact("glue:GetTable", glue+"table/hr/salaries", 1, 10, 10)},
			want:  []string{"1 " + glue + "catalog," + glue + "database/hr," + glue + "table/hr/salaries"},
		},
		{
			name: "two tables of one database: the catalog and database join each",
			facts: []analyze.Fact{fact("glue:GetTable", glue+"catalog", 3, 10, 30), fact("glue:GetTable", glue+"database/hr", 3, 10, 30),
				fact("glue:GetTable", glue+"table/hr/a", 2, 10, 20), fact("glue:GetTable", glue+"table/hr/b", 1, 30, 30)},
			want: []string{"2 " + glue + "catalog," + glue + "database/hr," + glue + "table/hr/a", "1 " + glue + "catalog," + glue + "database/hr," + glue + "table/hr/b"},
		},
		{
			name:  "two objects denied in the same second: two calls",
			facts: []analyze.Fact{fact("s3:GetObject", s3+"a", 1, 10, 10), fact("s3:GetObject", s3+"b", 1, 10, 10)},
			want:  []string{"1 " + s3 + "a", "1 " + s3 + "b"},
		},
		{
			name:  "objects at different times: one call each",
			facts: []analyze.Fact{fact("s3:GetObject", s3+"a", 5, 10, 90), fact("s3:GetObject", s3+"b", 1, 20, 20)},
			want:  []string{"5 " + s3 + "a", "1 " + s3 + "b"},
		},
		{
			name: "the message's instance/* with the instance each call named",
			facts: []analyze.Fact{fact("ec2:GetPasswordData", ec2+"*", 2, 10, 20), fact("ec2:GetPasswordData", ec2+"i-1", 1, 10, 10),
				fact("ec2:GetPasswordData", ec2+"i-2", 1, 20, 20)},
			want: []string{"1 " + ec2 + "*," + ec2 + "i-1", "1 " + ec2 + "*," + ec2 + "i-2"},
		},
		{
			name:  "the message names the pattern in another account",
			facts: []analyze.Fact{fact("ec2:GetPasswordData", "arn:aws:ec2:us-east-1:444455556666:instance/*", 1, 10, 10), fact("ec2:GetPasswordData", ec2+"i-1", 1, 10, 10)},
			want:  []string{"1 " + ec2 + "i-1,arn:aws:ec2:us-east-1:444455556666:instance/*"},
		},
		{
			name:  "a shared resource seen more often than its calls' others: the rest is a kind of its own",
			facts: []analyze.Fact{fact("glue:GetTable", glue+"catalog", 3, 10, 30), fact("glue:GetTable", glue+"table/hr/a", 1, 20, 20)},
			want:  []string{"2 " + glue + "catalog", "1 " + glue + "catalog," + glue + "table/hr/a"},
		},
		{
			name:  "a call outside a resource's span is not its call",
			facts: []analyze.Fact{fact("glue:GetTable", glue+"catalog", 3, 10, 30), fact("glue:GetTable", glue+"table/hr/a", 1, 40, 40)},
			want:  []string{"3 " + glue + "catalog", "1 " + glue + "table/hr/a"},
		},
	}
	cat := catalog.Embedded()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			var sum, calls int64
			for _, k := range callKinds(cat, tc.facts) {
				var res []string
				for _, f := range k.facts {
					res = append(res, f.Resource)
				}
				got = append(got, fmt.Sprintf("%d %s", k.stat.Count, strings.Join(res, ",")))
				sum += k.stat.Count
			}
			for _, w := range tc.want {
				var n int64
				fmt.Sscan(w, &n)
				calls += n
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("kinds\n got %q\nwant %q", got, want)
			}
			if sum != calls {
				t.Errorf("counts add up to %d, want %d", sum, calls)
			}
		})
	}
}

// TestDeniedKindsMatchRecords: the kinds Denied infers from the aggregate
// are the kinds the records had (each denied record analyzed alone), with
// the same counts, over the demo trail and the denials fixture. Over the
// corpus the counts add up too, but a few kinds cannot be told apart: its
// pseudonymised EC2 messages name instance/* in another account than the
// event's instance, and several such calls share a second, so which
// instance went with which message is not in the aggregate (6 of 50 kinds;
// at most a fifth may differ). Each identity fix covers every resource of
// its kind.
func TestDeniedKindsMatchRecords(t *testing.T) {
	root := testenv.ModuleRoot(t)
	cat := catalog.Embedded()
	for _, tc := range []struct {
		name, dir string
		exact     bool
	}{
		{"demo", filepath.Join(root, "fixtures", "demo"), true},
		{"denials", filepath.Join(root, "fixtures", "denials"), true},
		{"corpus", testenv.Shared(t, "corpus"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := analyze.New(cat, analyze.Options{})
			want := map[string]int64{}
			var records int64
			readTrails(t, tc.dir, func(r *trail.Record) {
				whole.Record(r)
				if !analyze.IsDenial(r.ErrorCode) {
					return
				}
				one := analyze.New(cat, analyze.Options{})
				one.Record(r)
				agg := one.Aggregate()
				agg.ResolveLinks()
				kinds := map[analyze.FactKey][]string{}
				for k := range agg.Facts {
					if k.Denied() && k.Via == "" {
						res := k.Resource
						k.Resource = ""
						kinds[k] = append(kinds[k], res)
					}
				}
				for k, res := range kinds {
					slices.Sort(res)
					want[kindText(k, res)]++
				}
				records++
			})
			agg := whole.Aggregate()
			agg.ResolveLinks()
			got := map[string]int64{}
			var sum int64
			for _, p := range agg.SortedPrincipals() {
				for _, d := range Denied(cat, agg, p.ARN) {
					k := d.FactKey
					k.Resource = ""
					got[kindText(k, d.Resources)] += d.Count
					sum += d.Count
					if d.Fix.Identity != nil {
						for _, r := range d.Resources {
							if !grants(d.Fix.Identity, d.Action, r) {
								t.Errorf("%s %s: the identity fix does not cover %s: %+v", p.ARN, d.Action, r, d.Fix.Identity.Statement)
							}
						}
					}
				}
			}
			if sum != records {
				t.Errorf("the entries count %d records, the trail has %d", sum, records)
			}
			off := 0
			for k, n := range want {
				if got[k] != n {
					off++
					t.Logf("kind %s: %d calls, want %d", k, got[k], n)
				}
			}
			for k, n := range got {
				if _, ok := want[k]; !ok {
					t.Logf("kind %s (%d calls) is no record's", k, n)
				}
			}
			if tc.exact && off > 0 || off*5 > len(want) {
				t.Errorf("%d of %d kinds differ from the records'", off, len(want))
			}
			t.Logf("%d denied records, %d kinds, %d inferred otherwise; the entries count %d records", records, len(want), off, sum)
		})
	}
}

// grants reports whether a statement of p allows action on resource.
func grants(p *policy.Document, action, resource string) bool {
	for _, st := range p.Statement {
		if !slices.ContainsFunc(st.Action, func(a string) bool { return policy.MatchAction(a, action) }) {
			continue
		}
		if slices.ContainsFunc(st.Resource, func(r string) bool { return policy.MatchResource(r, resource) }) {
			return true
		}
	}
	return false
}

func kindText(k analyze.FactKey, resources []string) string {
	return fmt.Sprintf("%s %s %s %+v %s", k.Principal, k.Action, k.Region, k.Denial, strings.Join(resources, ","))
}

// readTrails calls fn for every record of the CloudTrail files under dir,
// as the corpus tests read them: variants and envelopes are other formats.
func readTrails(t *testing.T, dir string, fn func(*trail.Record)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "variants" || e.Name() == "envelopes" || e.Name() == "CloudTrail-Digest") {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".json.gz") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			if r, err = gzip.NewReader(f); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		if _, err := trail.Decode(r, func(rec *trail.Record) error { fn(rec); return nil }); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
