package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // one line per problem; none for a valid document
	}{
		{"valid", doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"Null":{"aws:TokenIssueTime":"true"}}}`), nil},
		{"operator without keys", doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}`), []string{
			`policy: Statement[0].Condition.StringEquals: no condition keys: the operator tests nothing`,
		}},
		{"unknown operator", doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"k":"v"},"ForAnyValue:Null":{"k":"true"},"NullIfExists":{"k":"true"}}}`), []string{
			`policy: Statement[0].Condition: unknown operator "ForAnyValue:Null": the statement never applies`,
			`policy: Statement[0].Condition: unknown operator "NullIfExists": the statement never applies`,
			`policy: Statement[0].Condition: unknown operator "StringEqualz": the statement never applies`,
		}},
		{"values the operator cannot read", doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
			"NumericLessThan":{"s3:max-keys":"ten"},
			"DateGreaterThan":{"aws:CurrentTime":"yesterday"},
			"IpAddress":{"aws:SourceIp":["203.0.113.0/24","203.0.113.0/33"]},
			"BoolIfExists":{"aws:SecureTransport":"yes"},
			"Null":{"k":"maybe"}}}`), []string{
			`policy: Statement[0].Condition.BoolIfExists.aws:SecureTransport: "yes" is not true or false`,
			`policy: Statement[0].Condition.DateGreaterThan.aws:CurrentTime: "yesterday" is not an ISO 8601 date or epoch time`,
			`policy: Statement[0].Condition.IpAddress.aws:SourceIp: "203.0.113.0/33" is not an IP address or CIDR block`,
			`policy: Statement[0].Condition.Null.k: "maybe" is not true or false`,
			`policy: Statement[0].Condition.NumericLessThan.s3:max-keys: "ten" is not a number`,
		}},
		{"action and resource forms", doc(`{"Effect":"Allow","Action":["GetItem","dynamodb:Query"],"Resource":["table/Thread","*"]}`), []string{
			`policy: Statement[0].Action[0]: "GetItem" has no service prefix`,
			`policy: Statement[0].Resource[0]: "table/Thread" is neither "*" nor an ARN`,
		}},
		{"variables in a 2008 document", `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"StringLike":{"s3:prefix":"${aws:username}/*"}}}}`, []string{
			`policy: Statement[0].Resource[0]: policy variables are literal text unless Version is 2012-10-17`,
			`policy: Statement[0].Condition.StringLike.s3:prefix: policy variables are literal text unless Version is 2012-10-17`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := mustParse(t, tc.text).Validate()
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Validate:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	d := &Document{Statement: []Statement{{Effect: "allow", Resource: []string{"*"}}}}
	want := "policy: Statement[0].Effect: \"allow\" is not Allow or Deny\npolicy: Statement[0]: no Action or NotAction"
	if err := d.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %s", err, want)
	}
	if got := d.Evaluate(req("s3:GetObject", "*")); got.Effect != ImplicitDeny {
		t.Errorf("Evaluate = %+v", got)
	}
}

func TestValidateAWSExamples(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "awsdocs", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := mustParse(t, string(data)).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateIdentity(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"valid", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOrders2","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, nil},
		{"principal and a Sid with a dash", `{"Version":"2012-10-17","Statement":[{"Sid":"read-orders","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}]}`, []string{
			`policy: Statement[0]: an identity-based policy names no Principal; IAM rejects it`,
			`policy: Statement[0].Sid: "read-orders": IAM accepts only letters and digits in an identity-based policy`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := mustParse(t, tc.text).ValidateIdentity()
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("ValidateIdentity:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
