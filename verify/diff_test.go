package verify_test

import (
	"reflect"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/verify"
)

func TestFamily(t *testing.T) {
	tests := []struct{ action, want string }{
		{"s3:GetObject", "Get"},
		{"GetObject", "Get"},
		{"ec2:DescribeInstances", "Describe"},
		{"rds:CreateDBInstance", "Create"},
		{"s3:ListBucket", "List"},
		{"sns:Publish", "Publish"},
		{"sts:AssumeRoleWithSAML", "Assume"},
		{"es:ESHttpGet", "ES"},
		{"execute-api:GET", "GET"},
		{"ec2:EC2Instance", "EC2"},
		{"dynamodb:PartiQLSelect", "Parti"}, // the leading word, not the brand
		{"aws-marketplace:viewReports", "view"},
		{"a:x", "x"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := verify.Family(tc.action); got != tc.want {
			t.Errorf("Family(%q) = %q, want %q", tc.action, got, tc.want)
		}
	}
}

// TestCompareByService checks the per-service summary: granted, used and
// unused counts, the unused actions by family, and the order (services
// used first, then by unused count).
func TestCompareByService(t *testing.T) {
	cat := catalog.Embedded()
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app", Kind: analyze.KindRole, Account: "111122223333"}
	doc := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"S3","Effect":"Allow","Action":["s3:GetObject","s3:GetBucketPolicy","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
		{"Sid":"Queue","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"*"},
		{"Sid":"Keys","Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKey","kms:GenerateDataKeyWithoutPlaintext","kms:GenerateRandom"],"Resource":"*"},
		{"Sid":"NoEncrypt","Effect":"Deny","Action":"kms:Encrypt","Resource":"*"}]}`)
	queue := "arn:aws:sqs:us-east-1:111122223333:q"
	facts := []analyze.Fact{
		{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, Stat: analyze.Stat{Count: 2}},
		// Used, but outside the grant: unused, and not granted.
		{FactKey: analyze.FactKey{Action: "s3:PutObject", Resource: "arn:aws:s3:::other/k"}, Stat: analyze.Stat{Count: 1}},
		{FactKey: analyze.FactKey{Action: "sqs:SendMessage", Resource: queue, Region: "us-east-1"}, Stat: analyze.Stat{Count: 1}},
		{FactKey: analyze.FactKey{Action: "sqs:ReceiveMessage", Resource: queue, Region: "us-east-1"}, Stat: analyze.Stat{Count: 1}},
	}
	d := verify.Compare(cat, role, []*policy.Document{doc}, facts)
	want := []verify.ServiceUse{
		{Service: "s3", Granted: 4, Used: 1, Unused: 3, Families: []verify.FamilyCount{{Family: "Get", Unused: 1}, {Family: "List", Unused: 1}, {Family: "Put", Unused: 1}}},
		{Service: "sqs", Granted: 3, Used: 2, Unused: 1, Families: []verify.FamilyCount{{Family: "Delete", Unused: 1}}},
		// kms:Encrypt is denied everywhere: not granted.
		{Service: "kms", Granted: 4, Used: 0, Unused: 4, Families: []verify.FamilyCount{{Family: "Generate", Unused: 3}, {Family: "Decrypt", Unused: 1}}},
	}
	if !reflect.DeepEqual(d.Services, want) {
		t.Errorf("services:\n got %+v\nwant %+v", d.Services, want)
	}
	if len(d.NotGranted) != 1 || d.NotGranted[0].Action != "s3:PutObject" {
		t.Errorf("not granted: %+v", d.NotGranted)
	}
}

// TestCompareByServiceAllActions: for "Action": "*" the services add up to
// the grant, and the order holds.
func TestCompareByServiceAllActions(t *testing.T) {
	cat := catalog.Embedded()
	role := analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app", Kind: analyze.KindRole, Account: "111122223333"}
	facts := []analyze.Fact{
		{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, Stat: analyze.Stat{Count: 1}},
		{FactKey: analyze.FactKey{Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:111122223333:t", Region: "us-east-1"}, Stat: analyze.Stat{Count: 1}},
	}
	d := verify.Compare(cat, role, []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}, facts)
	withActions := 0
	for _, s := range cat.Services() {
		if len(s.Actions()) > 0 {
			withActions++
		}
	}
	if len(d.Services) != withActions {
		t.Errorf("%d services, want every one of the catalog's %d", len(d.Services), withActions)
	}
	var granted, unused int
	seen := map[string]bool{}
	for i, s := range d.Services {
		if seen[s.Service] {
			t.Errorf("%s listed twice", s.Service)
		}
		seen[s.Service] = true
		granted += s.Granted
		unused += s.Unused
		if s.Granted != s.Used+s.Unused {
			t.Errorf("%s: granted %d != used %d + unused %d", s.Service, s.Granted, s.Used, s.Unused)
		}
		inFamilies := 0
		for j, f := range s.Families {
			inFamilies += f.Unused
			if j > 0 && f.Unused > s.Families[j-1].Unused {
				t.Errorf("%s: family %s (%d) after %s (%d)", s.Service, f.Family, f.Unused, s.Families[j-1].Family, s.Families[j-1].Unused)
			}
		}
		if inFamilies != s.Unused {
			t.Errorf("%s: families hold %d of %d unused actions", s.Service, inFamilies, s.Unused)
		}
		if i == 0 {
			continue
		}
		prev := d.Services[i-1]
		if prev.Used == 0 && s.Used > 0 || (prev.Used > 0) == (s.Used > 0) && prev.Unused < s.Unused {
			t.Errorf("%s (used %d, unused %d) after %s (used %d, unused %d)", s.Service, s.Used, s.Unused, prev.Service, prev.Used, prev.Unused)
		}
	}
	if granted != len(d.Granted) || unused != len(d.Unused) {
		t.Errorf("services hold %d granted and %d unused; the diff %d and %d", granted, unused, len(d.Granted), len(d.Unused))
	}
	if d.Services[0].Service != "s3" || d.Services[0].Used != 1 || d.Services[1].Service != "sns" || d.Services[1].Used != 1 {
		t.Errorf("first services: %+v, %+v", d.Services[0], d.Services[1])
	}
}
