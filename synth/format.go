package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Target names the documents a renderer writes: Name is a base for
// identifiers, Description says where they came from.
type Target struct {
	Name        string // such as "checkout-api": the role or user name
	Description string
	// Inline, "role" or "user", writes the documents as inline policies of
	// the role or user called Name instead of managed policies.
	Inline string
}

// RenderJSON writes one document, or a JSON array when there are several.
func RenderJSON(docs []*Policy) ([]byte, error) {
	if len(docs) == 1 {
		return Render(docs[0])
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, d := range docs {
		out, err := Render(d)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(indent(bytes.TrimRight(out, "\n"), "  "))
	}
	b.WriteString("\n]\n")
	return b.Bytes(), nil
}

func indent(b []byte, pad string) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = append([]byte(pad), l...)
	}
	return bytes.Join(lines, []byte("\n"))
}

// RenderTerraform writes each document as a data "aws_iam_policy_document"
// block and an aws_iam_policy resource that uses it (aws_iam_role_policy
// or aws_iam_user_policy when Inline), formatted as `terraform fmt` does.
func RenderTerraform(docs []*Policy, t Target) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", t.Description)
	for i, d := range docs {
		if err := d.Validate(); err != nil {
			return nil, err
		}
		id := identifier(t.Name, "_", i, len(docs))
		fmt.Fprintf(&b, "\ndata \"aws_iam_policy_document\" %q {\n", id)
		for _, st := range d.Statement {
			b.WriteString("  statement {\n")
			fmt.Fprintf(&b, "    sid = %s\n", hclString(st.Sid))
			fmt.Fprintf(&b, "    effect = %s\n", hclString(st.Effect))
			hclList(&b, "    ", "actions", st.Action)
			if len(st.Resource) > 0 {
				hclList(&b, "    ", "resources", st.Resource)
			}
			for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
				for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
					b.WriteString("    condition {\n")
					fmt.Fprintf(&b, "      test = %s\n", hclString(op))
					fmt.Fprintf(&b, "      variable = %s\n", hclString(key))
					hclList(&b, "      ", "values", st.Condition[op][key])
					b.WriteString("    }\n")
				}
			}
			b.WriteString("  }\n")
		}
		b.WriteString("}\n")
		if t.Inline != "" {
			fmt.Fprintf(&b, "\nresource \"aws_iam_%s_policy\" %q {\n", t.Inline, id)
			fmt.Fprintf(&b, "  name = %s\n", hclString(identifier("tailor-"+t.Name, "-", i, len(docs))))
			fmt.Fprintf(&b, "  %s = %s\n", t.Inline, hclString(t.Name))
		} else {
			fmt.Fprintf(&b, "\nresource \"aws_iam_policy\" %q {\n", id)
			fmt.Fprintf(&b, "  name = %s\n", hclString(identifier(t.Name, "-", i, len(docs))))
			fmt.Fprintf(&b, "  description = %s\n", hclString(t.Description))
		}
		fmt.Fprintf(&b, "  policy = data.aws_iam_policy_document.%s.json\n", id)
		b.WriteString("}\n")
	}
	return hclwrite.Format([]byte(b.String())), nil
}

// hclString quotes s as an HCL string: JSON escaping, with the template
// sequences ${ and %{ escaped.
func hclString(s string) string {
	q, _ := json.Marshal(s)
	out := strings.ReplaceAll(string(q), "${", "$${")
	out = strings.ReplaceAll(out, "%{", "%%{")
	return strings.ReplaceAll(out, `\u0026`, "&")
}

func hclList(b *strings.Builder, pad, name string, values []string) {
	fmt.Fprintf(b, "%s%s = [\n", pad, name)
	for _, v := range values {
		fmt.Fprintf(b, "%s  %s,\n", pad, hclString(v))
	}
	fmt.Fprintf(b, "%s]\n", pad)
}

// RenderCloudFormation writes a template with one AWS::IAM::ManagedPolicy
// per document (AWS::IAM::RolePolicy or UserPolicy when Inline), in YAML. Every scalar is double-quoted, so no ARN, "*" or
// condition key can be misread.
func RenderCloudFormation(docs []*Policy, t Target) ([]byte, error) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\n")
	fmt.Fprintf(&b, "Description: %s\n", yamlString(t.Description))
	b.WriteString("Resources:\n")
	for i, d := range docs {
		if err := d.Validate(); err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "  %s:\n", logicalID(t.Name, i, len(docs)))
		switch t.Inline {
		case "role", "user":
			kind := map[string]string{"role": "Role", "user": "User"}[t.Inline]
			fmt.Fprintf(&b, "    Type: AWS::IAM::%sPolicy\n", kind)
			b.WriteString("    Properties:\n")
			fmt.Fprintf(&b, "      PolicyName: %s\n", yamlString(identifier("tailor-"+t.Name, "-", i, len(docs))))
			fmt.Fprintf(&b, "      %sName: %s\n", kind, yamlString(t.Name))
		default:
			b.WriteString("    Type: AWS::IAM::ManagedPolicy\n")
			b.WriteString("    Properties:\n")
			fmt.Fprintf(&b, "      Description: %s\n", yamlString(t.Description))
		}
		b.WriteString("      PolicyDocument:\n")
		fmt.Fprintf(&b, "        Version: %s\n", yamlString(d.Version))
		b.WriteString("        Statement:\n")
		for _, st := range d.Statement {
			fmt.Fprintf(&b, "          - Sid: %s\n", yamlString(st.Sid))
			fmt.Fprintf(&b, "            Effect: %s\n", yamlString(st.Effect))
			yamlList(&b, "            ", "Action", st.Action)
			if len(st.Resource) > 0 {
				yamlList(&b, "            ", "Resource", st.Resource)
			}
			if len(st.Condition) > 0 {
				b.WriteString("            Condition:\n")
				for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
					fmt.Fprintf(&b, "              %s:\n", yamlString(op))
					for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
						yamlList(&b, "                ", yamlString(key), st.Condition[op][key])
					}
				}
			}
		}
	}
	return []byte(b.String()), nil
}

func yamlString(s string) string {
	q, _ := json.Marshal(s) // a JSON string is a valid YAML double-quoted scalar
	return strings.ReplaceAll(string(q), `\u0026`, "&")
}

func yamlList(b *strings.Builder, pad, key string, values []string) {
	fmt.Fprintf(b, "%s%s:\n", pad, key)
	for _, v := range values {
		fmt.Fprintf(b, "%s  - %s\n", pad, yamlString(v))
	}
}

// identifier turns a principal's name into a Terraform name (sep "_") or a
// policy name (sep "-"), numbered when there are several documents.
func identifier(name, sep string, i, n int) string {
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else {
			b.WriteString(sep)
		}
	}
	id := strings.Trim(b.String(), sep)
	if id == "" || !unicode.IsLetter(rune(id[0])) {
		id = "tailor" + sep + id
	}
	id = strings.TrimSuffix(id, sep)
	if n > 1 {
		id = fmt.Sprintf("%s%s%d", id, sep, i+1)
	}
	return id
}

// camelCase keeps the ASCII letters and digits of s, each run starting
// upper case: "checkout-api" is "CheckoutApi". Sids and CloudFormation
// logical IDs allow nothing else.
func camelCase(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r >= 128 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// logicalID is a CloudFormation logical ID: alphanumeric, in CamelCase.
func logicalID(name string, i, n int) string {
	id := camelCase(name)
	if id == "" || !unicode.IsLetter(rune(id[0])) {
		id = "Tailor" + id
	}
	id += "Policy"
	if n > 1 {
		id += fmt.Sprint(i + 1)
	}
	return id
}
