package analyze

import (
	"hash/maphash"
	"sync"

	"github.com/tailor-iam/tailor/trail"
)

// EventSet remembers the cross-account calls a run has counted. CloudTrail
// delivers a call that crosses accounts (an S3 object read by another
// account, a KMS key used from another account) to each account's trail,
// each copy with its own eventID and the same sharedEventID; a run over
// both trails counts a principal's call once. Only such calls are kept
// (API calls, not service deliveries), so memory grows with cross-account
// traffic, not with the trail. It is safe for concurrent use: the workers
// of one run share it. Runs analyzed apart and merged count both copies.
type EventSet struct {
	seed   maphash.Seed
	shards [16]struct {
		sync.Mutex
		ids map[string]struct{}
	}
}

// NewEventSet returns an empty set.
func NewEventSet() *EventSet {
	s := &EventSet{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].ids = map[string]struct{}{}
	}
	return s
}

// Add records id and reports whether it is new.
func (s *EventSet) Add(id string) bool {
	sh := &s.shards[maphash.String(s.seed, id)%uint64(len(s.shards))]
	sh.Lock()
	defer sh.Unlock()
	if _, ok := sh.ids[id]; ok {
		return false
	}
	sh.ids[id] = struct{}{}
	return true
}

// SharedKey is what identifies the copies of one cross-account call that
// Options.Shared counts once: its sharedEventID, the principal and the
// call. It is "" for a record that is never deduplicated (no
// sharedEventID, no usable identity, an AWS service's own call, not an API
// call). Partial aggregates keep such calls apart under this key, so that
// a merge counts them once too.
func SharedKey(r *trail.Record) string {
	if r.SharedEventID == "" {
		return ""
	}
	p, ok := PrincipalOf(r)
	if !ok {
		return ""
	}
	return sharedKey(r, p)
}

func sharedKey(r *trail.Record, p Principal) string {
	if r.SharedEventID == "" || p.Kind == KindService || (r.EventType != "" && r.EventType != "AwsApiCall") {
		return ""
	}
	return r.SharedEventID + " " + p.ARN + " " + r.EventSource + " " + r.EventName
}
