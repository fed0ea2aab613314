package analyze

import (
	"time"

	"github.com/tailor-iam/tailor/trail"
)

// inScope reports whether a record is within the run's time range, trail
// accounts and regions.
func (a *Analyzer) inScope(r *trail.Record, t time.Time) bool {
	return a.scoped(r.RecipientAccountID, r.AWSRegion, t)
}

// scoped is inScope for a call's trail account, region and time.
func (a *Analyzer) scoped(account, region string, t time.Time) bool {
	if (!a.opts.Since.IsZero() || !a.opts.Until.IsZero()) && !inRange(t, a.opts) {
		return false
	}
	return listed(a.opts.Accounts, account) && listed(a.opts.Regions, region)
}

func inRange(t time.Time, o Options) bool {
	if t.IsZero() {
		return false
	}
	if !o.Since.IsZero() && t.Before(o.Since) {
		return false
	}
	if !o.Until.IsZero() && !t.Before(o.Until) {
		return false
	}
	return true
}

func listed(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// unixOf is a record's time in Unix seconds; 0 when it has none.
func unixOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
