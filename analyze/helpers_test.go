package analyze

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/trail"
)

// The test records below act for the checkout service of account
// 111122223333; its role lives under the path /service/.
const (
	checkoutRole = "arn:aws:iam::111122223333:role/service/checkout-api"

	// checkoutSession is the userIdentity of an ECS task's session of
	// checkoutRole, shaped as CloudTrail writes it.
	checkoutSession = `{
		"type": "AssumedRole",
		"principalId": "AROAYCHECKOUTAPI0001:8f1c2d7e9a6b4c3d",
		"arn": "arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d",
		"accountId": "111122223333",
		"accessKeyId": "ASIAYCHECKOUTKEY0001",
		"sessionContext": {
			"sessionIssuer": {
				"type": "Role",
				"principalId": "AROAYCHECKOUTAPI0001",
				"arn": "arn:aws:iam::111122223333:role/service/checkout-api",
				"accountId": "111122223333",
				"userName": "checkout-api"
			},
			"webIdFederationData": {},
			"attributes": {"creationDate": "2024-05-14T08:55:02Z", "mfaAuthenticated": "false"}
		}
	}`
)

// decodeRecord decodes one CloudTrail record as the ingest decoder would.
func decodeRecord(t testing.TB, js string) trail.Record {
	t.Helper()
	var r trail.Record
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("test record is not valid JSON: %v\n%s", err, js)
	}
	return r
}

// analyzeRecords runs records through a fresh Analyzer over the embedded
// catalog and returns its aggregate.
func analyzeRecords(t testing.TB, records ...string) *Aggregate {
	t.Helper()
	a := New(catalog.Embedded(), Options{})
	for _, js := range records {
		r := decodeRecord(t, js)
		a.Record(&r)
	}
	a.Aggregate().ResolveLinks()
	return a.Aggregate()
}

// factLines renders facts as "action resource", with " denied:REASON" (and
// the denying policy) appended to denials, in FactsOf order.
func factLines(facts []Fact) []string {
	out := make([]string, 0, len(facts))
	for _, f := range facts {
		s := f.Action + " " + f.Resource
		if f.Denied() {
			s += " denied:" + string(f.Denial.Reason)
			if f.Denial.PolicyARN != "" {
				s += " " + f.Denial.PolicyARN
			}
			if f.Via != "" && f.Action != PassRoleAction {
				s += " via:" + f.Via
			}
		}
		out = append(out, s)
	}
	return out
}

// wantLines compares rendered facts with the expected ones, in any order.
func wantLines(t testing.TB, got, want []string) {
	t.Helper()
	got = slices.Sorted(slices.Values(got))
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("facts differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// walkTrails calls fn for every record of the delivery-format files under
// fsys: the counted files of the shared corpus, or a trail fixture. Other
// delivery forms (variants/, envelopes/) and digests are skipped.
func walkTrails(t testing.TB, fsys fs.FS, fn func(*trail.Record)) {
	t.Helper()
	read := func(name string) {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			r = zr
		}
		if _, err := trail.Decode(r, func(rec *trail.Record) error { fn(rec); return nil }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "variants" || d.Name() == "envelopes" || d.Name() == "CloudTrail-Digest") {
			return fs.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".json.gz")) {
			read(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
