package trail

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tailor-iam/tailor/internal/benchtrail"
	"github.com/tailor-iam/tailor/internal/testenv"
)

// quoted is rec as a JSON string, as lookup-events and CloudWatch Logs
// carry a record.
func quoted(rec string) string {
	b, _ := stdjson.Marshal(rec)
	return string(b)
}

func eb(detailType, detail string) string {
	return `{"version":"0","id":"1","detail-type":"` + detailType + `","source":"aws.s3","account":"111122223333","time":"2026-11-01T00:00:00Z","region":"us-east-1","resources":[],"detail":` + detail + `}`
}

func cwl(messageType string, messages ...string) string {
	var evs []string
	for i, m := range messages {
		evs = append(evs, fmt.Sprintf(`{"id":"%d","timestamp":1793491644000,"message":%s}`, i, quoted(m)))
	}
	return `{"messageType":"` + messageType + `","owner":"111122223333","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":[` + strings.Join(evs, ",") + `]}`
}

func lookup(records ...string) string {
	var evs []string
	for i, r := range records {
		evs = append(evs, fmt.Sprintf(`{"EventId":"%d","EventName":"X","ReadOnly":"true","EventTime":"2026-11-01T00:00:00+00:00","EventSource":"s3.amazonaws.com","Resources":[],"CloudTrailEvent":%s}`, i, quoted(r)))
	}
	return `{"Events":[` + strings.Join(evs, ",") + `],"NextToken":"abc"}`
}

