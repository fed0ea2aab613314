package synth

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"go.yaml.in/yaml/v3"

	"github.com/tailor-iam/tailor/policy"
)

var formatTarget = Target{Name: "service/checkout-api", Description: "Least-privilege policy for arn:aws:iam::111122223333:role/service/checkout-api, written by tailor"}

// formatDocs is one small document and the same split in two, so the
// renderers are shown with one and with several documents.
func formatDocs(t *testing.T) map[string][]*Policy {
	p := bigPolicy(3)
	p.Statement = append(p.Statement, Statement{Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}})
	sortStatements(p.Statement)
	assignSids(p.Statement)
	two, err := Split(bigPolicy(3), 420)
	if err != nil || len(two) != 2 {
		t.Fatalf("split into %d: %v", len(two), err)
	}
	return map[string][]*Policy{"one": {p}, "two": two}
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

// jsonValue decodes JSON (or a Policy) into plain Go values for comparison.
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
