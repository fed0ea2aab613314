package deploy

// Reading the Terraform module: its files parsed with HCL's own parser, and
// the few things the tests compare with the CloudFormation template (policy
// actions, the function's environment, the state machine's template
// variables) read off the syntax tree without running Terraform.

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var terraformFiles = []string{"main.tf", "variables.tf", "outputs.tf", "versions.tf"}

// terraformModule is the module's files, parsed.
type terraformModule struct {
	src    map[string][]byte
	bodies []*hclsyntax.Body
}

func loadTerraform(t *testing.T) *terraformModule {
	t.Helper()
	m := &terraformModule{src: map[string][]byte{}}
	p := hclparse.NewParser()
	for _, name := range terraformFiles {
		path := filepath.Join("terraform", name)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, diags := p.ParseHCL(src, path)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", path, diags.Error())
		}
		m.src[name] = src
		m.bodies = append(m.bodies, f.Body.(*hclsyntax.Body))
	}
	return m
}

// block returns the module's top-level block of a type and labels, or nil.
func (m *terraformModule) block(typ string, labels ...string) *hclsyntax.Block {
	for _, body := range m.bodies {
		for _, b := range body.Blocks {
			if b.Type == typ && slicesEqual(b.Labels, labels) {
				return b
			}
		}
	}
	return nil
}

// names returns the labels of the module's top-level blocks of a
// type whose first label is kind (resource "aws_iam_role" "NAME").
func (m *terraformModule) names(typ, kind string) []string {
	var out []string
	for _, body := range m.bodies {
		for _, b := range body.Blocks {
			if b.Type == typ && len(b.Labels) == 2 && b.Labels[0] == kind {
				out = append(out, b.Labels[1])
			}
		}
	}
	sort.Strings(out)
	return out
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nested returns the blocks of a type directly inside b.
func nested(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	if b == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

func attr(b *hclsyntax.Block, name string) hclsyntax.Expression {
	if b == nil {
		return nil
	}
	if a, ok := b.Body.Attributes[name]; ok {
		return a.Expr
	}
	return nil
}

// literal returns a constant expression's value as a string: a string, a
// number, or a list of them joined with sep.
func literal(expr hclsyntax.Expression, sep string) (string, bool) {
	if expr == nil {
		return "", false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type().FriendlyName() {
	case "string":
		return v.AsString(), true
	case "number":
		return v.AsBigFloat().Text('f', -1), true
	}
	if !v.CanIterateElements() {
		return "", false
	}
	var parts []string
	for _, e := range v.AsValueSlice() {
		if e.Type().FriendlyName() != "string" {
			return "", false
		}
		parts = append(parts, e.AsString())
	}
	return strings.Join(parts, sep), true
}

// policyStatements returns the statement blocks of a data
// "aws_iam_policy_document", the content of dynamic ones included.
func (m *terraformModule) policyStatements(name string) []*hclsyntax.Block {
	doc := m.block("data", "aws_iam_policy_document", name)
	out := nested(doc, "statement")
	for _, d := range nested(doc, "dynamic") {
		if len(d.Labels) == 1 && d.Labels[0] == "statement" {
			out = append(out, nested(d, "content")...)
		}
	}
	return out
}

// policyActions returns the sorted, distinct actions of a policy document.
func (m *terraformModule) policyActions(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	for _, st := range m.policyStatements(name) {
		expr := attr(st, "actions")
		v, diags := expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("policy %s: actions must be literal: %s", name, diags.Error())
		}
		for _, a := range v.AsValueSlice() {
			out = append(out, a.AsString())
		}
	}
	sort.Strings(out)
	return compact(out)
}

func compact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// variableDefault returns the default of variable name as a string, lists
// joined with sep.
func (m *terraformModule) variableDefault(name, sep string) (string, bool) {
	return literal(attr(m.block("variable", name), "default"), sep)
}

// defaultOf resolves an expression of the forms the module uses to pass
// variables to the function: var.x, tostring(var.x) and join(sep, var.x).
// It returns the value the expression has when the variable keeps its
// default, and false for any other expression.
func (m *terraformModule) defaultOf(expr hclsyntax.Expression) (string, bool) {
	varName := func(e hclsyntax.Expression) (string, bool) {
		st, ok := e.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "var" {
			return "", false
		}
		a, ok := st.Traversal[1].(hcl.TraverseAttr)
		return a.Name, ok
	}
	if name, ok := varName(expr); ok {
		return m.variableDefault(name, "")
	}
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok {
		return "", false
	}
	switch {
	case call.Name == "tostring" && len(call.Args) == 1:
		if name, ok := varName(call.Args[0]); ok {
			return m.variableDefault(name, "")
		}
	case call.Name == "join" && len(call.Args) == 2:
		sep, ok := literal(call.Args[0], "")
		if name, isVar := varName(call.Args[1]); ok && isVar {
			return m.variableDefault(name, sep)
		}
	}
	return "", false
}

// objectKeys returns the keys of an object constructor ({ A = ..., B = ... })
// with their value expressions, in order.
func objectKeys(t *testing.T, expr hclsyntax.Expression) ([]string, map[string]hclsyntax.Expression) {
	t.Helper()
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatalf("want an object, have %T", expr)
	}
	var keys []string
	vals := map[string]hclsyntax.Expression{}
	for _, item := range obj.Items {
		k, diags := item.KeyExpr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("object key: %s", diags.Error())
		}
		keys = append(keys, k.AsString())
		vals[k.AsString()] = item.ValueExpr
	}
	return keys, vals
}
