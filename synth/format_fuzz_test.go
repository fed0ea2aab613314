package synth

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/tailor-iam/tailor/policy"
)

// FuzzRender renders policies built from arbitrary strings, in every
// place a value from the logs can reach, to JSON, Terraform and
// CloudFormation, and reads each back: the output must hold exactly the
// policy, or the renderer must refuse it for a reason the test names.
func FuzzRender(f *testing.F) {
	f.Add("checkout-api", "arn:aws:iam::111122223333:role/checkout-api", "s3:GetObject", "arn:aws:s3:::b/k", "arn:aws:iam::111122223333:root", "StringEquals", "aws:ResourceTag/team", "blue", uint8(0))
	f.Add("x\nresource \"null_resource\" \"pwn\" {}", "arn:aws:iam::1:role/x\nresource \"null_resource\" \"pwn\" {}\n#", "s3:GetObject", "arn:aws:s3:::b/&{aws:username}", "arn:aws:iam::1:role/&{x}", "StringLike", "s3:prefix", "${aws:username}", uint8(1))
	f.Add("role", "\f\b\x7f\u0085\u009b\u2028\u2029\ufeff\u202e\x1b[2J", "s3:Get\x00Object", "arn:aws:s3:::b/${x}%{y}$${z}%%{w}", "e\u0301", "Fn::Sub", "Ref", "\xff", uint8(2))
	f.Add("", "\r\n\t\\\"", "s3:*", "arn:aws:s3:::b/\U0001F600\U000E0001", "*", "", "", "", uint8(3))
	f.Add("u", "a", "sts:AssumeRole", "arn:aws:s3:::b/<>&", "arn:aws:iam::1:user/u", "StringEquals", strings.Repeat("k", 1100), "EOT", uint8(6))
	f.Fuzz(func(t *testing.T, name, arn, action, resource, principal, op, key, value string, mode uint8) {
		docs, target := fuzzPolicy(name, arn, action, resource, principal, op, key, value, mode)
		checkRenders(t, docs, target)
	})
}

// fuzzPolicy builds one or two documents: an identity statement with a
// condition and a resource-policy statement with a principal. mode picks
// the principal's type, one document or two, and inline or managed.
func fuzzPolicy(name, arn, action, resource, principal, op, key, value string, mode uint8) ([]*policy.Document, Target) {
	actions := []string{action, "s3:GetObject"}
	resources := []string{resource, "arn:aws:s3:::b/*"}
	slices.Sort(actions)
	slices.Sort(resources)
	identity := policy.Statement{Sid: "Identity", Effect: "Allow", Action: actions, Resource: resources,
		Condition: map[string]map[string][]string{op: {key: {value}}}}
	types := []string{"AWS", "Service", "Federated", "CanonicalUser"}
	trust := policy.Statement{Sid: "Trust", Effect: "Deny", Principal: &policy.Principal{IDs: map[string][]string{types[mode%4]: {principal}}},
		Action: []string{"sts:AssumeRole"}}
	docs := []*policy.Document{{Version: policy.Version2012, Statement: []policy.Statement{identity, trust}}}
	if mode&4 != 0 {
		docs = []*policy.Document{{Version: policy.Version2012, Statement: []policy.Statement{identity}}, {Version: policy.Version2012, Statement: []policy.Statement{trust}}}
	}
	target := Target{Name: name, Description: "Least-privilege policy for " + arn + ", from CloudTrail, written by tailor"}
	target.Inline = []string{"", "", "role", "user"}[(mode>>3)%4]
	return docs, target
}

