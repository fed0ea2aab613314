package trail

import (
	stdjson "encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		names     []string
		malformed int
		wantErr   error // matched with errors.Is; nil means success
		anyErr    bool
	}{
		{name: "delivery file", in: `{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject"},{"eventSource":"sts.amazonaws.com","eventName":"AssumeRole"}]}`, names: []string{"GetObject", "AssumeRole"}},
		{name: "empty records", in: `{"Records":[]}`},
		{name: "null records", in: `{"Records":null}`},
		{name: "records after other keys", in: `{"x":{"a":[1,2]},"Records":[{"eventName":"A"}]}`, names: []string{"A"}},
		{name: "byte order mark", in: "\xEF\xBB\xBF  {\"Records\":[{\"eventName\":\"A\"}]}", names: []string{"A"}},
		{name: "wrong field type skips one record", in: `{"Records":[{"eventName":"A","userIdentity":"oops"},{"eventName":"B"}]}`, names: []string{"B"}, malformed: 1},
		{name: "json lines", in: "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n", names: []string{"A", "B"}},
		{name: "json lines with a stray object", in: "{\"eventName\":\"A\"}\n{\"foo\":1}\n", names: []string{"A"}, malformed: 1},
		{name: "truncated", in: `{"Records":[{"eventName":"A"},{"eventName":"B`, names: []string{"A"}, wantErr: io.ErrUnexpectedEOF},
		{name: "invalid", in: `{"Records":[{"eventName":"A"},]}`, names: []string{"A"}, anyErr: true},
		{name: "not a trail object", in: `{"foo":"bar"}`, wantErr: ErrNotTrail},
		{name: "array", in: `[1,2]`, wantErr: ErrNotTrail},
		{name: "empty", in: "", wantErr: ErrNotTrail},
		{name: "records not an array", in: `{"Records":"x"}`, wantErr: ErrNotTrail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			st, err := Decode(strings.NewReader(tc.in), func(r *Record) error {
				got = append(got, r.EventName)
				return nil
			})
			switch {
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			case tc.anyErr && err == nil:
				t.Fatalf("err = nil, want an error")
			case tc.wantErr == nil && !tc.anyErr && err != nil:
				t.Fatalf("unexpected err %v", err)
			}
			if strings.Join(got, ",") != strings.Join(tc.names, ",") {
				t.Errorf("records = %v, want %v", got, tc.names)
			}
			if st.Records != len(tc.names) || st.Malformed != tc.malformed {
				t.Errorf("stats = %+v, want %d records, %d malformed", st, len(tc.names), tc.malformed)
			}
		})
	}
}

func TestDecodeCallbackError(t *testing.T) {
	stop := errors.New("stop")
	_, err := Decode(strings.NewReader(`{"Records":[{"eventName":"A"},{"eventName":"B"}]}`), func(*Record) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
}

func FuzzDecodeRecords(f *testing.F) {
	f.Add([]byte(`{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AssumedRole"}}]}`))
	f.Add([]byte("{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}"))
	f.Add([]byte(`{"Records":[{"resources":[{"ARN":1}]}]}`))
	f.Add([]byte(`{"a":{"Records":[]}}`))
	f.Add([]byte(`{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"Get\u0041","userIdentity":{"type":"Root"}},{"eventName":"x","requestParameters":{"a":[1,{"b":null}]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		st, err := Decode(strings.NewReader(string(b)), func(r *Record) error {
			n++
			_ = r.Time()
			return nil
		})
		_ = err
		if st.Records != n {
			t.Fatalf("stats say %d records, callback saw %d", st.Records, n)
		}
		// Differential check against the standard library: a delivery file
		// it reads without error must give the same events.
		var doc struct{ Records []Record }
		if stdjson.Unmarshal(b, &doc) != nil || len(doc.Records) == 0 {
			return
		}
		var names []string
		st, err = Decode(strings.NewReader(string(b)), func(r *Record) error {
			names = append(names, r.EventSource+"/"+r.EventName+"/"+identityType(r))
			return nil
		})
		if err != nil || st.Malformed != 0 || len(names) != len(doc.Records) {
			t.Fatalf("encoding/json reads %d records; Decode read %d (malformed %d), err %v", len(doc.Records), len(names), st.Malformed, err)
		}
		for i, r := range doc.Records {
			if want := r.EventSource + "/" + r.EventName + "/" + identityType(&r); names[i] != want {
				t.Fatalf("record %d: Decode %q, encoding/json %q", i, names[i], want)
			}
		}
	})
}

func identityType(r *Record) string {
	if r.UserIdentity == nil {
		return ""
	}
	return r.UserIdentity.Type
}
