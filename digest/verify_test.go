package digest

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/fixtures/digests"
)

var sharedKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// testKey is one 2048-bit key for the whole test binary, made when first
// asked for; no private key is kept in the repository.
func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := sharedKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writeTrail(t *testing.T, o digests.Options) *digests.Trail {
	t.Helper()
	o.Key = testKey(t)
	tr, err := digests.Write(t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func readKeys(t *testing.T, path string) KeyList {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	k, err := ReadPublicKeys(f)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func readSidecar(t *testing.T, path string) Signatures {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadSignatures(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// verifyLocal checks the local copy with the trail's key list and, when
// sidecar is set, its signatures.
func verifyLocal(t *testing.T, tr *digests.Trail, sidecar bool, w Window) *Report {
	t.Helper()
	o := Options{Window: w, Keys: readKeys(t, tr.PublicKeysFile), Workers: 2}
	if sidecar {
		o.Signatures = readSidecar(t, tr.SignaturesFile)
	}
	rep, err := Verify(context.Background(), []Source{&Local{Root: tr.Root}}, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// found is a finding as the tests name it: its kind and the key of the
// file it names.
type found struct {
	kind Kind
	key  string
}

func findings(tr *digests.Trail, rep *Report) []found {
	var out []found
	for _, f := range rep.Findings {
		key := filepath.ToSlash(strings.TrimPrefix(f.Name, tr.Root+string(filepath.Separator)))
		out = append(out, found{f.Kind, key})
	}
	return out
}

func sameFindings(t *testing.T, tr *digests.Trail, rep *Report, want []found) {
	t.Helper()
	got := findings(tr, rep)
	less := func(a, b found) int { return strings.Compare(string(a.kind)+a.key, string(b.kind)+b.key) }
	slices.SortFunc(got, less)
	slices.SortFunc(want, less)
	if !slices.Equal(got, want) {
		var b strings.Builder
		for _, f := range rep.Findings {
			b.WriteString("  " + string(f.Kind) + " " + f.Name + ": " + f.Detail + "\n")
		}
		t.Errorf("findings:\n%swant %v", b.String(), want)
	}
}

func gzipFile(t *testing.T, path, body string) {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(body))
	z.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// logsOf are the keys of the log files the digest at key lists.
func logsOf(t *testing.T, tr *digests.Trail, key string) []string {
	t.Helper()
	d, err := tr.ReadDigest(key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range d.LogFiles {
		out = append(out, l.S3Object)
	}
	return out
}

func TestCleanTrailVerifies(t *testing.T) {
	tr := writeTrail(t, digests.Options{Backfill: true})
	rep := verifyLocal(t, tr, true, Window{})
	sameFindings(t, tr, rep, nil)
	c := rep.Counts()
	if c.Failures != 0 || c.Digests != 10 || c.ValidSignatures != 10 || c.Files != len(tr.Logs) || c.Verified != len(tr.Logs) || !rep.Trusted() {
		t.Errorf("counts %+v; want every digest valid and all %d log files verified", c, len(tr.Logs))
	}
	for _, d := range rep.Digests {
		if d.SignatureFrom != "sidecar" || !d.Trusted {
			t.Errorf("%s: %s from %s, trusted %v", d.Name, d.Signature, d.SignatureFrom, d.Trusted)
		}
	}
	// A reading command names files by the path its walk gives; the
	// verdict is found by it, or by the path from the account on.
	name := tr.Path(tr.Logs[0])
	if !rep.Verified(name) || !rep.Verified(filepath.Join("elsewhere", "AWSLogs", filepath.FromSlash(tr.Logs[0][len("AWSLogs/"):]))) {
		t.Errorf("%s: not verified by name", name)
	}
	if rep.Verified(filepath.Join(tr.Root, "AWSLogs", "other.json")) {
		t.Error("a file the report does not know counts as verified")
	}
	// A copy rooted at the account folder matches the keys just as well.
	acct, err := Verify(context.Background(), []Source{&Local{Root: filepath.Join(tr.Root, "AWSLogs", "111122223333")}},
		Options{Keys: readKeys(t, tr.PublicKeysFile), Signatures: readSidecar(t, tr.SignaturesFile)})
	if err != nil || !acct.Trusted() {
		t.Errorf("rooted at the account folder: %v, %+v", err, acct.Counts())
	}
}

// TestWithoutSidecar: a local copy has no S3 metadata. Each digest is
// checked by the copy of its signature the next one records; the newest
// of each chain stays unchecked, never valid, and so do its log files.
func TestWithoutSidecar(t *testing.T) {
	tr := writeTrail(t, digests.Options{Backfill: true})
	rep := verifyLocal(t, tr, false, Window{})
	sameFindings(t, tr, rep, nil)
	newest := map[string]bool{}
	for _, c := range tr.Digests {
		newest[c[len(c)-1]] = true
	}
	for _, d := range rep.Digests {
		key := filepath.ToSlash(strings.TrimPrefix(d.Name, tr.Root+string(filepath.Separator)))
		if newest[key] {
			if d.Signature != SignatureUnchecked || d.Trusted || !strings.Contains(d.Detail, "--digest-signatures") {
				t.Errorf("%s: %s (%s), want unchecked", key, d.Signature, d.Detail)
			}
			for _, l := range logsOf(t, tr, key) {
				if v, _ := rep.Verdict(tr.Path(l)); v.Status != FileUnverified {
					t.Errorf("%s: %s, want unverified", l, v.Status)
				}
			}
		} else if d.Signature != SignatureValid || d.SignatureFrom != "next-digest" {
			t.Errorf("%s: %s from %s, want valid from the next digest", key, d.Signature, d.SignatureFrom)
		}
	}
	if c := rep.Counts(); c.UncheckedSignatures != 3 || rep.Trusted() {
		t.Errorf("counts %+v: want the 3 newest unchecked, and the trail not trusted", c)
	}

	// Tampering still shows: a digest changed in place fails against the
	// signature its successor recorded.
	if err := tr.EditDigest(tr.Digests[0][1], func(d *digests.Digest) { d.AWSAccountID = "999999999999" }, false); err != nil {
		t.Fatal(err)
	}
	rep = verifyLocal(t, tr, false, Window{})
	sameFindings(t, tr, rep, []found{{KindBadSignature, tr.Digests[0][1]}, {KindBrokenLink, tr.Digests[0][2]}})
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name string
		o    digests.Options
	}{
		{"PKCS #1", digests.Options{}},
		{"PKIX", digests.Options{PKIX: true}},
		{"PKCS #1 without fingerprints", digests.Options{NoFingerprint: true}},
		{"PKIX without fingerprints", digests.Options{PKIX: true, NoFingerprint: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := writeTrail(t, tc.o)
			rep := verifyLocal(t, tr, true, Window{})
			if c := rep.Counts(); c.Failures != 0 || c.ValidSignatures != c.Digests || !rep.Trusted() {
				t.Errorf("counts %+v", c)
			}
		})
	}
	t.Run("no keys", func(t *testing.T) {
		tr := writeTrail(t, digests.Options{})
		rep, err := Verify(context.Background(), []Source{&Local{Root: tr.Root}}, Options{Signatures: readSidecar(t, tr.SignaturesFile)})
		if err != nil {
			t.Fatal(err)
		}
		if c := rep.Counts(); c.UncheckedSignatures != c.Digests || c.Verified != 0 || c.Unverified != c.Files || rep.Trusted() {
			t.Errorf("counts %+v: want every signature unchecked, every file unverified", c)
		}
	})
	t.Run("another key", func(t *testing.T) {
		tr := writeTrail(t, digests.Options{})
		other, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			t.Fatal(err)
		}
		wrong, err := digests.Write(t.TempDir(), digests.Options{Key: other, Hours: 1})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(context.Background(), []Source{&Local{Root: tr.Root}}, Options{Keys: readKeys(t, wrong.PublicKeysFile), Signatures: readSidecar(t, tr.SignaturesFile)})
		if err != nil {
			t.Fatal(err)
		}
		if c := rep.Counts(); c.UncheckedSignatures != c.Digests || rep.Trusted() {
			t.Errorf("counts %+v: want every signature unchecked (no key of that fingerprint)", c)
		}
	})
}

// TestVerifyWindow: a range checks the digests that cover it, without calling
// the digest before it missing or the files next to it unlisted; the
// first digest after it vouches for the last one in it.
func TestVerifyWindow(t *testing.T) {
	tr := writeTrail(t, digests.Options{})
	start := time.Date(2026, 11, 2, 0, 17, 42, 0, time.UTC)
	for _, tc := range []struct {
		name            string
		w               Window
		digests, files  int
		sidecar         bool
		uncheckedWanted int
	}{
		{"hours 2 and 3", Window{Since: start.Add(2 * time.Hour), Until: start.Add(3 * time.Hour)}, 6, 12, true, 0},
		{"the first 90 minutes, no sidecar", Window{Since: start, Until: start.Add(90 * time.Minute)}, 6, 12, false, 0},
		{"from hour 3 on, no sidecar", Window{Since: start.Add(3 * time.Hour)}, 4, 8, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyLocal(t, tr, tc.sidecar, tc.w)
			sameFindings(t, tr, rep, nil)
			c := rep.Counts()
			if c.Digests != tc.digests || c.Files != tc.files || c.UncheckedSignatures != tc.uncheckedWanted {
				t.Errorf("counts %+v; want %d digests, %d files, %d unchecked", c, tc.digests, tc.files, tc.uncheckedWanted)
			}
		})
	}
}
