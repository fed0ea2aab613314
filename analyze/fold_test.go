package analyze

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func TestFoldResource(t *testing.T) {
	tests := []struct {
		arn  string
		keep int
		want string
	}{
		{"arn:aws:s3:::bucket/a/b/c.pdf", 3, "arn:aws:s3:::bucket/a/b/*"},
		{"arn:aws:s3:::bucket/a/b/c.pdf", 1, "arn:aws:s3:::bucket/*"},
		{"arn:aws:s3:::bucket/a", 2, "arn:aws:s3:::bucket/a"},
		{"arn:aws:dynamodb:us-east-1:1:table/t/index/i", 2, "arn:aws:dynamodb:us-east-1:1:table/t/*"},
		{"arn:aws:logs:us-east-1:1:log-group:/ecs/app", 2, "arn:aws:logs:us-east-1:1:log-group:/ecs/*"},
		{Wildcard, 1, Wildcard},
		{Wildcard, 0, Wildcard},
		{"arn:aws:sqs:us-east-1:1:orders-0001", 0, "arn:aws:sqs:us-east-1:1:*"},
		{"arn:aws:lambda:us-east-1:1:function:fn-7", 0, "arn:aws:lambda:us-east-1:1:function:*"},
		{"arn:aws:dynamodb:us-east-1:1:table/t", 0, "arn:aws:dynamodb:us-east-1:1:table/*"},
	}
	for _, tc := range tests {
		if got := foldResource(tc.arn, tc.keep); got != tc.want {
			t.Errorf("foldResource(%q, %d) = %q, want %q", tc.arn, tc.keep, got, tc.want)
		}
	}
}

// TestFoldOrderIndependent: the folded facts do not depend on the order of
// the input or on how it was split and merged.
func TestFoldOrderIndependent(t *testing.T) {
	var keys []FactKey
	for day := 1; day <= 30; day++ {
		for i := 0; i < 40; i++ {
			keys = append(keys, FactKey{Principal: "p", Action: "s3:PutObject",
				Resource: fmt.Sprintf("arn:aws:s3:::bucket/receipts/2026/11/%02d/%d.pdf", day, i)})
		}
	}
	keys = append(keys, FactKey{Principal: "p", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/config.json"})
	build := func(order []FactKey, parts int) *Aggregate {
		aggs := make([]*Aggregate, parts)
		for i := range aggs {
			aggs[i] = NewAggregate()
			aggs[i].MaxResources = 100
		}
		for i, k := range order {
			aggs[i%parts].addStat(k, &Stat{Count: 1, First: int64(i + 1), Last: int64(i + 1)})
		}
		out := NewAggregate()
		out.MaxResources = 100
		for _, a := range aggs {
			out.Merge(a)
		}
		return out
	}
	want := build(keys, 1)
	if n := len(want.FactsOf("p")); n > 101 {
		t.Fatalf("%d facts, want at most 101 after folding", n)
	}
	if _, ok := want.Facts[FactKey{Principal: "p", Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/receipts/2026/11/07/*"}]; !ok {
		t.Fatalf("want the keys folded to one entry per day folder; got %v", want.FactsOf("p"))
	}
	if _, ok := want.Facts[FactKey{Principal: "p", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/config.json"}]; !ok {
		t.Fatal("a small group must stay exact")
	}
	var total int64
	for _, f := range want.FactsOf("p") {
		total += f.Count
	}
	if total != int64(len(keys)) {
		t.Fatalf("folding lost counts: %d, want %d", total, len(keys))
	}
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 5; trial++ {
		order := append([]FactKey(nil), keys...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		got := build(order, 1+trial)
		if !reflect.DeepEqual(factCounts(got), factCounts(want)) {
			t.Fatalf("trial %d: folded facts depend on order or split", trial)
		}
	}
	if g := want.GeneralizationsOf("p"); len(g) != 1 {
		t.Errorf("want one fold listed as a generalization, got %v", g)
	}
}

func factCounts(a *Aggregate) map[FactKey]int64 {
	out := map[FactKey]int64{}
	for k, s := range a.Facts {
		out[k] = s.Count
	}
	return out
}

// TestFoldWithoutPath: resources with no path segment to fold (queues,
// topics, functions) fold to the account's "*" of their type once past the
// cap, in time linear in the facts, whatever the order and split.
func TestFoldWithoutPath(t *testing.T) {
	var keys []FactKey
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		for i := 0; i < 10000; i++ {
			keys = append(keys, FactKey{Principal: "p", Action: "sqs:SendMessage", Resource: fmt.Sprintf("arn:aws:sqs:%s:111122223333:q-%05d", region, i)})
		}
	}
	build := func(order []FactKey, parts int) *Aggregate {
		aggs := make([]*Aggregate, parts)
		for i := range aggs {
			aggs[i] = NewAggregate()
		}
		for i, k := range order {
			aggs[i%parts].addStat(k, &Stat{Count: 1, First: int64(i + 1), Last: int64(i + 1)})
		}
		out := NewAggregate()
		for _, a := range aggs {
			out.Merge(a)
		}
		return out
	}
	want := build(keys, 1)
	got := factCounts(want)
	if len(got) != 2 || got[FactKey{Principal: "p", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:*"}] != 10000 {
		t.Fatalf("facts after folding: %v", got)
	}
	if g := want.GeneralizationsOf("p"); len(g) != 1 || !strings.Contains(g[0], fmt.Sprintf("sqs:SendMessage: more than %d resources; folded to the account's", DefaultMaxResources)) {
		t.Errorf("generalizations: %q", g)
	}
	rng := rand.New(rand.NewSource(2))
	for trial := 0; trial < 3; trial++ {
		order := append([]FactKey(nil), keys...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if !reflect.DeepEqual(factCounts(build(order, 2+trial)), got) {
			t.Fatalf("trial %d: the fold depends on order or split", trial)
		}
	}
}

// BenchmarkFoldQueues: 10,000 queues of one role, the case (124 s
// when the fold rescanned every fact on each new queue).
func BenchmarkFoldQueues(b *testing.B) {
	for n := 0; n < b.N; n++ {
		a := NewAggregate()
		for i := 0; i < 10000; i++ {
			a.addStat(FactKey{Principal: "p", Action: "sqs:SendMessage", Resource: fmt.Sprintf("arn:aws:sqs:us-east-1:111122223333:q-%05d", i)}, &Stat{Count: 1})
		}
	}
}
