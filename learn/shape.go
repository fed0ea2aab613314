package learn

import (
	"regexp"
	"strings"
)

// A resource name is read as tokens: runs of letters and digits, and the
// single characters between them. A token that has the shape per-run names
// take (a number, a UUID, a hex id or hash, a random id, a timestamp) is
// variable; the rest is literal. Names whose literal tokens agree and whose
// variable tokens sit in the same places share a template, and only such a
// set can be generalized.

type tokenKind uint8

const (
	literal tokenKind = iota
	number            // digits: dates, times, counters, revisions
	id                // a UUID, hex, or letters and digits mixed
	star              // the "*" a fold left (parent/*)
)

type token struct {
	text  string
	start int // offset in the resource part
	kind  tokenKind
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// tokenize splits a resource part into tokens.
func tokenize(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		if m := uuidRE.FindString(s[i:]); m != "" && (i == 0 || !alnum(s[i-1])) && (i+len(m) == len(s) || !alnum(s[i+len(m)])) {
			out = append(out, token{text: m, start: i, kind: id})
			i += len(m)
			continue
		}
		if !alnum(s[i]) {
			k := literal
			if s[i] == '*' {
				k = star
			}
			out = append(out, token{text: s[i : i+1], start: i, kind: k})
			i++
			continue
		}
		j := i
		for j < len(s) && alnum(s[j]) {
			j++
		}
		out = append(out, word(s[i:j], i)...)
		i = j
	}
	return out
}

// word classifies one run of letters and digits. Letters followed by a
// number (v38, part0001) keep the letters literal; short names with a
// digit (s3, ec2, v2, py39) are words; anything else holding a digit is an
// id.
func word(w string, start int) []token {
	digits, letters := 0, 0
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			digits++
		} else {
			letters++
		}
	}
	switch {
	case digits == 0 && randomCase(w):
		return []token{{text: w, start: start, kind: id}}
	case digits == 0:
		return []token{{text: w, start: start, kind: literal}}
	case letters == 0:
		return []token{{text: w, start: start, kind: number}}
	case len(w) <= 4 && digits <= 2:
		return []token{{text: w, start: start, kind: literal}}
	}
	split := strings.IndexAny(w, "0123456789")
	if strings.Trim(w[split:], "0123456789") == "" {
		return []token{{text: w[:split], start: start, kind: literal}, {text: w[split:], start: start + split, kind: number}}
	}
	return []token{{text: w, start: start, kind: id}}
}

// randomCase tells a random id of letters (base62 with no digit drawn)
// from a word: ten letters or more, switching case at least every third
// letter. CamelCase words switch far less often.
func randomCase(w string) bool {
	if len(w) < 10 {
		return false
	}
	switches := 0
	for i := 1; i < len(w); i++ {
		if (w[i] >= 'a') != (w[i-1] >= 'a') {
			switches++
		}
	}
	return switches*3 >= len(w)
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// shapeOf is a name's template: its literal tokens, with each variable
// token replaced by a marker of its kind.
func shapeOf(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		switch t.kind {
		case literal:
			b.WriteString(t.text)
		case star:
			b.WriteString("\x00*")
		default:
			b.WriteString("\x00#")
		}
	}
	return b.String()
}

// looseShape is a resource part with every run of letters and digits
// replaced by "#": names built alike, whatever their words.
func looseShape(res string) string {
	var b strings.Builder
	b.WriteString("\x02")
	word := false
	for i := 0; i < len(res); i++ {
		if alnum(res[i]) {
			if !word {
				b.WriteByte('#')
			}
			word = true
			continue
		}
		word = false
		b.WriteByte(res[i])
	}
	return b.String()
}
