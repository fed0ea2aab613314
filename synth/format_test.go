package synth

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"go.yaml.in/yaml/v3"

	"github.com/tailor-iam/tailor/policy"
)

var formatTarget = Target{Name: "service/checkout-api", Description: "Least-privilege policy for arn:aws:iam::111122223333:role/service/checkout-api, written by tailor"}

// formatDocs is one small document and the same split in two, so the
// renderers are shown with one and with several documents.
func formatDocs(t *testing.T) map[string][]*policy.Document {
	p := bigPolicy(3)
	p.Statement = append(p.Statement, policy.Statement{Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}})
	sortStatements(p.Statement)
	assignSids(p.Statement)
	two, err := Split(bigPolicy(3), 420)
	if err != nil || len(two) != 2 {
		t.Fatalf("split into %d: %v", len(two), err)
	}
	return map[string][]*policy.Document{"one": {p}, "two": two}
}

func TestRenderTerraform(t *testing.T) {
	for name, docs := range formatDocs(t) {
		t.Run(name, func(t *testing.T) {
			out, err := RenderTerraform(docs, formatTarget)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "terraform-"+name+".tf", string(out))
			// terraform fmt -check: formatting changes nothing.
			if f := hclwrite.Format(out); !bytes.Equal(f, out) {
				t.Errorf("not in terraform fmt form:\n%s", f)
			}
			if _, diags := hclparse.NewParser().ParseHCL(out, "policy.tf"); diags.HasErrors() {
				t.Fatalf("HCL does not parse: %s", diags)
			}
			if path, err := exec.LookPath("terraform"); err == nil {
				cmd := exec.Command(path, "fmt", "-check", "-")
				cmd.Stdin = bytes.NewReader(out)
				if msg, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("terraform fmt -check: %v\n%s", err, msg)
				}
			}
		})
	}
}

func TestRenderInline(t *testing.T) {
	docs := formatDocs(t)["one"]
	target := formatTarget
	target.Name = "checkout-api"
	target.Inline = "role"
	tf, err := RenderTerraform(docs, target)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "terraform-inline.tf", string(tf))
	if !bytes.Contains(tf, []byte(`resource "aws_iam_role_policy" "checkout_api"`)) || !bytes.Equal(hclwrite.Format(tf), tf) {
		t.Errorf("inline Terraform:\n%s", tf)
	}
	cfn, err := RenderCloudFormation(docs, target)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "cloudformation-inline.yaml", string(cfn))
	var tpl map[string]any
	if err := yaml.Unmarshal(cfn, &tpl); err != nil || !bytes.Contains(cfn, []byte("Type: AWS::IAM::RolePolicy")) || !bytes.Contains(cfn, []byte(`RoleName: "checkout-api"`)) {
		t.Errorf("inline CloudFormation (%v):\n%s", err, cfn)
	}
}

func TestRenderCloudFormation(t *testing.T) {
	for name, docs := range formatDocs(t) {
		t.Run(name, func(t *testing.T) {
			out, err := RenderCloudFormation(docs, formatTarget)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "cloudformation-"+name+".yaml", string(out))
			// The template's PolicyDocuments are the documents, exactly.
			var tpl struct {
				Resources map[string]struct {
					Type       string `yaml:"Type"`
					Properties struct {
						PolicyDocument any `yaml:"PolicyDocument"`
					} `yaml:"Properties"`
				} `yaml:"Resources"`
			}
			if err := yaml.Unmarshal(out, &tpl); err != nil {
				t.Fatalf("YAML: %v", err)
			}
			if len(tpl.Resources) != len(docs) {
				t.Fatalf("%d resources for %d documents", len(tpl.Resources), len(docs))
			}
			for _, d := range docs {
				found := false
				want := jsonValue(t, d)
				for _, r := range tpl.Resources {
					if r.Type != "AWS::IAM::ManagedPolicy" {
						t.Errorf("resource type %s", r.Type)
					}
					raw, _ := json.Marshal(r.Properties.PolicyDocument)
					found = found || reflect.DeepEqual(jsonValue(t, raw), want)
				}
				if !found {
					t.Errorf("document %s is not in the template", d.Statement[0].Sid)
				}
			}
		})
	}
}

func TestRenderJSONArray(t *testing.T) {
	docs := formatDocs(t)["two"]
	out, err := RenderJSON(docs)
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*policy.Document
	if err := json.Unmarshal(out, &parsed); err != nil || len(parsed) != 2 {
		t.Fatalf("array of %d: %v\n%s", len(parsed), err, out)
	}
	one, _ := RenderJSON(docs[:1])
	if one[0] != '{' {
		t.Error("a single document is not an array")
	}
}

// jsonValue decodes JSON (or a policy.Document) into plain Go values for
// comparison.
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	raw, ok := v.([]byte)
	if !ok {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// hostileDoc is one statement whose resource, condition key and value are
// given, the rest ordinary.
func hostileDoc(resource, key, value string) *policy.Document {
	return &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{
		Sid: "S3Hostile", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{resource},
		Condition: map[string]map[string][]string{"StringEquals": {key: {value}}},
	}}}
}

