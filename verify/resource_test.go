package verify_test

import (
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/verify"
)

// TestResourcePolicies combines identity and resource-based policies as IAM
// does within an account, across accounts, and for KMS keys.
func TestResourcePolicies(t *testing.T) {
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/service/checkout-api", Kind: analyze.KindRole, Account: "111122223333"}
	fact := func(action, resource string) analyze.Fact {
		return analyze.Fact{FactKey: analyze.FactKey{Action: action, Resource: resource, Region: "us-east-1"}, Stat: analyze.Stat{Count: 1}}
	}
	ownQueue := "arn:aws:sqs:us-east-1:111122223333:orders"
	otherQueue := "arn:aws:sqs:us-east-1:444455556666:orders"
	key := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	doc := func(stmts string) *policy.Document {
		return mustParse(t, `{"Version":"2012-10-17","Statement":[`+stmts+`]}`)
	}
	none := doc(`{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}`)
	allowSend := func(resource string) *policy.Document {
		return doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"` + resource + `"}`)
	}
	toRole := `"Principal":{"AWS":"arn:aws:iam::111122223333:role/service/checkout-api"}`
	toAccount := `"Principal":{"AWS":"arn:aws:iam::111122223333:root"}`
	tests := []struct {
		name     string
		identity *policy.Document
		rp       verify.ResourcePolicy
		fact     analyze.Fact
		ok       bool
		layer    string
	}{
		{"same account: the queue policy alone allows", none, verify.ResourcePolicy{ARN: ownQueue, Doc: doc(`{"Effect":"Allow",` + toRole + `,"Action":"sqs:SendMessage","Resource":"` + ownQueue + `"}`)}, fact("sqs:SendMessage", ownQueue), true, ""},
		{"same account: an Allow naming the account defers to identity", none, verify.ResourcePolicy{ARN: ownQueue, Doc: doc(`{"Effect":"Allow",` + toAccount + `,"Action":"sqs:SendMessage","Resource":"` + ownQueue + `"}`)}, fact("sqs:SendMessage", ownQueue), false, verify.LayerIdentity},
		{"same account: identity alone allows", allowSend(ownQueue), verify.ResourcePolicy{ARN: ownQueue, Doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/other"},"Action":"sqs:SendMessage","Resource":"*"}`)}, fact("sqs:SendMessage", ownQueue), true, ""},
		{"cross account: the queue policy must allow too", allowSend(otherQueue), verify.ResourcePolicy{ARN: otherQueue, Doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sqs:SendMessage","Resource":"*"}`)}, fact("sqs:SendMessage", otherQueue), false, verify.LayerResource},
		{"cross account: both allow", allowSend(otherQueue), verify.ResourcePolicy{ARN: otherQueue, Doc: doc(`{"Effect":"Allow",` + toAccount + `,"Action":"sqs:SendMessage","Resource":"*"}`)}, fact("sqs:SendMessage", otherQueue), true, ""},
		{"cross account: identity must allow too", none, verify.ResourcePolicy{ARN: otherQueue, Doc: doc(`{"Effect":"Allow",` + toRole + `,"Action":"sqs:SendMessage","Resource":"*"}`)}, fact("sqs:SendMessage", otherQueue), false, verify.LayerIdentity},
		{"a bucket policy's deny covers its objects", doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), verify.ResourcePolicy{ARN: "arn:aws:s3:::receipts", Doc: doc(`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Effect":"Deny",` + toRole + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::receipts/private/*"}`)}, fact("s3:GetObject", "arn:aws:s3:::receipts/private/a.pdf"), false, verify.LayerResource},
		{"a policy for another bucket does not apply", doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), verify.ResourcePolicy{ARN: "arn:aws:s3:::receipts-archive", Doc: doc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}`)}, fact("s3:GetObject", "arn:aws:s3:::receipts/a.pdf"), true, ""},
		{"KMS: a key policy deferring to IAM needs identity", doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"` + key + `"}`), verify.ResourcePolicy{ARN: key, Doc: doc(`{"Effect":"Allow",` + toAccount + `,"Action":"kms:*","Resource":"*"}`)}, fact("kms:Decrypt", key), true, ""},
		{"KMS: identity alone is not enough", doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"` + key + `"}`), verify.ResourcePolicy{ARN: key, Doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"kms:*","Resource":"*"}`)}, fact("kms:Decrypt", key), false, verify.LayerResource},
		{"KMS: a key policy naming the role allows alone", none, verify.ResourcePolicy{ARN: key, Doc: doc(`{"Effect":"Allow",` + toRole + `,"Action":"kms:Decrypt","Resource":"*"}`)}, fact("kms:Decrypt", key), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := verify.Layers{Identity: []*policy.Document{tc.identity}, Resources: []verify.ResourcePolicy{tc.rp}}
			ok, layer, why := l.Decide(verify.Requests(role, tc.fact)[0])
			if ok != tc.ok || layer != tc.layer {
				t.Errorf("Decide = %v, %q (%s); want %v, %q", ok, layer, why, tc.ok, tc.layer)
			}
		})
	}
}
