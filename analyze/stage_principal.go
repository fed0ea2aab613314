package analyze

import (
	"time"

	"github.com/tailor-iam/tailor/trail"
)

// principal finds who made the call and counts the event to it. It reports
// false for a record without a usable identity, and for the second copy of
// a cross-account call that another trail already delivered.
func (a *Analyzer) principal(r *trail.Record, t time.Time) (Principal, *PrincipalInfo, bool) {
	agg := a.agg
	p, ok := PrincipalOf(r)
	if !ok {
		agg.Counts.NoIdentity++
		return p, nil, false
	}
	if a.duplicate(r, p) {
		agg.Counts.Duplicates++
		return p, nil, false
	}
	return p, a.count(p, t), true
}

// count counts one event to its principal.
func (a *Analyzer) count(p Principal, t time.Time) *PrincipalInfo {
	info := a.agg.Principals[p.ARN]
	if info == nil {
		info = &PrincipalInfo{Principal: p}
		a.agg.Principals[p.ARN] = info
	} else if p.ID != "" && (info.ID == "" || p.ID < info.ID) {
		info.ID = p.ID // the least, whatever the order records came in
	}
	info.Stat.add(unixOf(t), 1)
	return info
}

// duplicate reports the second copy of a cross-account call seen by the
// same principal. The other account's copy often sees only the caller's
// account (an AWSAccount identity), a principal of its own, and is kept.
func (a *Analyzer) duplicate(r *trail.Record, p Principal) bool {
	if a.opts.Shared == nil {
		return false
	}
	k := sharedKey(r, p)
	return k != "" && !a.opts.Shared.Add(k)
}

// apiCall reports whether the event is an API call a principal's policy
// governs: not a sign-in or service event, not an AWS service acting on its
// own account.
func (a *Analyzer) apiCall(r *trail.Record, p Principal) bool {
	counts := &a.agg.Counts
	switch {
	case r.EventType != "" && r.EventType != "AwsApiCall":
		counts.NonAPI++
		return false
	case p.Kind == KindService:
		counts.ServiceCalls++
		return false
	case r.EventSource == "" || r.EventName == "":
		counts.NonAPI++
		return false
	}
	counts.APICalls++
	return true
}
