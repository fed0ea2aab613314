package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tailor-iam/tailor/fixtures/digests"
	"github.com/tailor-iam/tailor/internal/miniotest"
)

var digestKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// signedTrail writes a small trail signed with a key made for this test
// binary.
func signedTrail(t *testing.T, o digests.Options) *digests.Trail {
	t.Helper()
	k, err := digestKey()
	if err != nil {
		t.Fatal(err)
	}
	o.Key = k
	tr, err := digests.Write(t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestDigestsVerify(t *testing.T) {
	tr := signedTrail(t, digests.Options{Backfill: true})
	keys := []string{"--digest-public-keys", tr.PublicKeysFile}
	sigs := []string{"--digest-signatures", tr.SignaturesFile}

	stdout, stderr, code := run(t, append(append([]string{"digests", "verify", "--source", tr.Root}, keys...), sigs...)...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if stdout != "verified: 18 log files against 10 signed digests; no failures\n" {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, line := range []string{"digests: 10 (10 valid, 0 invalid, 0 unchecked)\n", "log files: 18 (18 verified, 0 unverified, 0 modified, 0 missing, 0 unlisted, 0 unreadable)\n", "failures: 0\n"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("stderr lacks %q:\n%s", line, stderr)
		}
	}

	// Without the sidecar the newest digest of each chain is unchecked:
	// listed, exit 0, and exit 1 with --strict.
	args := append([]string{"digests", "verify", "--source", tr.Root}, keys...)
	stdout, _, code = run(t, args...)
	if code != 0 || !strings.Contains(stdout, "unchecked signatures: 3 digests") || !strings.Contains(stdout, "--digest-signatures FILE") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
	_, stderr, code = run(t, append(args, "--strict")...)
	if code != 1 || !strings.Contains(stderr, "tailor: --strict: 0 integrity failures, 3 digest signatures unchecked, 5 log files not verified") {
		t.Errorf("--strict without the sidecar: exit %d, stderr:\n%s", code, stderr)
	}

	// A modified log file is named on stdout; --strict exits 1.
	modified := tr.Logs[3]
	if err := os.WriteFile(tr.Path(modified), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{"digests", "verify", "--source", tr.Root}, keys...), sigs...)
	stdout, stderr, code = run(t, args...)
	if code != 0 || !strings.Contains(stdout, "  modified        "+tr.Path(modified)+"\n") || !strings.Contains(stderr, "failures: 1\n") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	_, stderr, code = run(t, append(args, "--strict")...)
	if code != 1 || !strings.Contains(stderr, "--strict: 1 integrity failure") {
		t.Errorf("--strict: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestDigestsVerifyJSON holds --format json to a golden file: one log file
// modified, one deleted, one digest's signature altered.
func TestDigestsVerifyJSON(t *testing.T) {
	tr := signedTrail(t, digests.Options{Hours: 2, Regions: []string{"us-east-1"}})
	if err := os.Remove(tr.Path(tr.Logs[0])); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tr.Path(tr.Logs[1]), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr.Signatures[tr.Digests[0][1]] = "00" + tr.Signatures[tr.Digests[0][1]][2:]
	b, _ := json.Marshal(tr.Signatures)
	if err := os.WriteFile(tr.SignaturesFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "digests", "verify", "--source", tr.Root, "--digest-public-keys", tr.PublicKeysFile,
		"--digest-signatures", tr.SignaturesFile, "--format", "json", "--since", "2026-11-02", "--until", "2026-11-03")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var rep struct {
		Summary  map[string]int
		Findings []map[string]string
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary["failures"] != 3 || len(rep.Findings) != 3 {
		t.Errorf("summary %v", rep.Summary)
	}
	golden(t, "digests-verify.json", strings.ReplaceAll(stdout, tr.Root, "TRAIL"))
}

func TestDigestsVerifyUsage(t *testing.T) {
	tr := signedTrail(t, digests.Options{Hours: 1, Regions: []string{"us-east-1"}})
	missing := filepath.Join(t.TempDir(), "nope.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no source", nil, "--source is required"},
		{"a bad format", []string{"--source", tr.Root, "--format", "xml"}, "--format xml"},
		{"no such directory", []string{"--source", missing}, "no such directory"},
		{"a file", []string{"--source", tr.PublicKeysFile}, "a file; give the directory"},
		{"another scheme", []string{"--source", "gs://bucket/x"}, "unknown scheme"},
		{"no key file", []string{"--source", tr.Root, "--digest-public-keys", missing}, "--digest-public-keys " + missing},
		{"not a key list", []string{"--source", tr.Root, "--digest-public-keys", tr.SignaturesFile}, "not the output of aws cloudtrail list-public-keys"},
		{"not a sidecar", []string{"--source", tr.Root, "--digest-signatures", tr.PublicKeysFile}, "--digest-signatures"},
		{"a bad time", []string{"--source", tr.Root, "--since", "last tuesday"}, "--since"},
		{"since after until", []string{"--source", tr.Root, "--since", "2026-11-03", "--until", "2026-11-02"}, "is not before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, append([]string{"digests", "verify"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestDigestsVerifyS3 reads a signed trail from a real S3 server, each
// digest's signature in its metadata as CloudTrail puts it, saves the
// signatures, and checks the local copy with them.
func TestDigestsVerifyS3(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	// The digests name the bucket CloudTrail delivered them to.
	tr := signedTrail(t, digests.Options{Bucket: bucket, Prefix: "org/", Backfill: true})
	ctx := context.Background()
	err := filepath.WalkDir(tr.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tr.Root, p)
		key := filepath.ToSlash(rel)
		in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}
		if sig, ok := tr.Signatures[key]; ok {
			in.Metadata = map[string]string{"signature": sig, "signature-algorithm": "SHA256withRSA"}
		}
		_, err = srv.Client.PutObject(ctx, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	useServer(t, srv)
	saved := filepath.Join(t.TempDir(), "sigs.json")
	stdout, stderr, code := run(t, "digests", "verify", "--source", "s3://"+bucket+"/org/AWSLogs/", "--endpoint-url", srv.URL,
		"--digest-public-keys", tr.PublicKeysFile, "--save-digest-signatures", saved, "--strict")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "verified: 18 log files against 10 signed digests") || !strings.Contains(stderr, "signatures saved: 10 to ") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	stdout, stderr, code = run(t, "digests", "verify", "--source", tr.Root, "--digest-public-keys", tr.PublicKeysFile, "--digest-signatures", saved, "--strict")
	if code != 0 {
		t.Errorf("the local copy with the saved signatures: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// A reading command does the same: it verifies the bucket and saves
	// the signatures, and the local copy then reads trusted under --strict.
	fromS3, stderr, code := run(t, "analyze", "--format", "json", "--source", "s3://"+bucket+"/org/AWSLogs/", "--endpoint-url", srv.URL, "--verify-digests",
		"--digest-public-keys", tr.PublicKeysFile, "--save-digest-signatures", saved+".2", "--strict")
	if code != 0 || !strings.Contains(stderr, "integrity: 18 log files verified against 10 digests; 0 failures, 0 signatures unchecked") {
		t.Fatalf("analyze --verify-digests on S3: exit %d\n%s", code, stderr)
	}
	local, stderr, code := run(t, "analyze", "--format", "json", "--source", tr.Root, "--verify-digests",
		"--digest-public-keys", tr.PublicKeysFile, "--digest-signatures", saved+".2", "--strict")
	if code != 0 || local != fromS3 {
		t.Errorf("the local copy with the signatures analyze saved: exit %d, same output %v\n%s", code, local == fromS3, stderr)
	}
}
