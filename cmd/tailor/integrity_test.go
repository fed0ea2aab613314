package main

import (
	"os"
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
	plain, _, _ := run(t, "analyze", "--format", "json", "--source", tr.Root)
	if clean != plain {
		t.Error("--verify-digests changed what a clean trail reads as")
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
	_, stderr, code = run(t, append([]string{"analyze"}, flags...)...)
	if code != 0 || !strings.Contains(stderr, "integrity: modified "+bad) {
		t.Errorf("a modified file, without --strict: exit %d\n%s", code, stderr)
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
}
