package analyze

import (
	"fmt"
	"math/rand"
	"reflect"
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
