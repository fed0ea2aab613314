package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	var entries []deniedEntry
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
	}
	const role = "arn:aws:iam::111122223333:role/service/orders-app"
	wants := map[string]want{
		"dynamodb:UpdateItem": {reason: "identity-policy", code: "AccessDeniedException", fix: "add-identity-statement", count: 2, identity: true,
			docHas: []string{"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}},
		"secretsmanager:DeleteSecret": {reason: "explicit-deny-identity", code: "AccessDeniedException", explicit: true, fix: "remove-explicit-deny", count: 1,
			policy: "arn:aws:iam::111122223333:policy/DenySecretDeletion", authID: "7a1b2c3d4e5f"},
		"ec2:RunInstances": {reason: "scp", code: "Client.UnauthorizedOperation", explicit: true, fix: "change-organization-policy", count: 1,
			policy: "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-gpudeny1"},
		"s3:PutObject": {reason: "rcp", code: "AccessDenied", explicit: true, fix: "change-organization-policy", count: 1,
			policy: "arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/resource_control_policy/p-rcpnoext"},
		"sqs:DeleteQueue/permissions-boundary": {reason: "permissions-boundary", code: "AccessDenied", fix: "add-boundary-statement", count: 1, identity: true, boundary: true,
			docHas: []string{"arn:aws:sqs:us-east-1:111122223333:orders-dlq"}},
		"sqs:DeleteQueue/identity-policy": {reason: "identity-policy", code: "AccessDenied", fix: "add-identity-statement", count: 1, identity: true},
		"iam:CreateUser": {reason: "permissions-boundary", code: "AccessDenied", explicit: true, fix: "remove-explicit-deny", count: 1,
			policy: "arn:aws:iam::111122223333:policy/AppBoundary"},
		"sns:Publish": {reason: "session-policy", code: "AuthorizationError", fix: "change-session-policy", count: 1, rp: true},
		"kms:Decrypt": {reason: "resource-policy", code: "AccessDeniedException", fix: "add-resource-policy-statement", count: 1, rp: true,
			target: "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", docHas: []string{`"Principal":{"AWS":["` + role + `"]}`}},
		"s3:GetObject/vpc-endpoint-policy": {reason: "vpc-endpoint-policy", code: "AccessDenied", explicit: true, fix: "remove-explicit-deny", count: 1},
		"s3:ListBucket":                    {reason: "vpc-endpoint-policy", code: "AccessDenied", fix: "change-vpc-endpoint-policy", count: 1, rp: true},
		"sts:AssumeRole": {reason: "role-trust-policy", code: "AccessDenied", fix: "add-trust-policy-statement", count: 1, rp: true,
			target: "arn:aws:iam::111122223333:role/admin", docHas: []string{`"Principal":{"AWS":["arn:aws:iam::111122223333:user/bob"]}`}},
		"s3:PutBucketAcl": {reason: "s3-block-public-access", code: "AccessDenied", fix: "s3-block-public-access", count: 1},
		"s3:GetObject/unknown": {reason: "unknown", code: "AccessDenied", fix: "add-identity-statement", count: 1, identity: true,
			docHas: []string{"arn:aws:s3:::vendor-reports/2026/q3.pdf"}},
		"ec2:StartInstances": {reason: "unknown", code: "Client.UnauthorizedOperation", fix: "add-identity-statement", count: 1, identity: true, encoded: true},
		"ecr:BatchGetImage":  {reason: "identity-policy", code: "AccessDeniedException", fix: "add-identity-statement", count: 1, identity: true, trunc: true},
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
			{"fix.summary set", e.Fix.Summary != "" && e.Fix.Owner != "", true},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: %s = %v, want %v", key, c.field, c.got, c.want)
			}
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
	for _, s := range []string{"by reason: explicit-deny-identity 1, identity-policy 4", "denied entries: 17"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
}

func TestDeniedFilters(t *testing.T) {
	stdout, _, code := run(t, "denied", "--source", deniedFixture, "--user", "bob", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var entries []deniedEntry
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

// TestDeniedDecode expands the fixture's encoded EC2 message through a
// local STS endpoint answering DecodeAuthorizationMessage as AWS does.
func TestDeniedDecode(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "DecodeAuthorizationMessage" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		got = append(got, r.Form.Get("EncodedMessage"))
		decoded := `{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"failures":{"items":[]},` +
			`"context":{"principal":{"id":"AIDAEXAMPLEBOB000001","arn":"arn:aws:iam::111122223333:user/bob"},"action":"ec2:StartInstances",` +
			`"resource":"arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210","conditions":{"items":[]}}}`
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<DecodeAuthorizationMessageResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><DecodeAuthorizationMessageResult><DecodedMessage>` +
			xmlEscape(decoded) + `</DecodedMessage></DecodeAuthorizationMessageResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DecodeAuthorizationMessageResponse>`))
	}))
	defer srv.Close()
	if u, _ := url.Parse(srv.URL); !strings.HasPrefix(u.Host, "127.0.0.1:") {
		t.Fatalf("test server not on loopback: %s", srv.URL)
	}
	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	})
	var out, errOut strings.Builder
	opts := &deniedOptions{IO: streams{Out: &out, ErrOut: &errOut}, principalFlags: principalFlags{User: "bob"}, Format: "json", Decode: true, decoder: client}
	opts.Read.Sources = []string{deniedFixture}
	opts.Read.Catalog = "embedded"
	if err := deniedRun(context.Background(), opts); err != nil {
		t.Fatal(err, errOut.String())
	}
	if len(got) != 1 || got[0] != "Zm9vYmFyRW5jb2RlZE1lc3NhZ2VGb3JUZXN0aW5nT25seTAxMjM0NTY3ODk" {
		t.Fatalf("decoded %q", got)
	}
	var entries []deniedEntry
	if err := json.Unmarshal([]byte(out.String()), &entries); err != nil {
		t.Fatal(err)
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
			!strings.Contains(e.Fix.Summary, "decoded: no statement allowed the request") {
			t.Errorf("decoded entry: reason %s, decoded %s", e.Reason, e.Decoded)
		}
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
