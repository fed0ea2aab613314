package digest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/fixtures/digests"
)

func TestTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, tr *digests.Trail) []found
	}{
		{"a log file modified", func(t *testing.T, tr *digests.Trail) []found {
			gzipFile(t, tr.Path(tr.Logs[0]), `{"Records":[]}`)
			return []found{{KindModified, tr.Logs[0]}}
		}},
		{"a log file deleted", func(t *testing.T, tr *digests.Trail) []found {
			if err := os.Remove(tr.Path(tr.Logs[1])); err != nil {
				t.Fatal(err)
			}
			return []found{{KindMissing, tr.Logs[1]}}
		}},
		{"a log file added", func(t *testing.T, tr *digests.Trail) []found {
			key := "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T0133Z_AddedByHand00000.json.gz"
			gzipFile(t, tr.Path(key), `{"Records":[]}`)
			return []found{{KindUnlisted, key}}
		}},
		{"data appended after the first gzip member", func(t *testing.T, tr *digests.Trail) []found {
			var extra bytes.Buffer
			z := gzip.NewWriter(&extra)
			z.Write([]byte(`{"Records":[{"eventName":"Forged"}]}`))
			z.Close()
			f, err := os.OpenFile(tr.Path(tr.Logs[2]), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(extra.Bytes())
			f.Close()
			return []found{{KindModified, tr.Logs[2]}}
		}},
		{"a digest deleted", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Digests[0][1]
			want := []found{{KindDigestMissing, d}}
			for _, l := range logsOf(t, tr, d) {
				want = append(want, found{KindUnlisted, l})
			}
			if err := os.Remove(tr.Path(d)); err != nil {
				t.Fatal(err)
			}
			return want
		}},
		{"two digests deleted: a gap", func(t *testing.T, tr *digests.Trail) []found {
			c := tr.Digests[0]
			want := []found{{KindDigestMissing, c[2]}, {KindGap, c[3]}}
			for _, d := range c[1:3] {
				for _, l := range logsOf(t, tr, d) {
					want = append(want, found{KindUnlisted, l})
				}
				if err := os.Remove(tr.Path(d)); err != nil {
					t.Fatal(err)
				}
			}
			return want
		}},
		{"the chain restarts: a gap", func(t *testing.T, tr *digests.Trail) []found {
			last := tr.Digests[1][3]
			if err := tr.EditDigest(last, func(d *digests.Digest) {
				d.PreviousDigestS3Bucket, d.PreviousDigestS3Object, d.PreviousDigestHashValue = nil, nil, nil
				d.PreviousDigestHashAlgorithm, d.PreviousDigestSignature = nil, nil
			}, true); err != nil {
				t.Fatal(err)
			}
			return []found{{KindGap, last}}
		}},
		{"a signature altered", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Digests[0][1]
			alterSignature(t, tr, d)
			return []found{{KindBadSignature, d}}
		}},
		{"the newest signature altered", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Digests[1][3]
			alterSignature(t, tr, d)
			return []found{{KindBadSignature, d}}
		}},
		{"a previous-hash link broken", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Digests[0][3]
			if err := tr.EditDigest(d, func(d *digests.Digest) {
				h := strings.Repeat("ab", 32)
				d.PreviousDigestHashValue = &h
			}, true); err != nil {
				t.Fatal(err)
			}
			return []found{{KindBrokenLink, d}}
		}},
		{"a previous-signature link broken", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Digests[0][3]
			if err := tr.EditDigest(d, func(d *digests.Digest) {
				s := "00" + (*d.PreviousDigestSignature)[2:]
				d.PreviousDigestSignature = &s
			}, true); err != nil {
				t.Fatal(err)
			}
			return []found{{KindBrokenLink, d}}
		}},
		{"a digest changed and not signed again", func(t *testing.T, tr *digests.Trail) []found {
			c := tr.Digests[0]
			dropped := logsOf(t, tr, c[1])[0]
			if err := tr.EditDigest(c[1], func(d *digests.Digest) { d.LogFiles = d.LogFiles[1:] }, false); err != nil {
				t.Fatal(err)
			}
			return []found{{KindBadSignature, c[1]}, {KindBrokenLink, c[2]}, {KindUnlisted, dropped}}
		}},
		{"a digest moved", func(t *testing.T, tr *digests.Trail) []found {
			from := tr.Digests[1][3]
			to := strings.Replace(from, "T041742Z", "T051742Z", 1)
			if err := os.Rename(tr.Path(from), tr.Path(to)); err != nil {
				t.Fatal(err)
			}
			return []found{{KindMoved, to}}
		}},
		{"a backfill digest deleted", func(t *testing.T, tr *digests.Trail) []found {
			d := tr.Backfill[0]
			want := []found{{KindDigestMissing, d}}
			for _, l := range logsOf(t, tr, d) {
				want = append(want, found{KindUnlisted, l})
			}
			if err := os.Remove(tr.Path(d)); err != nil {
				t.Fatal(err)
			}
			return want
		}},
		{"a backfill log file modified", func(t *testing.T, tr *digests.Trail) []found {
			l := logsOf(t, tr, tr.Backfill[1])[0]
			gzipFile(t, tr.Path(l), `{"Records":[]}`)
			return []found{{KindModified, l}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := writeTrail(t, digests.Options{Backfill: true})
			want := tc.tamper(t, tr)
			rep := verifyLocal(t, tr, true, Window{})
			sameFindings(t, tr, rep, want)
			if rep.Trusted() {
				t.Error("a tampered trail is trusted")
			}
		})
	}
}

// alterSignature changes one hex digit of a digest's signature in the
// sidecar.
func alterSignature(t *testing.T, tr *digests.Trail, key string) {
	t.Helper()
	sig := []byte(tr.Signatures[key])
	if sig[10] == '0' {
		sig[10] = '1'
	} else {
		sig[10] = '0'
	}
	tr.Signatures[key] = string(sig)
	s := Signatures(tr.Signatures)
	var b bytes.Buffer
	if err := WriteSignatures(&b, s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tr.SignaturesFile, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAlteredSignatureVerdicts: a digest whose own signature is bad is
// still vouched for by the copy the next digest records; the newest has
// no such copy and is invalid, its log files unverified.
func TestAlteredSignatureVerdicts(t *testing.T) {
	tr := writeTrail(t, digests.Options{})
	mid, newest := tr.Digests[0][1], tr.Digests[0][3]
	alterSignature(t, tr, mid)
	alterSignature(t, tr, newest)
	rep := verifyLocal(t, tr, true, Window{})
	for _, d := range rep.Digests {
		switch {
		case strings.HasSuffix(d.Name, filepath.FromSlash(mid)):
			if d.Signature != SignatureValid || d.SignatureFrom != "next-digest" {
				t.Errorf("middle digest: %s from %s", d.Signature, d.SignatureFrom)
			}
		case strings.HasSuffix(d.Name, filepath.FromSlash(newest)):
			if d.Signature != SignatureInvalid || d.Trusted {
				t.Errorf("newest digest: %s, trusted %v", d.Signature, d.Trusted)
			}
		}
	}
	for _, l := range logsOf(t, tr, newest) {
		if v, _ := rep.Verdict(tr.Path(l)); v.Status != FileUnverified {
			t.Errorf("%s: %s, want unverified", l, v.Status)
		}
	}
}
