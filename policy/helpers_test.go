package policy

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}

func mustParse(t testing.TB, text string) *Document {
	t.Helper()
	d, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("parse %s: %v", text, err)
	}
	return d
}

// doc wraps statements in a 2012-10-17 document.
func doc(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// req builds a request; kv holds context keys and values in pairs, and a
// key given twice gets both values.
func req(action, resource string, kv ...string) Request {
	r := Request{Action: action, Resource: resource}
	if len(kv) > 0 {
		r.Context = map[string][]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Context[kv[i]] = append(r.Context[kv[i]], kv[i+1])
	}
	return r
}

// evalCase is one request against one or more policy documents.
type evalCase struct {
	name     string
	policies []string // JSON documents, evaluated together
	req      Request
	want     Effect
	stmt     string // the deciding statement's label; "" for an implicit deny
}

// runEvalCases checks each case's effect and statement, and the reasons of
// all cases against the golden file.
func runEvalCases(t *testing.T, golden string, cases []evalCase) {
	t.Helper()
	var out bytes.Buffer
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		var docs []*Document
		for _, p := range tc.policies {
			docs = append(docs, mustParse(t, p))
		}
		var got Decision
		if len(docs) == 1 {
			got = docs[0].Evaluate(tc.req)
		} else {
			got = Evaluate(docs, tc.req)
		}
		t.Run(tc.name, func(t *testing.T) {
			if got.Effect != tc.want || got.Statement != tc.stmt {
				t.Errorf("got %v by %q (%s), want %v by %q", got.Effect, got.Statement, got.Reason, tc.want, tc.stmt)
			}
			if got.Allowed() != (tc.want == Allow) {
				t.Errorf("Allowed() = %v for %v", got.Allowed(), got.Effect)
			}
		})
		fmt.Fprintf(&out, "%s\n\t%v: %s\n", tc.name, got.Effect, got.Reason)
	}
	checkGolden(t, golden, out.Bytes())
}

// parseFile reads and parses a policy document from testdata.
func parseFile(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}
