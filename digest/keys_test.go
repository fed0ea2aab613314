package digest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestReadPublicKeys(t *testing.T) {
	key := testKey(t)
	pkcs1 := x509.MarshalPKCS1PublicKey(&key.PublicKey)
	pkix, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	// The CLI prints times as ISO 8601 text, or epoch seconds with
	// cli_timestamp_format = none.
	doc := `{"PublicKeyList":[
	  {"Value":"` + b64(pkcs1) + `","ValidityStartTime":"2026-10-01T00:00:00+00:00","ValidityEndTime":"2026-11-01T00:00:00+00:00","Fingerprint":"ABCDEF"},
	  {"Value":"` + b64(pkix) + `","ValidityStartTime":1793491200,"ValidityEndTime":1796083200}]}`
	keys, err := ReadPublicKeys(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Fingerprint != "ABCDEF" || !keys[0].ValidFrom.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || keys[1].ValidFrom.IsZero() {
		t.Fatalf("read %+v", keys)
	}
	kr := keyring{}
	for _, k := range keys {
		if err := kr.add(k); err != nil {
			t.Fatal(err)
		}
	}
	md5hex := func(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }
	for _, fp := range []string{"abcdef", "ABCDEF", md5hex(pkcs1), md5hex(pkix)} {
		if got := kr.find(fp); got == nil || !got.Equal(&key.PublicKey) {
			t.Errorf("fingerprint %s: no key", fp)
		}
	}
	if kr.find("00") != nil {
		t.Error("found a key for an unknown fingerprint")
	}

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", "nope", "not the output"},
		{"no list", `{"Keys":[]}`, "no PublicKeyList"},
		{"not base64", `{"PublicKeyList":[{"Value":"%%%"}]}`, "not base64"},
		{"not a key", `{"PublicKeyList":[{"Value":"` + b64([]byte("hello")) + `"}]}`, "not a PKCS #1 or PKIX"},
		{"not RSA", `{"PublicKeyList":[{"Value":"` + b64(ecDER) + `"}]}`, "not an RSA public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadPublicKeys(strings.NewReader(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSignaturesRoundTrip(t *testing.T) {
	in := Signatures{"AWSLogs/1/CloudTrail-Digest/r/2026/11/02/b.json.gz": "ab01", "AWSLogs/1/CloudTrail-Digest/r/2026/11/02/a.json.gz": "CD"}
	var b strings.Builder
	if err := WriteSignatures(&b, in); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"AWSLogs/1/CloudTrail-Digest/r/2026/11/02/a.json.gz\": \"CD\",\n  \"AWSLogs/1/CloudTrail-Digest/r/2026/11/02/b.json.gz\": \"ab01\"\n}\n"
	if b.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", b.String(), want)
	}
	out, err := ReadSignatures(strings.NewReader(b.String()))
	if err != nil || len(out) != 2 || out["AWSLogs/1/CloudTrail-Digest/r/2026/11/02/b.json.gz"] != "ab01" {
		t.Errorf("read back %v, %v", out, err)
	}
	for _, bad := range []string{`[]`, `null`, `{"k":"zz"}`, `{"k":1}`} {
		if _, err := ReadSignatures(strings.NewReader(bad)); err == nil {
			t.Errorf("%s: read", bad)
		}
	}
	var empty strings.Builder
	WriteSignatures(&empty, nil)
	if empty.String() != "{}\n" {
		t.Errorf("empty: %q", empty.String())
	}
}
