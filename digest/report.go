package digest

import (
	"sort"
	"strings"
	"time"
)

// Kind is what a finding found. Every finding is an integrity failure.
type Kind string

const (
	// A log file whose SHA-256 differs from its digest's, or with data
	// after its first gzip member, or not gzip at all; a digest with data
	// after its first gzip member.
	KindModified Kind = "modified"
	// A log file a digest lists that is not there.
	KindMissing Kind = "missing"
	// A log file in the range that no digest lists.
	KindUnlisted Kind = "unlisted"
	// A file that could not be read.
	KindUnreadable Kind = "unreadable"
	// A digest a later digest links to that is not there.
	KindDigestMissing Kind = "digest-missing"
	// A chain that restarts: an hour without a digest between two that
	// exist (log file validation or logging was off, or digests were
	// removed and the chain forged).
	KindGap Kind = "gap"
	// A digest whose previousDigestHashValue or previousDigestSignature
	// does not match the digest it links to.
	KindBrokenLink Kind = "broken-link"
	// A digest read from elsewhere than its digestS3Bucket/Object.
	KindMoved Kind = "moved"
	// A digest signature that does not verify.
	KindBadSignature Kind = "bad-signature"
	// A digest file that is not a digest (not gzip, not its JSON).
	KindMalformed Kind = "malformed-digest"
)

// Finding is one integrity failure, named by the file it is about.
type Finding struct {
	Kind Kind `json:"kind"`
	// Name is the file: a path or s3://bucket/key.
	Name string `json:"name"`
	// Digest is the digest that lists or links to it, when another.
	Digest string `json:"digest,omitempty"`
	Detail string `json:"detail"`
}

// SignatureStatus is what became of a digest's signature.
type SignatureStatus string

const (
	SignatureValid SignatureStatus = "valid"
	// A signature was there and does not verify.
	SignatureInvalid SignatureStatus = "invalid"
	// No signature to check (a local copy without the sidecar), or no
	// public key for its fingerprint: never counted as valid.
	SignatureUnchecked SignatureStatus = "unchecked"
)

// DigestVerdict is one digest in range.
type DigestVerdict struct {
	Name     string    `json:"name"`
	Backfill bool      `json:"backfill,omitempty"`
	Start    time.Time `json:"start,omitzero"`
	End      time.Time `json:"end,omitzero"`
	// Signature is valid only when a signature verified with a known key.
	Signature SignatureStatus `json:"signature"`
	// SignatureFrom says where the signature that decided came from:
	// "s3-metadata", "sidecar", or "next-digest" (the previousDigestSignature
	// of the digest that links to it).
	SignatureFrom string `json:"signatureFrom,omitempty"`
	// Detail says why a signature is unchecked or invalid.
	Detail   string `json:"detail,omitempty"`
	LogFiles int    `json:"logFiles"`
	// Trusted digests vouch for the log files they list: signature valid,
	// read where CloudTrail delivered it.
	Trusted bool `json:"trusted"`
}

// FileStatus is a log file's verdict.
type FileStatus string

const (
	// Its SHA-256 matches a trusted digest's entry.
	FileVerified FileStatus = "verified"
	// It matches its digest's entry, but the digest is not trusted (its
	// signature unchecked or invalid, or it was moved).
	FileUnverified FileStatus = "unverified"
	FileModified   FileStatus = "modified"
	FileMissing    FileStatus = "missing"
	FileUnlisted   FileStatus = "unlisted"
	FileUnreadable FileStatus = "unreadable"
)

// FileVerdict is one log file's verdict.
type FileVerdict struct {
	Name   string     `json:"name"`
	Status FileStatus `json:"status"`
	// Digest is the digest that lists it.
	Digest string `json:"digest,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Report is the result of Verify.
type Report struct {
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Findings are the integrity failures, sorted by name and kind.
	Findings []Finding `json:"findings"`
	// Digests are the digests in range, and Files the log files in range
	// or listed by a digest in range, each sorted by name.
	Digests []DigestVerdict `json:"digests"`
	Files   []FileVerdict   `json:"files"`
	// Signatures are those read from S3 metadata, by S3 key: what
	// WriteSignatures saves for a later check of a local copy.
	Signatures Signatures `json:"-"`

	byName map[string]int
	byRef  map[string]int
}

// Counts sums up a report.
type Counts struct {
	Digests             int `json:"digests"`
	ValidSignatures     int `json:"validSignatures"`
	InvalidSignatures   int `json:"invalidSignatures"`
	UncheckedSignatures int `json:"uncheckedSignatures"`
	Files               int `json:"logFiles"`
	Verified            int `json:"verified"`
	Unverified          int `json:"unverified"`
	Modified            int `json:"modified"`
	Missing             int `json:"missing"`
	Unlisted            int `json:"unlisted"`
	Unreadable          int `json:"unreadable"`
	Failures            int `json:"failures"`
}

// Counts counts the report's verdicts and findings.
func (r *Report) Counts() Counts {
	c := Counts{Digests: len(r.Digests), Files: len(r.Files), Failures: len(r.Findings)}
	for _, d := range r.Digests {
		switch d.Signature {
		case SignatureValid:
			c.ValidSignatures++
		case SignatureInvalid:
			c.InvalidSignatures++
		default:
			c.UncheckedSignatures++
		}
	}
	for _, f := range r.Files {
		switch f.Status {
		case FileVerified:
			c.Verified++
		case FileUnverified:
			c.Unverified++
		case FileModified:
			c.Modified++
		case FileMissing:
			c.Missing++
		case FileUnlisted:
			c.Unlisted++
		case FileUnreadable:
			c.Unreadable++
		}
	}
	return c
}

// Trusted reports whether everything in range verified: no failure, no
// signature left unchecked, every log file verified.
func (r *Report) Trusted() bool {
	c := r.Counts()
	return c.Failures == 0 && c.UncheckedSignatures == 0 && c.InvalidSignatures == 0 && c.Verified == c.Files
}

// Verdict returns the verdict on a log file by the name a reading command
// gives it (a path from the same --source, or s3://bucket/key); a path is
// also matched from the account folder on. It is safe to call from many
// goroutines.
func (r *Report) Verdict(name string) (FileVerdict, bool) {
	if r.byName == nil {
		r.index()
	}
	if i, ok := r.byName[name]; ok {
		return r.Files[i], true
	}
	if !strings.HasPrefix(name, "s3://") {
		if i, ok := r.byRef[layoutRef(slashed(name))]; ok {
			return r.Files[i], true
		}
	}
	return FileVerdict{}, false
}

// index builds what Verdict looks names up in; Verify builds it before it
// returns, so lookups only read.
func (r *Report) index() {
	r.byName = make(map[string]int, len(r.Files))
	r.byRef = make(map[string]int, len(r.Files))
	for i, f := range r.Files {
		r.byName[f.Name] = i
		if strings.HasPrefix(f.Name, "s3://") {
			continue
		}
		if ref := layoutRef(slashed(f.Name)); ref != "" {
			r.byRef[ref] = i
		}
	}
}

// Verified reports whether the log file name verified; a file the report
// does not know (not in the layout, out of range) did not.
func (r *Report) Verified(name string) bool {
	v, ok := r.Verdict(name)
	return ok && v.Status == FileVerified
}

func (r *Report) sort() {
	sort.Slice(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Detail < b.Detail
	})
	sort.Slice(r.Digests, func(i, j int) bool { return r.Digests[i].Name < r.Digests[j].Name })
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Name < r.Files[j].Name })
	r.index()
}
