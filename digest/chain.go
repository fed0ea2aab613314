package digest

// The chain: each digest records the hash and the signature of the one
// before it, so a digest removed, replaced or forged shows in the one
// after. A signature is self-proving wherever it was found: beside the
// digest (S3 metadata, or the sidecar of a local copy) or in the next
// digest's previousDigestSignature. Without either, or without the key,
// a digest is unchecked, never valid.

import (
	"encoding/hex"
	"strings"
	"time"
)

const noSignature = "no signature: it is kept in the digest's S3 metadata, which a copy loses; pass --digest-signatures FILE (written by --save-digest-signatures when reading from S3)"

func (v *verifier) checkChains() {
	v.link()
	var prev *digestFile // the digest before, in time, in the same chain
	for _, d := range v.digests {
		if !d.inRange {
			continue
		}
		if d.d != nil {
			v.sign(d)
			v.moved(d)
			if prev != nil && prev.pl.chain() == d.pl.chain() {
				v.follows(prev, d)
			}
			prev = d
		} else {
			d.verdict.Signature, d.verdict.Detail = SignatureUnchecked, "the digest could not be read"
		}
		d.verdict.Name, d.verdict.Backfill = d.obj.Name, d.pl.backfill
		if d.d != nil {
			d.verdict.Start, d.verdict.End, d.verdict.LogFiles = d.d.Start, d.d.End, len(d.d.LogFiles)
		}
		v.rep.Digests = append(v.rep.Digests, d.verdict)
	}
}

const timeFormat = "2006-01-02T15:04:05Z"

// follows checks that b, the next digest in time after a in their chain,
// links to a. A digest missing between them is reported by link; more
// than an hour missing, or a chain that restarts, is a gap.
func (v *verifier) follows(a, b *digestFile) {
	p := b.d.Previous
	if p == nil {
		v.find(KindGap, b.obj.Name, "", "the chain restarts here: a starting digest (from %s), not linked to %s, which ends %s; logging or log file validation was off, or the chain was cut",
			b.d.Start.Format(timeFormat), a.obj.Name, a.d.End.Format(timeFormat))
		return
	}
	ref := b.src.Ref(p.Bucket, p.Object)
	if ref == a.obj.Ref {
		return
	}
	if prev := v.byRef[ref]; prev != nil {
		v.find(KindBrokenLink, b.obj.Name, a.obj.Name, "links to %s, not to %s, the digest before it", prev.obj.Name, a.obj.Name)
		return
	}
	// One digest missing ends about an hour after a; more leave a gap.
	if pl, ok := locate(strings.TrimPrefix(ref, "s3://")); ok && pl.at.Sub(a.d.End) > 90*time.Minute {
		v.find(KindGap, b.obj.Name, "", "between %s, which ends %s, and the missing digest it links to, which ends %s, more digests are gone: nothing vouches for log files delivered then",
			a.obj.Name, a.d.End.Format(timeFormat), pl.at.Format(timeFormat))
	}
}

// link pairs each digest with the one that names it as previous, and
// checks the hash it records; a previous digest that should be there and
// is not is missing.
func (v *verifier) link() {
	for _, d := range v.digests {
		if d.d == nil || d.d.Previous == nil {
			continue
		}
		p := d.d.Previous
		ref := d.src.Ref(p.Bucket, p.Object)
		prev := v.byRef[ref]
		if prev == nil {
			if d.inRange && !v.listed[ref] && v.inWindow(ref) {
				v.find(KindDigestMissing, d.src.Name(ref), d.obj.Name, "%s links to it as the digest before it; it is not there", d.obj.Name)
			}
			continue
		}
		if prev.next != nil {
			if d.inRange {
				v.find(KindBrokenLink, d.obj.Name, prev.obj.Name, "links to %s, as %s does: two digests claim the same previous digest", prev.obj.Name, prev.next.obj.Name)
			}
			continue
		}
		prev.next = d
		if want := hex.EncodeToString(prev.sum[:]); !strings.EqualFold(p.Hash, want) && (d.inRange || prev.inRange) {
			v.find(KindBrokenLink, d.obj.Name, prev.obj.Name, "its previousDigestHashValue %s is not the SHA-256 of %s (%s)", p.Hash, prev.obj.Name, want)
		}
	}
}

