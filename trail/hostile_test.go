package trail

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// Hostile input: what other people write into a log file must cost bounded
// memory, and only valid JSON may be skipped as "not a trail" (issue 21).

const hostileEvent = `{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"%s","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s"},"requestParameters":{"bucketName":"b","key":"k"}}`

func event(name string) string { return fmt.Sprintf(hostileEvent, name) }

// repeatReader yields n copies of one byte without holding them.
type repeatReader struct {
	c byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.n))
	if n > 0 {
		p[0] = r.c
		for i := 1; i < n; i *= 2 {
			copy(p[i:n], p[:i])
		}
	}
	r.n -= int64(n)
	return n, nil
}

func text(s string) io.Reader { return strings.NewReader(s) }

func repeat(c byte, n int64) io.Reader { return &repeatReader{c: c, n: n} }

// allocated returns how many bytes fn allocated in all: an upper bound on
// the heap it could have held at any moment, with no sampling to miss a peak.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func decodeNames(t *testing.T, r io.Reader, limit int) ([]string, Stats, error) {
	t.Helper()
	var names []string
	st, err := decode(r, func(rec *Record) error {
		names = append(names, rec.EventName)
		return nil
	}, limit)
	return names, st, err
}

func TestHostileWhitespace(t *testing.T) {
	n := int64(256 << 20)
	if testing.Short() {
		n = 16 << 20
	}
	tests := []struct {
		name  string
		parts []io.Reader
		names string
		// inside is set when the whitespace is inside a top-level object
		// that could still be an event: it is kept as part of the event's
		// text, up to MaxRecordBytes, then read again without keeping.
		inside bool
	}{
		{"in an empty Records", []io.Reader{text(`{"Records":[`), repeat(' ', n), text(`]}`)}, "", false},
		{"around records", []io.Reader{text(`{"Records":[`), repeat('\n', n), text(event("A") + ","), repeat(' ', n), text(event("B")), repeat('\t', n), text(`]}`)}, "A,B", false},
		{"between JSON lines", []io.Reader{text(event("A")), repeat('\n', n), text(event("B")), repeat('\r', n)}, "A,B", false},
		{"before the document", []io.Reader{repeat(' ', n), text(`{"Records":[` + event("A") + `]}`)}, "A", false},
		{"before the first key", []io.Reader{text(`{`), repeat(' ', n), text(`"Records":[` + event("A") + `]}`)}, "A", true},
		{"before the colon", []io.Reader{text(`{"Records"`), repeat(' ', n), text(`:[` + event("A") + `]}`)}, "A", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var names []string
			var st Stats
			var err error
			alloc := allocated(func() {
				names, st, err = decodeNames(t, io.MultiReader(tc.parts...), MaxRecordBytes)
			})
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := strings.Join(names, ","); got != tc.names || st.Malformed != 0 {
				t.Errorf("records %q, malformed %d; want %q, 0", got, st.Malformed, tc.names)
			}
			// The whitespace is never kept: what was allocated is the
			// window and the records, whatever n is.
			bound := uint64(4 << 20)
			if tc.inside {
				bound = 3 * MaxRecordBytes
			}
			if alloc > bound {
				t.Errorf("allocated %d MB to skip %d MB of whitespace", alloc>>20, n>>20)
			}
		})
	}
}

