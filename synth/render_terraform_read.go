// Reading Terraform output back as Terraform and the AWS provider would:
// literal strings only, escapes decoded, text normalized to NFC, and the
// data source's "&{" rewrite applied.

package synth

import (
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/tailor-iam/tailor/policy"
)

// terraformResource is one resource read back from RenderTerraform's
// output: its policy resolved from the data source it names, or its JSON.
type terraformResource struct {
	Type, Name string
	Attrs      map[string]string // every attribute but policy
	Policy     *policy.Document
	Attached   string // "role=NAME" or "user=NAME" when an attachment attaches it
}

// readTerraform parses RenderTerraform's output and returns its resources
// in order. Anything it would not write, from a block of another type to
// an interpolation in a string, is an error.
func readTerraform(src []byte) ([]terraformResource, error) {
	file, diags := hclsyntax.ParseConfig(src, "policy.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body := file.Body.(*hclsyntax.Body)
	if len(body.Attributes) > 0 {
		return nil, fmt.Errorf("an attribute outside any block")
	}
	data := map[string]*policy.Document{}
	used := map[string]bool{}
	var out []terraformResource
	var refs []string
	var attached []terraformAttachment
	for _, blk := range body.Blocks {
		if len(blk.Labels) != 2 {
			return nil, fmt.Errorf("%s block with %d labels", blk.Type, len(blk.Labels))
		}
		switch {
		case blk.Type == "data" && blk.Labels[0] == "aws_iam_policy_document":
			if _, dup := data[blk.Labels[1]]; dup {
				return nil, fmt.Errorf("data source %s twice", blk.Labels[1])
			}
			p, err := readDataSource(blk.Body)
			if err != nil {
				return nil, fmt.Errorf("data source %s: %w", blk.Labels[1], err)
			}
			data[blk.Labels[1]] = p
		case blk.Type == "resource" && strings.HasSuffix(blk.Labels[0], "_policy_attachment"):
			a, err := readAttachment(blk)
			if err != nil {
				return nil, fmt.Errorf("resource %s.%s: %w", blk.Labels[0], blk.Labels[1], err)
			}
			attached = append(attached, a)
		case blk.Type == "resource":
			r, ref, err := readResource(blk)
			if err != nil {
				return nil, fmt.Errorf("resource %s.%s: %w", blk.Labels[0], blk.Labels[1], err)
			}
			out = append(out, r)
			refs = append(refs, ref)
		default:
			return nil, fmt.Errorf("unexpected block %s %q", blk.Type, blk.Labels)
		}
	}
	for i, ref := range refs {
		if ref == "" {
			continue
		}
		if data[ref] == nil || used[ref] {
			return nil, fmt.Errorf("resource %s: policy from data source %s, which is missing or used twice", out[i].Name, ref)
		}
		used[ref] = true
		out[i].Policy = data[ref]
	}
	if len(used) != len(data) {
		return nil, fmt.Errorf("%d data sources no resource uses", len(data)-len(used))
	}
	// Each attachment follows its policy and attaches that one.
	for _, a := range attached {
		found := false
		for i := range out {
			if out[i].Type == "aws_iam_policy" && out[i].Name == a.Policy && a.Name == a.Policy {
				if out[i].Attached != "" {
					return nil, fmt.Errorf("policy %s attached twice", a.Policy)
				}
				out[i].Attached = a.Kind + "=" + a.Principal
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("attachment %s of a policy not written", a.Name)
		}
	}
	return out, nil
}

// terraformAttachment is an aws_iam_{role,user}_policy_attachment.
type terraformAttachment struct {
	Name, Kind, Principal string
	Policy                string // the aws_iam_policy it attaches
}

// readAttachment reads an attachment of a managed policy to a role or
// user: the principal's name, and policy_arn = aws_iam_policy.X.arn.
func readAttachment(blk *hclsyntax.Block) (terraformAttachment, error) {
	a := terraformAttachment{Name: blk.Labels[1]}
	switch blk.Labels[0] {
	case "aws_iam_role_policy_attachment":
		a.Kind = "role"
	case "aws_iam_user_policy_attachment":
		a.Kind = "user"
	default:
		return a, fmt.Errorf("unexpected resource type")
	}
	if len(blk.Body.Blocks) > 0 || len(blk.Body.Attributes) != 2 {
		return a, fmt.Errorf("want %s and policy_arn alone", a.Kind)
	}
	for name, attr := range blk.Body.Attributes {
		switch name {
		case a.Kind:
			v, err := hclLiteral(attr.Expr)
			if err != nil {
				return a, fmt.Errorf("%s: %w", name, err)
			}
			a.Principal = v
		case "policy_arn":
			tr, ok := attr.Expr.(*hclsyntax.ScopeTraversalExpr)
			if !ok || len(tr.Traversal) != 3 || tr.Traversal.RootName() != "aws_iam_policy" {
				return a, fmt.Errorf("policy_arn is not aws_iam_policy.NAME.arn")
			}
			name, ok1 := tr.Traversal[1].(hcl.TraverseAttr)
			arn, ok2 := tr.Traversal[2].(hcl.TraverseAttr)
			if !ok1 || !ok2 || arn.Name != "arn" {
				return a, fmt.Errorf("policy_arn is not aws_iam_policy.NAME.arn")
			}
			a.Policy = name.Name
		default:
			return a, fmt.Errorf("unexpected attribute %s", name)
		}
	}
	return a, nil
}

// readResource reads an IAM policy resource. ref names the data source its
// policy comes from, or is "" when the policy is written as JSON.
func readResource(blk *hclsyntax.Block) (r terraformResource, ref string, err error) {
	r = terraformResource{Type: blk.Labels[0], Name: blk.Labels[1], Attrs: map[string]string{}}
	switch r.Type {
	case "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy":
	default:
		return r, "", fmt.Errorf("unexpected resource type")
	}
	if len(blk.Body.Blocks) > 0 {
		return r, "", fmt.Errorf("unexpected block %s", blk.Body.Blocks[0].Type)
	}
	for name, attr := range blk.Body.Attributes {
		if name != "policy" {
			if r.Attrs[name], err = hclLiteral(attr.Expr); err != nil {
				return r, "", fmt.Errorf("%s: %w", name, err)
			}
			continue
		}
		if tr, ok := attr.Expr.(*hclsyntax.ScopeTraversalExpr); ok {
			ref, err = dataSourceRef(tr.Traversal)
			if err != nil {
				return r, "", err
			}
			continue
		}
		text, err := hclLiteral(attr.Expr)
		if err != nil {
			return r, "", fmt.Errorf("policy: %w", err)
		}
		if r.Policy, err = policy.Parse([]byte(text)); err != nil {
			return r, "", err
		}
	}
	if ref == "" && r.Policy == nil {
		return r, "", fmt.Errorf("no policy")
	}
	return r, ref, nil
}

// dataSourceRef returns X from data.aws_iam_policy_document.X.json.
func dataSourceRef(tr hcl.Traversal) (string, error) {
	var names []string
	for i, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			if i == 0 {
				names = append(names, s.Name)
				continue
			}
		case hcl.TraverseAttr:
			names = append(names, s.Name)
			continue
		}
		return "", fmt.Errorf("policy: unexpected reference")
	}
	if len(names) != 4 || names[0] != "data" || names[1] != "aws_iam_policy_document" || names[3] != "json" {
		return "", fmt.Errorf("policy: unexpected reference %s", strings.Join(names, "."))
	}
	return names[2], nil
}

