package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/tailor-iam/tailor/report"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const deniedFixture = "../../fixtures/denials"

// TestDeniedFixture runs `denied` over the fixture trail that holds every
// reason, compares the JSON with its golden file, and checks each entry
// field by field.
func TestDeniedFixture(t *testing.T) {
	stdout, stderr, code := run(t, "denied", "--source", deniedFixture, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.json", stdout)
	var entries []report.DeniedEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	type want struct {
		reason, code, policy, fix string
		explicit, encoded, trunc  bool
		count                     int64
		identity, boundary, rp    bool
		authID, target            string
		docHas                    []string // substrings of the fix documents
		owner                     string   // a substring of fix.owner
	}
	const role = "arn:aws:iam::111122223333:role/service/orders-app"
	wants := map[string]want{
		"dynamodb:UpdateItem": {reason: "identity-policy", code: "AccessDeniedException", fix: "add-identity-statement", count: 2, identity: true,
			docHas: []string{"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}},
		"secretsmanager:DeleteSecret": {reason: "explicit-deny-identity", code: "AccessDeniedException", explicit: true, fix: "remove-explicit-deny", count: 1,
			policy: "arn:aws:iam::111122223333:policy/DenySecretDeletion", authID: "7a1b2c3d4e5f"},
		"ec2:RunInstances": {reason: "scp", code: "Client.UnauthorizedOperation", explicit: true, fix: "change-organization-policy", count: 1,
			policy: "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-gpudeny1", owner: "organization o-a1b2c3d4e5"},
		"s3:PutObject": {reason: "rcp", code: "AccessDenied", explicit: true, fix: "change-organization-policy", count: 1,
			policy: "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/resource_control_policy/p-rcpnoext"},
		"sqs:DeleteQueue/permissions-boundary": {reason: "permissions-boundary", code: "AccessDenied", fix: "add-boundary-statement", count: 1, identity: true, boundary: true,
			docHas: []string{"arn:aws:sqs:us-east-1:111122223333:orders-dlq"}, owner: "iam:PutRolePermissionsBoundary"},
		"sqs:DeleteQueue/identity-policy": {reason: "identity-policy", code: "AccessDenied", fix: "add-identity-statement", count: 1, identity: true},
		"iam:CreateUser": {reason: "permissions-boundary", code: "AccessDenied", explicit: true, fix: "remove-explicit-deny", count: 1,
			policy: "arn:aws:iam::111122223333:policy/AppBoundary", owner: "iam:PutRolePermissionsBoundary"},
		"sns:Publish": {reason: "session-policy", code: "AuthorizationError", fix: "change-session-policy", count: 1, rp: true,
			owner: "the caller of sts:AssumeRole"},
		"kms:Decrypt": {reason: "resource-policy", code: "AccessDeniedException", fix: "add-resource-policy-statement", count: 1, rp: true,
			target: "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", docHas: []string{`"Principal":{"AWS":["` + role + `"]}`},
			owner: "account 444455556666"},
		// A bucket policy attaches to the bucket; its statement names the object.
		"s3:GetObject/resource-policy": {reason: "resource-policy", code: "AccessDenied", fix: "add-resource-policy-statement", count: 1, rp: true,
			target: "arn:aws:s3:::supplier-feeds", docHas: []string{`"Resource":["arn:aws:s3:::supplier-feeds/prices/2026-11.csv"]`}, owner: "s3:PutBucketPolicy"},
		// "… in a VPC endpoint policy transitively through a service control policy"
		"s3:GetObject/vpc-endpoint-policy": {reason: "vpc-endpoint-policy", code: "AccessDenied", explicit: true, fix: "change-organization-policy", count: 1,
			owner: "AWS Organizations administrators"},
		"s3:ListBucket": {reason: "vpc-endpoint-policy", code: "AccessDenied", fix: "change-vpc-endpoint-policy", count: 1, rp: true,
			owner: "VPC endpoint vpce-0a1b2c3d4e5f67890"},
		"sts:AssumeRole": {reason: "role-trust-policy", code: "AccessDenied", fix: "add-trust-policy-statement", count: 1, rp: true,
			target: "arn:aws:iam::111122223333:role/admin", docHas: []string{`"Principal":{"AWS":["arn:aws:iam::111122223333:user/bob"]}`},
			owner: "iam:UpdateAssumeRolePolicy"},
		// No identity policy applies to web identity and SAML callers: the
		// fix is the role's trust policy, even when the reason is unknown.
		"sts:AssumeRoleWithWebIdentity": {reason: "unknown", code: "AccessDenied", fix: "add-trust-policy-statement", count: 1, rp: true,
			target: "arn:aws:iam::111122223333:role/gha-deploy", owner: "iam:UpdateAssumeRolePolicy",
			docHas: []string{`"Federated":["arn:aws:iam::111122223333:oidc-provider/`, `:sub":["repo:example-org/orders-app:ref:refs/heads/main"]`}},
		"sts:AssumeRoleWithSAML": {reason: "unknown", code: "AccessDenied", fix: "add-trust-policy-statement", count: 1, rp: true,
			target: "arn:aws:iam::111122223333:role/saml-readonly", docHas: []string{`"Federated":["arn:aws:iam::111122223333:saml-provider/`, `"sts:AssumeRoleWithSAML"`}},
		"s3:PutBucketAcl": {reason: "s3-block-public-access", code: "AccessDenied", fix: "s3-block-public-access", count: 1},
		"s3:GetObject/unknown": {reason: "unknown", code: "AccessDenied", fix: "add-identity-statement", count: 1, identity: true,
			docHas: []string{"arn:aws:s3:::vendor-reports/2026/q3.pdf"}},
		"ec2:StartInstances": {reason: "unknown", code: "Client.UnauthorizedOperation", fix: "add-identity-statement", count: 1, identity: true, encoded: true},
		// Encoded messages whose token CloudTrail cut are encoded and truncated.
		"ecr:BatchGetImage": {reason: "identity-policy", code: "AccessDeniedException", fix: "add-identity-statement", count: 1, identity: true, encoded: true, trunc: true},
		"ec2:StopInstances": {reason: "unknown", code: "Client.UnauthorizedOperation", fix: "add-identity-statement", count: 1, identity: true, encoded: true, trunc: true},
		"ecs:RegisterTaskDefinition": {reason: "identity-policy", code: "AccessDeniedException", fix: "add-identity-statement", count: 1, identity: true,
			docHas: []string{"iam:PassRole", "ecs-tasks.amazonaws.com", "arn:aws:iam::111122223333:role/ecsTaskExecutionRole"}},
	}
	seen := map[string]bool{}
	reasons := map[string]bool{}
	for _, e := range entries {
		key := e.Action
		if _, ok := wants[key]; !ok {
			key = e.Action + "/" + e.Reason
		}
		w, ok := wants[key]
		if !ok {
			t.Errorf("unexpected entry %s on %s (%s)", e.Action, e.Resource, e.Reason)
			continue
		}
		seen[key] = true
		reasons[e.Reason] = true
		docs, _ := json.Marshal(e.Fix)
		checks := []struct {
			field     string
			got, want any
		}{
			{"reason", e.Reason, w.reason}, {"errorCode", e.ErrorCode, w.code}, {"explicit", e.Explicit, w.explicit},
			{"policyArn", e.PolicyARN, w.policy}, {"fix.kind", e.Fix.Kind, w.fix}, {"count", e.Count, w.count},
			{"encoded", e.Encoded, w.encoded}, {"truncated", e.Truncated, w.trunc}, {"authorizationId", e.AuthorizationID, w.authID},
			{"fix.target", e.Fix.Target, w.target},
			{"fix.identityPolicy set", e.Fix.IdentityPolicy != nil, w.identity},
			{"fix.boundaryPolicy set", e.Fix.BoundaryPolicy != nil, w.boundary},
			{"fix.resourcePolicy set", e.Fix.ResourcePolicy != nil, w.rp},
			{"firstSeen set", e.FirstSeen != "", true}, {"message set", e.Message != "", true},
			{"resources", strings.Join(e.Resources, " "), e.Resource}, // one resource per call in this fixture
			{"fix.summary set", e.Fix.Summary != "" && e.Fix.Owner != "", true},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: %s = %v, want %v", key, c.field, c.got, c.want)
			}
		}
		if !strings.Contains(e.Fix.Owner, w.owner) {
			t.Errorf("%s: fix.owner = %q, want it to name %q", key, e.Fix.Owner, w.owner)
		}
		if strings.HasPrefix(e.Fix.Owner, "whoever manages that policy") {
			t.Errorf("%s: fix.owner %q names no one", key, e.Fix.Owner)
		}
		for _, s := range w.docHas {
			if !strings.Contains(string(docs), s) {
				t.Errorf("%s: fix lacks %s:\n%s", key, s, docs)
			}
		}
	}
	for k := range wants {
		if !seen[k] {
			t.Errorf("no entry for %s", k)
		}
	}
	for _, r := range []string{"identity-policy", "explicit-deny-identity", "scp", "rcp", "permissions-boundary", "session-policy",
		"resource-policy", "vpc-endpoint-policy", "role-trust-policy", "s3-block-public-access", "unknown"} {
		if !reasons[r] {
			t.Errorf("the fixture trail has no %s denial", r)
		}
	}
	// The two entries of dynamodb:UpdateItem were a day apart.
	for _, e := range entries {
		if e.Action == "dynamodb:UpdateItem" && (e.FirstSeen != "2026-11-10T09:00:00Z" || e.LastSeen != "2026-11-11T17:30:00Z") {
			t.Errorf("UpdateItem seen %s .. %s", e.FirstSeen, e.LastSeen)
		}
	}
}

func TestDeniedTable(t *testing.T) {
	stdout, stderr, code := run(t, "denied", "--source", deniedFixture)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.txt", stdout)
	for _, s := range []string{"by reason: explicit-deny-identity 1, identity-policy 4 (5 records), permissions-boundary 2,", "denied: 22 records in 21 entries\n"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	// The table shows what the JSON's truncated and authorizationId say.
	for _, s := range []string{"authorization id: 7a1b2c3d4e5f", "message: encoded, and cut by CloudTrail at 1,024 characters: it cannot be decoded"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("table lacks %q", s)
		}
	}
}

func TestDeniedFilters(t *testing.T) {
	stdout, _, code := run(t, "denied", "--source", deniedFixture, "--user", "bob", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var entries []report.DeniedEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("bob has %d entries, want 4", len(entries))
	}
	for _, e := range entries {
		if e.Principal != "arn:aws:iam::111122223333:user/bob" {
			t.Errorf("entry of %s", e.Principal)
		}
	}
	stdout, _, code = run(t, "denied", "--source", deniedFixture, "--since", "2026-11-11", "--format", "json")
	if code != 0 || strings.Count(stdout, `"action"`) != 1 {
		t.Errorf("--since 2026-11-11: exit %d, want one entry:\n%s", code, stdout)
	}
	if _, _, code := run(t, "denied", "--role", "a", "--all"); code != exitUsage {
		t.Errorf("--role with --all: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := run(t, "denied", "--format", "yaml"); code != exitUsage {
		t.Errorf("--format yaml: exit %d, want %d", code, exitUsage)
	}
}

// stsServer answers DecodeAuthorizationMessage as AWS does, with decoded
// as the decoded message; it records the tokens it was sent.
func stsServer(t *testing.T, decoded string, got *[]string) *sts.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "DecodeAuthorizationMessage" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		*got = append(*got, r.Form.Get("EncodedMessage"))
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<DecodeAuthorizationMessageResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><DecodeAuthorizationMessageResult><DecodedMessage>` +
			xmlEscape(decoded) + `</DecodedMessage></DecodeAuthorizationMessageResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DecodeAuthorizationMessageResponse>`))
	}))
	t.Cleanup(srv.Close)
	if u, _ := url.Parse(srv.URL); !strings.HasPrefix(u.Host, "127.0.0.1:") {
		t.Fatalf("test server not on loopback: %s", srv.URL)
	}
	return sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
}

// decodeRun runs `denied --decode --format json` over the fixture with
// dec (nil: the standard AWS configuration) and returns the entries of
// principal and stderr.
func decodeRun(t *testing.T, dec authDecoder, principal principalFlags) ([]report.DeniedEntry, string) {
	t.Helper()
	var out, errOut strings.Builder
	opts := &deniedOptions{IO: streams{Out: &out, ErrOut: &errOut}, principalFlags: principal, Format: "json", Decode: true, decoder: dec}
	opts.Read.Sources = []string{deniedFixture}
	opts.Read.Catalog = "embedded"
	if err := deniedRun(context.Background(), opts); err != nil {
		t.Fatal(err, errOut.String())
	}
	var entries []report.DeniedEntry
	if err := json.Unmarshal([]byte(out.String()), &entries); err != nil {
		t.Fatal(err)
	}
	return entries, errOut.String()
}

const fixtureToken = "Zm9vYmFyRW5jb2RlZE1lc3NhZ2VGb3JUZXN0aW5nT25seTAxMjM0NTY3ODk"

// TestDeniedDecode expands the fixture's encoded EC2 message through a
// local STS endpoint answering DecodeAuthorizationMessage as AWS does.
func TestDeniedDecode(t *testing.T) {
	var got []string
	client := stsServer(t, `{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"failures":{"items":[]},`+
		`"context":{"principal":{"id":"AIDAEXAMPLEBOB000001","arn":"arn:aws:iam::111122223333:user/bob"},"action":"ec2:StartInstances",`+
		`"resource":"arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210","conditions":{"items":[]}}}`, &got)
	entries, stderr := decodeRun(t, client, principalFlags{User: "bob"})
	if len(got) != 1 || got[0] != fixtureToken {
		t.Fatalf("decoded %q", got)
	}
	if !strings.Contains(stderr, "decoded messages: 1 of 1") {
		t.Errorf("stderr lacks the decoded count:\n%s", stderr)
	}
	for _, e := range entries {
		if e.Action != "ec2:StartInstances" {
			if e.Decoded != nil {
				t.Errorf("%s decoded without an encoded message", e.Action)
			}
			continue
		}
		var m decodedMessage
		if err := json.Unmarshal(e.Decoded, &m); err != nil || e.Reason != "unknown" || m.Context.Action != "ec2:StartInstances" ||
			!strings.Contains(e.Fix.Summary, "decoded: no statement allowed the request") || e.Fix.Kind != "add-identity-statement" {
			t.Errorf("decoded entry: reason %s, fix %s, decoded %s", e.Reason, e.Fix.Kind, e.Decoded)
		}
	}
}

// TestDeniedDecodeExplicit: a decoded explicit Deny makes the entry
// explicit, and its fix the removal of that Deny, naming its statement.
func TestDeniedDecodeExplicit(t *testing.T) {
	var got []string
	client := stsServer(t, `{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"DenyStartOutsideHours","effect":"DENY",`+
		`"principals":{"items":[{"value":"AIDAEXAMPLEBOB000001"}]},"principalGroups":{"items":[]},"actions":{"items":[{"value":"ec2:StartInstances"}]},`+
		`"resources":{"items":[{"value":"*"}]},"conditions":{"items":[]}}]},"failures":{"items":[]},`+
		`"context":{"principal":{"id":"AIDAEXAMPLEBOB000001","arn":"arn:aws:iam::111122223333:user/bob"},"action":"ec2:StartInstances",`+
		`"resource":"arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210","conditions":{"items":[]}}}`, &got)
	entries, _ := decodeRun(t, client, principalFlags{User: "bob"})
	n := 0
	for _, e := range entries {
		if e.Action != "ec2:StartInstances" {
			continue
		}
		n++
		if !e.Explicit || e.Fix.Kind != "remove-explicit-deny" || e.Fix.IdentityPolicy != nil ||
			!strings.Contains(e.Fix.Summary, "DenyStartOutsideHours") || !strings.Contains(e.Fix.Owner, "user/bob") {
			t.Errorf("decoded explicit deny: explicit %v, fix %+v", e.Explicit, e.Fix)
		}
	}
	if n != 1 {
		t.Fatalf("%d StartInstances entries", n)
	}
}

// TestDeniedDecodeNoCredentials: without AWS credentials --decode warns
// and prints the report undecoded; a token CloudTrail cut is named.
func TestDeniedDecodeNoCredentials(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_CONFIG_FILE": dir + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	entries, stderr := decodeRun(t, nil, principalFlags{})
	if len(entries) != 21 {
		t.Errorf("%d entries, want the whole report (21)", len(entries))
	}
	for _, e := range entries {
		if e.Decoded != nil {
			t.Errorf("%s decoded without credentials", e.Action)
		}
	}
	for _, s := range []string{"warning: --decode: no AWS credentials", "the report is printed undecoded",
		"ec2:StopInstances on arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0: CloudTrail cut the encoded message"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
}

// TestDeniedTableNotes: the table shows truncation and the Access
// Troubleshooter id, as the JSON does.
func TestDeniedTableNotes(t *testing.T) {
	var out strings.Builder
	err := writeDeniedTable(&out, []report.DeniedEntry{{
		Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*", Resources: []string{"*"}, Reason: "unknown",
		Truncated: true, AuthorizationID: "abc123", Fix: report.DeniedFix{Kind: "add-identity-statement", Summary: "s", Owner: "o"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"message: truncated: CloudTrail cut it at 1,024 characters", "authorization id: abc123"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, out.String())
		}
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// TestDeniedDemo: on the demo trail, one entry per kind of denied call:
// the Glue GetTable that named its catalog, database and table is one
// entry of one call with one fix statement, and the entries count the six
// denied records.
func TestDeniedDemo(t *testing.T) {
	stdout, stderr, code := run(t, "denied")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.demo.txt", stdout)
	for _, s := range []string{"denied: 6 records in 6 entries\n", "by reason: identity-policy 3, permissions-boundary 1, resource-policy 1, scp 1\n"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	stdout, stderr, code = run(t, "denied", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.demo.json", stdout)
	var entries []report.DeniedEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	var records int64
	glue := 0
	for _, e := range entries {
		records += e.Count
		if len(e.Resources) == 0 || !slices.Contains(e.Resources, e.Resource) {
			t.Errorf("%s: resource %q, resources %q", e.Action, e.Resource, e.Resources)
		}
		if e.Action != "glue:GetTable" {
			continue
		}
		glue++
		const p = "arn:aws:glue:us-east-1:111122223333:"
		want := []string{p + "catalog", p + "database/hr", p + "table/hr/salaries"}
		if e.Count != 1 || !slices.Equal(e.Resources, want) || e.Resource != p+"table/hr/salaries" {
			t.Errorf("glue:GetTable: count %d, resource %s, resources %q; want 1 call naming %q, the table first", e.Count, e.Resource, e.Resources, want)
		}
		if id := e.Fix.IdentityPolicy; id == nil || len(id.Statement) != 1 || !slices.Equal(id.Statement[0].Resource, want) {
			t.Errorf("glue:GetTable: fix %+v, want one statement on %q", e.Fix.IdentityPolicy, want)
		}
	}
	if glue != 1 || len(entries) != 6 || records != 6 {
		t.Errorf("%d entries (%d of glue:GetTable) counting %d records; want 6, 1 and 6", len(entries), glue, records)
	}
}

// TestDeniedForms runs denied and suggest --include-denied over calls the
// other fixtures lack: the older explicit-deny form, which names no policy
// type (never granted, its fix the layers that may hold the Deny), two
// Glue tables of one database, and two objects denied in the same second.
func TestDeniedForms(t *testing.T) {
	const src = "testdata/denied.forms.trail.json" // a trail; denied.forms.json is the golden output
	stdout, stderr, code := run(t, "denied", "--source", src)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.forms.txt", stdout)
	for _, s := range []string{"denied: 8 records in 6 entries\n", "by reason: explicit-deny-unknown 2 (3 records), identity-policy 4 (5 records)\n"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	stdout, stderr, code = run(t, "denied", "--source", src, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "denied.forms.json", stdout)
	var entries []report.DeniedEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%s %d %s %v", e.Action, e.Count, e.Reason, e.Explicit))
		if e.Reason != "explicit-deny-unknown" {
			continue
		}
		find := strings.Join(e.Fix.Find, "\n")
		if e.Fix.Kind != "remove-explicit-deny" || e.Fix.IdentityPolicy != nil || !strings.Contains(find, "aws iam simulate-principal-policy") ||
			!strings.Contains(find, "tailor verify") || !strings.Contains(e.Fix.Summary, "service control policy") {
			t.Errorf("%s: fix %+v", e.Action, e.Fix)
		}
	}
	want := []string{"glue:GetTable 2 identity-policy false", "glue:GetTable 1 identity-policy false", "lambda:ListFunctions 2 explicit-deny-unknown true",
		"s3:GetObject 1 identity-policy false", "s3:GetObject 1 identity-policy false", "sqs:SendMessage 1 explicit-deny-unknown true"}
	if !slices.Equal(got, want) {
		t.Errorf("entries\n got %q\nwant %q", got, want)
	}

	stdout, stderr, code = run(t, "suggest", "--role", "forms-app", "--source", src, "--include-denied")
	if code != 0 {
		t.Fatalf("suggest: exit %d\n%s", code, stderr)
	}
	for _, a := range []string{"lambda:ListFunctions", "sqs:SendMessage"} {
		if strings.Contains(stdout, a) {
			t.Errorf("suggest --include-denied grants %s, an explicit deny:\n%s", a, stdout)
		}
		if !strings.Contains(stderr, "denied, not granted: "+a) {
			t.Errorf("suggest does not list %s as denied and not granted:\n%s", a, stderr)
		}
	}
	for _, a := range []string{"glue:GetTable", "s3:GetObject"} {
		if !strings.Contains(stdout, a) {
			t.Errorf("suggest --include-denied does not grant %s, an identity-policy denial:\n%s", a, stdout)
		}
	}
}
