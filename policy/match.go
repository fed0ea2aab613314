package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tailor-iam/tailor/arn"
)

// MatchAction reports whether an Action pattern such as "s3:Get*" matches
// an action such as "s3:GetObject". Case is ignored; "*" matches any run of
// characters and "?" any one character.
func MatchAction(pattern, action string) bool {
	return glob(escapeGlob(pattern), action, true)
}

// MatchARN reports whether a Resource pattern matches a resource ARN the
// way IAM matches them: segment by segment (arn:partition:service:region:
// account:resource), case-sensitively, with wildcards that stay inside the
// partition, service, region and account segments and that may span "/"
// and ":" in the resource. "*" alone matches anything. A pattern with fewer
// than six segments whose last segment ends in "*" lets that "*" run across
// the segments it leaves out ("arn:aws:s3:*"). MatchARN does not substitute
// policy variables: "${aws:username}" is literal text here.
func MatchARN(pattern, arn string) bool {
	ok, _ := env{}.matchARN(pattern, arn)
	return ok
}

// MatchResource is MatchARN for a Resource entry as a 2012-10-17 policy
// reads it: the escapes ${*}, ${?} and ${$} stand for the literal
// characters, and any other policy variable matches nothing.
func MatchResource(pattern, arn string) bool {
	ok, _ := env{req: &Request{}, vars: true}.matchARN(pattern, arn)
	return ok
}

// HasWildcard reports whether a Resource entry holds a wildcard, "*" or
// "?", outside the escapes ${*} and ${?}.
func HasWildcard(pattern string) bool {
	return strings.ContainsAny(literalEscapes.Replace(pattern), "*?")
}

var literalEscapes = strings.NewReplacer("${*}", "", "${?}", "", "${$}", "")

// Unescape turns a Resource entry's escapes ${*}, ${?} and ${$} into the
// characters they stand for: the name a request would carry.
func Unescape(s string) string { return unescapes.Replace(s) }

var unescapes = strings.NewReplacer("${*}", "*", "${?}", "?", "${$}", "$")

// env is what matching needs besides the pattern and the value: the request
// context, for policy variables, and whether the document's language
// version substitutes them at all (2008-10-17 does not).
type env struct {
	req  *Request
	vars bool
}

// matchARN is MatchARN with policy variables. missing is a variable the
// request context cannot fill, such as "${aws:username}"; the match is
// then false.
func (e env) matchARN(pattern, value string) (ok bool, missing string) {
	if pattern == "*" {
		return true, ""
	}
	pp := e.splitARN(pattern)
	// Cut, not Parse: the value's first segment is matched like the others.
	prefix, a, cut := arn.Cut(value)
	if !cut || len(pp) < 2 || pp[0] != "arn" {
		// Not both ARNs: compare as plain strings.
		p, missing := e.expand(pattern, true)
		return missing == "" && glob(p, value, false), missing
	}
	ap := [6]string{prefix, a.Partition, a.Service, a.Region, a.Account, a.Resource}
	last := len(pp) - 1
	if len(pp) < 6 {
		if !strings.HasSuffix(pp[last], "*") {
			return false, ""
		}
		// The last segment runs to the end of the value.
		off := 0
		for _, seg := range ap[:last] {
			off += len(seg) + 1
		}
		ap[last] = value[off:]
	}
	for i, seg := range pp {
		p, missing := e.expand(seg, true)
		if missing != "" {
			return false, missing
		}
		if !glob(p, ap[i], false) {
			return false, ""
		}
	}
	return true, ""
}

// splitARN splits an ARN pattern into at most six segments at the colons
// that are not inside a policy variable such as ${aws:username}.
func (e env) splitARN(pattern string) []string {
	parts := make([]string, 0, 6)
	start := 0
	for i := 0; i < len(pattern) && len(parts) < 5; i++ {
		switch {
		case e.vars && strings.HasPrefix(pattern[i:], "${"):
			if end := strings.IndexByte(pattern[i:], '}'); end > 0 {
				i += end
			}
		case pattern[i] == ':':
			parts = append(parts, pattern[start:i])
			start = i + 1
		}
	}
	return append(parts, pattern[start:])
}

