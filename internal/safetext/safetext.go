// Package safetext makes values that come from logs safe to show on a
// terminal: whoever called AWS wrote the object keys, event names and
// error messages that tailor prints, and a newline or an escape sequence
// in one must not forge a line of tailor's output or drive the terminal.
package safetext

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxValue is how many bytes of one value are shown; the rest is cut and
// its length said.
const MaxValue = 512

// MaxLine is how many bytes of one output line are shown.
const MaxLine = 8192

// Clean returns s fit for one line: control, format and bidi characters
// and invalid UTF-8 escaped (\n, \x1b, \u202e), and a value longer than
// MaxValue cut, with its length.
func Clean(s string) string {
	if len(s) <= MaxValue && !needsEscape(s, false) {
		return s
	}
	cut := ""
	if len(s) > MaxValue {
		cut = fmt.Sprintf("…(%d bytes)", len(s))
		s = s[:MaxValue]
		for !utf8.ValidString(s) && len(s) > MaxValue-utf8.UTFMax {
			s = s[:len(s)-1]
		}
	}
	return escape(s, false) + cut
}

func needsEscape(s string, keepLines bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return true
			}
		}
		if unsafe(r, keepLines) {
			return true
		}
	}
	return false
}

// unsafe reports the characters that are escaped: C0 and C1 controls and
// DEL (but newline and tab when keepLines), Unicode format characters
// (bidi overrides, zero-width joiners) and line and paragraph separators.
func unsafe(r rune, keepLines bool) bool {
	if keepLines && (r == '\n' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

func escape(s string, keepLines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r, keepLines):
			b.WriteString(s[i : i+n])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// Writer passes text on with every control character but newline and tab
// escaped, and every line longer than MaxLine cut: a last guard for
// whatever reaches stderr.
type Writer struct{ W io.Writer }

func (w Writer) Write(p []byte) (int, error) {
	s := string(p)
	if !needsEscape(s, true) && len(s) <= MaxLine {
		return w.W.Write(p)
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, line := range lines {
		body := strings.TrimSuffix(line, "\n")
		if len(body) > MaxLine {
			body = strings.ToValidUTF8(body[:MaxLine], "") + fmt.Sprintf("…(line cut: %d bytes)", len(body))
		}
		b.WriteString(escape(body, true))
		if strings.HasSuffix(line, "\n") {
			b.WriteByte('\n')
		}
	}
	if _, err := io.WriteString(w.W, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Line returns s fit for one line as Clean does, but cut only past MaxLine:
// for a line tailor composed (a warning naming many actions), whose values
// are its own or were cleaned.
func Line(s string) string {
	if len(s) <= MaxLine && !needsEscape(s, false) {
		return s
	}
	cut := ""
	if len(s) > MaxLine {
		cut = fmt.Sprintf("…(%d bytes)", len(s))
		s = strings.ToValidUTF8(s[:MaxLine], "")
	}
	return escape(s, false) + cut
}
