package cache

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/gzip"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

// refFiles are the service files the package tests with, in AWS's format.
var refFiles = []string{
	filepath.Join(refDir, "v1/s3/s3.json"), filepath.Join(refDir, "v1/sqs/sqs.json"), filepath.Join(refDir, "v1/lambda/lambda.json"),
	filepath.Join(sharedRefDir, "v1/elasticloadbalancing/elasticloadbalancing.json"),
	filepath.Join(sharedRefDir, "v1/elasticloadbalancingv2/elasticloadbalancingv2.json"),
}

// The streaming decoder reads what encoding/json reads from AWS's files,
// however the bytes arrive.
func TestDecodeServiceMatchesUnmarshal(t *testing.T) {
	for _, p := range refFiles {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var want refService
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			for name, r := range map[string]io.Reader{"whole": bytes.NewReader(b), "a byte at a time": iotest.OneByteReader(bytes.NewReader(b))} {
				got, err := decodeService(r, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !reflect.DeepEqual(*got, want) {
					t.Errorf("%s: decoded\n%+v\nwant\n%+v", name, *got, want)
				}
			}
		})
	}
}

func TestDecodeService(t *testing.T) {
	many := func(n int, item string) string {
		return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
	}
	tests := []struct {
		name   string
		in     string
		errHas string     // "" when it must decode
		want   refService // when it decodes
	}{
		{"fields it does not use are skipped", `{"Name":"s3","ConditionKeys":[{"Name":"k","Types":["String"]}],"Actions":[{"Name":"GetObject","SupportedBy":{"x":true},"Annotations":{"Properties":{"IsWrite":true,"Other":1}}}],"Version":"v1"}`, "",
			refService{Name: "s3", Version: "v1", Actions: []refAction{{Name: "GetObject", Annotations: refAnnotations{Properties: refProperties{IsWrite: true}}}}}},
		{"null lists and strings", `{"Name":"s3","Actions":null,"Resources":[{"Name":null,"ARNFormats":null}],"Operations":[]}`, "",
			refService{Name: "s3", Resources: []refResource{{}}}},
		{"white space anywhere", " {\n\t\"Name\" : \"s3\" ,\r\n \"Version\":\"a  b\"  }  \n", "", refService{Name: "s3", Version: "a  b"}},
		{"null", `null`, "null, not a JSON object", refService{}},
		{"an array", `[]`, "an array, not a JSON object", refService{}},
		{"empty", ``, "unexpected EOF", refService{}},
		{"cut short", `{"Name":"s3","Actions":[{"Name":"Get`, "unexpected EOF", refService{}},
		{"cut after a key", `{"Name":`, "unexpected EOF", refService{}},
		{"two objects", `{"Name":"s3"}{"Name":"sqs"}`, "an object after its object", refService{}},
		{"trailing garbage", `{"Name":"s3"} x`, "invalid character", refService{}},
		{"a number for a name", `{"Name":3}`, "Name: found a number where a string belongs", refService{}},
		{"a string for a flag", `{"Actions":[{"Annotations":{"Properties":{"IsWrite":"yes"}}}]}`, "Actions: [0]: Annotations: Properties: IsWrite: found a string", refService{}},
		{"an object for a list", `{"Actions":{}}`, "found an object where an array belongs", refService{}},
		{"syntax error", `{"Name":"s3",}`, "invalid character", refService{}},
		{"deep nesting in a skipped field", `{"X":` + strings.Repeat("[", maxSkipDepth+1) + strings.Repeat("]", maxSkipDepth+1) + `}`, "nested too deep", refService{}},
		{"nesting just allowed", `{"X":` + strings.Repeat("[", maxSkipDepth) + strings.Repeat("]", maxSkipDepth) + `}`, "", refService{}},
		{"too many resource types for an action", `{"Actions":[{"Resources":[` + many(limits.ActionResources+1, `{"Name":"a"}`) + `]}]}`, "too many entries in one list", refService{}},
		{"too many, over two keys", `{"Actions":[{"Resources":[` + many(limits.ActionResources, `{"Name":"a"}`) + `],"Resources":[{"Name":"b"}]}]}`, "too many entries in one list", refService{}},
		{"too many ARN formats", `{"Resources":[{"ARNFormats":[` + many(limits.ARNFormats+1, `"arn:a"`) + `]}]}`, "too many entries", refService{}},
		{"too many entries in a file", `{"Actions":[` + many(maxFileEntries+1, `{}`) + `]}`, "more than 100000 entries", refService{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeService(strings.NewReader(tc.in), nil)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", *got, tc.want)
			}
		})
	}
}

// The entries of every file of an update count against one budget.
func TestDecodeServiceSharedBudget(t *testing.T) {
	var total atomic.Int64
	total.Store(limits.Entries - 2)
	_, err := decodeService(strings.NewReader(`{"Actions":[{},{},{}]}`), &total)
	if err == nil || !strings.Contains(err.Error(), "together") {
		t.Fatalf("err = %v, want the shared budget spent", err)
	}
}

