package learn

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
)

const role = "arn:aws:iam::111122223333:role/app"

var day1 = time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)

// use is one name used from day `from` (1-based) at hour h, last on day `to`.
type use struct {
	arn      string
	from, to int
}

func facts(action string, uses ...use) []analyze.Fact {
	var out []analyze.Fact
	for i, u := range uses {
		first := day1.AddDate(0, 0, u.from-1).Add(time.Duration(1+i%20) * time.Hour)
		last := day1.AddDate(0, 0, u.to-1).Add(time.Duration(2+i%20) * time.Hour)
		out = append(out, analyze.Fact{
			FactKey: analyze.FactKey{Principal: role, Action: action, Resource: u.arn, Region: "us-east-1"},
			Stat:    analyze.Stat{Count: 1, First: first.Unix(), Last: last.Unix()},
		})
	}
	return out
}

// daily makes n names a day for days days from a format taking the day
// and the index, each used on its day only.
func daily(days, n int, format func(d, i int) string) []use {
	var out []use
	for d := 1; d <= days; d++ {
		for i := 0; i < n; i++ {
			out = append(out, use{format(d, i), d, d})
		}
	}
	return out
}

func TestGeneralize(t *testing.T) {
	hex := func(d, i int) string { return fmt.Sprintf("%08x-%04x-4abc-8def-%012x", d*7919+i*104729, i, d*31+i) }
	tests := []struct {
		name   string
		facts  []analyze.Fact
		want   []string // the resources after learning, sorted and unique
		evides []string // the evidence lines
	}{
		{
			name: "receipts keyed by day and order id",
			facts: facts("s3:PutObject", daily(6, 5, func(d, i int) string {
				return fmt.Sprintf("arn:aws:s3:::acme-receipts/receipts/2026/11/%02d/ord_%dK%03dq.pdf", 8+d, d, i)
			})...),
			want:   []string{"arn:aws:s3:::acme-receipts/receipts/*"},
			evides: []string{"s3:PutObject: 30 keys under acme-receipts/receipts/, 5 new on each of 6 days, none reused a day later → arn:aws:s3:::acme-receipts/receipts/*"},
		},
		{
			name: "Athena results and their metadata, one pattern",
			facts: facts("s3:PutObject", append(
				daily(4, 3, func(d, i int) string { return "arn:aws:s3:::acme-athena-results/analytics/" + hex(d, i) + ".csv" }),
				daily(4, 3, func(d, i int) string {
					return "arn:aws:s3:::acme-athena-results/analytics/" + hex(d, i) + ".csv.metadata"
				})...)...),
			want:   []string{"arn:aws:s3:::acme-athena-results/analytics/*"},
			evides: []string{"s3:PutObject: 24 keys under acme-athena-results/analytics/, 6 new on each of 4 days, none reused a day later → arn:aws:s3:::acme-athena-results/analytics/*"},
		},
		{
			name: "nightly executions",
			facts: facts("states:DescribeExecution", daily(5, 1, func(d, i int) string {
				return fmt.Sprintf("arn:aws:states:us-east-1:111122223333:execution:nightly-report:nightly-2026-11-%02d", 8+d)
			})...),
			want: []string{"arn:aws:states:us-east-1:111122223333:execution:nightly-report:nightly-*"},
		},
		{
			name: "task-definition revisions",
			facts: facts("ecs:RunTask", daily(4, 1, func(d, i int) string {
				return fmt.Sprintf("arn:aws:ecs:us-east-1:111122223333:task-definition/web:%d", 37+d)
			})...),
			want: []string{"arn:aws:ecs:us-east-1:111122223333:task-definition/web:*"},
		},
		{
			name: "Lambda log streams",
			facts: facts("logs:PutLogEvents", daily(3, 2, func(d, i int) string {
				return fmt.Sprintf("arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/ingest:log-stream:2026/11/%02d/[$LATEST]%032x", 8+d, d*1000+i)
			})...),
			want: []string{"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/ingest:log-stream:*"},
		},
		{
			name: "stable tables stay exact, even sharing a prefix",
			facts: facts("dynamodb:GetItem",
				use{"arn:aws:dynamodb:us-east-1:111122223333:table/customers", 1, 6},
				use{"arn:aws:dynamodb:us-east-1:111122223333:table/customers-archive", 2, 6},
				use{"arn:aws:dynamodb:us-east-1:111122223333:table/orders", 3, 6}),
			want: []string{"arn:aws:dynamodb:us-east-1:111122223333:table/customers", "arn:aws:dynamodb:us-east-1:111122223333:table/customers-archive",
				"arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
		},
		{
			name: "a name that is all id is never widened to every sibling",
			facts: facts("dynamodb:GetItem", daily(4, 2, func(d, i int) string {
				return "arn:aws:dynamodb:us-east-1:111122223333:table/" + hex(d, i)
			})...),
			want: nil, // unchanged: checked below
		},
		{
			name: "names of one day are no evidence",
			facts: facts("s3:PutObject", daily(1, 20, func(d, i int) string {
				return fmt.Sprintf("arn:aws:s3:::acme-receipts/receipts/ord_%d.pdf", 1000+i)
			})...),
		},
		{
			name: "names reused day after day are stable",
			facts: facts("s3:GetObject",
				use{"arn:aws:s3:::acme-config/app/v1/settings-2024.json", 1, 6},
				use{"arn:aws:s3:::acme-config/app/v1/settings-2025.json", 1, 6},
				use{"arn:aws:s3:::acme-config/app/v1/settings-2026.json", 1, 5},
				use{"arn:aws:s3:::acme-config/app/v1/settings-2027.json", 3, 6}),
		},
		{
			name: "a varying parent is never widened",
			facts: facts("s3:PutObject", daily(4, 1, func(d, i int) string {
				return fmt.Sprintf("arn:aws:s3:::logs-%d/app/today.log", 100+d)
			})...),
		},
		{
			name: "a constant id in the parent stays",
			facts: facts("s3:PutObject", daily(3, 2, func(d, i int) string {
				return fmt.Sprintf("arn:aws:s3:::cdk-hnb659fds-assets-111122223333-us-east-1/%064x.zip", d*100+i)
			})...),
			want: []string{"arn:aws:s3:::cdk-hnb659fds-assets-111122223333-us-east-1/*"},
		},
	}
	cat := catalog.Embedded()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, gens := Generalize(cat, tc.facts)
			want := tc.want
			if want == nil {
				for _, f := range tc.facts {
					want = append(want, f.Resource)
				}
			}
			sort.Strings(want)
			want = slices.Compact(want)
			var res []string
			for _, f := range got {
				res = append(res, f.Resource)
			}
			sort.Strings(res)
			res = slices.Compact(res)
			if !slices.Equal(res, want) {
				t.Errorf("resources:\n%q\nwant:\n%q", res, want)
			}
			if tc.evides != nil {
				var ev []string
				for _, g := range gens {
					ev = append(ev, g.Evidence)
				}
				if !slices.Equal(ev, tc.evides) {
					t.Errorf("evidence:\n%q\nwant:\n%q", ev, tc.evides)
				}
			}
			if tc.want == nil && len(gens) > 0 {
				t.Errorf("generalized a set it should not: %+v", gens)
			}
		})
	}
}

