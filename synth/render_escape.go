// Escaping for the renderers. Every value in a policy comes from logs that
// someone else wrote, so each format quotes it by one rule: a character is
// written as itself only when it is printable and cannot end, reorder or
// hide text (see literal); every other one is an escape the format reads
// back as exactly that character.

package synth

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tailor-iam/tailor/policy"
)

// literal reports whether r may stand for itself inside a quoted string:
// printable ASCII, or a printable non-ASCII letter, mark, number,
// punctuation or symbol. C0 and C1 controls, DEL, line and paragraph
// separators, format characters (bidi overrides, the BOM, zero-width
// spaces), non-ASCII spaces and unassigned code points are escaped.
func literal(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0x20 && r < 0x7f
	}
	return unicode.IsPrint(r)
}

// writeUnicodeEscape writes r as \uXXXX, or \UXXXXXXXX beyond the BMP: the
// two forms HCL and YAML double-quoted strings both read.
func writeUnicodeEscape(b *strings.Builder, r rune) {
	if r > 0xffff {
		fmt.Fprintf(b, `\U%08x`, r)
		return
	}
	fmt.Fprintf(b, `\u%04x`, r)
}

// hclQuote quotes s as an HCL quoted template: backslash escapes, and the
// template sequences ${ and %{ doubled to $${ and %%{ so that no value
// becomes an interpolation or a directive.
func hclQuote(s string) string { return quote(s, true) }

// yamlQuote quotes s as a YAML double-quoted scalar. YAML reads C0, DEL
// and C1 controls only as escapes, and folds a literal NEL, U+2028 or
// U+2029 into a space: all of them are escaped. A quoted scalar is always
// a string, so "*", "true" or "<<" cannot be misread.
func yamlQuote(s string) string { return quote(s, false) }

// quote writes s double-quoted with backslash escapes, the form HCL and
// YAML share; template doubles HCL's ${ and %{.
func quote(s string, template bool) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case template && (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case literal(r):
			b.WriteRune(r)
		default:
			writeUnicodeEscape(&b, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// escapeJSONText escapes, in JSON that encoding/json wrote, every character
// literal rejects (ASCII only: every one outside printable ASCII). Such
// characters can only be inside strings, since the JSON around them is
// ASCII, so a \u escape reads back as the same string. encoding/json
// already escapes C0 controls, U+2028 and U+2029; this adds DEL, C1
// controls, format characters and the rest, so a printed policy cannot
// carry a terminal escape or reorder itself on screen.
func escapeJSONText(out []byte, asciiOnly bool) []byte {
	var b strings.Builder
	b.Grow(len(out))
	for _, r := range string(out) {
		switch {
		case r == '\n' || (r >= 0x20 && r < 0x7f):
			b.WriteRune(r)
		case r >= utf8.RuneSelf && !asciiOnly && literal(r):
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return []byte(b.String())
}

// maxDescription is IAM's limit on a policy's description, in characters.
const maxDescription = 1000

// descriptionText makes s safe as free text: in a comment, a description
// or an error. Printable ASCII stays (a backslash doubled, so escapes are
// unambiguous); everything else is written as a Go escape, so a newline in
// a principal ARN cannot end a comment, and the text fits the characters
// IAM allows in a policy description. Text longer than IAM allows is cut.
func descriptionText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			writeUnicodeEscape(&b, r)
		}
		i += size
	}
	out := b.String()
	if len(out) > maxDescription {
		cut := fmt.Sprintf("... (%d characters)", len(out))
		out = out[:maxDescription-len(cut)] + cut
	}
	return out
}

// shown quotes a value for an error message: escaped, and cut when long.
func shown(s string) string {
	const max = 120
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:cut], len(s))
}

// iamName is what IAM allows in a role or user name.
var iamName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// principalTypes are the keys a Principal element may have.
var principalTypes = map[string]bool{"AWS": true, "CanonicalUser": true, "Federated": true, "Service": true}

// checkRenderable refuses documents no format can write exactly: a value
// that is not valid UTF-8 (JSON, HCL and YAML strings hold characters, not
// bytes), and the empty or unknown elements IAM's JSON cannot hold.
func checkRenderable(docs []*policy.Document) error {
	for n, d := range docs {
		if err := validate(d); err != nil {
			return err
		}
		for _, st := range d.Statement {
			where := fmt.Sprintf("policy: document %d: statement %s", n+1, st.Sid)
			check := func(elem string, values []string, empty bool) error {
				for _, v := range values {
					if !utf8.ValidString(v) {
						return fmt.Errorf("%s: %s %s is not valid UTF-8, which no policy format can hold", where, elem, shown(v))
					}
					if v == "" && !empty {
						return fmt.Errorf("%s: %s holds an empty string", where, elem)
					}
				}
				return nil
			}
			if err := check("Action", st.Action, false); err != nil {
				return err
			}
			if err := check("Resource", st.Resource, false); err != nil {
				return err
			}
			principal := principalIDs(st)
			for _, typ := range slices.Sorted(maps.Keys(principal)) {
				ids := principal[typ]
				if !principalTypes[typ] {
					return fmt.Errorf("%s: Principal type %s is not AWS, CanonicalUser, Federated or Service", where, shown(typ))
				}
				if len(ids) == 0 {
					return fmt.Errorf("%s: Principal %s names no one", where, typ)
				}
				if err := check("Principal", ids, false); err != nil {
					return err
				}
			}
			for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
				if err := check("Condition operator", []string{op}, true); err != nil {
					return err
				}
				for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
					if err := check("Condition key", []string{key}, true); err != nil {
						return err
					}
					if err := check("Condition value", st.Condition[op][key], true); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// checkTarget refuses a Target that would put something other than a
// role or user name where one is needed.
func checkTarget(t Target) error {
	for _, c := range []struct{ what, kind string }{{"inline policy", t.Inline}, {"attached policy", t.Attach}} {
		switch c.kind {
		case "":
			continue
		case "role", "user":
		default:
			return fmt.Errorf("render: %s of a %s: want role or user", c.what, shown(c.kind))
		}
		if !iamName.MatchString(t.Name) {
			return fmt.Errorf("render: %s: %s name %s is not an IAM %s name", c.what, c.kind, shown(t.Name), c.kind)
		}
	}
	return nil
}