// squeeze runs b through a spaceSqueezer.
func squeeze(t testing.TB, b []byte) []byte {
	out, err := io.ReadAll(iotest.HalfReader(&spaceSqueezer{r: iotest.OneByteReader(bytes.NewReader(b))}))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSpaceSqueezer(t *testing.T) {
	for in, want := range map[string]string{
		"{ \n \"a b\" :\t\t[1 ,  2] }": "{ \"a b\" :\t[1 , 2] }",
		`"\"  x"   `:                   `"\"  x" `,
		`"\\"   1`:                     `"\\" 1`,
		"[1    2]":                     "[1 2]", // still two numbers: still invalid
	} {
		if got := string(squeeze(t, []byte(in))); got != want {
			t.Errorf("squeeze(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSpaceSqueezer: squeezing never changes what JSON says, nor whether
// it is JSON.
func FuzzSpaceSqueezer(f *testing.F) {
	for _, s := range []string{`{ "a" : [ 1 , 2 ] }`, `"a \" b"`, `[1 2]`, "\"\\\\\"  ", `{"x":"  \u0020 "}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := squeeze(t, b)
		if json.Valid(b) != json.Valid(out) {
			t.Fatalf("valid %v before squeezing, %v after: %q → %q", json.Valid(b), json.Valid(out), b, out)
		}
		if !json.Valid(b) {
			return
		}
		var x, y any
		json.Unmarshal(b, &x)
		json.Unmarshal(out, &y)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%q says %v, squeezed %q says %v", b, x, out, y)
		}
	})
}

// FuzzServiceReference: the update's parser, from the bytes of one service
// file to the catalog built from it, never panics, never accepts what is
// not JSON, and what it accepts keeps every invariant a reader of the
// catalog relies on: names as IAM spells them (no wildcard can get into a
// policy), ARN templates that are one ARN, lists within their limits, and
// a catalog that finds each of its actions and reads back from the cache
// format as it was.
func FuzzServiceReference(f *testing.F) {
	for _, p := range refFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// A real-looking file of a real size: the embedded catalog's sqs, in
	// AWS's format with the fields tailor skips.
	sqs, err := json.Marshal(refFromFile(embeddedFile(f))["sqs"])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sqs)
	for _, s := range []string{
		`{"Actions":[{"Name":""}],"Operations":[{"Name":"X","AuthorizedActions":[{"Name":"","Service":"s3"}]}]}`,
		`{"Name":"s3","Actions":[{"Name":"*"}]}`,
		`{"Name":"S3 ","Actions":[{"Name":"Get","Resources":[{"Name":"b"},{"Name":"B"}]},{"Name":"get"}],"Resources":[{"Name":"b","ARNFormats":["arn:x, arn:y","arn:x"]}]}`,
		`{"Name":"s3","Operations":[{"Name":"Get","AuthorizedActions":[{"Name":"Get:Object","Service":"s3"}]}]}`,
		`{"Name":"s3","ConditionKeys":[[[{"a":[]}]]],"Actions":[{"Name":"Get"}]}` + "  \n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var total atomic.Int64
		s, err := decodeService(bytes.NewReader(b), &total)
		if err != nil {
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted what is not JSON: %q", b)
		}
		if total.Load() > maxFileEntries {
			t.Fatalf("kept %d entries", total.Load())
		}
		cs, err := convert("fuzz", s)
		if err != nil {
			return
		}
		fl := assemble([]convertedService{cs}, "2026-01-02", "v")
		c, err := catalog.New(fl)
		if err != nil {
			return
		}
		checkFileInvariants(t, fl)
		if c.Info().Services != 1 {
			t.Fatalf("assembled one service, read %d", c.Info().Services)
		}
		for _, fs := range fl.Services {
			for _, fa := range fs.Actions {
				a, ok := c.Lookup(fs.Prefix, fa.Name)
				if !ok || a.Full() != fs.Prefix+":"+a.Name {
					t.Fatalf("%s:%s not found, or found as %+v", fs.Prefix, fa.Name, a)
				}
			}
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf) // writeCache's best compression is slow for a fuzz target
		if err := json.NewEncoder(zw).Encode(fl); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		back, err := catalog.Read(&buf)
		if err != nil {
			t.Fatalf("an accepted catalog does not read back: %v", err)
		}
		if back.Info() != c.Info() {
			t.Fatalf("read back as %+v, built as %+v", back.Info(), c.Info())
		}
	})
}

// The names IAM spells, as the fuzz target checks them: apart from the
// checks in package catalog, so that it tests them too.
var (
	prefixName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	actionName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

func isPrefix(s string) bool     { return len(s) <= limits.NameLen && prefixName.MatchString(s) }
func isActionName(s string) bool { return len(s) <= limits.NameLen && actionName.MatchString(s) }

// checkFileInvariants fails t where f breaks what catalog.New promises.
func checkFileInvariants(t *testing.T, f *file) {
	t.Helper()
	for _, s := range f.Services {
		if !isPrefix(s.Prefix) {
			t.Fatalf("prefix %q", s.Prefix)
		}
		for _, a := range s.Actions {
			if !isActionName(a.Name) || strings.ContainsAny(a.Name, "*?:") {
				t.Fatalf("action %q", a.Name)
			}
			if len(a.Resources) > limits.ActionResources {
				t.Fatalf("action %s has %d resource types", a.Name, len(a.Resources))
			}
		}
		for _, r := range s.Resources {
			if len(r.Templates()) > limits.ARNFormats {
				t.Fatalf("resource type %q has %d templates", r.Name, len(r.Templates()))
			}
			for _, tpl := range r.Templates() {
				if !strings.HasPrefix(tpl, "arn:") || strings.ContainsAny(tpl, " \t\n\r") {
					t.Fatalf("template %q", tpl)
				}
			}
		}
	}
	for svc, ops := range f.Operations {
		for op, names := range ops {
			for _, n := range names {
				p, a, ok := strings.Cut(n, ":")
				if !ok || !isPrefix(p) || !isActionName(a) {
					t.Fatalf("operation %s:%s authorizes %q", svc, op, n)
				}
			}
		}
	}
}