// Denied facts are not learned from and keep their names: a denial is
// granted, if at all, as it was.
func TestDeniedKeepNames(t *testing.T) {
	fs := facts("s3:PutObject", daily(4, 3, func(d, i int) string {
		return fmt.Sprintf("arn:aws:s3:::acme-receipts/receipts/ord_%d%d77.pdf", d, i)
	})...)
	for i := range fs {
		fs[i].Denial = analyze.DenialKey{Reason: analyze.ReasonIdentityPolicy}
	}
	got, gens := Generalize(catalog.Embedded(), fs)
	same := slices.EqualFunc(got, fs, func(a, b analyze.Fact) bool { return a.FactKey == b.FactKey })
	if len(gens) != 0 || !same {
		t.Errorf("denied facts changed: %+v", gens)
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, shape string }{
		{"receipts/2026/11/09/ord_8fK2p.pdf", "receipts/\x00#/\x00#/\x00#/ord_\x00#.pdf"},
		{"analytics/1b4e28ba-2fa1-11d2-883f-0016d3cca427.csv", "analytics/\x00#.csv"},
		{"task-definition/web:42", "task-definition/web:\x00#"},
		{"table/customers", "table/customers"},
		{"releases/v2/app.zip", "releases/v2/app.zip"},
		{"bucket/part0001.parquet", "bucket/part\x00#.parquet"},
		{"bucket/2026/11/01/*", "bucket/\x00#/\x00#/\x00#/\x00*"},
		{"receipts/ord_zBHhleXvrtFgIq.pdf", "receipts/ord_\x00#.pdf"},
		{"reports/GetObjectVersionTagging.csv", "reports/GetObjectVersionTagging.csv"},
	}
	for _, tc := range tests {
		if got := shapeOf(tokenize(tc.in)); got != tc.shape {
			t.Errorf("%s: shape %q, want %q", tc.in, got, tc.shape)
		}
	}
}

