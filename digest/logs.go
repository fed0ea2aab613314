package digest

import (
	"context"
	"encoding/hex"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"
)

// listing is one digest's entry for a log file.
type listing struct {
	d    *digestFile
	hash string
}

// checkLogs hashes every log file a digest in range lists, and names the
// files in the window no digest lists.
func (v *verifier) checkLogs(ctx context.Context) error {
	listed := map[string][]listing{}
	var refs []string
	for _, d := range v.digests {
		if !d.inRange || d.d == nil {
			continue
		}
		for _, lf := range d.d.LogFiles {
			ref := d.src.Ref(lf.Bucket, lf.Object)
			if _, ok := listed[ref]; !ok {
				refs = append(refs, ref)
			}
			listed[ref] = append(listed[ref], listing{d: d, hash: lf.Hash})
		}
	}
	sort.Strings(refs)
	verdicts := make([]FileVerdict, len(refs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.opts.Workers)
	for i, ref := range refs {
		g.Go(func() error {
			fv, err := v.checkLog(gctx, ref, listed[ref])
			verdicts[i] = fv
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	v.rep.Files = append(v.rep.Files, verdicts...)
	for ref, f := range v.logs {
		if _, ok := listed[ref]; ok || !v.opts.Window.holds(f.pl) {
			continue
		}
		v.rep.Files = append(v.rep.Files, FileVerdict{Name: f.obj.Name, Status: FileUnlisted})
		v.find(KindUnlisted, f.obj.Name, "", "in no digest in range: CloudTrail did not deliver it, or delivered it while log file validation was off")
	}
	return nil
}

// checkLog reads one listed log file and gives its verdict. Only a failed
// context is an error.
func (v *verifier) checkLog(ctx context.Context, ref string, ls []listing) (FileVerdict, error) {
	first := ls[0].d
	f := v.logs[ref]
	if f == nil {
		name := first.src.Name(ref)
		v.find(KindMissing, name, first.obj.Name, "listed in %s; it is not there", first.obj.Name)
		return FileVerdict{Name: name, Status: FileMissing, Digest: first.obj.Name}, nil
	}
	name := f.obj.Name
	rc, _, err := f.src.Open(ctx, f.obj)
	if err == nil {
		var in inflated
		in, err = inflate(rc, 0)
		rc.Close()
		if err == nil {
			return v.judge(name, in, ls), nil
		}
		if ctx.Err() == nil && !isRead(err) {
			v.find(KindModified, name, first.obj.Name, "%v; CloudTrail delivers gzip", err)
			return FileVerdict{Name: name, Status: FileModified, Digest: first.obj.Name, Detail: err.Error()}, nil
		}
	}
	if ctx.Err() != nil {
		return FileVerdict{}, ctx.Err()
	}
	v.find(KindUnreadable, name, first.obj.Name, "%v", err)
	return FileVerdict{Name: name, Status: FileUnreadable, Digest: first.obj.Name, Detail: err.Error()}, nil
}

// judge compares a log file's hash with the digests that list it: it is
// verified by a trusted digest whose hash it matches.
func (v *verifier) judge(name string, in inflated, ls []listing) FileVerdict {
	sum := hex.EncodeToString(in.Sum[:])
	if in.Trailing {
		v.find(KindModified, name, ls[0].d.obj.Name, "%v", errTrailing)
		return FileVerdict{Name: name, Status: FileModified, Digest: ls[0].d.obj.Name, Detail: errTrailing.Error()}
	}
	var matched *digestFile
	for _, l := range ls {
		if !strings.EqualFold(l.hash, sum) {
			continue
		}
		if l.d.verdict.Trusted {
			return FileVerdict{Name: name, Status: FileVerified, Digest: l.d.obj.Name}
		}
		if matched == nil {
			matched = l.d
		}
	}
	if matched != nil {
		return FileVerdict{Name: name, Status: FileUnverified, Digest: matched.obj.Name, Detail: untrusted(matched)}
	}
	d := ls[0]
	v.find(KindModified, name, d.d.obj.Name, "its SHA-256 is %s; %s lists %s", sum, d.d.obj.Name, d.hash)
	return FileVerdict{Name: name, Status: FileModified, Digest: d.d.obj.Name, Detail: "SHA-256 differs from the digest's"}
}

// untrusted says why a digest vouches for nothing.
func untrusted(d *digestFile) string {
	if d.verdict.Signature == SignatureValid {
		return "its digest was not read where CloudTrail delivered it"
	}
	return "its digest's signature is " + string(d.verdict.Signature) + ": " + d.verdict.Detail
}