func TestDecodeEnvelopes(t *testing.T) {
	a, b, c := event("A"), event("B"), event("C")
	control := cwl("CONTROL_MESSAGE", "CWL CONTROL MESSAGE: Checking health of destination Firehose.")
	tests := []struct {
		name      string
		in        string
		names     string
		malformed int
		control   int
		other     int
		first     string // FirstMalformed's prefix
		wantErr   string // "" for success; ErrNotTrail's text for it
	}{
		{name: "EventBridge event", in: eb("AWS API Call via CloudTrail", a), names: "A"},
		{name: "EventBridge lines", in: eb("AWS API Call via CloudTrail", a) + "\n" + eb("AWS Console Sign In via CloudTrail", b) + "\n", names: "A,B"},
		{name: "EventBridge array", in: "[\n" + eb("AWS API Call via CloudTrail", a) + ",\n" + eb("AWS API Call via CloudTrail", b) + "\n]", names: "A,B"},
		{name: "EventBridge run together", in: eb("AWS API Call via CloudTrail", a) + eb("AWS API Call via CloudTrail", b), names: "A,B"},
		{name: "EventBridge detail first", in: `{"detail":` + a + `,"detail-type":"AWS API Call via CloudTrail"}`, names: "A"},
		{name: "EventBridge other event first", in: eb("EC2 Instance State-change Notification", `{"state":"stopped"}`) + eb("AWS API Call via CloudTrail", a), names: "A", other: 1},
		{name: "EventBridge other events only", in: eb("Object Created", `{"bucket":{}}`), other: 1},
		{name: "EventBridge detail not a record", in: eb("AWS API Call via CloudTrail", `{"x":1}`), malformed: 1, first: "entry 1 at byte 186: no eventSource or eventName"},
		{name: "EventBridge detail of the wrong type", in: eb("AWS API Call via CloudTrail", `{"eventName":"A","userIdentity":"x"}`), malformed: 1},
		{name: "EventBridge invalid around the detail", in: strings.Replace(eb("AWS API Call via CloudTrail", a), `"resources":[]`, `"resources":[,]`, 1), wantErr: "invalid JSON at byte 175: invalid character ',' looking for beginning of value"},
		{name: "EventBridge truncated", in: eb("AWS API Call via CloudTrail", a)[:150], wantErr: "truncated JSON"},
		{name: "CloudWatch Logs payload", in: cwl("DATA_MESSAGE", a, b), names: "A,B"},
		{name: "CloudWatch Logs payloads run together", in: control + cwl("DATA_MESSAGE", a) + control + cwl("DATA_MESSAGE", b, c), names: "A,B,C", control: 2},
		{name: "CloudWatch Logs control message only", in: control, control: 1},
		{name: "CloudWatch Logs message not JSON", in: cwl("DATA_MESSAGE", a, "not json", c), names: "A,C", malformed: 1, first: "entry 2 at byte"},
		{name: "CloudWatch Logs message not a record", in: cwl("DATA_MESSAGE", `{"eventName":"A","resources":{}}`, `[1]`, `{}`, b), names: "B", malformed: 3},
		{name: "CloudWatch Logs message with trailing garbage", in: cwl("DATA_MESSAGE", a+"x", b), names: "B", malformed: 1},
		{name: "CloudWatch Logs event without a message", in: `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":7},2,` + strings.TrimPrefix(cwl("DATA_MESSAGE", a), `{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":[`), names: "A", malformed: 2, first: "entry 1 at byte 43: no message string"},
		{name: "CloudWatch Logs bad escape", in: `{"messageType":"DATA_MESSAGE","logEvents":[{"message":"{\q"}]}`, wantErr: "invalid JSON at byte 57: invalid character 'q' in string escape code"},
		{name: "CloudWatch Logs control character", in: "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":\"{\t\"}]}", wantErr: "invalid JSON at byte 56: invalid character 0x09 in string literal"},
		{name: "CloudWatch Logs truncated in a message", in: cwl("DATA_MESSAGE", a)[:120], wantErr: "truncated JSON"},
		{name: "lookup-events output", in: lookup(a, b), names: "A,B"},
		{name: "lookup-events pages", in: lookup(a) + "\n" + lookup(b, c) + "\n", names: "A,B,C"},
		{name: "lookup-events page first of a file with events after", in: lookup(a) + b, names: "A,B"},
		{name: "lookup-events events alone", in: "[" + strings.TrimSuffix(strings.TrimPrefix(lookup(a, b), `{"Events":[`), `],"NextToken":"abc"}`) + "]", names: "A,B"},
		{name: "lookup-events event as a line", in: strings.TrimSuffix(strings.TrimPrefix(lookup(a), `{"Events":[`), `],"NextToken":"abc"}`), names: "A"},
		{name: "lookup-events malformed record", in: lookup(`{"eventVersion":"1.09"}`, b), names: "B", malformed: 1},
		{name: "lookup-events NextToken first", in: `{"NextToken":"x","Events":[{"CloudTrailEvent":` + quoted(a) + `}]}`, names: "A"},
		{name: "Records and then Events", in: `{"Records":[` + a + `],"Events":[{"CloudTrailEvent":` + quoted(b) + `}]}`, names: "A"},
		{name: "bare events then envelopes", in: a + "\n" + eb("AWS API Call via CloudTrail", b) + "\n" + lookup(c), names: "A,B,C"},
		{name: "array of bare events", in: "[" + a + "," + b + "]", names: "A,B"},
		{name: "array of a delivery file", in: `[{"Records":[` + a + `]}]`, names: "A"},
		{name: "array of an array later", in: a + `[[1],"x"]`, names: "A", malformed: 2},
		{name: "array of non-events", in: `[{"x":1},` + a + `]`, wantErr: ErrNotTrail.Error()},
		{name: "empty array", in: `[]`, wantErr: ErrNotTrail.Error()},
		{name: "detail without a detail-type", in: `{"detail":` + a + `}`, wantErr: ErrNotTrail.Error()},
		{name: "detail-type of another type", in: `{"detail-type":1,"detail":` + a + `}`, wantErr: ErrNotTrail.Error()},
		{name: "messageType of another type", in: `{"messageType":null}`, wantErr: ErrNotTrail.Error()},
		{name: "unknown messageType", in: `{"messageType":"HELLO"}`, wantErr: ErrNotTrail.Error()},
		{name: "events without their array", in: `{"Events":{"a":1}}`, wantErr: ErrNotTrail.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{MaxRecordBytes, len(tc.in) + 1} {
				names, st, err := decodeNames(t, text(tc.in), limit)
				switch {
				case tc.wantErr == "" && err != nil:
					t.Fatalf("err = %v", err)
				case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
					t.Fatalf("err = %v, want %q…", err, tc.wantErr)
				}
				if got := strings.Join(names, ","); got != tc.names || st.Malformed != tc.malformed || st.Control != tc.control || st.Other != tc.other {
					t.Errorf("records %q, stats %+v; want %q, %d malformed, %d control, %d other", got, st, tc.names, tc.malformed, tc.control, tc.other)
				}
				if !strings.HasPrefix(st.FirstMalformed, tc.first) {
					t.Errorf("first malformed %q, want %q…", st.FirstMalformed, tc.first)
				}
			}
		})
	}
}