// readDataSource reads an aws_iam_policy_document's statements as the
// provider would send them to IAM: "&{" becomes "${" in resources,
// principals' identifiers and condition values.
func readDataSource(body *hclsyntax.Body) (*policy.Document, error) {
	if len(body.Attributes) > 0 {
		return nil, fmt.Errorf("unexpected attribute")
	}
	provider := strings.NewReplacer("&{", "${")
	rewrite := func(values []string) []string {
		for i, v := range values {
			values[i] = provider.Replace(v)
		}
		return values
	}
	p := &policy.Document{Version: policy.Version2012}
	for _, blk := range body.Blocks {
		if blk.Type != "statement" || len(blk.Labels) > 0 {
			return nil, fmt.Errorf("unexpected block %s", blk.Type)
		}
		var st policy.Statement
		r := hclReader{body: blk.Body}
		st.Sid = r.str("sid")
		st.Effect = r.str("effect")
		st.Action = r.list("actions")
		st.Resource = rewrite(r.list("resources"))
		r.done()
		for _, sub := range blk.Body.Blocks {
			r := hclReader{body: sub.Body}
			if len(sub.Labels) > 0 || len(sub.Body.Blocks) > 0 {
				return nil, fmt.Errorf("unexpected block in %s", sub.Type)
			}
			switch sub.Type {
			case "principals":
				typ, ids := r.str("type"), rewrite(r.list("identifiers"))
				if _, dup := principalIDs(st)[typ]; dup {
					return nil, fmt.Errorf("principals %s twice", typ)
				}
				if st.Principal == nil {
					st.Principal = &policy.Principal{IDs: map[string][]string{}}
				}
				st.Principal.IDs[typ] = ids
			case "condition":
				op, key, values := r.str("test"), r.str("variable"), rewrite(r.list("values"))
				if _, dup := st.Condition[op][key]; dup {
					return nil, fmt.Errorf("condition %s %s twice", op, key)
				}
				if st.Condition == nil {
					st.Condition = policy.Condition{}
				}
				if st.Condition[op] == nil {
					st.Condition[op] = map[string][]string{}
				}
				st.Condition[op][key] = values
			default:
				return nil, fmt.Errorf("unexpected block %s", sub.Type)
			}
			r.done()
			if r.err != nil {
				return nil, fmt.Errorf("%s: %w", sub.Type, r.err)
			}
		}
		if r.err != nil {
			return nil, fmt.Errorf("statement %s: %w", st.Sid, r.err)
		}
		p.Statement = append(p.Statement, st)
	}
	return p, nil
}