func TestHostileLongValue(t *testing.T) {
	const field = 40 << 20 // five times the limit
	prefix, suffix, _ := strings.Cut(event("LONG"), `"requestParameters":`)
	long := func() io.Reader {
		return io.MultiReader(text(prefix+`"userAgent":"`), repeat('a', field), text(`",`+`"requestParameters":`+suffix))
	}
	longWS := func() io.Reader { // as long, but from whitespace inside the record
		return io.MultiReader(text(prefix), repeat(' ', field), text(`"requestParameters":`+suffix))
	}
	second := len(`{"Records":[`+event("A")) + 1 // where the second record starts
	tests := []struct {
		name  string
		parts []io.Reader
		names string
		at    string // FirstMalformed's prefix
	}{
		{"a field in Records", []io.Reader{text(`{"Records":[` + event("A") + ","), long(), text("," + event("B") + "]}")}, "A,B", fmt.Sprintf("entry 2 at byte %d: longer than %d bytes", second, MaxRecordBytes)},
		{"a whole record in Records", []io.Reader{text(`{"Records":[` + event("A") + ","), longWS(), text("," + event("B") + "]}")}, "A,B", fmt.Sprintf("entry 2 at byte %d:", second)},
		{"the first JSON line", []io.Reader{long(), text("\n" + event("B") + "\n")}, "B", "entry 1 at byte 0:"},
		{"a later JSON line", []io.Reader{text(event("A") + "\n"), long(), text("\n" + event("B"))}, "A,B", fmt.Sprintf("entry 2 at byte %d:", len(event("A"))+1)},
		{"a key", []io.Reader{text(`{"Records":[` + event("A") + `,{"`), repeat('k', field), text(`":1},` + event("B") + "]}")}, "A,B", fmt.Sprintf("entry 2 at byte %d:", second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var names []string
			var st Stats
			var err error
			alloc := allocated(func() {
				names, st, err = decodeNames(t, io.MultiReader(tc.parts...), MaxRecordBytes)
			})
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := strings.Join(names, ","); got != tc.names {
				t.Errorf("records %q, want %q", got, tc.names)
			}
			if st.Malformed != 1 || st.Long != 1 || !strings.HasPrefix(st.FirstMalformed, tc.at) {
				t.Errorf("stats %+v, want 1 long record, first %q…", st, tc.at)
			}
			// The window grows to the limit once, and the records are small.
			if alloc > 4*MaxRecordBytes {
				t.Errorf("allocated %d MB for a %d MB value", alloc>>20, field>>20)
			}
		})
	}
}

// TestHostileLimit walks every path that meets a value longer than the limit,
// with a small limit: the entry is counted, the JSON around it still checked.
func TestHostileLimit(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		names     string
		malformed int
		wantErr   string // "" for success; ErrNotTrail's text for it
	}{
		{"long record between short ones", `{"Records":[{"eventName":"A"},{"eventName":"B","userAgent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},{"eventName":"C"}]}`, "A,C", 1, ""},
		{"long invalid record", `{"Records":[{"eventName":"A"},{"eventName":"B","userAgent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\q"},{"eventName":"C"}]}`, "A", 0, "invalid JSON at byte 108: invalid character 'q' in string escape code"},
		{"long truncated record", `{"Records":[{"eventName":"A"},{"eventName":"B","userAgent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, "A", 0, "truncated JSON at byte 108"},
		{"long scalar in Records", `{"Records":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",{"eventName":"C"}]}`, "C", 1, ""},
		{"long key before Records", `{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":1,"Records":[{"eventName":"A"}]}`, "A", 0, ""},
		{"long value before Records", `{"x":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25],"Records":[{"eventName":"A"}]}`, "A", 0, ""},
		{"Records after a short member", `{"x":1,"Records":[{"eventName":"A"}],"y":{"z":null}}`, "A", 0, ""},
		{"long first JSON line", `{"eventName":"A","userAgent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}` + "\n" + `{"eventName":"B"}`, "B", 1, ""},
		{"long first line, event key last", `{"userAgent":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","eventName":"A"}` + "\n" + `{"eventName":"B"}`, "B", 1, ""},
		{"long non-event object", `{"setting":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`, "", 0, ErrNotTrail.Error()},
		{"long invalid non-event object", `{"setting":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",}`, "", 0, "invalid JSON at byte 86"},
		{"long later line", `{"eventName":"A"}` + "\n" + `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` + "\n" + `{"eventName":"B"}`, "A,B", 1, ""},
		{"long later line, run into the next", `{"eventName":"A"}` + "\n" + `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"{"eventName":"B"}`, "A,B", 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names, st, err := decodeNames(t, text(tc.in), 40)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want %q…", err, tc.wantErr)
			}
			if got := strings.Join(names, ","); got != tc.names || st.Malformed != tc.malformed || st.Long != tc.malformed {
				t.Errorf("records %q, stats %+v; want %q, %d long", got, st, tc.names, tc.malformed)
			}
		})
	}
}

