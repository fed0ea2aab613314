package trail

import (
	"encoding/json"
	"reflect"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/tailor-iam/tailor/internal/benchtrail"
)

// checkObject decodes raw with DecodeObject, encoding/json and the
// general decoder tailor used before: where DecodeObject takes raw, all
// three must give the same map. It reports whether DecodeObject took it.
func checkObject(t testing.TB, name string, raw []byte) bool {
	t.Helper()
	lazy, ok := DecodeObject(raw)
	got := resolve(t, lazy)
	var std map[string]any
	serr := json.Unmarshal(raw, &std)
	if !ok {
		return false
	}
	if serr != nil {
		t.Fatalf("%s: DecodeObject took an object encoding/json refuses (%v):\n%s", name, serr, raw)
	}
	if !reflect.DeepEqual(got, std) {
		t.Fatalf("%s: DecodeObject and encoding/json differ:\n%#v\n%#v\n%s", name, got, std, raw)
	}
	var gen map[string]any
	if err := gojson.Unmarshal(raw, &gen); err != nil || !reflect.DeepEqual(got, gen) {
		t.Fatalf("%s: DecodeObject and the general decoder differ (%v):\n%#v\n%#v\n%s", name, err, got, gen, raw)
	}
	return true
}

// objectVariants are the edges of an object's grammar and of what
// encoding/json makes of it.
var objectVariants = []string{
	`{}`, `{"a":{}}`, `{"a":[]}`, ` { "a" : [ 1 , 2 ] } `, `{"a":null}`, `{"a":true,"b":false}`,
	`{"n":0,"m":-0,"f":1.5e3,"g":-2E-2,"h":12345678901234567890}`, `{"big":1e400}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`,
	`{"a":"x","a":"y"}`, `{"A":1,"a":2}`, `{"k\u00e9y":"v"}`, `{"k":"\u00e9\n\t\"\\\/"}`, `{"k":"` + "\xff" + `"}`,
	`{"k":"\ud83d\ude00 \ud800"}`, `{"k":"` + "\x01" + `"}`, `{"k":"\x"}`, `{"a":[{"b":[{"c":"d"}]}]}`, `{"a":1,}`,
	`{"a":[1e400]}`, `{"a":{"b":-1.5e-7,"c":123456789012345678}}`, `{"a":["x",{"y":"arn:z"},"\u0041rn:q",1]}`, `{"a":{"k\u00e9":1}}`,
	`{"a" 1}`, `{"a":1`, `{"a":"`, `[1]`, `"s"`, `{"a":[1,]}`, `{"a":tru}`, `{"a":nul}`, `{"a":1} x`,
}

// TestDecodeObjectMatches runs DecodeObject against encoding/json on the
// parameters of every record of the fixtures and the corpus, and on the
// grammar's edges.
func TestDecodeObjectMatches(t *testing.T) {
	taken, total := 0, 0
	for _, f := range testFiles(t) {
		for i, raw := range entries(t, readMaybeGzip(t, f.data)) {
			var rec struct {
				RequestParameters json.RawMessage `json:"requestParameters"`
				ResponseElements  json.RawMessage `json:"responseElements"`
			}
			if json.Unmarshal(raw, &rec) != nil {
				continue
			}
			for _, p := range []json.RawMessage{rec.RequestParameters, rec.ResponseElements} {
				if len(p) == 0 || p[0] != '{' {
					continue
				}
				total++
				if checkObject(t, f.name+"#"+itoa(i), p) {
					taken++
				}
			}
		}
	}
	for i, v := range objectVariants {
		checkObject(t, "variant "+itoa(i), []byte(v))
	}
	t.Logf("DecodeObject took %d of %d objects", taken, total)
	if total == 0 || taken < total*99/100 {
		t.Errorf("DecodeObject took %d of %d objects, want nearly all", taken, total)
	}
}

// FuzzDecodeObject: DecodeObject never panics, and what it takes it reads
// as encoding/json does.
func FuzzDecodeObject(f *testing.F) {
	for _, v := range objectVariants {
		f.Add([]byte(v))
	}
	for _, raw := range entries(f, benchtrail.DeliveryFile(32<<10)) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkObject(t, "fuzz", raw)
	})
}

// resolve decodes the lazy members of m, checking on the way that each
// array's EachString gives its string elements.
func resolve(t testing.TB, m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range m {
		l, ok := v.(*Lazy)
		if !ok {
			out[k] = v
			continue
		}
		var each []string
		l.EachString(func(s []byte) { each = append(each, string(s)) })
		out[k] = l.Value()
		var want []string
		if list, ok := out[k].([]any); ok {
			for _, e := range list {
				if s, ok := e.(string); ok {
					want = append(want, s)
				}
			}
		}
		if !reflect.DeepEqual(each, want) {
			t.Fatalf("EachString gives %q, the decoded array's strings are %q", each, want)
		}
		var again []string
		l.EachString(func(s []byte) { again = append(again, string(s)) })
		if !reflect.DeepEqual(again, want) {
			t.Fatalf("EachString once decoded gives %q, want %q", again, want)
		}
	}
	return out
}
