package analyze

import (
	"os"
	"sort"
	"testing"

	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/trail"
)

// TestCorpusDenials classifies every denied record of ../shared/corpus and
// reports the share given a reason other than unknown. A record whose
// message gives no reason at all ("… is not authorized to perform: X on
// resource: Y", with no "because" clause) is rightly unknown.
func TestCorpusDenials(t *testing.T) {
	byReason := map[string]int{}
	codes := map[string]int{}
	total, known := 0, 0
	walkTrails(t, os.DirFS(testenv.Shared(t, "corpus")), func(r *trail.Record) {
		if r.ErrorCode == "" {
			return
		}
		codes[r.ErrorCode]++
		if !IsDenial(r.ErrorCode) {
			return
		}
		d := ParseDenial(r.ErrorMessage)
		total++
		byReason[d.Reason]++
		if d.Reason != ReasonUnknown {
			known++
		} else {
			t.Logf("unknown: %s %s: %.160s", r.EventSource, r.EventName, r.ErrorMessage)
		}
	})
	var reasons []string
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("%-24s %d", r, byReason[r])
	}
	var names []string
	for c := range codes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		t.Logf("errorCode %s: %d (denial: %v)", c, codes[c], IsDenial(c))
	}
	if total < 50 {
		t.Fatalf("only %d denied records in the corpus", total)
	}
	share := float64(known) / float64(total)
	t.Logf("classified %d of %d denied records (%.1f%%)", known, total, 100*share)
	if share < 0.9 {
		t.Errorf("only %.1f%% of corpus denials have a reason", 100*share)
	}
}
