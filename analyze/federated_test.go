package analyze

import (
	"testing"

	"github.com/tailor-iam/tailor/arn"
)

// TestFederatedProvider: one SAML user federating into two accounts through
// each account's provider: each denied call's fact carries its own
// provider, and the principal's ID is the same whatever the order.
func TestFederatedProvider(t *testing.T) {
	rec := func(acct string) string {
		return `{"eventVersion": "1.09", "userIdentity": {"type": "SAMLUser", "principalId": "Vx6lE7FbT1AjGQ3ZsnC4hH9NoTw=:carol@example.com", "userName": "carol@example.com", "identityProvider": "Vx6lE7FbT1AjGQ3ZsnC4hH9NoTw="},
			"eventTime": "2026-11-10T09:25:00Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML", "awsRegion": "us-east-1",
			"requestParameters": {"roleArn": "arn:aws:iam::` + acct + `:role/readonly", "principalArn": "arn:aws:iam::` + acct + `:saml-provider/Okta", "durationSeconds": 3600},
			"errorCode": "AccessDenied", "errorMessage": "Not authorized to perform sts:AssumeRoleWithSAML",
			"eventType": "AwsApiCall", "recipientAccountId": "` + acct + `"}`
	}
	for _, order := range [][]string{{"111111111111", "222222222222"}, {"222222222222", "111111111111"}} {
		agg := analyzeRecords(t, rec(order[0]), rec(order[1]))
		facts := agg.FactsOf("SAMLUser/carol@example.com")
		if len(facts) != 2 {
			t.Fatalf("facts: %v", facts)
		}
		for _, f := range facts {
			if want := "arn:aws:iam::" + arn.AccountOf(f.Resource) + ":saml-provider/Okta"; f.Provider != want {
				t.Errorf("%s: provider %q, want %q", f.Resource, f.Provider, want)
			}
		}
		if id := agg.Principals["SAMLUser/carol@example.com"].ID; id != "arn:aws:iam::111111111111:saml-provider/Okta" {
			t.Errorf("order %v: principal ID %q, want the least", order, id)
		}
	}
}
