package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifySuggested(t *testing.T) {
	for _, role := range []string{"checkout-api", "ci-deployer", "report-builder"} {
		t.Run(role, func(t *testing.T) {
			out, stderr, code := run(t, "suggest", "--role", role)
			if code != 0 {
				t.Fatalf("suggest: exit %d\n%s", code, stderr)
			}
			path := filepath.Join(t.TempDir(), "policy.json")
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := run(t, "verify", "--role", role, "--policy", path)
			if code != 0 || !strings.Contains(stderr, "would deny: 0 observed successful requests") {
				t.Errorf("verify: exit %d\n%s\n%s", code, stdout, stderr)
			}
			stdout, stderr, code = run(t, "diff", "--role", role, "--policy", path, "--format", "json")
			if code != 0 || !strings.Contains(stdout, `"unusedActions": []`) {
				t.Errorf("diff: exit %d\n%s\n%s", code, stdout, stderr)
			}
		})
	}
}

func TestVerifyNarrowPolicy(t *testing.T) {
	stdout, stderr, code := run(t, "verify", "--role", "checkout-api", "--policy", "testdata/policy-wide.json")
	if code != exitUnallowed {
		t.Fatalf("exit %d, want %d\n%s", code, exitUnallowed, stderr)
	}
	golden(t, "verify-wide.txt", stdout)
	stdout, _, code = run(t, "verify", "--role", "checkout-api", "--policy", "testdata/policy-wide.json", "--format", "json")
	if code != exitUnallowed {
		t.Fatalf("exit %d", code)
	}
	golden(t, "verify-wide.json", stdout)
}

func TestDiffWidePolicy(t *testing.T) {
	stdout, stderr, code := run(t, "diff", "--role", "checkout-api", "--policy", "testdata/policy-wide.json")
	if code != exitUnallowed {
		t.Fatalf("exit %d, want %d\n%s", code, exitUnallowed, stderr)
	}
	golden(t, "diff-wide.txt", stdout)
	for _, want := range []string{"reduction: grants ", "resources never used: arn:aws:s3:::legacy-bucket/*"} {
		if !strings.Contains(stderr+stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestVerifyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "--role", "checkout-api"},
		{"verify", "--policy", "testdata/policy-wide.json"},
		{"verify", "--role", "checkout-api", "--policy", "testdata/nonexistent.json"},
		{"diff", "--role", "checkout-api", "--policy", "testdata/policy-wide.json", "--format", "yaml"},
	} {
		if _, _, code := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	// A file that is not a policy is an error, reported with where.
	_, stderr, code := run(t, "verify", "--role", "checkout-api", "--policy", "testdata/analyze.txt")
	if code != exitError || !strings.Contains(stderr, "testdata/analyze.txt: policy: invalid JSON at line 1") {
		t.Errorf("not a policy: exit %d, want %d\n%s", code, exitError, stderr)
	}
}

// TestVerifyResourcePolicy: a bucket policy's explicit Deny of the role
// denies requests the identity policy allows, on the bucket's objects.
func TestVerifyResourcePolicy(t *testing.T) {
	out, stderr, code := run(t, "suggest", "--role", "checkout-api")
	if code != 0 {
		t.Fatalf("suggest: exit %d\n%s", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "verify", "--role", "checkout-api", "--policy", path, "--format", "json",
		"--resource-policy", "arn:aws:s3:::acme-checkout-receipts=testdata/bucket-policy-deny.json")
	if code != exitUnallowed || !strings.Contains(stdout, `"layer": "resource-policy"`) || !strings.Contains(stdout, `denied explicitly by statement \"NoReceiptsForCheckout\"`) {
		t.Errorf("exit %d, want %d\n%s\n%s", code, exitUnallowed, stdout, stderr)
	}
	if strings.Contains(stdout, `"action": "s3:GetObject"`) {
		t.Errorf("the Deny names only s3:PutObject:\n%s", stdout)
	}
}
