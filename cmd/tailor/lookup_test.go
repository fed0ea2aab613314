package main

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/lookuptest"
)

// TestLookupSource reads the demo trail's records through a LookupEvents
// server: each command prints what it prints over the demo files, and
// stderr says once that only management events were read, which window
// was, and that a --since older than 90 days was moved up.
func TestLookupSource(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	srv.PageSize = 1000
	byRegion := lookuptest.Records(t, fixtures.Demo())
	regions := slices.Sorted(maps.Keys(byRegion))
	for _, r := range regions {
		srv.Add(r, byRegion[r]...)
	}
	api := []string{"--source", "cloudtrail:" + strings.Join(regions, ","), "--endpoint-url", srv.URL}
	note := "note: cloudtrail: LookupEvents returns management events only; data events (S3 object reads and writes, Lambda invokes, DynamoDB item calls) are only in a trail's files"
	for _, args := range [][]string{
		{"suggest", "--role", "checkout-api"},
		{"denied", "--format", "json"},
		{"analyze", "--format", "json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			want, _, code := run(t, args...)
			if code != 0 {
				t.Fatalf("over the demo files: exit %d", code)
			}
			got, stderr, code := run(t, append(args, api...)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			if got != want {
				t.Errorf("output differs from the demo files':\n%s", firstDiff(want, got))
			}
			if strings.Count(stderr, note) != 1 || strings.Contains(stderr, "warning: cloudtrail:") {
				t.Errorf("stderr lacks the note once, or warns:\n%s", stderr)
			}
			if !strings.Contains(stderr, "files: 2 read\n") || !strings.Contains(stderr, "\ncloudtrail window: ") {
				t.Errorf("stderr lacks the regions read or the window:\n%s", stderr)
			}
		})
	}
	t.Run("since clipped", func(t *testing.T) {
		_, stderr, code := run(t, append([]string{"analyze", "--since", "200d"}, api...)...)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		req := srv.Requests(regions[0])
		start, end := req[len(req)-1].StartTime, req[len(req)-1].EndTime
		if age := time.Since(start); age < 90*24*time.Hour || age > 90*24*time.Hour+time.Minute {
			t.Errorf("StartTime sent %s, want 90 days ago", start)
		}
		warn := "warning: cloudtrail: --since " + time.Now().UTC().Add(-200*24*time.Hour).Format("2006-01-02T")
		clipped := "is more than 90 days ago and LookupEvents keeps 90 days: reading from " + start.Format(time.RFC3339) + " (older events are only in a trail's files)\n"
		window := "cloudtrail window: " + start.Format(time.RFC3339) + " to " + end.Format(time.RFC3339) + " (end exclusive"
		for _, s := range []string{warn, clipped, window} {
			if !strings.Contains(stderr, s) {
				t.Errorf("stderr lacks %q:\n%s", s, stderr)
			}
		}
	})
}

// TestLookupDenied: a region the credentials may not read is an error
// that names the permission; the other region is read, and --strict stops
// at the first.
func TestLookupDenied(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	byRegion := lookuptest.Records(t, fixtures.Demo())
	srv.PageSize = 1000
	for r, evs := range byRegion {
		srv.Add(r, evs...)
	}
	srv.Fault = func(region string, _ int) *lookuptest.Fault {
		if region == "eu-west-1" {
			return lookuptest.AccessDenied
		}
		return nil
	}
	api := []string{"--source", "cloudtrail:us-east-1,eu-west-1", "--endpoint-url", srv.URL}
	_, stderr, code := run(t, append([]string{"analyze"}, api...)...)
	denied := "error: cloudtrail:eu-west-1/events.jsonl: read: access denied: these credentials may not call cloudtrail:LookupEvents in eu-west-1"
	if code != 0 || !strings.Contains(stderr, denied) || !strings.Contains(stderr, "failed inputs: 1\n") {
		t.Errorf("exit %d, want 0 with us-east-1 read and eu-west-1 named:\n%s", code, stderr)
	}
	_, stderr, code = run(t, append([]string{"analyze", "--strict"}, api...)...)
	if code != exitError || !strings.Contains(stderr, denied) {
		t.Errorf("--strict: exit %d, want %d:\n%s", code, exitError, stderr)
	}
}

// TestAWSCLIPipe: what `aws cloudtrail lookup-events` prints, piped in,
// reads as the same events tailor reads through the API itself. It runs
// the AWS CLI against the test server, and is skipped where the CLI is
// not installed.
func TestAWSCLIPipe(t *testing.T) {
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI is not installed: aws cloudtrail lookup-events | tailor … --source - is not tried")
	}
	lookuptest.Credentials(t, "us-east-1")
	t.Setenv("AWS_PAGER", "")
	// The CLI cannot parse /dev/null as its configuration: an empty file.
	empty := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	srv := lookuptest.Start(t)
	srv.PageSize = 50 // the CLI follows NextToken and prints one document
	byRegion := lookuptest.Records(t, fixtures.Demo())
	regions := slices.Sorted(maps.Keys(byRegion))
	var piped []byte
	for _, r := range regions {
		srv.Add(r, byRegion[r]...)
		cmd := exec.Command(awsCLI, "cloudtrail", "lookup-events", "--region", r, "--endpoint-url", srv.URL, "--output", "json")
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "AWS_") || !strings.HasSuffix(kv, "=") { // the CLI reads AWS_PROFILE= as a profile named ""
				cmd.Env = append(cmd.Env, kv)
			}
		}
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("aws cloudtrail lookup-events --region %s: %v\n%s", r, err, ee.Stderr)
			}
			t.Fatal(err)
		}
		piped = append(piped, out...)
	}
	srv.PageSize = 1000 // tailor paces its requests: fewer pages, a quicker test
	for _, args := range [][]string{{"suggest", "--role", "checkout-api"}, {"analyze", "--format", "json"}} {
		want, stderr, code := run(t, append(args, "--source", "cloudtrail:"+strings.Join(regions, ","), "--endpoint-url", srv.URL)...)
		if code != 0 {
			t.Fatalf("%s through the API: exit %d\n%s", args[0], code, stderr)
		}
		got, stderr, code := runStdin(t, piped, append(args, "--source", "-")...)
		if code != 0 || got != want {
			t.Errorf("%s from the CLI's output: exit %d, same as through the API %v\n%s", args[0], code, got == want, stderr)
		}
	}
}