// hclReader reads a block's attributes, each a literal string or a list
// of them, and remembers the first error.
type hclReader struct {
	body *hclsyntax.Body
	seen int
	err  error
}

func (r *hclReader) str(name string) string {
	attr, ok := r.body.Attributes[name]
	if !ok || r.err != nil {
		return ""
	}
	r.seen++
	s, err := hclLiteral(attr.Expr)
	if err != nil {
		r.err = fmt.Errorf("%s: %w", name, err)
	}
	return s
}

func (r *hclReader) list(name string) []string {
	attr, ok := r.body.Attributes[name]
	if !ok || r.err != nil {
		return nil
	}
	r.seen++
	tuple, ok := attr.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		r.err = fmt.Errorf("%s: not a list", name)
		return nil
	}
	out := make([]string, 0, len(tuple.Exprs))
	for _, e := range tuple.Exprs {
		s, err := hclLiteral(e)
		if err != nil {
			r.err = fmt.Errorf("%s: %w", name, err)
			return nil
		}
		out = append(out, s)
	}
	return out
}

// done makes an attribute the reader was not asked for an error.
func (r *hclReader) done() {
	if r.err == nil && r.seen != len(r.body.Attributes) {
		r.err = fmt.Errorf("unexpected attributes")
	}
}

// hclLiteral evaluates a quoted string or heredoc with no interpolation or
// directive in it, as Terraform would: escapes decoded, the text
// normalized to NFC.
func hclLiteral(expr hclsyntax.Expression) (string, error) {
	tpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", fmt.Errorf("not a string")
	}
	for _, part := range tpl.Parts {
		if _, ok := part.(*hclsyntax.LiteralValueExpr); !ok {
			return "", fmt.Errorf("not a literal string")
		}
	}
	v, diags := tpl.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	if !v.IsKnown() || v.IsNull() || v.Type().FriendlyName() != "string" {
		return "", fmt.Errorf("not a string")
	}
	return v.AsString(), nil
}

// checkTerraform reads out back and compares it with what was rendered.
func checkTerraform(out []byte, docs []*policy.Document, t Target) error {
	res, err := readTerraform(out)
	if err != nil {
		return fmt.Errorf("render terraform: the output does not read back: %w", err)
	}
	if len(res) != len(docs) {
		return fmt.Errorf("render terraform: the output reads back as %d resources, not %d", len(res), len(docs))
	}
	got := make([]*policy.Document, len(res))
	for i, r := range res {
		kind := "aws_iam_policy"
		if t.Inline != "" {
			kind = "aws_iam_" + t.Inline + "_policy"
		}
		want := map[string]string{}
		for _, a := range terraformAttrs(t, i, len(docs)) {
			want[a[0]] = a[1]
		}
		wantAttached := ""
		if _, ok := attachment(t); ok {
			wantAttached = t.Attach + "=" + t.Name
		}
		if r.Type != kind || r.Name != identifier(t.Name, "_", i, len(docs)) || !maps.Equal(r.Attrs, want) || r.Attached != wantAttached {
			return fmt.Errorf("render terraform: resource %d does not read back as written", i+1)
		}
		got[i] = r.Policy
	}
	return checkReadBack("terraform", docs, got)
}
