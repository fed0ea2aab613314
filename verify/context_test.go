package verify_test

import (
	"reflect"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/verify"
)

var alice = analyze.Principal{ARN: "arn:aws:iam::111122223333:user/alice", Kind: analyze.KindUser, Account: "111122223333", ID: "AIDAEXAMPLEALICE"}

// TestReplayContext replays facts under conditions on the context keys a
// CloudTrail event gives, and on resources the trail did not reveal.
func TestReplayContext(t *testing.T) {
	cat := catalog.Embedded()
	doc := func(js string) []*policy.Document { return []*policy.Document{mustParse(t, js)} }
	allowAll := `{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}`
	seen := func(o analyze.Origin, first, last int64) analyze.Seen {
		return analyze.Seen{Origin: o, First: first, Last: last}
	}
	get := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Region: "us-east-1"},
		Stat: analyze.Stat{Count: 2, First: 1715670000, Last: 1715680000, Origins: []analyze.Seen{
			seen(analyze.Origin{IP: "10.20.3.41", TLS: true}, 1715670000, 1715670000), seen(analyze.Origin{IP: "203.0.113.40", TLS: true}, 1715680000, 1715680000)}}}
	viaCFN := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"},
		Stat: analyze.Stat{Count: 1, Last: 1715680000, Origins: []analyze.Seen{seen(analyze.Origin{Service: "cloudformation.amazonaws.com", TLS: true}, 1715680000, 1715680000)}}}
	throughVPCE := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"},
		Stat: analyze.Stat{Count: 1, Last: 1715680000, Origins: []analyze.Seen{seen(analyze.Origin{IP: "10.20.3.41", VPCE: "vpce-0a1b2c3d", TLS: true}, 1715680000, 1715680000)}}}
	noTLSDetails := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"},
		Stat: analyze.Stat{Count: 1, Last: 1715680000, Origins: []analyze.Seen{seen(analyze.Origin{IP: "10.20.3.41"}, 1715680000, 1715680000)}}}
	mfaSession := analyze.Fact{FactKey: analyze.FactKey{Action: "ec2:DescribeInstances", Resource: "*"},
		Stat: analyze.Stat{Count: 1, Last: 1715680000, Origins: []analyze.Seen{seen(analyze.Origin{IP: "10.20.3.41", TLS: true, MFA: "true"}, 1715680000, 1715680000)}}}
	describe := analyze.Fact{FactKey: analyze.FactKey{Action: "ec2:DescribeInstances", Resource: "*"}, Stat: analyze.Stat{Count: 1}}
	unknownKey := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "*"}, Stat: analyze.Stat{Count: 1}}
	literalKey := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/data/a${*}b.txt"}, Stat: analyze.Stat{Count: 1}}
	folded := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::datalake/sales/*"}, Stat: analyze.Stat{Count: 1}}
	query := analyze.Fact{FactKey: analyze.FactKey{Action: "athena:GetQueryExecution", Resource: "*"}, Stat: analyze.Stat{Count: 1}}
	tests := []struct {
		name         string
		policy       string
		fact         analyze.Fact
		allowed      bool
		undetermined bool
		origin       analyze.Origin
	}{
		{"deny outside every address never applies", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"Net","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["0.0.0.0/0","::/0"]}}}]}`, get, true, false, analyze.Origin{}},
		{"deny outside the office denies the request from elsewhere", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"Net","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.20.0.0/16"]}}}]}`, get, false, false, analyze.Origin{IP: "203.0.113.40", TLS: true}},
		{"each origin at its own times: a cutover after the office address was last used", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"Cutover","Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.20.0.0/16"},"DateGreaterThan":{"aws:CurrentTime":"2024-05-14T08:00:00Z"}}}]}`, get, true, false, analyze.Origin{}},
		{"whether a service used the principal's credentials is undetermined when it decides", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"Net","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.20.0.0/16"]},"Bool":{"aws:ViaAWSService":"false"}}}]}`, viaCFN, false, true, analyze.Origin{Service: "cloudformation.amazonaws.com", TLS: true}},
		{"without the exemption a service's call has no source IP and is denied", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"Net","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.20.0.0/16"]}}}]}`, viaCFN, false, false, analyze.Origin{Service: "cloudformation.amazonaws.com", TLS: true}},
		{"CalledVia only when the service used the principal's credentials", `{"Version":"2012-10-17","Statement":[{"Sid":"Only","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":["cloudformation.amazonaws.com"]}}}]}`, viaCFN, false, true, analyze.Origin{Service: "cloudformation.amazonaws.com", TLS: true}},
		{"through an endpoint: SourceVpce, not SourceIp", `{"Version":"2012-10-17","Statement":[{"Sid":"E","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"},"Null":{"aws:SourceIp":"true"}}}]}`, throughVPCE, true, false, analyze.Origin{}},
		{"TLS required: a record with tlsDetails passes", `{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, get, true, false, analyze.Origin{}},
		{"TLS required: a record without tlsDetails is undetermined", `{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, noTLSDetails, false, true, analyze.Origin{IP: "10.20.3.41"}},
		{"MFA required: an MFA session passes", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"MFA","Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`, mfaSession, true, false, analyze.Origin{}},
		{"principal account, type, name and id", `{"Version":"2012-10-17","Statement":[{"Sid":"Acct","Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:PrincipalType":"User","aws:username":"alice"},"StringLike":{"aws:userid":"AIDA*"}}}]}`, get, true, false, analyze.Origin{}},
		{"a time window the last request falls outside", `{"Version":"2012-10-17","Statement":[{"Sid":"Until","Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2024-05-14T08:00:00Z"}}}]}`, get, false, false, analyze.Origin{IP: "203.0.113.40", TLS: true}},
		{"an action without resources is determined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, describe, false, false, analyze.Origin{}},
		{"explicit deny on an unknown resource is determined", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"No","Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`, unknownKey, false, false, analyze.Origin{}},
		{"an unknown resource an ARN-scoped Allow may cover is undetermined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, unknownKey, false, true, analyze.Origin{}},
		{"an unknown resource no Allow names the action for is determined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`, unknownKey, false, false, analyze.Origin{}},
		{"an Allow on another service's ARN does not make an unknown resource undetermined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}]}`, query, false, false, analyze.Origin{}},
		{"a folded resource under another bucket's grant is determined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::unrelated-bucket/*"}]}`, folded, false, false, analyze.Origin{}},
		{"a folded resource under a grant on its parent's part is undetermined", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::datalake/sales/2026/*"}]}`, folded, false, true, analyze.Origin{}},
		{"a literal * in a key is no pattern", `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/data/other.txt"}]}`, literalKey, false, false, analyze.Origin{}},
		{"a Deny scoped to an ARN the unknown resource may be makes it undetermined", `{"Version":"2012-10-17","Statement":[` + allowAll + `,{"Sid":"No","Effect":"Deny","Action":"athena:*","Resource":"arn:aws:athena:*:*:workgroup/analytics"}]}`, query, false, true, analyze.Origin{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := verify.Replay(cat, alice, []analyze.Fact{tc.fact}, verify.Layers{Identity: doc(tc.policy)})
			r := rs[0]
			if r.Allowed != tc.allowed || r.Undetermined != tc.undetermined || r.Origin != tc.origin {
				t.Errorf("Replay = allowed %v, undetermined %v, origin %+v (%s); want %v, %v, %+v", r.Allowed, r.Undetermined, r.Origin, r.Reason, tc.allowed, tc.undetermined, tc.origin)
			}
		})
	}
}

// TestCompareDenyAndScope checks what diff counts as granted and used.
func TestCompareDenyAndScope(t *testing.T) {
	cat := catalog.Embedded()
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/checkout-api", Kind: analyze.KindRole, Account: "111122223333"}
	facts := []analyze.Fact{
		{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::checkout-receipts/a.pdf"}, Stat: analyze.Stat{Count: 1}},
		{FactKey: analyze.FactKey{Action: "ec2:DescribeInstances", Resource: "*"}, Stat: analyze.Stat{Count: 1}},
	}
	t.Run("an unconditional deny takes actions out of the grant", func(t *testing.T) {
		d := verify.Compare(cat, role, []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":["ec2:DescribeInstances","iam:*"],"Resource":"*"}]}`)}, facts)
		for _, a := range d.Granted {
			if a == "ec2:DescribeInstances" || a == "iam:AcceptDelegationRequest" {
				t.Errorf("%s counted as granted", a)
			}
		}
		if len(d.NotGranted) != 1 || d.NotGranted[0].Action != "ec2:DescribeInstances" || d.NotGranted[0].Undetermined {
			t.Errorf("not granted: %+v", d.NotGranted)
		}
	})
	t.Run("an action used only outside the grant is unused", func(t *testing.T) {
		d := verify.Compare(cat, role, []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::other-bucket/*"}]}`)}, facts)
		if want := []string{"s3:GetObject", "s3:PutObject"}; !reflect.DeepEqual(d.Unused, want) {
			t.Errorf("unused %v, want %v", d.Unused, want)
		}
	})
	t.Run("actions the catalog does not know are reported", func(t *testing.T) {
		d := verify.Compare(cat, role, []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjects","s3:GetObject","lambda:Invoke*"],"Resource":"*"}]}`)}, facts)
		if want := []string{"s3:GetObjects"}; !reflect.DeepEqual(d.Unknown, want) {
			t.Errorf("unknown %v, want %v", d.Unknown, want)
		}
	})
}
