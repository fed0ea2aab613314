package trail

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestStampLen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"2026-11-01T00:00:03.123Z {", 25},
		{"2026-11-01T00:00:03Z {", 21},
		{"2026-11-01T00:00:03.123456789Z x", 31},
		{"2026-11-01T00:00:03.1234567890Z x", 0}, // ten digits
		{"2026-11-01T00:00:03.Z x", 0},
		{"2026-11-01T00:00:03.123Z", 0}, // no space
		{"2026-11-01T00:00:03.123+00:00 x", 0},
		{"2026-11-01 00:00:03.123Z x", 0},
		{"2026-1a-01T00:00:03.123Z x", 0},
		{`{"eventVersion":"1.09"}`, 0},
		{"", 0},
	}
	for _, tc := range tests {
		if got := stampLen([]byte(tc.in)); got != tc.want {
			t.Errorf("stampLen(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestStampedRecord(t *testing.T) {
	for in, want := range map[string]bool{
		"2026-11-01T00:00:03.123Z {\"eventVersion\":\"1.09\"}": true,
		"2026-11-01T00:00:03Z {":                               true,
		"2026-11-01T00:00:03.123Z START RequestId: 1f0e":       false,
		"2026-11-01T00:00:03.123Z ":                            false,
		"2026-11-01T00:00:03.123Z  {":                          false,
		`{"eventVersion":"1.09"}`:                              false,
	} {
		if got := StampedRecord([]byte(in)); got != want {
			t.Errorf("StampedRecord(%q) = %v, want %v", in, got, want)
		}
	}
}

// unstampRef is Unstamp done line by line in memory.
func unstampRef(in []byte) []byte {
	var out []byte
	for len(in) > 0 {
		line := in
		if i := bytes.IndexByte(in, '\n'); i >= 0 {
			line = in[:i+1]
		}
		in = in[len(line):]
		out = append(out, line[stampLen(line):]...)
	}
	return out
}

// TestUnstamp: the time prefixes go, whatever the reads' sizes and the
// lines' lengths, and lines without one stay as they are.
func TestUnstamp(t *testing.T) {
	long := `{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"GetObject","x":"` + strings.Repeat("a", 200<<10) + `"}`
	in := "2026-11-01T00:00:03.123Z " + long + "\n" +
		"2026-11-01T00:00:04.000Z {\"a\":1}\r\n" +
		"no stamp here\n" +
		"\n" +
		"2026-11-01T00:00:05Z last without newline"
	want := long + "\n{\"a\":1}\r\nno stamp here\n\nlast without newline"
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in)), iotest.HalfReader(strings.NewReader(in))} {
		got, err := io.ReadAll(Unstamp(r))
		if err != nil || string(got) != want {
			t.Fatalf("err %v; got %d bytes, want %d", err, len(got), len(want))
		}
	}
	// A read that fails where a line starts is the error, not the bytes
	// of the time cut short.
	cut := errors.New("unexpected EOF in gzip")
	got, err := io.ReadAll(Unstamp(io.MultiReader(strings.NewReader("2026-11-01T00:00:03Z {}\n2026-11-01T00:0"), iotest.ErrReader(cut))))
	if !errors.Is(err, cut) || string(got) != "{}\n" {
		t.Errorf("a cut stream: %q, %v", got, err)
	}
	if got := unstampRef([]byte(in)); string(got) != want {
		t.Fatal("the reference disagrees")
	}
	rec := `{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u"}}`
	st, err := Decode(Unstamp(strings.NewReader("2026-11-01T00:00:03.123Z "+rec+"\n2026-11-01T00:00:04.456Z "+rec+"\n")), func(*Record) error { return nil })
	if err != nil || st.Records != 2 || st.Malformed != 0 {
		t.Fatalf("Decode: %v, %+v", err, st)
	}
}

func FuzzUnstamp(f *testing.F) {
	f.Add([]byte("2026-11-01T00:00:03.123Z {\"a\":1}\n2026-11-01T00:00:04Z x"))
	f.Add([]byte("\n\n2026-11-01T00:00:03.123456789Z \n"))
	f.Add([]byte("2026-11-01T00:00:03.1234567890Z x\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := io.ReadAll(Unstamp(iotest.HalfReader(bytes.NewReader(in))))
		if err != nil {
			t.Fatal(err)
		}
		if want := unstampRef(in); !bytes.Equal(got, want) {
			t.Fatalf("Unstamp(%q) = %q, want %q", in, got, want)
		}
	})
}