// TestHostileNotJSON: only valid JSON that holds no trail is ErrNotTrail;
// anything else is an error that says where the input went wrong.
func TestHostileNotJSON(t *testing.T) {
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(21, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[0] = 0x9c // not a value's first byte, whatever the seed
	tests := []struct {
		name     string
		in       string
		notTrail bool
		wantErr  string
	}{
		{"NUL bytes before a trail", strings.Repeat("\x00", 64) + `{"Records":[]}`, false, "invalid JSON at byte 0: invalid character 0x00"},
		{"random bytes", string(random), false, "invalid JSON at byte 0"},
		{"text", "hello", false, "invalid JSON at byte 0: invalid character 'h' looking for beginning of value"},
		{"a byte-order mark alone", "\xEF\xBB\xBF", true, ""},
		{"half a byte-order mark", "\xEF\xBB{}", false, "invalid JSON at byte 0"},
		{"truncated non-trail", `{"setting":[1,2`, false, "truncated JSON"},
		{"garbage after a non-trail object", `{"setting":true} ]`, false, "invalid JSON at byte 17"},
		{"garbage after a delivery file", `{"Records":[]} x`, false, "invalid JSON at byte 15"},
		{"missing final brace", `{"Records":[]`, false, "truncated JSON at byte 13"},
		{"values run together", `0 01"a"true{}[]`, true, ""},
		{"valid array", `[1,"x",{"a":null},[true,false]]`, true, ""},
		{"valid string", `"CloudTrail"`, true, ""},
		{"valid numbers", "-0.5e+3 12 0", true, ""},
		{"non-trail JSON lines", "{\"a\":1}\n{\"b\":2}\n[]", true, ""},
		{"bad escape", `["\x"]`, false, "invalid JSON at byte 2"},
		{"control character in a string", "[\"a\tb\"]", false, "invalid JSON at byte 3"},
		{"bad literal", `[nul]`, false, "invalid JSON at byte 4"},
		{"leading zero", `[01]`, false, "invalid JSON at byte 2"},
		{"deep nesting", strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1), false, fmt.Sprintf("invalid JSON at byte %d: nested deeper than %d", maxDepth, maxDepth)},
		{"nesting at the limit", strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeNames(t, text(tc.in), MaxRecordBytes)
			if tc.notTrail {
				if !errors.Is(err, ErrNotTrail) {
					t.Fatalf("err = %v, want ErrNotTrail", err)
				}
				return
			}
			if err == nil || errors.Is(err, ErrNotTrail) || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q…", err, tc.wantErr)
			}
		})
	}
}

// TestHostileDeepRecord: deep nesting in a record is refused, whether the
// record is decoded or skipped for its length.
func TestHostileDeepRecord(t *testing.T) {
	deep := `{"eventName":"B","requestParameters":` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000) + "}"
	for _, limit := range []int{MaxRecordBytes, 1 << 10} {
		names, _, err := decodeNames(t, text(`{"Records":[{"eventName":"A"},`+deep+`]}`), limit)
		if err == nil || !strings.Contains(err.Error(), "invalid JSON") {
			t.Errorf("limit %d: err = %v, want invalid JSON", limit, err)
		}
		if strings.Join(names, ",") != "A" {
			t.Errorf("limit %d: records %v, want the one before", limit, names)
		}
	}
}