// inWindow reports whether the digest at ref ends in the window, from its
// name: one before the window is not missing, only not read.
func (v *verifier) inWindow(ref string) bool {
	pl, ok := locate(strings.TrimPrefix(ref, "s3://"))
	if !ok {
		return true
	}
	return v.opts.Window.digests(pl.at)
}

// sign decides d's signature from the copies there are: beside it (S3
// metadata or the sidecar) and in the next digest.
func (v *verifier) sign(d *digestFile) {
	var next string
	if d.next != nil {
		next = d.next.d.Previous.Signature
	}
	vd := &d.verdict
	if v.keys == nil {
		vd.Signature, vd.Detail = SignatureUnchecked, "no public keys given: pass --digest-public-keys FILE (aws cloudtrail list-public-keys)"
		if d.sig != "" && next != "" && !strings.EqualFold(d.sig, next) {
			v.find(KindBrokenLink, d.next.obj.Name, d.obj.Name, "its previousDigestSignature is not the signature of %s in %s (checked with no key: one of the two is wrong)", d.obj.Name, d.sigFrom)
		}
		return
	}
	pub := v.keys.find(d.d.Fingerprint)
	if pub == nil {
		vd.Signature, vd.Detail = SignatureUnchecked, "no public key with fingerprint "+d.d.Fingerprint+" among those given"
		if d.sig != "" && next != "" && !strings.EqualFold(d.sig, next) {
			v.find(KindBrokenLink, d.next.obj.Name, d.obj.Name, "its previousDigestSignature is not the signature of %s in %s (checked with no key: one of the two is wrong)", d.obj.Name, d.sigFrom)
		}
		return
	}
	ownOK := d.sig != "" && verifySignature(pub, d.d, d.sum, d.sig)
	nextOK := next != "" && (ownOK && strings.EqualFold(next, d.sig) || verifySignature(pub, d.d, d.sum, next))
	switch {
	case ownOK:
		vd.Signature, vd.SignatureFrom = SignatureValid, d.sigFrom
		if next != "" && !nextOK {
			v.find(KindBrokenLink, d.next.obj.Name, d.obj.Name, "its previousDigestSignature is not the signature of %s", d.obj.Name)
		}
	case d.sig != "":
		v.find(KindBadSignature, d.obj.Name, "", "the signature in %s does not verify", sigPlace(d.sigFrom))
		if nextOK {
			vd.Signature, vd.SignatureFrom = SignatureValid, "next-digest"
			vd.Detail = "the signature " + d.next.obj.Name + " records verifies; the one in " + sigPlace(d.sigFrom) + " does not"
		} else {
			vd.Signature, vd.SignatureFrom, vd.Detail = SignatureInvalid, d.sigFrom, "the signature in "+sigPlace(d.sigFrom)+" does not verify"
		}
	case nextOK:
		vd.Signature, vd.SignatureFrom = SignatureValid, "next-digest"
	case next != "":
		// The next digest's copy fails. If the content is what the next
		// digest recorded (its hash matches), the copy is what is wrong.
		if strings.EqualFold(d.next.d.Previous.Hash, hex.EncodeToString(d.sum[:])) {
			vd.Signature, vd.Detail = SignatureUnchecked, "the signature "+d.next.obj.Name+" records for it does not verify, and there is no other"
			v.find(KindBrokenLink, d.next.obj.Name, d.obj.Name, "its previousDigestSignature does not verify %s", d.obj.Name)
		} else {
			vd.Signature, vd.SignatureFrom = SignatureInvalid, "next-digest"
			vd.Detail = "its content does not verify with the signature " + d.next.obj.Name + " records"
			v.find(KindBadSignature, d.obj.Name, "", "its content does not verify with the signature %s records for it: it was changed after it was signed", d.next.obj.Name)
		}
	default:
		vd.Signature, vd.Detail = SignatureUnchecked, noSignature
	}
}

func sigPlace(from string) string {
	if from == "sidecar" {
		return "the sidecar (--digest-signatures)"
	}
	return "its S3 metadata"
}

// moved checks that d was read where CloudTrail delivered it. Its trust
// follows: a valid signature on a digest read where it was delivered.
func (v *verifier) moved(d *digestFile) {
	want := d.src.Ref(d.d.Bucket, d.d.Object)
	if want != d.obj.Ref {
		v.find(KindMoved, d.obj.Name, "", "delivered to s3://%s/%s, read here: it may stand in for another hour's digest", d.d.Bucket, d.d.Object)
		return
	}
	d.verdict.Trusted = d.verdict.Signature == SignatureValid
}