// TestRenderHostile renders values from the logs that would otherwise end
// a comment, become an interpolation or a policy variable, or break a
// parser. checkRenders reads every output back; want and lack are what
// each format's text must or must not hold, golden its whole output.
func TestRenderHostile(t *testing.T) {
	pwn := "x\nresource \"null_resource\" \"pwn\" {}\n#"
	ordinary := Target{Name: "checkout-api", Description: "Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor"}
	for _, tc := range []struct {
		name   string
		docs   []*policy.Document
		target Target
		golden bool              // testdata/render-<name>.{json,tf,yaml}
		want   map[string]string // format to a substring its output holds
		lack   map[string]string // format to a substring it must not hold
		errs   map[string]string // format to a substring of its error
	}{{
		name:   "newline-in-principal-arn",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "s3:prefix", "a")},
		target: Target{Name: pwn, Description: "Least-privilege policy for arn:aws:iam::111122223333:role/" + pwn + ", from CloudTrail, written by tailor"},
		golden: true,
		want:   map[string]string{"terraform": `# Least-privilege policy for arn:aws:iam::111122223333:role/x\nresource "null_resource" "pwn" {}\n#, from`},
		lack:   map[string]string{"terraform": "\nresource \"null_resource\"", "cloudformation": "\nresource"},
	}, {
		name:   "newline-in-inline-role-name",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "s3:prefix", "a")},
		target: Target{Name: pwn, Inline: "role"},
		errs:   map[string]string{"terraform": "is not an IAM role name", "cloudformation": "is not an IAM role name"},
	}, {
		name:   "amp-brace-in-key",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/home/&{aws:username}/x", "s3:prefix", "a")},
		target: ordinary,
		golden: true,
		want:   map[string]string{"terraform": `"arn:aws:s3:::b/home/&{aws:username}/x"`, "json": `"arn:aws:s3:::b/home/&{aws:username}/x"`, "cloudformation": `"arn:aws:s3:::b/home/&{aws:username}/x"`},
		lack:   map[string]string{"terraform": `data "aws_iam_policy_document"`},
	}, {
		name:   "amp-brace-in-condition-value",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "s3:prefix", "&{aws:username}")},
		target: ordinary,
		want:   map[string]string{"terraform": "<<-EOT"},
	}, {
		// The provider rewrites no condition key: the data source stays.
		name:   "amp-brace-in-condition-key",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "aws:ResourceTag/&{x}", "a")},
		target: ordinary,
		want:   map[string]string{"terraform": `variable = "aws:ResourceTag/&{x}"`},
		lack:   map[string]string{"terraform": "<<-EOT"},
	}, {
		name:   "template-sequences-in-key",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/x${$}{aws:username}/%{if true}y%{endif}/$${z}", "aws:ResourceTag/${t}", "%{v}")},
		target: ordinary,
		golden: true,
		want:   map[string]string{"terraform": `"arn:aws:s3:::b/x$${$}{aws:username}/%%{if true}y%%{endif}/$$${z}"`},
	}, {
		name:   "invalid-utf8",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/\xff", "s3:prefix", "a")},
		target: ordinary,
		errs:   map[string]string{"json": "not valid UTF-8", "terraform": "not valid UTF-8", "cloudformation": "not valid UTF-8"},
	}, {
		// Terraform normalizes every string to NFC, so the JSON form, in
		// ASCII, is the only one that keeps a decomposed é.
		name:   "not-nfc",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/e\u0301", "s3:prefix", "a")},
		target: ordinary,
		want:   map[string]string{"terraform": `"arn:aws:s3:::b/e\u0301"`, "json": "\"arn:aws:s3:::b/e\u0301\""},
	}, {
		name:   "html-and-line-separators-in-json",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/<a>&\u2028\u2029", "s3:prefix", "a")},
		target: ordinary,
		want:   map[string]string{"json": `"arn:aws:s3:::b/<a>&\u2028\u2029"`, "terraform": `"arn:aws:s3:::b/<a>&\u2028\u2029"`, "cloudformation": `"arn:aws:s3:::b/<a>&\u2028\u2029"`},
	}, {
		name:   "long-condition-key",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "aws:ResourceTag/"+strings.Repeat("k", 1100), "a")},
		target: ordinary,
		want:   map[string]string{"cloudformation": "? \"aws:ResourceTag/kkk"},
	}, {
		name:   "cloudformation-function-as-condition",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "Ref", "AWS::AccountId")},
		target: ordinary,
		errs:   map[string]string{"cloudformation": `would read the condition element "Ref" as a function`},
	}, {
		name:   "inline-of-a-group",
		docs:   []*policy.Document{hostileDoc("arn:aws:s3:::b/k", "s3:prefix", "a")},
		target: Target{Name: "ops", Inline: "group\n"},
		errs:   map[string]string{"terraform": `inline policy of a "group\n"`, "cloudformation": `inline policy of a "group\n"`},
	}, {
		name: "empty-condition-values",
		docs: []*policy.Document{{Version: policy.Version2012, Statement: []policy.Statement{{
			Sid: "S3", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"*"},
			Condition: map[string]map[string][]string{"Null": {"s3:x-amz-server-side-encryption": {}}},
		}}}},
		target: ordinary,
		want:   map[string]string{"cloudformation": `"s3:x-amz-server-side-encryption": []`, "json": `"s3:x-amz-server-side-encryption": []`},
	}, {
		name: "principal",
		docs: []*policy.Document{{Version: policy.Version2012, Statement: []policy.Statement{{
			Sid: "Trust", Effect: "Allow", Principal: &policy.Principal{IDs: map[string][]string{"AWS": {"arn:aws:iam::111122223333:role/x\n#"}, "Service": {"ecs-tasks.amazonaws.com"}}},
			Action: []string{"sts:AssumeRole"},
		}}}},
		target: ordinary,
		golden: true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			outs := checkRenders(t, tc.docs, tc.target)
			for format, want := range tc.errs {
				_, err := renderFormat(format, tc.docs, tc.target)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %v, want one saying %q", format, err, want)
				}
			}
			for format, want := range tc.want {
				if !bytes.Contains(outs[format], []byte(want)) {
					t.Errorf("%s: no %q in\n%s", format, want, outs[format])
				}
			}
			for format, lack := range tc.lack {
				if bytes.Contains(outs[format], []byte(lack)) {
					t.Errorf("%s: %q in\n%s", format, lack, outs[format])
				}
			}
			if tc.golden {
				for format, ext := range map[string]string{"json": "json", "terraform": "tf", "cloudformation": "yaml"} {
					golden(t, "render-"+tc.name+"."+ext, string(outs[format]))
				}
			}
		})
	}
}

