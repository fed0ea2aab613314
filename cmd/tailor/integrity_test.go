package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/fixtures/digests"
)

// TestVerifyDigestsFlag: --verify-digests on a reading command checks the
// trail first: a clean trail reads as usual; a modified file is named on
// stderr, fatal under --strict, and left out with --exclude-unverified.
func TestVerifyDigestsFlag(t *testing.T) {
	tr := signedTrail(t, digests.Options{})
	flags := []string{"--source", tr.Root, "--verify-digests", "--digest-public-keys", tr.PublicKeysFile, "--digest-signatures", tr.SignaturesFile}
	clean, stderr, code := run(t, append([]string{"analyze", "--format", "json"}, flags...)...)
	if code != 0 || !strings.Contains(stderr, "integrity: ") || !strings.Contains(stderr, "0 failures") {
		t.Fatalf("a clean trail: exit %d\n%s", code, stderr)
	}
	// --format json gains an integrity section: arrays become
	// {"integrity", "results"}, diff's object gets an integrity member.
	plain, _, _ := run(t, "analyze", "--format", "json", "--source", tr.Root)
	var wrapped struct {
		Integrity *integritySection `json:"integrity"`
		Results   json.RawMessage   `json:"results"`
	}
	if err := json.Unmarshal([]byte(clean), &wrapped); err != nil || wrapped.Integrity == nil {
		t.Fatalf("analyze --verify-digests --format json: %v\n%s", err, clean)
	}
	if got := wrapped.Integrity.Summary; got.Failures != 0 || got.Verified != len(tr.Logs) || got.Digests == 0 || len(wrapped.Integrity.Findings) != 0 {
		t.Errorf("integrity of a clean trail: %+v, findings %v", got, wrapped.Integrity.Findings)
	}
	var a, b any
	if json.Unmarshal(wrapped.Results, &a) != nil || json.Unmarshal([]byte(plain), &b) != nil || !reflect.DeepEqual(a, b) {
		t.Error("--verify-digests changed what a clean trail reads as")
	}
	role := principalIn(t, plain)
	pol := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(pol, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"denied", "--all", "--format", "json"},
		{"verify", "--policy", pol, "--principal", role, "--format", "json"},
	} {
		out, stderr, _ := run(t, append(args, flags...)...)
		wrapped.Integrity = nil
		if err := json.Unmarshal([]byte(out), &wrapped); err != nil || wrapped.Integrity == nil || wrapped.Integrity.Summary.Verified != len(tr.Logs) {
			t.Errorf("%s --verify-digests --format json: no integrity section: %v\n%s\n%s", args[0], err, out, stderr)
		}
	}
	out, stderr, _ := run(t, append([]string{"diff", "--policy", pol, "--principal", role, "--format", "json"}, flags...)...)
	var d struct {
		Principal string            `json:"principal"`
		Integrity *integritySection `json:"integrity"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Principal == "" || d.Integrity == nil || d.Integrity.Summary.Verified != len(tr.Logs) {
		t.Errorf("diff --verify-digests --format json: no integrity member: %v\n%s\n%s", err, out, stderr)
	}
	out, _, _ = run(t, "diff", "--policy", pol, "--principal", role, "--format", "json", "--source", tr.Root)
	if strings.Contains(out, `"integrity"`) {
		t.Error("diff --format json without --verify-digests has an integrity member")
	}
	// One log file changed after delivery.
	bad := tr.Path(tr.Logs[0])
	body, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, append(body, body...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = run(t, append([]string{"analyze", "--format", "json"}, flags...)...)
	if code != 0 || !strings.Contains(stderr, "integrity: modified "+bad) {
		t.Errorf("a modified file, without --strict: exit %d\n%s", code, stderr)
	}
	wrapped.Integrity = nil
	if err := json.Unmarshal([]byte(out), &wrapped); err != nil || wrapped.Integrity == nil || wrapped.Integrity.Summary.Modified != 1 ||
		len(wrapped.Integrity.Findings) != 1 || wrapped.Integrity.Findings[0].Name != bad || wrapped.Integrity.Findings[0].Kind != "modified" {
		t.Errorf("the integrity section does not name the modified file: %v\n%s", err, out)
	}
	_, stderr, code = run(t, append([]string{"analyze", "--strict"}, flags...)...)
	if code != exitError || !strings.Contains(stderr, "--strict --verify-digests: 1 integrity failure") {
		t.Errorf("a modified file, --strict: exit %d\n%s", code, stderr)
	}
	_, stderr, code = run(t, append([]string{"analyze", "--exclude-unverified"}, flags...)...)
	if code != 0 || !strings.Contains(stderr, "unverified 1") {
		t.Errorf("--exclude-unverified: exit %d\n%s", code, stderr)
	}
	_, stderr, code = run(t, "analyze", "--exclude-unverified", "--source", tr.Root)
	if code != exitUsage || !strings.Contains(stderr, "need --verify-digests") {
		t.Errorf("--exclude-unverified alone: exit %d\n%s", code, stderr)
	}
	// Sources with no digests are usage errors that say so.
	for src, want := range map[string]string{
		"-":                    "standard input has no digest files",
		"cloudtrail:us-east-1": "LookupEvents has no digest files",
		tr.Path(tr.Logs[1]):    "a file; give the directory",
	} {
		_, stderr, code = run(t, "analyze", "--verify-digests", "--source", src)
		if code != exitUsage || !strings.Contains(stderr, "--verify-digests: source ") || !strings.Contains(stderr, want) {
			t.Errorf("--verify-digests --source %s: exit %d\n%s", src, code, stderr)
		}
	}
}

// principalIn is the first principal of an analyze --format json output.
func principalIn(t *testing.T, analyzeJSON string) string {
	t.Helper()
	var rows []struct {
		Principal string `json:"principal"`
	}
	if err := json.Unmarshal([]byte(analyzeJSON), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("analyze --format json: %v\n%s", err, analyzeJSON)
	}
	return rows[0].Principal
}
