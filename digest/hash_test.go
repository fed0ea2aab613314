package digest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(s))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInflate(t *testing.T) {
	const body = `{"Records":[]}`
	one := gz(t, body)
	tests := []struct {
		name     string
		data     []byte
		trailing bool
		err      string
	}{
		{"one member", one, false, ""},
		{"a second member", append(append([]byte{}, one...), gz(t, `{"Records":[{"eventName":"Forged"}]}`)...), true, ""},
		{"bytes after the member", append(append([]byte{}, one...), "\n"...), true, ""},
		{"not gzip", []byte(body), false, "not gzip"},
		{"cut short", one[:len(one)-6], false, "damaged gzip"},
		{"empty", nil, false, "not gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := inflate(bytes.NewReader(tc.data), 1<<20)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || isRead(err) {
					t.Fatalf("error %v, want a content error with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.Sum != sha256.Sum256([]byte(body)) || string(in.Body) != body {
				t.Errorf("hashed %q, want the first member's content", in.Body)
			}
			if in.Trailing != tc.trailing {
				t.Errorf("trailing %v, want %v", in.Trailing, tc.trailing)
			}
		})
	}
}

func TestInflateTellsReadErrors(t *testing.T) {
	one := gz(t, `{"Records":[]}`)
	boom := errors.New("connection reset")
	_, err := inflate(io.MultiReader(bytes.NewReader(one[:12]), iotest.ErrReader(boom)), 0)
	if !isRead(err) || !errors.Is(err, boom) {
		t.Errorf("error %v: want the reader's, marked as a read error", err)
	}
	if _, err := inflate(bytes.NewReader(gz(t, strings.Repeat("x", 100))), 10); !errors.Is(err, errTooLarge) {
		t.Errorf("error %v: want too large", err)
	}
}
