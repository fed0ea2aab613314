package safetext

import (
	"bytes"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket/key"},
		{"x\n error: s3://trail/x.json.gz: forged \x1b[2J", `x\n error: s3://trail/x.json.gz: forged \x1b[2J`},
		{"a\fb\bc\x7fd", `a\x0cb\x08c\x7fd`},
		{"\u0085next\u202eevil", `\u0085next\u202eevil`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"tab\there", `tab\there`},
		{"ünïcode ok", "ünïcode ok"},
	}
	for _, tc := range tests {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("é", 10<<20/2) // 10 MB
	got := Clean(long)
	if len(got) > MaxValue+64 || !strings.HasSuffix(got, "…(10485760 bytes)") {
		t.Errorf("a 10 MB value: %d bytes, ends %q", len(got), got[len(got)-30:])
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := Writer{W: &buf}
	w.Write([]byte("warning: one\n"))
	w.Write([]byte("warning: two \x1b[2J\tand\n  more\n"))
	w.Write([]byte(strings.Repeat("x", 3*MaxLine) + "\n"))
	out := buf.String()
	if !strings.HasPrefix(out, "warning: one\nwarning: two \\x1b[2J\tand\n  more\n") {
		t.Errorf("escaped: %q", out[:60])
	}
	if strings.Contains(out, "\x1b") || !strings.Contains(out, "…(line cut: 24576 bytes)\n") {
		t.Errorf("long line: %d bytes", len(out))
	}
}
