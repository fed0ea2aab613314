package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestDiffAllActions: "Action": "*" on the demo's checkout-api is a
// summary by service by default (22,081 lines before), the full list with
// --full, and everything in JSON.
func TestDiffAllActions(t *testing.T) {
	args := []string{"diff", "--role", "checkout-api", "--policy", "testdata/diff-star-policy.json"}
	summary, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "diff-star.txt", summary)
	if n := lineCount(summary); n > 60 {
		t.Errorf("the summary is %d lines; keep it short", n)
	}

	out, stderr, code := run(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, stderr)
	}
	var rep diffReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Unused) < 20000 || len(rep.Services) < 400 {
		t.Fatalf("json: %d unused actions in %d services; want every one", len(rep.Unused), len(rep.Services))
	}
	granted, unused, families := 0, 0, 0
	for _, s := range rep.Services {
		granted += s.Granted
		unused += s.Unused
		for _, f := range s.Families {
			families += f.Unused
		}
	}
	if granted != rep.Granted || unused != len(rep.Unused) || families != unused {
		t.Errorf("json: services add up to %d granted, %d unused, %d in families; want %d, %d", granted, unused, families, rep.Granted, len(rep.Unused))
	}

	full, _, code := run(t, append(args, "--full")...)
	if code != 0 {
		t.Fatalf("--full: exit %d", code)
	}
	// Every service on a line, the "… more" line gone, and one line per
	// unused action in place of the --full hint.
	shown := len(serviceLineRE.FindAllString(summary, -1))
	want := lineCount(summary) + (len(rep.Services) - shown) - 1 + len(rep.Unused)
	if got := lineCount(full); got != want {
		t.Errorf("--full: %d lines, want %d", got, want)
	}
	if !strings.Contains(full, "\n  a4b:ApproveSkill\n") || !strings.Contains(full, "\ngranted but never used: 22,073 actions\n") {
		t.Errorf("--full lacks the list of unused actions")
	}
	t.Logf("summary %d lines, --full %d lines", lineCount(summary), lineCount(full))
}

// TestDiffWideFull: --full adds the list of unused actions to the summary
// of a policy that grants two services; the exit code still says what the
// policy does not grant.
func TestDiffWideFull(t *testing.T) {
	stdout, stderr, code := run(t, "diff", "--role", "checkout-api", "--policy", "testdata/policy-wide.json", "--full")
	if code != exitUnallowed {
		t.Fatalf("exit %d, want %d\n%s", code, exitUnallowed, stderr)
	}
	golden(t, "diff-wide-full.txt", stdout)
}

func TestServiceLine(t *testing.T) {
	tests := []struct {
		name string
		in   serviceDiff
		want string
	}{
		{"all used", serviceDiff{Service: "sqs", Granted: 3, Used: 3}, "sqs: 3 of 3 used"},
		{"some families", serviceDiff{Service: "s3", Granted: 81, Used: 2, Unused: 79, Families: []familyDiff{{"Get", 62}, {"List", 17}}},
			"s3: 2 of 81 used; unused: Get* 62, List* 17"},
		{"the largest three", serviceDiff{Service: "ec2", Granted: 1826, Unused: 1826, Families: []familyDiff{{"Describe", 1200}, {"Create", 112}, {"Delete", 101}, {"Modify", 90}}},
			"ec2: 0 of 1,826 used; unused: Describe* 1,200, Create* 112, Delete* 101, …"},
		{"escaped", serviceDiff{Service: "x\x1b[2J", Granted: 1, Unused: 1, Families: []familyDiff{{"Get\n", 1}}},
			`x\x1b[2J: 0 of 1 used; unused: Get\n* 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := serviceLine(tc.in); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

var serviceLineRE = regexp.MustCompile(`(?m)^  [^ ]+: [0-9,]+ of [0-9,]+ used`)

func lineCount(s string) int { return strings.Count(s, "\n") }