// TestNoSiblings: a pattern never covers a resource beside the per-run
// ones that the principal also uses, never widens a role it passes or
// assumes, nor a bucket name (ARNs without an account are anyone's).
func TestNoSiblings(t *testing.T) {
	cat := catalog.Embedded()
	tests := []struct {
		name  string
		facts []analyze.Fact
		want  []string // resources after learning; nil: unchanged
	}{
		{name: "a table per run beside the stable one, without a separator",
			facts: append(facts("dynamodb:GetItem", use{"arn:aws:dynamodb:us-east-1:111122223333:table/customers", 1, 6}),
				facts("dynamodb:DeleteTable", daily(3, 1, func(d, i int) string {
					return fmt.Sprintf("arn:aws:dynamodb:us-east-1:111122223333:table/customers2026110%d", d)
				})...)...)},
		{name: "tables per run after a separator",
			facts: append(facts("dynamodb:GetItem", use{"arn:aws:dynamodb:us-east-1:111122223333:table/customers", 1, 6}),
				facts("dynamodb:DeleteTable", daily(3, 1, func(d, i int) string {
					return fmt.Sprintf("arn:aws:dynamodb:us-east-1:111122223333:table/customers-2026110%d", d)
				})...)...),
			want: []string{"arn:aws:dynamodb:us-east-1:111122223333:table/customers", "arn:aws:dynamodb:us-east-1:111122223333:table/customers-*"}},
		{name: "a pattern that would cover a stable sibling",
			facts: append(facts("dynamodb:GetItem", use{"arn:aws:dynamodb:us-east-1:111122223333:table/events-archive", 1, 6}),
				facts("dynamodb:DeleteTable", daily(3, 1, func(d, i int) string {
					return fmt.Sprintf("arn:aws:dynamodb:us-east-1:111122223333:table/events-2026110%d", d)
				})...)...)},
		{name: "buckets by year are anyone's",
			facts: facts("s3:ListBucket", daily(3, 1, func(d, i int) string { return fmt.Sprintf("arn:aws:s3:::acme-data-%d", 2023+d) })...)},
		{name: "roles passed",
			facts: facts("iam:PassRole", daily(3, 1, func(d, i int) string { return fmt.Sprintf("arn:aws:iam::111122223333:role/worker-%d", 10+d) })...)},
		{name: "a stable key beside per-run artifacts keeps the ending",
			facts: append(facts("s3:GetObject", use{"arn:aws:s3:::acme-deploy/web/deploy-config.json", 1, 6}),
				facts("s3:PutObject", daily(4, 1, func(d, i int) string {
					return fmt.Sprintf("arn:aws:s3:::acme-deploy/web/%040x.zip", d*7919)
				})...)...),
			want: []string{"arn:aws:s3:::acme-deploy/web/*.zip", "arn:aws:s3:::acme-deploy/web/deploy-config.json"}},
		{name: "odd names never panic",
			facts: append(append(facts("s3:PutObject", use{"arn:aws:s3:::b/p/\x00#/7", 1, 1}, use{"arn:aws:s3:::b/p/1/2", 2, 2}, use{"arn:aws:s3:::b/p/3/4", 3, 3}),
				facts("logs:PutLogEvents", use{"arn:aws:logs:us-east-1:1:log-group:", 1, 1}, use{"arn:aws:logs:us-east-1:1:log-group:", 2, 2})...),
				facts("ecs:RunTask", use{"arn:aws:ecs:us-east-1:1:task-definition/", 1, 2}, use{"arn:aws:ecs:us-east-1:1:task-definition/x:", 2, 3})...),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := Generalize(cat, tc.facts)
			want := tc.want
			if want == nil {
				for _, f := range tc.facts {
					want = append(want, f.Resource)
				}
			}
			var res []string
			for _, f := range got {
				res = append(res, f.Resource)
			}
			sort.Strings(res)
			sort.Strings(want)
			res, want = slices.Compact(res), slices.Compact(want)
			if !slices.Equal(res, want) {
				t.Errorf("resources:\n%q\nwant:\n%q", res, want)
			}
		})
	}
}
