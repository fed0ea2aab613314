package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSuggestReportsUnmapped: calls that map to no catalog action are left
// out of the policy, and suggest says so, by event, denied or not.
func TestSuggestReportsUnmapped(t *testing.T) {
	dir := t.TempDir()
	rec := func(source, name, code, msg string) string {
		return `{"eventVersion":"1.09","eventTime":"2026-11-04T10:00:00Z","eventSource":"` + source + `","eventName":"` + name +
			`","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.40","eventType":"AwsApiCall","recipientAccountId":"111122223333",` +
			`"errorCode":"` + code + `","errorMessage":"` + msg + `",` +
			`"userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::111122223333:assumed-role/app-role/s","accountId":"111122223333",` +
			`"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/app-role","accountId":"111122223333","userName":"app-role"}}},` +
			`"requestParameters":{"bucketName":"b","key":"k"},"responseElements":null}`
	}
	trail := `{"Records":[` + strings.Join([]string{
		rec("s3.amazonaws.com", "GetObject", "", ""),
		rec("mobile.amazonaws.com", "DescribeProject", "", ""),
		rec("frobnicator.amazonaws.com", "FrobThing", "AccessDenied", "User: arn:aws:sts::111122223333:assumed-role/app-role/s is not authorized to perform: frobnicator:FrobThing with an explicit deny in a service control policy"),
	}, ",") + `]}`
	if err := os.WriteFile(filepath.Join(dir, "trail.json"), []byte(trail), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "suggest", "--role", "app-role", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"unmapped: mobile.amazonaws.com DescribeProject (mobile:DescribeProject): 1 calls map to no IAM action in the catalog; the policy leaves them out",
		"unmapped: frobnicator.amazonaws.com FrobThing (frobnicator:FrobThing): 1 denied calls (scp), message naming frobnicator:FrobThing, map to no IAM action in the catalog",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestDeniedReportsUnmapped: a denied call that maps to no catalog action
// is not lost from `tailor denied`: stderr names it, with its reason.
func TestDeniedReportsUnmapped(t *testing.T) {
	dir := t.TempDir()
	rec := `{"Records":[{"eventVersion":"1.09","eventTime":"2026-11-04T10:00:00Z","eventSource":"frobnicator.amazonaws.com","eventName":"FrobThing",` +
		`"awsRegion":"us-east-1","sourceIPAddress":"203.0.113.40","eventType":"AwsApiCall","recipientAccountId":"111122223333",` +
		`"errorCode":"AccessDenied","errorMessage":"Access Denied",` +
		`"userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"}}]}`
	if err := os.WriteFile(filepath.Join(dir, "trail.json"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, _ := run(t, "denied", "--source", dir)
	want := "unmapped: frobnicator.amazonaws.com FrobThing (frobnicator:FrobThing): 1 denied calls (unknown) map to no IAM action in the catalog; not listed"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
