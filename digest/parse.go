package digest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// SignatureAlgorithm is the only algorithm CloudTrail signs digests with.
const SignatureAlgorithm = "SHA256withRSA"

// hashAlgorithm is the only hash CloudTrail records for log files and for
// the previous digest.
const hashAlgorithm = "SHA-256"

// Digest is one digest file: the log files CloudTrail delivered to a
// region's folder in an hour, with their hashes, and the link to the
// digest before it.
type Digest struct {
	AccountID string
	Start     time.Time // digestStartTime
	End       time.Time // digestEndTime
	// EndText is digestEndTime as written: it is signed as it stands.
	EndText string
	// Bucket and Object are where CloudTrail delivered this digest
	// (digestS3Bucket, digestS3Object).
	Bucket, Object string
	// Fingerprint names the public key of the pair that signed it.
	Fingerprint string
	// Previous is the link to the digest before it; nil in a starting
	// digest (previousDigestSignature null), the first of a chain.
	Previous *Link
	LogFiles []LogFile
}

// Link is what a digest records of the digest before it.
type Link struct {
	Bucket, Object string
	// Hash is the hex SHA-256 of the previous digest's uncompressed
	// content.
	Hash string
	// Signature is the previous digest's hex signature.
	Signature string
}

// LogFile is a log file a digest lists.
type LogFile struct {
	Bucket, Object string
	// Hash is the hex SHA-256 of the log file's uncompressed content.
	Hash string
	// Oldest and Newest are the event times the digest gives, as written
	// ("" when null).
	Oldest, Newest string
}

// wire is the digest's JSON. Nullable members are pointers; the previous
// signature is raw so that a missing member and null differ.
type wire struct {
	AccountID             string          `json:"awsAccountId"`
	Start                 *string         `json:"digestStartTime"`
	End                   *string         `json:"digestEndTime"`
	Bucket                *string         `json:"digestS3Bucket"`
	Object                *string         `json:"digestS3Object"`
	Fingerprint           *string         `json:"digestPublicKeyFingerprint"`
	Algorithm             *string         `json:"digestSignatureAlgorithm"`
	PreviousBucket        *string         `json:"previousDigestS3Bucket"`
	PreviousObject        *string         `json:"previousDigestS3Object"`
	PreviousHash          *string         `json:"previousDigestHashValue"`
	PreviousHashAlgorithm *string         `json:"previousDigestHashAlgorithm"`
	PreviousSignature     json.RawMessage `json:"previousDigestSignature"`
	LogFiles              []wireLog       `json:"logFiles"`
}

type wireLog struct {
	Bucket    *string `json:"s3Bucket"`
	Object    *string `json:"s3Object"`
	Hash      *string `json:"hashValue"`
	Algorithm *string `json:"hashAlgorithm"`
	Newest    *string `json:"newestEventTime"`
	Oldest    *string `json:"oldestEventTime"`
}

// ParseDigest reads a digest file's uncompressed content. It checks what
// verification relies on: the members the signature covers and the links
// use are there, times are RFC 3339, hashes are hex SHA-256 and the
// algorithms are CloudTrail's. Members it does not use may be anything.
func ParseDigest(data []byte) (*Digest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var w wire
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("not a digest: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not a digest: data after the JSON object")
	}
	d := &Digest{AccountID: w.AccountID}
	var err error
	need := func(name string, v *string) string {
		if err == nil && (v == nil || *v == "") {
			err = fmt.Errorf("no %s", name)
		}
		if v == nil {
			return ""
		}
		return *v
	}
	startText := need("digestStartTime", w.Start)
	d.EndText = need("digestEndTime", w.End)
	d.Bucket = need("digestS3Bucket", w.Bucket)
	d.Object = need("digestS3Object", w.Object)
	d.Fingerprint = need("digestPublicKeyFingerprint", w.Fingerprint)
	if err != nil {
		return nil, err
	}
	if d.Start, err = time.Parse(time.RFC3339, startText); err != nil {
		return nil, fmt.Errorf("digestStartTime %q: not an RFC 3339 time", startText)
	}
	if d.End, err = time.Parse(time.RFC3339, d.EndText); err != nil {
		return nil, fmt.Errorf("digestEndTime %q: not an RFC 3339 time", d.EndText)
	}
	if w.Algorithm != nil && *w.Algorithm != SignatureAlgorithm {
		return nil, fmt.Errorf("digestSignatureAlgorithm %q: only %s is known", *w.Algorithm, SignatureAlgorithm)
	}
	if d.Previous, err = w.link(); err != nil {
		return nil, err
	}
	d.LogFiles = make([]LogFile, 0, len(w.LogFiles))
	for i, l := range w.LogFiles {
		f, err := l.logFile()
		if err != nil {
			return nil, fmt.Errorf("logFiles[%d]: %w", i, err)
		}
		d.LogFiles = append(d.LogFiles, f)
	}
	return d, nil
}

// link reads the previous digest's members: all null in a starting digest,
// all set otherwise.
func (w *wire) link() (*Link, error) {
	if len(w.PreviousSignature) == 0 {
		return nil, errors.New("no previousDigestSignature (null in a starting digest)")
	}
	var sig *string
	if err := json.Unmarshal(w.PreviousSignature, &sig); err != nil {
		return nil, errors.New("previousDigestSignature: not a string or null")
	}
	if sig == nil {
		return nil, nil
	}
	if !isHex(*sig, 2, 2048) {
		return nil, errors.New("previousDigestSignature: not a hex signature")
	}
	l := &Link{Signature: *sig}
	for _, m := range []struct {
		name string
		v    *string
		to   *string
	}{
		{"previousDigestS3Bucket", w.PreviousBucket, &l.Bucket},
		{"previousDigestS3Object", w.PreviousObject, &l.Object},
		{"previousDigestHashValue", w.PreviousHash, &l.Hash},
	} {
		if m.v == nil || *m.v == "" {
			return nil, fmt.Errorf("no %s, though previousDigestSignature is set", m.name)
		}
		*m.to = *m.v
	}
	if !isHex(l.Hash, 64, 64) {
		return nil, fmt.Errorf("previousDigestHashValue %q: not a hex SHA-256", l.Hash)
	}
	if a := w.PreviousHashAlgorithm; a != nil && *a != hashAlgorithm {
		return nil, fmt.Errorf("previousDigestHashAlgorithm %q: only %s is known", *a, hashAlgorithm)
	}
	return l, nil
}

func (l wireLog) logFile() (LogFile, error) {
	var f LogFile
	if l.Bucket == nil || *l.Bucket == "" || l.Object == nil || *l.Object == "" {
		return f, errors.New("no s3Bucket or s3Object")
	}
	f.Bucket, f.Object = *l.Bucket, *l.Object
	if l.Hash == nil || !isHex(*l.Hash, 64, 64) {
		return f, fmt.Errorf("%s: hashValue is not a hex SHA-256", f.Object)
	}
	f.Hash = *l.Hash
	if l.Algorithm != nil && *l.Algorithm != hashAlgorithm {
		return f, fmt.Errorf("%s: hashAlgorithm %q: only %s is known", f.Object, *l.Algorithm, hashAlgorithm)
	}
	if l.Newest != nil {
		f.Newest = *l.Newest
	}
	if l.Oldest != nil {
		f.Oldest = *l.Oldest
	}
	return f, nil
}

// isHex reports whether s is an even number of hex digits, min to max of
// them.
func isHex(s string, min, max int) bool {
	if len(s) < min || len(s) > max || len(s)%2 != 0 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