// TestRenderControlCharacters renders each character a format must escape
// in an S3 key, and shows the escape each format writes.
func TestRenderControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, char      string
		json, hcl, yaml string
	}{
		{"NUL", "\x00", `\u0000`, `\u0000`, `\u0000`},
		{"backspace", "\b", `\b`, `\u0008`, `\u0008`},
		{"tab", "\t", `\t`, `\t`, `\t`},
		{"newline", "\n", `\n`, `\n`, `\n`},
		{"form feed", "\f", `\f`, `\u000c`, `\u000c`},
		{"carriage return", "\r", `\r`, `\r`, `\r`},
		{"escape", "\x1b", `\u001b`, `\u001b`, `\u001b`},
		{"unit separator", "\x1f", `\u001f`, `\u001f`, `\u001f`},
		{"quote", `"`, `\"`, `\"`, `\"`},
		{"backslash", `\`, `\\`, `\\`, `\\`},
		{"DEL", "\x7f", `\u007f`, `\u007f`, `\u007f`},
		{"C1 first", "\u0080", `\u0080`, `\u0080`, `\u0080`},
		{"next line", "\u0085", `\u0085`, `\u0085`, `\u0085`},
		{"CSI", "\u009b", `\u009b`, `\u009b`, `\u009b`},
		{"C1 last", "\u009f", `\u009f`, `\u009f`, `\u009f`},
		{"no-break space", "\u00a0", `\u00a0`, `\u00a0`, `\u00a0`},
		{"zero-width space", "\u200b", `\u200b`, `\u200b`, `\u200b`},
		{"line separator", "\u2028", `\u2028`, `\u2028`, `\u2028`},
		{"paragraph separator", "\u2029", `\u2029`, `\u2029`, `\u2029`},
		{"right-to-left override", "\u202e", `\u202e`, `\u202e`, `\u202e`},
		{"byte order mark", "\ufeff", `\ufeff`, `\ufeff`, `\ufeff`},
		{"noncharacter", "\uffff", `\uffff`, `\uffff`, `\uffff`},
		{"language tag", "\U000e0001", `\udb40\udc01`, `\U000e0001`, `\U000e0001`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "arn:aws:s3:::b/k" + tc.char + "x"
			outs := checkRenders(t, []*policy.Document{hostileDoc(key, "s3:prefix", tc.char)}, formatTarget)
			for format, want := range map[string]string{"json": tc.json, "terraform": tc.hcl, "cloudformation": tc.yaml} {
				if want := `"arn:aws:s3:::b/k` + want + `x"`; !bytes.Contains(outs[format], []byte(want)) {
					t.Errorf("%s: no %s in\n%s", format, want, outs[format])
				}
			}
		})
	}
}

func renderFormat(format string, docs []*policy.Document, t Target) ([]byte, error) {
	switch format {
	case "terraform":
		return RenderTerraform(docs, t)
	case "cloudformation":
		return RenderCloudFormation(docs, t)
	}
	return RenderJSON(docs)
}
