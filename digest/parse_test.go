package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// sample is a digest in the shape of the example in CloudTrail's
// documentation (our own values).
const sample = `{
  "awsAccountId": "111122223333",
  "digestStartTime": "2026-11-02T14:01:31Z",
  "digestEndTime": "2026-11-02T15:01:31Z",
  "digestS3Bucket": "trail-bucket",
  "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/02/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20261102T150131Z.json.gz",
  "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff",
  "digestSignatureAlgorithm": "SHA256withRSA",
  "newestEventTime": "2026-11-02T14:52:27Z",
  "oldestEventTime": "2026-11-02T14:42:27Z",
  "previousDigestS3Bucket": "trail-bucket",
  "previousDigestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/02/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20261102T140131Z.json.gz",
  "previousDigestHashValue": "97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d",
  "previousDigestHashAlgorithm": "SHA-256",
  "previousDigestSignature": "50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3",
  "logFiles": [
    {
      "s3Bucket": "trail-bucket",
      "s3Object": "AWSLogs/111122223333/CloudTrail/us-east-2/2026/11/02/111122223333_CloudTrail_us-east-2_20261102T1445Z_9nYN7gp2eWAJHIfT.json.gz",
      "hashValue": "9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6",
      "hashAlgorithm": "SHA-256",
      "newestEventTime": "2026-11-02T14:52:27Z",
      "oldestEventTime": "2026-11-02T14:42:27Z"
    }
  ]
}`

const starting = `{"awsAccountId":"111122223333","digestStartTime":"2026-11-02T14:01:31Z","digestEndTime":"2026-11-02T15:01:31Z",
"digestS3Bucket":"b","digestS3Object":"k","digestPublicKeyFingerprint":"ab","digestSignatureAlgorithm":"SHA256withRSA",
"newestEventTime":null,"oldestEventTime":null,"previousDigestS3Bucket":null,"previousDigestS3Object":null,
"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[]}`

func TestParseDigest(t *testing.T) {
	d, err := ParseDigest([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if d.EndText != "2026-11-02T15:01:31Z" || d.Bucket != "trail-bucket" || d.Fingerprint != "31e8b5433410dfb61a9dc45cc65b22ff" {
		t.Errorf("parsed %+v", d)
	}
	if d.Previous == nil || d.Previous.Hash != "97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d" || !strings.HasSuffix(d.Previous.Object, "20261102T140131Z.json.gz") {
		t.Errorf("previous %+v", d.Previous)
	}
	if len(d.LogFiles) != 1 || d.LogFiles[0].Hash != "9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6" || d.LogFiles[0].Newest != "2026-11-02T14:52:27Z" {
		t.Errorf("log files %+v", d.LogFiles)
	}
	s, err := ParseDigest([]byte(starting))
	if err != nil {
		t.Fatal(err)
	}
	if s.Previous != nil || len(s.LogFiles) != 0 {
		t.Errorf("a starting digest: %+v", s)
	}
}

func TestParseDigestRejects(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(sample, old) {
			t.Fatalf("sample lacks %q", old)
		}
		return strings.Replace(sample, old, new, 1)
	}
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", "nope", "not a digest"},
		{"an array", "[]", "not a digest"},
		{"data after", sample + "{}", "data after"},
		{"no end time", edit(`"digestEndTime": "2026-11-02T15:01:31Z",`, ""), "no digestEndTime"},
		{"end time not RFC 3339", edit(`"digestEndTime": "2026-11-02T15:01:31Z"`, `"digestEndTime": "yesterday"`), "digestEndTime"},
		{"no object", edit(`"digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/02/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20261102T150131Z.json.gz",`, ""), "no digestS3Object"},
		{"no fingerprint", edit(`"31e8b5433410dfb61a9dc45cc65b22ff"`, `""`), "no digestPublicKeyFingerprint"},
		{"other algorithm", edit(`"SHA256withRSA"`, `"SHA1withRSA"`), "only SHA256withRSA"},
		{"no previous signature member", edit(`"previousDigestSignature": "50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3",`, ""), "no previousDigestSignature"},
		{"previous signature not hex", edit(`"50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3"`, `"zz"`), "not a hex signature"},
		{"previous signature a number", edit(`"50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3"`, `12`), "not a string or null"},
		{"previous hash short", edit(`"97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d"`, `"97fb"`), "previousDigestHashValue"},
		{"previous object null", edit(`"previousDigestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/02/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20261102T140131Z.json.gz"`, `"previousDigestS3Object": null`), "no previousDigestS3Object"},
		{"log hash not hex", edit(`"9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6"`, `"xyz"`), "logFiles[0]"},
		{"log hash MD5", edit(`"hashAlgorithm": "SHA-256"`, `"hashAlgorithm": "MD5"`), "only SHA-256"},
		{"log files an object", edit(`"logFiles": [`, `"logFiles": {"a": [`) + "}", "not a digest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDigest([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

// TestStringToSign holds the string to the format CloudTrail documents,
// written out by hand here.
func TestStringToSign(t *testing.T) {
	d, err := ParseDigest([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(sample))
	want := "2026-11-02T15:01:31Z\n" +
		"trail-bucket/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/11/02/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20261102T150131Z.json.gz\n" +
		hex.EncodeToString(sum[:]) + "\n" +
		"50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3"
	if got := StringToSign(d, sum); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	s, _ := ParseDigest([]byte(starting))
	if got := StringToSign(s, sum); !strings.HasSuffix(got, "\nnull") || !strings.HasPrefix(got, "2026-11-02T15:01:31Z\nb/k\n") {
		t.Errorf("a starting digest signs %q", got)
	}
}

// FuzzParseDigest: the parser never panics, and what it accepts holds the
// members verification relies on.
func FuzzParseDigest(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(starting))
	f.Add([]byte(`{"previousDigestSignature":null}`))
	f.Add([]byte(`{"logFiles":[{"s3Bucket":"b"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDigest(data)
		if err != nil {
			return
		}
		if d.Bucket == "" || d.Object == "" || d.Fingerprint == "" || d.EndText == "" {
			t.Fatalf("accepted without a member it needs: %+v", d)
		}
		if d.Previous != nil && (len(d.Previous.Hash) != 64 || d.Previous.Signature == "" || d.Previous.Object == "") {
			t.Fatalf("accepted a half link: %+v", d.Previous)
		}
		for _, l := range d.LogFiles {
			if len(l.Hash) != 64 || l.Object == "" || l.Bucket == "" {
				t.Fatalf("accepted a log file without its hash or key: %+v", l)
			}
		}
		s := StringToSign(d, sha256.Sum256(data))
		if !strings.HasPrefix(s, d.EndText+"\n"+d.Bucket+"/"+d.Object+"\n") {
			t.Fatalf("string to sign %q", s)
		}
	})
}
