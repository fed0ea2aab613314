package main

import (
	"strings"
	"testing"
)

// TestFederatedPrincipal: no identity policy applies to a web identity or
// SAML caller; suggest names the role it assumes, while denied lists its
// denials with a trust-policy fix.
func TestFederatedPrincipal(t *testing.T) {
	const gha = "WebIdentityUser/repo:example-org/orders-app:ref:refs/heads/main"
	_, stderr, code := run(t, "suggest", "--source", "../../fixtures/denials", "--principal", gha)
	if want := "tailor the role it assumes: --role arn:aws:iam::111122223333:role/gha-deploy"; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("suggest: exit %d, want %d and %q\n%s", code, exitUsage, want, stderr)
	}
	stdout, stderr, code := run(t, "denied", "--source", "../../fixtures/denials", "--principal", "SAMLUser/carol@example.com", "--format", "json")
	if want := `"Federated": [`; code != 0 || !strings.Contains(stdout, "saml-provider/ExampleIdP") || !strings.Contains(stdout, want) {
		t.Errorf("denied: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
