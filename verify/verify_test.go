package verify_test

import (
	"context"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
	"github.com/tailor-iam/tailor/verify"
)

func mustParse(t *testing.T, js string) *policy.Document {
	t.Helper()
	d, err := policy.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecideLayers(t *testing.T) {
	allowAll := `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}`
	s3Only := `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	denyDelete := `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`
	euOnly := `{"Version":"2012-10-17","Statement":[{"Sid":"EU","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}},{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}`
	get := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}}
	del := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}}
	table := analyze.Fact{FactKey: analyze.FactKey{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders", Region: "us-east-1"}}
	objectEU := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Region: "eu-west-1"}}
	tests := []struct {
		name   string
		layers verify.Layers
		fact   analyze.Fact
		ok     bool
		layer  string
	}{
		{"an escaped key is the literal key", verify.Layers{Identity: []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"K","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a${*}b"}]}`)}},
			analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/a${*}b"}}, true, ""},
		{"an escaped key matches no other key", verify.Layers{Identity: []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"K","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a${*}b"}]}`)}},
			analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/a-b"}}, false, verify.LayerIdentity},
		{"identity allows", verify.Layers{Identity: []*policy.Document{mustParse(t, s3Only)}}, get, true, ""},
		{"identity lacks", verify.Layers{Identity: []*policy.Document{mustParse(t, s3Only)}}, table, false, verify.LayerIdentity},
		{"boundary limits", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, Boundary: mustParse(t, s3Only)}, table, false, verify.LayerBoundary},
		{"boundary allows", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, Boundary: mustParse(t, s3Only)}, get, true, ""},
		{"boundary does not grant", verify.Layers{Identity: []*policy.Document{mustParse(t, s3Only)}, Boundary: mustParse(t, allowAll)}, table, false, verify.LayerIdentity},
		{"scp explicit deny", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, SCPs: []*policy.Document{mustParse(t, denyDelete)}}, del, false, verify.LayerSCP},
		{"scp region condition allows the record's region", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, SCPs: []*policy.Document{mustParse(t, euOnly)}}, objectEU, true, ""},
		{"scp region condition from the record", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, SCPs: []*policy.Document{mustParse(t, euOnly)}}, table, false, verify.LayerSCP},
		{"every scp must allow", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, SCPs: []*policy.Document{mustParse(t, allowAll), mustParse(t, s3Only)}}, table, false, verify.LayerSCP},
		{"a deny-list scp lets the rest through", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, SCPs: []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`)}}, get, true, ""},
		{"rcp explicit deny", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, RCPs: []*policy.Document{mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`)}}, del, false, verify.LayerRCP},
		{"session policy limits", verify.Layers{Identity: []*policy.Document{mustParse(t, allowAll)}, Session: mustParse(t, s3Only)}, table, false, verify.LayerSession},
		{"identity explicit deny first", verify.Layers{Identity: []*policy.Document{mustParse(t, denyDelete)}, Boundary: mustParse(t, s3Only)}, del, false, verify.LayerIdentity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, layer, reason := tc.layers.Decide(verify.Requests(analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app"}, tc.fact)[0])
			if ok != tc.ok || layer != tc.layer || reason == "" {
				t.Errorf("Decide = %v, %q, %q; want %v, %q", ok, layer, reason, tc.ok, tc.layer)
			}
		})
	}
}

// TestSuggestVerifiesAndWidensNothing is the property over the fixtures:
// for every principal, verify of the suggested policy denies no observed
// successful request, and diff of it against the facts finds no action,
// and no resource entry, granted but unused.
func TestSuggestVerifiesAndWidensNothing(t *testing.T) {
	cat := catalog.Embedded()
	for name, src := range map[string][]string{"demo": nil, "denials": {testenv.ModuleRoot(t) + "/fixtures/denials"}} {
		t.Run(name, func(t *testing.T) {
			res, err := pipeline.Run(context.Background(), pipeline.Config{Sources: src, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			principals := 0
			for _, p := range res.Aggregate.SortedPrincipals() {
				facts := res.Aggregate.FactsOf(p.ARN)
				sg := synth.Suggest(cat, facts, synth.Options{IncludeDenied: true})
				if sg.Policy == nil {
					continue
				}
				principals++
				parts, err := synth.Split(sg.Policy, synth.MaxManaged)
				if err != nil {
					t.Fatal(err)
				}
				var docs []*policy.Document
				for _, part := range parts {
					raw, err := synth.RenderJSON([]*policy.Document{part})
					if err != nil {
						t.Fatal(err)
					}
					docs = append(docs, mustParse(t, string(raw)))
				}
				for _, r := range verify.Replay(cat, p.Principal, facts, verify.Layers{Identity: docs}) {
					if !r.Allowed && !r.Denied() {
						t.Errorf("%s: verify denies observed %s on %s: %s", p.ARN, r.Action, r.Resource, r.Reason)
					}
				}
				d := verify.Compare(cat, p.Principal, docs, facts)
				if len(d.Unused) > 0 {
					t.Errorf("%s: granted but unused: %v", p.ARN, d.Unused)
				}
				for _, s := range d.Statements {
					if len(s.UnusedARNs) > 0 || len(s.Unused) > 0 {
						t.Errorf("%s: statement %s grants unused %v on %v", p.ARN, s.Label, s.Unused, s.UnusedARNs)
					}
				}
				for _, r := range d.NotGranted {
					t.Errorf("%s: %s on %s is not granted", p.ARN, r.Action, r.Resource)
				}
			}
			if principals < 2 {
				t.Fatalf("only %d principals checked", principals)
			}
		})
	}
}

func TestCompareWidePolicy(t *testing.T) {
	cat := catalog.Embedded()
	wide := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Wide","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	facts := []analyze.Fact{
		{FactKey: analyze.FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, Stat: analyze.Stat{Count: 3}},
		{FactKey: analyze.FactKey{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b"}, Stat: analyze.Stat{Count: 1}},
		{FactKey: analyze.FactKey{Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:q"}, Stat: analyze.Stat{Count: 1}},
	}
	d := verify.Compare(cat, analyze.Principal{ARN: "arn:aws:iam::111122223333:role/app"}, []*policy.Document{wide}, facts)
	if len(d.Granted) < 100 || len(d.Unused) != len(d.Granted)-2 {
		t.Errorf("granted %d, unused %d", len(d.Granted), len(d.Unused))
	}
	if len(d.NotGranted) != 1 || d.NotGranted[0].Action != "sqs:SendMessage" {
		t.Errorf("not granted: %+v", d.NotGranted)
	}
	if len(d.Statements) != 1 || d.Statements[0].UsedActions != 2 || d.Statements[0].UsedResources != 2 {
		t.Errorf("statements: %+v", d.Statements)
	}
}
