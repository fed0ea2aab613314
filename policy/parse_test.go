package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseForms(t *testing.T) {
	allowGet := Statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"*"}}
	tests := []struct {
		name string
		text string
		want *Document
	}{
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			&Document{Version: Version2012, Statement: []Statement{allowGet}}},
		{"statement array", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}`,
			&Document{Version: Version2012, Statement: []Statement{allowGet}}},
		{"no version", `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			&Document{Statement: []Statement{allowGet}}},
		{"2008 version and Id", `{"Version":"2008-10-17","Id":"P1","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			&Document{Version: Version2008, ID: "P1", Statement: []Statement{allowGet}}},
		{"Sid, NotAction, NotResource", `{"Statement":[{"Sid":"S","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b"}]}`,
			&Document{Statement: []Statement{{Sid: "S", Effect: "Deny", NotAction: []string{"iam:*", "sts:*"}, NotResource: []string{"arn:aws:s3:::b"}}}}},
		{"condition value kinds", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
			"Bool":{"aws:SecureTransport":true,"aws:ViaAWSService":false},
			"NumericLessThan":{"s3:max-keys":10,"aws:MultiFactorAuthAge":"3600.50"},
			"NumericEquals":{"n":1.50},
			"StringEquals":{"mixed":["a",true,2e3],"empty":[]}}}}`,
			&Document{Statement: []Statement{{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}, Condition: Condition{
				"Bool":            {"aws:SecureTransport": {"true"}, "aws:ViaAWSService": {"false"}},
				"NumericLessThan": {"s3:max-keys": {"10"}, "aws:MultiFactorAuthAge": {"3600.50"}},
				"NumericEquals":   {"n": {"1.50"}},
				"StringEquals":    {"mixed": {"a", "true", "2e3"}, "empty": {}},
			}}}}},
		{"empty condition", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}}`,
			&Document{Statement: []Statement{{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}}}}},
		{"empty condition operator", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}}`,
			&Document{Statement: []Statement{{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}, Condition: Condition{"StringEquals": {}}}}}},
		{"principal star", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
			&Document{Statement: []Statement{{Effect: "Allow", Principal: &Principal{Wildcard: true}, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"}}}}},
		{"principal types", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333","Service":["ec2.amazonaws.com","lambda.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df9"},"Action":"sts:AssumeRole"}}`,
			&Document{Statement: []Statement{{Effect: "Allow", Principal: &Principal{IDs: map[string][]string{
				"AWS": {"111122223333"}, "Service": {"ec2.amazonaws.com", "lambda.amazonaws.com"},
				"Federated": {"cognito-identity.amazonaws.com"}, "CanonicalUser": {"79a59df9"},
			}}, Action: []string{"sts:AssumeRole"}}}}},
		{"principal AWS star", `{"Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}`,
			&Document{Statement: []Statement{{Effect: "Deny", Principal: &Principal{IDs: map[string][]string{"AWS": {"*"}}}, Action: []string{"s3:*"}, Resource: []string{"*"}}}}},
		{"NotPrincipal", `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::1:root"]},"Action":"s3:*","Resource":"*"}}`,
			&Document{Statement: []Statement{{Effect: "Deny", NotPrincipal: &Principal{IDs: map[string][]string{"AWS": {"arn:aws:iam::1:root"}}}, Action: []string{"s3:*"}, Resource: []string{"*"}}}}},
		{"whitespace and unicode", " \n{ \"Statement\" : { \"Effect\" : \"Allow\", \"Action\" : \"s3:GetObject\", \"Resource\" : \"arn:aws:s3:::b/caf\\u00e9\" } }\n",
			&Document{Statement: []Statement{{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/café"}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tc.want)
			}
			out, err := got.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse(out)
			if err != nil {
				t.Fatalf("parse the canonical form: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(again, got) {
				t.Errorf("canonical form parses to\n%#v\nwant\n%#v", again, got)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	stmt := func(body string) string { return `{"Version":"2012-10-17","Statement":[` + body + `]}` }
	const ok = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	tests := []struct {
		name, text, want string
	}{
		{"syntax", `{"Version":"2012-10-17",}`, `policy: invalid JSON at line 1, column 25 (byte 25): invalid character '}' looking for beginning of object key string`},
		{"truncated", `{"Statement":[`, `policy: invalid JSON at line 1, column 14 (byte 14): unexpected end of JSON input`},
		{"trailing data", `{"Statement":{}} x`, `policy: invalid JSON at line 1, column 18 (byte 18): invalid character 'x' after top-level value`},
		{"empty input", ``, `policy: invalid JSON at line 1, column 1 (byte 0): unexpected end of JSON input`},
		{"not an object", `["Statement"]`, `policy: document is an array, want an object`},
		{"unknown top-level element", `{"Version":"2012-10-17","Statment":[]}`, `policy: unknown element "Statment"`},
		{"lowercase element", `{"version":"2012-10-17","Statement":[]}`, `policy: unknown element "version"`},
		{"duplicate element", `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}`, `policy: duplicate element "Version"`},
		{"bad version", `{"Version":"2012-10-18","Statement":[]}`, `policy: Version: "2012-10-18" is not 2012-10-17 or 2008-10-17`},
		{"version number", `{"Version":2012,"Statement":[]}`, `policy: Version: want a string, got a number`},
		{"Id number", `{"Id":1,"Statement":[]}`, `policy: Id: want a string, got a number`},
		{"no statement", `{"Version":"2012-10-17"}`, `policy: no Statement`},
		{"empty statement array", `{"Statement":[]}`, `policy: Statement: empty array`},
		{"statement string", `{"Statement":"allow all"}`, `policy: Statement: want an object or an array, got a string`},
		{"statement element not object", stmt(ok + `,null`), `policy: Statement[1]: want an object, got null`},
		{"both Action and NotAction", stmt(ok + `,` + ok + `,{"Effect":"Allow","Action":"*","NotAction":"iam:*","Resource":"*"}`), `policy: Statement[2]: both Action and NotAction`},
		{"no Action", stmt(ok + `,{"Effect":"Allow","Resource":"*"}`), `policy: Statement[1]: no Action or NotAction`},
		{"bad Effect", stmt(`{"Effect":"Alow","Action":"*","Resource":"*"}`), `policy: Statement[0].Effect: "Alow" is not Allow or Deny`},
		{"lowercase Effect", stmt(`{"Effect":"allow","Action":"*","Resource":"*"}`), `policy: Statement[0].Effect: "allow" is not Allow or Deny`},
		{"no Effect", stmt(`{"Action":"*","Resource":"*"}`), `policy: Statement[0]: no Effect`},
		{"Effect boolean", stmt(`{"Effect":true,"Action":"*","Resource":"*"}`), `policy: Statement[0].Effect: want a string, got a boolean`},
		{"both Resource and NotResource", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"arn:aws:s3:::b"}`), `policy: Statement[0]: both Resource and NotResource`},
		{"no Resource", stmt(`{"Effect":"Allow","Action":"*"}`), `policy: Statement[0]: no Resource or NotResource`},
		{"both Principal and NotPrincipal", stmt(`{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*"}`), `policy: Statement[0]: both Principal and NotPrincipal`},
		{"object statement path", `{"Statement":{"Effect":"Allow","Action":"*"}}`, `policy: Statement: no Resource or NotResource`},
		{"action number", stmt(`{"Effect":"Allow","Action":["s3:GetObject",7],"Resource":"*"}`), `policy: Statement[0].Action[1]: want a string, got a number`},
		{"action empty array", stmt(`{"Effect":"Allow","Action":[],"Resource":"*"}`), `policy: Statement[0].Action: empty array`},
		{"action empty string", stmt(`{"Effect":"Allow","Action":"","Resource":"*"}`), `policy: Statement[0].Action: empty string`},
		{"resource empty string in array", stmt(`{"Effect":"Allow","Action":"*","Resource":["*",""]}`), `policy: Statement[0].Resource[1]: empty string`},
		{"resource object", stmt(`{"Effect":"Allow","Action":"*","Resource":{"arn":"x"}}`), `policy: Statement[0].Resource: want a string or an array of strings, got an object`},
		{"Sid number", stmt(`{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}`), `policy: Statement[0].Sid: want a string, got a number`},
		{"unknown statement element", stmt(`{"Effect":"Allow","Actions":"*","Resource":"*"}`), `policy: Statement[0]: unknown element "Actions"`},
		{"duplicate statement element", stmt(`{"Effect":"Allow","Action":"*","Action":"s3:*","Resource":"*"}`), `policy: Statement[0]: duplicate element "Action"`},
		{"principal string", stmt(`{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"*"}`), `policy: Statement[0].Principal: "arn:aws:iam::1:root" is neither "*" nor an object`},
		{"principal type", stmt(`{"Effect":"Allow","Principal":{"User":"u"},"Action":"*"}`), `policy: Statement[0].Principal: unknown element "User"`},
		{"principal empty", stmt(`{"Effect":"Allow","Principal":{},"Action":"*"}`), `policy: Statement[0].Principal: empty object`},
		{"principal array", stmt(`{"Effect":"Allow","Principal":["*"],"Action":"*"}`), `policy: Statement[0].Principal: want "*" or an object, got an array`},
		{"principal value", stmt(`{"Effect":"Allow","Principal":{"AWS":[1]},"Action":"*"}`), `policy: Statement[0].Principal.AWS[0]: want a string, got a number`},
		{"condition array", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":[]}`), `policy: Statement[0].Condition: want an object, got an array`},
		{"condition operator string", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":"true"}}`), `policy: Statement[0].Condition.Bool: want an object of condition keys, got a string`},
		{"condition value null", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":null}}}`), `policy: Statement[0].Condition.StringEquals.k: want a string, number, boolean or an array of them, got null`},
		{"condition value object", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"v":1}}}}`), `policy: Statement[0].Condition.StringEquals.k: want a string, number, boolean or an array of them, got an object`},
		{"condition nested array", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":["a",["b"]]}}}`), `policy: Statement[0].Condition.StringEquals.k[1]: want a string, number or boolean, got an array`},
		{"duplicate condition operator", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"a":"true"},"Bool":{"b":"true"}}}`), `policy: Statement[0].Condition: duplicate operator "Bool"`},
		{"duplicate Sid", stmt(`{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}`), `policy: Statement[2].Sid: "A" is Statement[0]'s too`},
		{"syntax error on a later line", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\" \"Action\": \"*\"}\n  ]\n}", `policy: invalid JSON at line 4, column 24 (byte 70): invalid character '"' after object key:value pair`},
		{"duplicate condition key", stmt(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"a":"true","a":"false"}}}`), `policy: Statement[0].Condition.Bool: duplicate key "a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.text))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", d)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestMarshalCanonical writes every AWS example, and one document that uses
// every loose form, in canonical form.
func TestMarshalCanonical(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "awsdocs", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, filepath.Join("testdata", "loose.json"))
	var out []byte
	for _, name := range names {
		d, err := parseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, "== "+filepath.ToSlash(name)+"\n"...)
		out = append(out, text...)
	}
	checkGolden(t, "canonical.golden", out)
}

// FuzzParse checks that Parse never panics and that what it accepts
// survives Marshal and Parse unchanged.
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "awsdocs", "*.json"))
	names = append(names, filepath.Join("testdata", "loose.json"))
	for _, name := range names {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*","Condition":{"Null":{"k":[true,1.5e3]}}}}`))
	f.Add([]byte(`{"Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":["a","b"],"Condition":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		_ = d.Validate()
		out, err := d.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("parse the canonical form: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatalf("round trip changed the document:\n%#v\n%#v", d, again)
		}
		d.Evaluate(req("s3:GetObject", "arn:aws:s3:::b/k", "aws:username", "u"))
	})
}

func TestDocumentInsideJSON(t *testing.T) {
	var v struct{ Policy Document }
	in := `{"Policy":{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Policy":{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}}`
	if string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
	err = json.Unmarshal([]byte(`{"Policy":{"Statement":[]}}`), &v)
	if err == nil || err.Error() != "policy: Statement: empty array" {
		t.Errorf("Unmarshal error = %v", err)
	}
}

func TestParseBOM(t *testing.T) {
	if _, err := Parse([]byte("\xef\xbb\xbf" + `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)); err != nil {
		t.Errorf("a UTF-8 byte order mark: %v", err)
	}
}
