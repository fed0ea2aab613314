package analyze

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/trail"
)

// TestKeepOnePrincipal: a command about one principal keeps only the facts
// of its candidates, and those facts are exactly what a full run gives,
// links and instance profiles taught by other principals included; every
// principal is still counted.
func TestKeepOnePrincipal(t *testing.T) {
	for _, query := range []string{"checkout-api", "report-builder", "deployer", "arn:aws:iam::111122223333:user/alice"} {
		full := New(catalog.Embedded(), Options{})
		kept := New(catalog.Embedded(), Options{Keep: func(arn string) bool { return MayMatch(arn, query) }})
		walkTrails(t, fixtures.Demo(), func(r *trail.Record) { full.Record(r); kept.Record(r) })
		fa, ka := full.Aggregate(), kept.Aggregate()
		fa.ResolveLinks()
		ka.ResolveLinks()
		if len(ka.Principals) != len(fa.Principals) {
			t.Errorf("%s: %d principals counted, want %d", query, len(ka.Principals), len(fa.Principals))
		}
		matched := 0
		for arn := range fa.Principals {
			want, got := fa.FactsOf(arn), ka.FactsOf(arn)
			if !MayMatch(arn, query) {
				if len(got) != 0 {
					t.Errorf("%s: kept %d facts of %s", query, len(got), arn)
				}
				continue
			}
			matched++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: facts of %s differ from the full run", query, arn)
			}
			if g, w := ka.WarningsOf(arn), fa.WarningsOf(arn); fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("%s: warnings of %s: %q, want %q", query, arn, g, w)
			}
			if !reflect.DeepEqual(ka.Principals[arn], fa.Principals[arn]) {
				t.Errorf("%s: %s counted as %+v, want %+v", query, arn, *ka.Principals[arn], *fa.Principals[arn])
			}
		}
		if matched == 0 {
			t.Errorf("%s matched no principal", query)
		}
		if len(ka.Facts) >= len(fa.Facts) {
			t.Errorf("%s: kept %d facts of %d", query, len(ka.Facts), len(fa.Facts))
		}
	}
}