// TestHostileReadError: an error from the reader below (corrupt gzip) comes
// back as it is, not as invalid JSON, wherever it strikes.
func TestHostileReadError(t *testing.T) {
	boom := errors.New("boom")
	for _, in := range []string{"", "  ", `{"Records":[`, `{"Records":[{"eventName":"A"`, `[1,2`, `{"eventName":"A"}`, `"abc`} {
		_, _, err := decodeNames(t, io.MultiReader(text(in), iotestErr(boom)), 16)
		if !errors.Is(err, boom) {
			t.Errorf("%q: err = %v, want the reader's", in, err)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func iotestErr(err error) io.Reader { return errReader{err} }

// FuzzDecodeLimit checks the decoder's own JSON reading against the
// standard library and against itself: with a tiny limit, every entry is
// read through by skipValue instead of being decoded, which must change
// nothing but which entries are counted as malformed.
func FuzzDecodeLimit(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject"},null,"x",{"eventName":"B"}]}`), uint8(3))
	f.Add([]byte("{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n1 \"s\" [] {}"), uint8(10))
	f.Add([]byte(`{"x":{"a":[1,2.5e-3,true,false,null,"\u00e9\n"]},"Records":[{"eventName":"A"}],"Records":[]}`), uint8(1))
	f.Add([]byte(`[{"a":"\ud800"}, -0, 1E+2]`), uint8(0))
	f.Add([]byte("{\"Rec\\u006frds\":[{\"eventName\":\"A\"}]}"), uint8(20))
	f.Add([]byte(`{"eventName":"0"}{"eventNAme":"0"}0""00`), uint8('N'))
	// The envelopes: EventBridge, CloudWatch Logs, lookup-events, arrays.
	f.Add([]byte(`[{"detail-type":"AWS API Call via CloudTrail","detail":{"eventName":"A"}},{"detail-type":"x","detail":{}}]`), uint8(30))
	f.Add([]byte(`{"messageType":"CONTROL_MESSAGE","logEvents":[{"message":"x"}]}{"messageType":"DATA_MESSAGE","logEvents":[{"message":"{"eventName":"B"}"},{"message":"{}"}]}`), uint8(12))
	f.Add([]byte(`{"Events":[{"EventId":"1","CloudTrailEvent":"{"eventName":"\u0041"}"},7],"NextToken":"t"}{"CloudTrailEvent":"[]"}`), uint8(15))
	f.Fuzz(func(t *testing.T, b []byte, limit uint8) {
		full, fst, ferr := decodeNames(t, bytes.NewReader(b), MaxRecordBytes)
		small, sst, serr := decodeNames(t, bytes.NewReader(b), int(limit))
		if fst.Records != len(full) || sst.Records != len(small) {
			t.Fatalf("stats disagree with the callback")
		}
		if (ferr == nil) != (serr == nil) || errors.Is(ferr, ErrNotTrail) != errors.Is(serr, ErrNotTrail) {
			t.Fatalf("limit %d: err %v; with no limit: %v", limit, serr, ferr)
		}
		if ferr == nil && fst.Records+fst.Malformed != sst.Records+sst.Malformed {
			t.Fatalf("limit %d: %+v; with no limit: %+v", limit, sst, fst)
		}
		if sst.Long > sst.Malformed || fst.Long != 0 {
			t.Fatalf("long counts: %+v, %+v", sst, fst)
		}
		// Valid JSON, as encoding/json reads a stream of values, is never
		// an error of syntax, and invalid JSON always is.
		if bytes.Contains(b, []byte("\xEF\xBB\xBF")) {
			return // encoding/json refuses a byte-order mark
		}
		dec := stdjson.NewDecoder(bytes.NewReader(b))
		var stdErr error
		for {
			var v stdjson.RawMessage
			if stdErr = dec.Decode(&v); stdErr != nil {
				break
			}
		}
		valid := stdErr == io.EOF
		syntax := ferr != nil && !errors.Is(ferr, ErrNotTrail)
		if valid == syntax {
			t.Fatalf("encoding/json: %v; Decode: %v", stdErr, ferr)
		}
	})
}