// TestDecodeEnvelopesLong: an envelope or a record string longer than the
// limit is one malformed entry, read through and checked; the entries
// around it are read.
func TestDecodeEnvelopesLong(t *testing.T) {
	a, b := event("A"), event("B")
	const limit = 600 // an envelope of A fits, an envelope of L does not
	pad := strings.Repeat("a", limit)
	long := strings.Replace(event("L"), `"s3.amazonaws.com"`, `"s3.amazonaws.com","userAgent":"`+pad+`"`, 1)
	tests := []struct {
		name      string
		in        string
		names     string
		malformed int
		other     int
		wantErr   string
	}{
		{"long EventBridge event", eb("AWS API Call via CloudTrail", long) + eb("AWS API Call via CloudTrail", a), "A", 1, 0, ""},
		{"EventBridge event long elsewhere", `{"note":"` + pad + `","detail-type":"AWS API Call via CloudTrail","detail":` + a + `}` + "\n" + b, "B", 1, 0, ""},
		{"long other EventBridge event", eb("Object Created", `{"key":"`+pad+`"}`) + a, "A", 0, 1, ""},
		{"long invalid EventBridge event", eb("AWS API Call via CloudTrail", long[:len(long)-1]+",}"), "", 0, 0, "invalid JSON"},
		{"long lookup event alone", `{"CloudTrailEvent":` + quoted(long) + `}` + a, "A", 1, 0, ""},
		{"long record string", lookup(a, long, b), "A,B", 1, 0, ""},
		{"long message", cwl("DATA_MESSAGE", long, a), "A", 1, 0, ""},
		{"long message with a bad escape", `{"messageType":"DATA_MESSAGE","logEvents":[{"message":"` + pad + `\x"}]}`, "", 0, 0, "invalid JSON"},
		{"long member beside a message", `{"logEvents":[{"id":"` + pad + `","message":` + quoted(a) + `}]}`, "A", 0, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names, st, err := decodeNames(t, text(tc.in), limit)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Fatalf("err = %v, want %q…", err, tc.wantErr)
			}
			if got := strings.Join(names, ","); got != tc.names || st.Malformed != tc.malformed || st.Long != tc.malformed || st.Other != tc.other {
				t.Errorf("records %q, stats %+v; want %q, %d long, %d other", got, st, tc.names, tc.malformed, tc.other)
			}
		})
	}
}

// TestUnescape: a string's content unescaped is what encoding/json makes
// of it, for valid UTF-8; bytes that are not UTF-8 stay as they are.
func TestUnescape(t *testing.T) {
	for _, s := range []string{
		``, `plain`, `\"\\\/\b\f\n\r\t`, `\u0041\u00e9\u20ac`, `\ud83d\ude00`, `\ud800`, `\ud800x`, `\udc00\ud800`,
		`\ud800\u0041`, `\ud83d\ud83d\ude00`, `caf` + "\u00e9", `{\"eventName\":\"A\\\"B\"}`, `\u0000`,
	} {
		got, err := unescape(nil, []byte(s))
		var want string
		if jerr := stdjson.Unmarshal([]byte(`"`+s+`"`), &want); jerr != nil || err != nil {
			t.Fatalf("%q: %v, encoding/json %v", s, err, jerr)
		}
		if string(got) != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
	if got, err := unescape(nil, []byte("a\xff\\n")); err != nil || string(got) != "a\xff\n" {
		t.Errorf("invalid UTF-8: %q, %v", got, err)
	}
	for s, want := range map[string]string{
		`\x`: "invalid character 'x' in string escape code", `\u12`: "invalid character 0x00 in \\u hexadecimal character escape",
		`\u12g4`: "invalid character 'g' in \\u hexadecimal character escape", "a\nb": "invalid character 0x0a in string literal",
	} {
		if _, err := unescape(nil, []byte(s)); err == nil || err.Error() != want {
			t.Errorf("%q: err %v, want %q", s, err, want)
		}
	}
}

// TestCorpusEnvelopes reads every file of the variants/ and envelopes/
// folders of ../shared/corpus (EventBridge events, CloudWatch Logs
// payloads, lookup-events output as JSON lines, bare events): each gives,
// without a malformed entry, the records that encoding/json finds in it,
// each read as a line of its own.
func TestCorpusEnvelopes(t *testing.T) {
	corpus := testenv.Shared(t, "corpus")
	var files []string
	filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		dir := filepath.Base(filepath.Dir(p))
		if err == nil && !d.IsDir() && (dir == "variants" || dir == "envelopes") {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 4 {
		t.Fatalf("%d files in the corpus's variants and envelopes", len(files))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw = readMaybeGzip(t, raw)
		got := decodeShown(t, raw)
		var want []string
		for _, rec := range unwrapStd(t, raw) {
			want = append(want, decodeShown(t, rec)...)
		}
		if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: read\n%v\nwant\n%v", f, got, want)
		}
	}
}

// unwrapStd takes the records out of a file's values with encoding/json.
func unwrapStd(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	dec := stdjson.NewDecoder(bytes.NewReader(data))
	for {
		var v struct {
			Records    []stdjson.RawMessage
			DetailType string             `json:"detail-type"`
			Detail     stdjson.RawMessage `json:"detail"`
			LogEvents  []struct{ Message string }
			Events     []struct{ CloudTrailEvent string }
			CTEvent    *string `json:"CloudTrailEvent"`
		}
		var raw stdjson.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out
		}
		if err := stdjson.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		switch {
		case v.Records != nil:
			for _, r := range v.Records {
				out = append(out, r)
			}
		case v.Detail != nil:
			out = append(out, v.Detail)
		case v.LogEvents != nil:
			for _, e := range v.LogEvents {
				out = append(out, []byte(e.Message))
			}
		case v.Events != nil:
			for _, e := range v.Events {
				out = append(out, []byte(e.CloudTrailEvent))
			}
		case v.CTEvent != nil:
			out = append(out, []byte(*v.CTEvent))
		default:
			out = append(out, raw)
		}
	}
}

