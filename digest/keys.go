package digest

import (
	"context"
	"crypto/md5"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// PublicKey is one of the keys CloudTrail signs a region's digests with.
type PublicKey struct {
	// Fingerprint is the one CloudTrail gives with the key; digests name
	// their key by it. "" when unknown: the key is then found by the hex
	// MD5 of its DER bytes.
	Fingerprint string
	// DER is the key as CloudTrail publishes it: PKCS #1 (RSAPublicKey);
	// PKIX (SubjectPublicKeyInfo) is accepted too.
	DER []byte
	// The time the key was in use, as listed; zero when not given.
	ValidFrom, ValidUntil time.Time
}

// KeySource gives CloudTrail's public keys for a region and a time range.
// KeyList is one, read from a file; a source over the CloudTrail API's
// ListPublicKeys (one client per region) is another.
type KeySource interface {
	PublicKeys(ctx context.Context, region string, from, to time.Time) ([]PublicKey, error)
}

// KeyList is a fixed set of keys, whatever the region and time asked:
// a key is chosen by its fingerprint, and a wrong one cannot verify.
type KeyList []PublicKey

// PublicKeys returns the whole list.
func (l KeyList) PublicKeys(context.Context, string, time.Time, time.Time) ([]PublicKey, error) {
	return l, nil
}

// ReadPublicKeys reads the JSON that `aws cloudtrail list-public-keys`
// prints: {"PublicKeyList":[{"Value":"<base64 DER>","ValidityStartTime":…,
// "ValidityEndTime":…,"Fingerprint":"…"}]}. Every key must parse as an RSA
// public key.
func ReadPublicKeys(r io.Reader) (KeyList, error) {
	var doc struct {
		PublicKeyList *[]struct {
			Value       string          `json:"Value"`
			Fingerprint string          `json:"Fingerprint"`
			Start       json.RawMessage `json:"ValidityStartTime"`
			End         json.RawMessage `json:"ValidityEndTime"`
		} `json:"PublicKeyList"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the output of aws cloudtrail list-public-keys: %w", err)
	}
	if doc.PublicKeyList == nil {
		return nil, errors.New("not the output of aws cloudtrail list-public-keys: no PublicKeyList")
	}
	var out KeyList
	for i, k := range *doc.PublicKeyList {
		der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k.Value))
		if err != nil {
			return nil, fmt.Errorf("PublicKeyList[%d]: Value is not base64: %w", i, err)
		}
		if _, err := parseRSAKey(der); err != nil {
			return nil, fmt.Errorf("PublicKeyList[%d] (%s): %w", i, k.Fingerprint, err)
		}
		out = append(out, PublicKey{Fingerprint: k.Fingerprint, DER: der, ValidFrom: cliTime(k.Start), ValidUntil: cliTime(k.End)})
	}
	return out, nil
}

// cliTime reads a timestamp as the AWS CLI prints it: ISO 8601 text by
// default, epoch seconds with cli_timestamp_format = none. Anything else
// is the zero time; the validity times are kept, not relied on.
func cliTime(raw json.RawMessage) time.Time {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(string(raw), 64); err == nil && f > 0 && f < 1e11 {
		return time.Unix(int64(f), 0).UTC()
	}
	return time.Time{}
}

// parseRSAKey reads a PKCS #1 or PKIX DER RSA public key.
func parseRSAKey(der []byte) (*rsa.PublicKey, error) {
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, errors.New("not a PKCS #1 or PKIX DER public key")
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an RSA public key", k)
	}
	return rk, nil
}

// keyring finds a key by a digest's fingerprint.
type keyring map[string]*rsa.PublicKey

// add indexes k by its listed fingerprint and by the hex MD5 of its DER
// bytes in both encodings, so a list without fingerprints, or one that
// gives the key in the other encoding, still finds it. A key is only a
// candidate: the signature decides.
func (kr keyring) add(k PublicKey) error {
	pub, err := parseRSAKey(k.DER)
	if err != nil {
		return err
	}
	if k.Fingerprint != "" {
		kr[strings.ToLower(k.Fingerprint)] = pub
	}
	pkix, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	for _, der := range [][]byte{k.DER, x509.MarshalPKCS1PublicKey(pub), pkix} {
		sum := md5.Sum(der)
		fp := hex.EncodeToString(sum[:])
		if _, ok := kr[fp]; !ok {
			kr[fp] = pub
		}
	}
	return nil
}

func (kr keyring) find(fingerprint string) *rsa.PublicKey {
	return kr[strings.ToLower(fingerprint)]
}
