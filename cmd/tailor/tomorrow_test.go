package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures/week"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/verify"
)

// heldOut is how a policy learned from the first days fares on the day
// after: the next day's requests it allows, and the near misses it denies.
type heldOut struct {
	requests, allowed      int64
	nearMisses, nearDenied int
}

func (h heldOut) String() string {
	return fmt.Sprintf("day 7: %d of %d requests allowed (%.1f%%); near misses: %d of %d denied",
		h.allowed, h.requests, 100*float64(h.allowed)/float64(max(h.requests, 1)), h.nearDenied, h.nearMisses)
}

// TestTomorrow learns each principal's policy from six days of a week of
// traffic, whose work names new resources every run beside stable ones, and
// replays the seventh day through verify: every request of that day must be
// allowed, and every near miss (a sibling table, another prefix, another
// workgroup, another state machine, an action never used) denied. The same
// replay of the --exact policies is logged as the baseline.
func TestTomorrow(t *testing.T) {
	dir := t.TempDir()
	if _, err := week.Write(dir, 7); err != nil {
		t.Fatal(err)
	}
	const split = "2026-11-15" // the seventh day
	day7, err := pipeline.Run(context.Background(), pipeline.Config{Sources: []string{dir}, Since: mustDay(t, split)})
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.Embedded()
	var learned, exact heldOut
	for _, arn := range week.Principals() {
		for _, mode := range []struct {
			args []string
			sum  *heldOut
		}{{nil, &learned}, {[]string{"--exact"}, &exact}} {
			args := append([]string{"suggest", "--principal", arn, "--source", dir, "--until", split}, mode.args...)
			stdout, stderr, code := run(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, code, stderr)
			}
			docs := parseDocs(t, stdout)
			h := replay(t, cat, day7, arn, docs)
			mode.sum.requests += h.requests
			mode.sum.allowed += h.allowed
			mode.sum.nearMisses += h.nearMisses
			mode.sum.nearDenied += h.nearDenied
			if mode.args == nil {
				if h.allowed != h.requests {
					t.Errorf("%s: the learned policy denies day-7 requests: %s\n%s", arn, h, stderr)
				}
				if h.nearDenied != h.nearMisses {
					t.Errorf("%s: the learned policy allows near misses: %s", arn, h)
				}
				// verify, as a user runs it, agrees.
				path := filepath.Join(t.TempDir(), "policy.json")
				if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				if _, vstderr, vcode := run(t, "verify", "--policy", path, "--principal", arn, "--source", dir, "--since", split); vcode != 0 {
					t.Errorf("%s: verify of day 7 exits %d:\n%s", arn, vcode, vstderr)
				}
			}
		}
	}
	t.Logf("learned: %s", learned)
	t.Logf("--exact: %s", exact)
	if learned.nearMisses < 25 {
		t.Errorf("only %d near misses", learned.nearMisses)
	}
}

// replay runs a principal's day-7 requests and its near misses through a
// policy.
func replay(t *testing.T, cat *catalog.Catalog, day7 *pipeline.Result, arn string, docs []*policy.Document) heldOut {
	t.Helper()
	var h heldOut
	info := day7.Aggregate.Principals[arn]
	if info == nil {
		t.Fatalf("%s made no requests on day 7", arn)
	}
	for _, r := range verify.Replay(cat, info.Principal, day7.Aggregate.FactsOf(arn), verify.Layers{Identity: docs}) {
		if r.Denied() {
			continue
		}
		h.requests += r.Count
		if r.Allowed {
			h.allowed += r.Count
		} else {
			t.Logf("%s: day 7 denies %s on %s (%s)", arn, r.Action, r.Resource, r.Reason)
		}
	}
	for _, nm := range week.NearMisses() {
		if nm.Principal != arn {
			continue
		}
		h.nearMisses++
		d := policy.Evaluate(docs, policy.Request{Action: nm.Action, Resource: nm.Resource, Context: map[string][]string{"aws:RequestedRegion": {nm.Region}}})
		if d.Allowed() {
			t.Logf("%s: near miss allowed: %s on %s (%s)", arn, nm.Action, nm.Resource, nm.Why)
		} else {
			h.nearDenied++
		}
	}
	return h
}

// TestDemoTomorrow: the README's first command prints one document, and
// verify of each demo role's policy against a copy of the demo with one
// more day of traffic (2026-11-05) finds nothing denied.
func TestDemoTomorrow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo generator")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./fixtures/gen", "-out", dir, "-extra-days", "1")
	cmd.Dir = testenv.ModuleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./fixtures/gen: %v\n%s", err, out)
	}
	for _, role := range []string{"checkout-api", "report-builder", "ci-deployer", "arn:aws:iam::111122223333:role/deployer", "arn:aws:iam::444455556666:role/deployer"} {
		stdout, stderr, code := run(t, "suggest", "--role", role)
		if code != 0 {
			t.Fatalf("suggest --role %s: exit %d\n%s", role, code, stderr)
		}
		if !strings.HasPrefix(stdout, "{") {
			t.Errorf("suggest --role %s prints several documents:\n%s", role, stderr)
		}
		path := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		vout, vstderr, vcode := run(t, "verify", "--policy", path, "--role", role, "--source", dir, "--since", "2026-11-05")
		if vcode != 0 || !strings.Contains(vout, "every observed request is allowed") {
			t.Errorf("verify --role %s of 2026-11-05: exit %d\n%s\n%s", role, vcode, vout, vstderr)
		}
	}
	stdout, stderr, code := run(t, "suggest", "--user", "alice")
	if code != 0 || !strings.HasPrefix(stdout, "{") {
		t.Fatalf("suggest --user alice: exit %d\n%s", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "alice.json")
	if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if vout, vstderr, vcode := run(t, "verify", "--policy", path, "--user", "alice", "--source", dir, "--since", "2026-11-05"); vcode != 0 {
		t.Errorf("verify --user alice of 2026-11-05: exit %d\n%s\n%s", vcode, vout, vstderr)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := pipeline.ParseTime(s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
