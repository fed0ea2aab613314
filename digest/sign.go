package digest

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// StringToSign is what CloudTrail signs for a digest: its end time as
// written, where it delivered it, the hex SHA-256 of its uncompressed
// content (sum) and the previous digest's signature, or "null" in a
// starting digest, each on its own line.
func StringToSign(d *Digest, sum [sha256.Size]byte) string {
	prev := "null"
	if d.Previous != nil {
		prev = d.Previous.Signature
	}
	return d.EndText + "\n" + d.Bucket + "/" + d.Object + "\n" + hex.EncodeToString(sum[:]) + "\n" + prev
}

// verifySignature checks a hex signature of d, whose uncompressed content
// hashes to sum, with RSA PKCS #1 v1.5 over SHA-256.
func verifySignature(pub *rsa.PublicKey, d *Digest, sum [sha256.Size]byte, sigHex string) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) == 0 {
		return false
	}
	h := sha256.Sum256([]byte(StringToSign(d, sum)))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil
}

// Signatures maps a digest's S3 key to its hex signature: the sidecar a
// local copy of a trail needs, since a copy loses the S3 metadata the
// signature is kept in. tailor writes it (WriteSignatures) when it reads
// digests from S3. A key is matched from the account folder on, so the
// bucket, any prefix and where the copy sits do not matter.
type Signatures map[string]string

// ReadSignatures reads a sidecar: one JSON object, digest key to hex
// signature.
func ReadSignatures(r io.Reader) (Signatures, error) {
	var m map[string]string
	dec := json.NewDecoder(r)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a map of digest keys to signatures: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("not a map of digest keys to signatures: null")
	}
	for k, v := range m {
		if !isHex(v, 2, 2048) {
			return nil, fmt.Errorf("%s: the signature is not hex", k)
		}
	}
	return Signatures(m), nil
}

// WriteSignatures writes s as ReadSignatures reads it, keys sorted.
func WriteSignatures(w io.Writer, s Signatures) error {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(s[k])
		fmt.Fprintf(&b, "\n  %s: %s", kj, vj)
	}
	if len(keys) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// byRef indexes s by the path from the account folder on.
func (s Signatures) byRef() map[string]string {
	out := make(map[string]string, len(s))
	for k, v := range s {
		k = strings.TrimPrefix(k, "s3://")
		if ref := layoutRef(k); ref != "" {
			out[ref] = strings.ToLower(v)
		}
	}
	return out
}
