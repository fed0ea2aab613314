package analyze

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/trail"
)

// TestCorpusDenials classifies every denied record of ../shared/corpus and
// reports the share given a reason other than unknown. A record whose
// message gives no reason at all ("… is not authorized to perform: X on
// resource: Y", with no "because" clause) is rightly unknown.
func TestCorpusDenials(t *testing.T) {
	byReason := map[Reason]int{}
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
		if d.Explicit && d.Grantable() {
			t.Errorf("%s %s: an explicit deny is grantable: %.160s", r.EventSource, r.EventName, r.ErrorMessage)
		}
		if d.Reason != ReasonUnknown {
			known++
		} else {
			t.Logf("unknown: %s %s: %.160s", r.EventSource, r.EventName, r.ErrorMessage)
		}
	})
	var reasons []string
	for r := range byReason {
		reasons = append(reasons, string(r))
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("%-24s %d", r, byReason[Reason(r)])
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

// TestCorpusDeniedMessages classifies every distinct denied errorMessage
// of ../shared/corpus/denied_messages.tsv, and checks that no message that
// states its reason is left unknown, and that no explicit deny, placed or
// not, is read as one an identity-policy Allow would fix.
func TestCorpusDeniedMessages(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testenv.Shared(t, "corpus"), "denied_messages.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"errorCode", "eventSource", "eventName", "errorMessage"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("denied_messages.tsv has no %s column: %q", h, header)
		}
	}
	byReason := map[string]int{}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != len(header) {
			t.Fatalf("line %d: %d fields, want %d", i+2, len(f), len(header))
		}
		code, msg := f[col["errorCode"]], f[col["errorMessage"]]
		if !IsDenial(code) {
			t.Errorf("line %d: errorCode %s is not a denial", i+2, code)
		}
		d := ParseDenial(msg)
		byReason[fmt.Sprintf("%s (explicit %v)", d.Reason, d.Explicit)]++
		lower := strings.ToLower(msg)
		if d.Reason == ReasonUnknown && (strings.Contains(lower, "because no ") || strings.Contains(lower, "explicit deny")) {
			t.Errorf("line %d: a message that states its reason is unknown: %.200s", i+2, msg)
		}
		if strings.Contains(lower, "explicit deny") && (!d.Explicit || d.Grantable()) {
			t.Errorf("line %d: an explicit deny read as %s, grantable %v: %.200s", i+2, d.Reason, d.Grantable(), msg)
		}
		if d.Action == "" && strings.Contains(msg, "is not authorized to perform: ") {
			t.Errorf("line %d: no action read from %.200s", i+2, msg)
		}
	}
	var reasons []string
	for r := range byReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		t.Logf("%-40s %d", r, byReason[r])
	}
	if len(lines) < 20 {
		t.Fatalf("only %d messages in denied_messages.tsv", len(lines)-1)
	}
}