// expand substitutes the policy variables in text from the request context.
// With asGlob it returns a glob pattern for glob: the policy's own "*" and
// "?" stay wildcards, while "\" escapes the characters that must match
// literally: a "\" of the policy, ${*}, ${?}, and whatever a variable
// substitutes. missing is the first variable ("${aws:username}") that the
// context cannot fill and that has no default, as in
// ${aws:username, 'anonymous'}.
func (e env) expand(text string, asGlob bool) (out string, missing string) {
	hasVar := e.vars && strings.Contains(text, "${")
	if !hasVar && (!asGlob || !strings.Contains(text, `\`)) {
		return text, ""
	}
	var b strings.Builder
	write := func(s string, literal bool) {
		for _, r := range s {
			if asGlob && (r == '\\' || literal && (r == '*' || r == '?')) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	for text != "" {
		i := strings.Index(text, "${")
		if !hasVar || i < 0 {
			write(text, false)
			break
		}
		end := strings.IndexByte(text[i:], '}')
		if end < 0 {
			write(text, false)
			break
		}
		write(text[:i], false)
		inner := text[i+2 : i+end]
		text = text[i+end+1:]
		switch inner {
		case "*", "?", "$":
			write(inner, true)
			continue
		}
		name, def, hasDef := parseVariable(inner)
		if vals := e.req.values(name); len(vals) == 1 {
			write(vals[0], true)
		} else if hasDef {
			write(def, true)
		} else {
			return "", "${" + inner + "}"
		}
	}
	return b.String(), ""
}

// parseVariable splits the inside of ${...}: a context key, optionally
// followed by ", 'default'", in which a doubled quote stands for one.
func parseVariable(inner string) (name, def string, hasDef bool) {
	comma := strings.IndexByte(inner, ',')
	if comma < 0 {
		return strings.TrimSpace(inner), "", false
	}
	name = strings.TrimSpace(inner[:comma])
	rest := strings.TrimSpace(inner[comma+1:])
	if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return strings.TrimSpace(inner), "", false
	}
	return name, strings.ReplaceAll(rest[1:len(rest)-1], "''", "'"), true
}

// escapeGlob makes text with no policy variables into a glob pattern.
func escapeGlob(text string) string {
	p, _ := env{}.expand(text, true)
	return p
}

// glob matches s against p, in which "*" matches any run of characters,
// "?" any one character and "\" makes the next character literal. It runs
// in O(len(p)·len(s)) time without recursion.
func glob(p, s string, fold bool) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0 // where to resume after the last "*"
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			switch c := p[px]; {
			case c == '*':
				px++
				starPx, starSx = px, sx
				continue
			case c == '?':
				if sx < len(s) {
					_, w := utf8.DecodeRuneInString(s[sx:])
					px++
					sx += w
					continue
				}
			default:
				lit := px
				if c == '\\' && px+1 < len(p) {
					lit++
				}
				pr, pw := utf8.DecodeRuneInString(p[lit:])
				if sx < len(s) {
					sr, sw := utf8.DecodeRuneInString(s[sx:])
					if pr == sr || fold && unicode.ToLower(pr) == unicode.ToLower(sr) {
						px = lit + pw
						sx += sw
						continue
					}
				}
			}
		}
		if starPx < 0 || starSx >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[starSx:])
		starSx += w
		px, sx = starPx, starSx
	}
	return true
}

// values returns a context key's values. Keys are case-insensitive; when
// several keys differ only in case, the one that sorts first wins.
func (r *Request) values(key string) []string {
	if r == nil {
		return nil
	}
	if v, ok := r.Context[key]; ok {
		return v
	}
	var best string
	var found []string
	seen := false
	for k, v := range r.Context {
		if strings.EqualFold(k, key) && (!seen || k < best) {
			best, found, seen = k, v, true
		}
	}
	return found
}
