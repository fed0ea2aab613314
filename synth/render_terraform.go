// Terraform output: aws_iam_policy_document data sources, or JSON where the
// data source would change a document.

package synth

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/tailor-iam/tailor/policy"
)

// asJSONComment says why a document is written as JSON instead of an
// aws_iam_policy_document.
const asJSONComment = `# This policy is JSON: aws_iam_policy_document would change it (it reads "&{" as "${", and Terraform normalizes Unicode).` + "\n"

func renderTerraform(docs []*policy.Document, t Target) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", descriptionText(t.Description))
	for i, d := range docs {
		id := identifier(t.Name, "_", i, len(docs))
		// The data source is the readable form; a document it would not
		// pass to IAM unchanged is written as its JSON instead.
		asJSON := !dataSourceExact(d)
		if asJSON {
			b.WriteString("\n" + asJSONComment)
		} else {
			b.WriteString("\n")
			writeDataSource(&b, id, d)
			b.WriteString("\n")
		}
		kind := "aws_iam_policy"
		if t.Inline != "" {
			kind = "aws_iam_" + t.Inline + "_policy"
		}
		fmt.Fprintf(&b, "resource %q %q {\n", kind, id)
		for _, a := range terraformAttrs(t, i, len(docs)) {
			fmt.Fprintf(&b, "  %s = %s\n", a[0], hclQuote(a[1]))
		}
		if asJSON {
			writeHeredocJSON(&b, d)
		} else {
			fmt.Fprintf(&b, "  policy = data.aws_iam_policy_document.%s.json\n", id)
		}
		b.WriteString("}\n")
		if kind, ok := attachment(t); ok {
			fmt.Fprintf(&b, "\nresource %q %q {\n", kind, id)
			fmt.Fprintf(&b, "  %s = %s\n", t.Attach, hclQuote(t.Name))
			fmt.Fprintf(&b, "  policy_arn = aws_iam_policy.%s.arn\n", id)
			b.WriteString("}\n")
		}
	}
	return hclwrite.Format([]byte(b.String()))
}

// terraformAttrs are the attributes of document i's resource besides its
// policy, in the order they are written.
func terraformAttrs(t Target, i, n int) [][2]string {
	if t.Inline != "" {
		return [][2]string{{"name", identifier("tailor-"+t.Name, "-", i, n)}, {t.Inline, t.Name}}
	}
	return [][2]string{{"name", identifier(t.Name, "-", i, n)}, {"description", descriptionText(t.Description)}}
}

func writeDataSource(b *strings.Builder, id string, d *policy.Document) {
	fmt.Fprintf(b, "data \"aws_iam_policy_document\" %q {\n", id)
	for _, st := range d.Statement {
		b.WriteString("  statement {\n")
		fmt.Fprintf(b, "    sid = %s\n", hclQuote(st.Sid))
		fmt.Fprintf(b, "    effect = %s\n", hclQuote(st.Effect))
		principal := principalIDs(st)
		for _, typ := range slices.Sorted(maps.Keys(principal)) {
			b.WriteString("    principals {\n")
			fmt.Fprintf(b, "      type = %s\n", hclQuote(typ))
			hclList(b, "      ", "identifiers", principal[typ])
			b.WriteString("    }\n")
		}
		hclList(b, "    ", "actions", st.Action)
		if len(st.Resource) > 0 {
			hclList(b, "    ", "resources", st.Resource)
		}
		for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
			for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
				b.WriteString("    condition {\n")
				fmt.Fprintf(b, "      test = %s\n", hclQuote(op))
				fmt.Fprintf(b, "      variable = %s\n", hclQuote(key))
				hclList(b, "      ", "values", st.Condition[op][key])
				b.WriteString("    }\n")
			}
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
}

func hclList(b *strings.Builder, pad, name string, values []string) {
	fmt.Fprintf(b, "%s%s = [\n", pad, name)
	for _, v := range values {
		fmt.Fprintf(b, "%s  %s,\n", pad, hclQuote(v))
	}
	fmt.Fprintf(b, "%s]\n", pad)
}

// writeHeredocJSON writes the policy attribute as a heredoc of the
// document's JSON, ASCII only: a heredoc is a template, so ${ and %{ are
// doubled, but it has no backslash escapes, so the JSON's own escapes
// pass through to IAM unchanged; and ASCII text is already in the form
// Terraform normalizes strings to.
func writeHeredocJSON(b *strings.Builder, d *policy.Document) {
	out, _ := d.Marshal() // d was validated by the caller
	text := string(escapeJSONText(out, true))
	text = strings.ReplaceAll(text, "${", "$${")
	text = strings.ReplaceAll(text, "%{", "%%{")
	b.WriteString("  policy = <<-EOT\n")
	for line := range strings.Lines(text) {
		b.WriteString("    " + line)
	}
	b.WriteString("  EOT\n")
}

// dataSourceExact reports whether d written as an aws_iam_policy_document
// reaches IAM unchanged: read back as Terraform reads it, with the
// provider's "&{" to "${" rewrite applied.
func dataSourceExact(d *policy.Document) bool {
	var b strings.Builder
	writeDataSource(&b, "d", d)
	file, diags := hclsyntax.ParseConfig([]byte(b.String()), "data.tf", hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	blocks := file.Body.(*hclsyntax.Body).Blocks
	if len(blocks) != 1 {
		return false
	}
	got, err := readDataSource(blocks[0].Body)
	return err == nil && policyDiff(d, got) == ""
}

// attachment is the resource type that attaches a managed policy to
// Target's role or user, when it asks for one.
func attachment(t Target) (string, bool) {
	if t.Inline != "" || t.Attach == "" {
		return "", false
	}
	return "aws_iam_" + t.Attach + "_policy_attachment", true
}
