package analyze

import (
	"reflect"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/trail"
)

// TestObserve: Options.Observe sees every fact the Aggregate counts, one
// call per record and fact, with the record it came from, and changes
// nothing the Aggregate holds.
func TestObserve(t *testing.T) {
	type key struct {
		FactKey
		Link LinkKey
	}
	seen := map[key]int64{}
	sawDenied, sawLinked := false, false
	observe := func(o *Observed) {
		if o.Record == nil || o.Principal.ARN != o.Fact.Principal {
			t.Fatalf("observed %+v with principal %q from record %v", o.Fact, o.Principal.ARN, o.Record)
		}
		if o.Link != (LinkKey{}) {
			sawLinked = true
			if o.Fact.Resource != Wildcard {
				t.Errorf("linked fact %+v on %q, want %q", o.Fact, o.Fact.Resource, Wildcard)
			}
		}
		if o.Fact.Denied() {
			sawDenied = true
			if !IsDenial(o.Record.ErrorCode) {
				t.Errorf("denied fact %+v from a record with errorCode %q", o.Fact, o.Record.ErrorCode)
			}
		}
		seen[key{o.Fact, o.Link}]++
	}
	// No cap, so that every fact keeps its own resource.
	plain := New(catalog.Embedded(), Options{MaxResources: -1})
	watched := New(catalog.Embedded(), Options{MaxResources: -1, Observe: observe})
	walkTrails(t, fixtures.Demo(), func(r *trail.Record) { plain.Record(r); watched.Record(r) })
	pa, wa := plain.Aggregate(), watched.Aggregate()
	if !reflect.DeepEqual(pa, wa) {
		t.Fatal("the aggregate with Observe set differs from the one without")
	}
	want := map[key]int64{}
	for k, s := range wa.Facts {
		want[key{FactKey: k}] += s.Count
	}
	for k, s := range wa.Pending {
		want[key{k.FactKey, k.Link}] += s.Count
	}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("observed %d distinct facts, the aggregate holds %d", len(seen), len(want))
		for k, n := range want {
			if seen[k] != n {
				t.Errorf("%+v: observed %d times, counted %d", k, seen[k], n)
			}
		}
	}
	if !sawDenied || !sawLinked {
		t.Errorf("the demo trail showed a denied fact: %v, a linked one: %v; want both", sawDenied, sawLinked)
	}
}
