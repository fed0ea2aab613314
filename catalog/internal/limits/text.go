// Text from data tailor cannot trust: checked to be short and printable
// before it is kept, and cut and escaped when a message shows it.

package limits

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsText reports whether s is non-empty UTF-8 of at most max bytes without
// control characters: a name that only serves as a key or a label.
func IsText(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// Quote shows a value from the data in a message: escaped, and cut with its
// length when long.
func Quote(s string) string {
	const max = 64
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
}