// decodeShown decodes in and returns its records, each as JSON.
func decodeShown(t testing.TB, in []byte) []string {
	t.Helper()
	var out []string
	st, err := Decode(bytes.NewReader(in), func(r *Record) error {
		out = append(out, show(*r))
		return nil
	})
	if err != nil || st.Malformed != 0 {
		t.Fatalf("err %v, stats %+v", err, st)
	}
	return out
}

// escape writes b as the content of a JSON string, keeping bytes that are
// not UTF-8 as they are, and (style) escaping more than it must: every
// non-ASCII rune as \u escapes, and / and <.
func escape(b []byte, style byte) string {
	var s strings.Builder
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch c := b[i]; {
		case c == '"' || c == '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&s, `\u%04x`, c)
		case style&1 != 0 && (c == '/' || c == '<'):
			fmt.Fprintf(&s, `\u%04X`, c)
		case style&2 != 0 && r != utf8.RuneError && r >= 0x80:
			if r >= 0x10000 {
				hi, lo := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
				fmt.Fprintf(&s, `\u%04x\u%04x`, hi, lo)
			} else {
				fmt.Fprintf(&s, `\u%04x`, r)
			}
			i += n
			continue
		default:
			s.WriteByte(c)
		}
		i++
	}
	return s.String()
}

// plainOutcome is what the decoder makes of rec as an entry of its own: its
// record as JSON, or "malformed".
func plainOutcome(rec []byte) string {
	d := &decoder{intern: newInterner()}
	if d.decodeRecord(rec) != nil || d.rec.EventSource == "" && d.rec.EventName == "" {
		return "malformed"
	}
	return show(d.rec)
}

// FuzzDecodeEnvelopes wraps an entry in each envelope, runs the envelopes
// together and in an array, and checks that the decoder reads each
// wrapped record as it reads the entry alone (the same record, or
// malformed), whatever the limit; wrapping only changes how many bytes a
// record takes.
func FuzzDecodeEnvelopes(f *testing.F) {
	for i, raw := range entries(f, benchtrail.DeliveryFile(16<<10)) {
		if i < 8 {
			f.Add(raw, uint8(i))
		}
	}
	f.Add([]byte(`{"eventName":"A","userAgent":"\u00e9 caf`+"\u00e9 \xff"+`","x":"\ud83d\ude00"}`), uint8(3))
	f.Add([]byte(`not json`), uint8(1))
	f.Add([]byte(`{"eventName":"A","userIdentity":"x"}`), uint8(2))
	f.Add([]byte(`{"eventSource":"s3.amazonaws.com"} {"x":1}`), uint8(7))
	f.Fuzz(func(t *testing.T, rec []byte, style uint8) {
		if len(rec) > 4<<10 {
			return
		}
		want := plainOutcome(rec)
		str := `"` + escape(rec, style) + `"`
		wraps := []string{
			`{"Events":[{"EventId":"1","CloudTrailEvent":` + str + `}],"NextToken":"x"}`,
			`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":` + str + `}]}`,
			`{"EventId":"1","CloudTrailEvent":` + str + `}`,
		}
		if stdjson.Valid(rec) && bytes.HasPrefix(bytes.TrimLeft(rec, " \t\r\n"), []byte("{")) {
			wraps = append(wraps, `{"detail-type":"AWS API Call via CloudTrail","detail":`+string(rec)+`}`)
		}
		for _, w := range wraps {
			for _, in := range []struct {
				text string
				n    int
			}{{w, 1}, {w + w, 2}, {w + "\n" + w + "\n", 2}, {"[" + w + "," + w + "]", 2}} {
				var got []string
				st, err := decode(strings.NewReader(in.text), func(r *Record) error {
					got = append(got, show(*r))
					return nil
				}, MaxRecordBytes)
				if err != nil {
					t.Fatalf("%s: %v", in.text, err)
				}
				for range st.Malformed {
					got = append(got, "malformed")
				}
				if len(got) != in.n || got[0] != want || got[len(got)-1] != want {
					t.Fatalf("%s:\ngot  %q\nwant %d × %q", in.text, got, in.n, want)
				}
				// With a limit under the record's length, it is one long
				// entry, never an error.
				lst, err := decode(strings.NewReader(in.text), func(*Record) error { return nil }, len(rec)/2)
				if err != nil || lst.Records+lst.Malformed != in.n {
					t.Fatalf("%s: limit %d: %+v, %v", in.text, len(rec)/2, lst, err)
				}
			}
		}
	})
}
