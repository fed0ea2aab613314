package pipeline

import (
	"context"
	"sync/atomic"

	"github.com/tailor-iam/tailor/ingest"
)

// SkipUnverified counts the files Config.Skip left out: those the trail's
// digests did not verify (--exclude-unverified).
const SkipUnverified SkipReason = "unverified"

// skipping is a source whose listing leaves out the objects skip names.
type skipping struct {
	ingest.Source
	skip    func(name string) bool
	skipped *atomic.Int64
}

func (s skipping) List(ctx context.Context, fn func(ingest.Object) error) error {
	return s.Source.List(ctx, func(o ingest.Object) error {
		if o.Err == nil && ingest.Classify(o.Name, o.Size) == "" && s.skip(o.Name) {
			s.skipped.Add(1)
			return nil
		}
		return fn(o)
	})
}

// withSkip wraps each source so that it leaves out what skip names.
func withSkip(sources []ingest.Source, skip func(string) bool, n *atomic.Int64) []ingest.Source {
	out := make([]ingest.Source, len(sources))
	for i, s := range sources {
		out[i] = skipping{Source: s, skip: skip, skipped: n}
	}
	return out
}
