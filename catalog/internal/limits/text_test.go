package limits

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"s3":                      `"s3"`,
		"a\x1b[2Jb":               `"a\x1b[2Jb"`,
		strings.Repeat("é", 40):   `"` + strings.Repeat("é", 32) + `"… (80 bytes)`,
		strings.Repeat("x", 1000): `"` + strings.Repeat("x", 64) + `"… (1000 bytes)`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%.20q…) = %s, want %s", in, got, want)
		}
	}
}
