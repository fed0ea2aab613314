package policy

import "testing"

func TestEvaluateFor(t *testing.T) {
	role := Caller{ARN: "arn:aws:iam::111122223333:role/service/checkout-api", Account: "111122223333"}
	other := Caller{ARN: "arn:aws:iam::444455556666:role/reader", Account: "444455556666"}
	get := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::receipts/2026/a.pdf"}
	doc := func(stmts string) string { return `{"Version":"2012-10-17","Statement":[` + stmts + `]}` }
	tests := []struct {
		name       string
		policy     string
		caller     Caller
		effect     Effect
		viaAccount bool
	}{
		{"names the role", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service/checkout-api"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), role, Allow, false},
		{"names another role", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/other"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), role, ImplicitDeny, false},
		{"everyone", doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), other, Allow, false},
		{"AWS *", doc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`), other, Allow, false},
		{"the account by id", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), role, Allow, true},
		{"the account by root ARN", doc(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), role, Allow, true},
		{"another account's root", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*"}`), role, ImplicitDeny, false},
		{"a service principal never names a role", doc(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"}`), role, ImplicitDeny, false},
		{"deny the account denies its roles", doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}`), role, ExplicitDeny, false},
		{"NotPrincipal deny spares the named", doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/service/checkout-api"},"Action":"s3:*","Resource":"*"}`), role, Allow, false},
		{"NotPrincipal deny denies the rest", doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/service/checkout-api"},"Action":"s3:*","Resource":"*"}`), other, ExplicitDeny, false},
		{"direct allow preferred to account allow", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service/checkout-api"},"Action":"s3:GetObject","Resource":"*"}`), role, Allow, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.policy))
			if err != nil {
				t.Fatal(err)
			}
			g := d.EvaluateFor(get, tc.caller)
			if g.Effect != tc.effect || g.ViaAccount != tc.viaAccount {
				t.Errorf("EvaluateFor = %v (via account %v: %s), want %v, %v", g.Effect, g.ViaAccount, g.Reason, tc.effect, tc.viaAccount)
			}
		})
	}
}