// renderable says whether a format can write docs exactly, and why not.
func renderable(docs []*policy.Document, t Target, format string) (ok bool, why string) {
	for _, d := range docs {
		for _, st := range d.Statement {
			principal := principalIDs(st)
			for _, list := range [][]string{st.Action, st.Resource, principal["AWS"], principal["Service"], principal["Federated"], principal["CanonicalUser"]} {
				for _, v := range list {
					if v == "" {
						return false, "empty value"
					}
				}
			}
			all := slices.Concat(st.Action, st.Resource)
			for _, ids := range principal {
				all = append(all, ids...)
			}
			for op, keys := range st.Condition {
				all = append(all, op)
				for k, vs := range keys {
					all = append(append(all, k), vs...)
				}
			}
			for _, v := range all {
				if !utf8.ValidString(v) {
					return false, "invalid UTF-8"
				}
			}
			if format != "cloudformation" {
				continue
			}
			fn := func(k string) bool { return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") }
			for op, keys := range st.Condition {
				if len(st.Condition) == 1 && fn(op) {
					return false, "CloudFormation function"
				}
				for k := range keys {
					if len(keys) == 1 && fn(k) {
						return false, "CloudFormation function"
					}
				}
			}
		}
	}
	if format != "json" && !slices.Contains([]string{"", "role", "user"}, t.Inline) {
		return false, "inline policy of neither a role nor a user"
	}
	if format != "json" && t.Inline != "" && !iamName.MatchString(t.Name) {
		return false, "not an IAM name"
	}
	return true, ""
}

// checkRenders renders docs in every format and checks each output with
// that format's own parser, apart from the renderers' own read-back.
func checkRenders(t *testing.T, docs []*policy.Document, target Target) map[string][]byte {
	t.Helper()
	outs := map[string][]byte{}
	for _, format := range []string{"json", "terraform", "cloudformation"} {
		var out []byte
		var err error
		switch format {
		case "json":
			out, err = RenderJSON(docs)
		case "terraform":
			out, err = RenderTerraform(docs, target)
		case "cloudformation":
			out, err = RenderCloudFormation(docs, target)
		}
		ok, why := renderable(docs, target, format)
		if !ok {
			if err == nil || out != nil {
				t.Fatalf("%s: rendered a policy it cannot write exactly (%s):\n%s", format, why, out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for i, r := range string(out) {
			if r != '\n' && !literal(r) {
				t.Fatalf("%s: character %U unescaped at byte %d:\n%s", format, r, i, out)
			}
		}
		var got []*policy.Document
		switch format {
		case "json":
			got = readJSONIndependently(t, out)
		case "terraform":
			got = readTerraformIndependently(t, out, target, len(docs))
		case "cloudformation":
			got = readCloudFormationIndependently(t, out, target, len(docs))
		}
		if len(got) != len(docs) {
			t.Fatalf("%s: %d documents read back, want %d:\n%s", format, len(got), len(docs), out)
		}
		for i := range docs {
			if diff := policyDiff(docs[i], got[i]); diff != "" {
				t.Fatalf("%s: document %d: %s:\n%s", format, i+1, diff, out)
			}
		}
		outs[format] = out
	}
	return outs
}

func readJSONIndependently(t *testing.T, out []byte) []*policy.Document {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal(out, &raws); err != nil {
		raws = []json.RawMessage{out}
	}
	var got []*policy.Document
	for _, raw := range raws {
		got = append(got, parsePolicy(t, raw))
	}
	return got
}

func parsePolicy(t *testing.T, raw []byte) *policy.Document {
	t.Helper()
	d, err := policy.Parse(raw)
	if err != nil {
		t.Fatalf("policy.Parse: %v\n%s", err, raw)
	}
	return d
}

// readTerraformIndependently checks what the read-back cannot see, the
// comments, and that nothing but the expected blocks is live HCL.
func readTerraformIndependently(t *testing.T, out []byte, target Target, n int) []*policy.Document {
	t.Helper()
	first, _, _ := strings.Cut(string(out), "\n")
	if first != strings.TrimRight("# "+descriptionText(target.Description), " ") {
		t.Fatalf("header comment %q", first)
	}
	tokens, diags := hclsyntax.LexConfig(out, "policy.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("lex: %v\n%s", diags, out)
	}
	for _, tok := range tokens {
		if tok.Type == hclsyntax.TokenComment {
			c := strings.TrimRight(string(tok.Bytes), "\n")
			if c != first && c+"\n" != asJSONComment {
				t.Fatalf("unexpected comment %q:\n%s", c, out)
			}
		}
	}
	file, diags := hclsyntax.ParseConfig(out, "policy.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse: %v\n%s", diags, out)
	}
	for _, blk := range file.Body.(*hclsyntax.Body).Blocks {
		if blk.Type == "resource" && !strings.HasPrefix(blk.Labels[0], "aws_iam_") || blk.Type != "resource" && blk.Type != "data" {
			t.Fatalf("unexpected block %s %q:\n%s", blk.Type, blk.Labels, out)
		}
		for _, l := range blk.Labels {
			if !hclsyntax.ValidIdentifier(l) {
				t.Fatalf("label %q is not an identifier", l)
			}
		}
	}
	res, err := readTerraform(out)
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, out)
	}
	var got []*policy.Document
	for _, r := range res {
		got = append(got, r.Policy)
		if bytes.Contains(out, []byte("<<-EOT")) && !strings.Contains(string(out), asJSONComment) {
			t.Fatal("a JSON policy without the comment saying why")
		}
	}
	return got
}

// cfnLogicalID is what CloudFormation allows in a logical ID.
var cfnLogicalID = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)

func readCloudFormationIndependently(t *testing.T, out []byte, target Target, n int) []*policy.Document {
	t.Helper()
	var tpl struct {
		AWSTemplateFormatVersion string `yaml:"AWSTemplateFormatVersion"`
		Description              string `yaml:"Description"`
		Resources                map[string]struct {
			Type       string         `yaml:"Type"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(out, &tpl); err != nil {
		t.Fatalf("YAML: %v\n%s", err, out)
	}
	if tpl.Description != descriptionText(target.Description) || len(tpl.Resources) != n {
		t.Fatalf("template: %q, %d resources:\n%s", tpl.Description, len(tpl.Resources), out)
	}
	for id := range tpl.Resources {
		if !cfnLogicalID.MatchString(id) {
			t.Fatalf("logical ID %q", id)
		}
	}
	var got []*policy.Document
	for i := range n {
		id := logicalID(target.Name, i, n)
		r, ok := tpl.Resources[id]
		if !ok || !strings.HasPrefix(r.Type, "AWS::IAM::") {
			t.Fatalf("no resource %s:\n%s", id, out)
		}
		for k := range r.Properties {
			if !slices.Contains([]string{"PolicyDocument", "Description", "PolicyName", "RoleName", "UserName"}, k) {
				t.Fatalf("unexpected property %q", k)
			}
		}
		raw, err := json.Marshal(r.Properties["PolicyDocument"])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, parsePolicy(t, raw))
	}
	return got
}
