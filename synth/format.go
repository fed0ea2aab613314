package synth

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/policy"
)

// Target names the documents a renderer writes: Name is a base for
// identifiers, Description says where they came from.
type Target struct {
	Name        string // such as "checkout-api": the role or user name
	Description string
	// Inline, "role" or "user", writes the documents as inline policies of
	// the role or user called Name instead of managed policies.
	Inline string
	// Attach, "role" or "user", attaches the managed policies to the role
	// or user called Name (an aws_iam_role_policy_attachment, the managed
	// policy's Roles); "" writes them unattached.
	Attach string
}

// RenderJSON writes one document, or a JSON array when there are several.
// Every character outside printable text is a \u escape (see literal), and
// <, > and & are written as themselves.
func RenderJSON(docs []*policy.Document) ([]byte, error) {
	if err := checkRenderable(docs); err != nil {
		return nil, err
	}
	out, err := renderJSON(docs)
	if err != nil {
		return nil, err
	}
	got, err := readJSON(out)
	if err != nil {
		return nil, fmt.Errorf("render json: the output does not read back: %w", err)
	}
	if err := checkReadBack("json", docs, got); err != nil {
		return nil, err
	}
	return out, nil
}

// renderJSON writes documents checkRenderable has accepted, in
// policy.Document.Marshal's canonical form.
func renderJSON(docs []*policy.Document) ([]byte, error) {
	if len(docs) == 1 {
		out, err := docs[0].Marshal()
		return escapeJSONText(out, false), err
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, d := range docs {
		out, err := d.Marshal()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(indent(bytes.TrimRight(out, "\n"), "  "))
	}
	b.WriteString("\n]\n")
	return escapeJSONText(b.Bytes(), false), nil
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
// A document the data source would change (it turns "&{" into "${") is
// written as its JSON in the resource instead. Values are quoted strings
// with no interpolation; the description, in the header comment too, is
// printable ASCII; names are built from letters, digits and separators.
func RenderTerraform(docs []*policy.Document, t Target) ([]byte, error) {
	if err := checkRenderable(docs); err != nil {
		return nil, err
	}
	if err := checkTarget(t); err != nil {
		return nil, err
	}
	out := renderTerraform(docs, t)
	if err := checkTerraform(out, docs, t); err != nil {
		return nil, err
	}
	return out, nil
}

// RenderCloudFormation writes a template with one AWS::IAM::ManagedPolicy
// per document (AWS::IAM::RolePolicy or UserPolicy when Inline), in YAML.
// Every scalar is double-quoted, so no ARN, "*" or condition key can be
// misread, and every character outside printable text is escaped.
func RenderCloudFormation(docs []*policy.Document, t Target) ([]byte, error) {
	if err := checkRenderable(docs); err != nil {
		return nil, err
	}
	if err := checkTarget(t); err != nil {
		return nil, err
	}
	if err := cfnIntrinsic(docs); err != nil {
		return nil, err
	}
	out := renderCloudFormation(docs, t)
	if err := checkCloudFormation(out, docs, t); err != nil {
		return nil, err
	}
	return out, nil
}

// identifier turns a principal's name into a Terraform name (sep "_") or a
// policy name (sep "-"), numbered when there are several documents: ASCII
// letters and digits, every other character a separator, starting with a
// letter, and short enough for IAM's 128-character policy names.
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
	id = strings.TrimRight(id[:min(len(id), maxIdentifier)], sep)
	if n > 1 {
		id = fmt.Sprintf("%s%s%d", id, sep, i+1)
	}
	return id
}

// maxIdentifier leaves room in IAM's 128-character policy names for a
// document's number.
const maxIdentifier = 120

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
	id = id[:min(len(id), maxIdentifier)] + "Policy" // CloudFormation allows 255
	if n > 1 {
		id += fmt.Sprint(i + 1)
	}
	return id
}
