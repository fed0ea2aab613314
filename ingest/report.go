package ingest

import (
	"fmt"
	"sort"
)

// Problem is one input that could not be read in full.
type Problem struct {
	Name string
	Err  error
}

func (p Problem) String() string { return fmt.Sprintf("%s: %v", p.Name, p.Err) }

// Report counts what a run read, skipped and failed on. Reports merge.
type Report struct {
	Listed int // objects listed
	// OtherShares counts the objects listed that --shard gave to other
	// shares; they are not in Listed.
	OtherShares int
	Files       int   // log files read in full
	Records     int   // records decoded
	Malformed   int   // records skipped as malformed (see trail.Stats)
	Bytes       int64 // bytes read from sources (compressed size)
	// Skipped counts the objects skipped by design, by reason, and the
	// entries of files read that are no records by design: CloudWatch Logs
	// control messages and EventBridge events CloudTrail did not send.
	Skipped map[SkipReason]int
	Failed  []Problem
	// MalformedIn names each file that had malformed records, with their
	// count and the first one: where it was and why (a field of the wrong
	// type, a record longer than trail.MaxRecordBytes). Such a file was
	// read on past them; it is not in Failed.
	MalformedIn []Problem
	Lookup      *LookupWindow // the window a cloudtrail: source read, if any (LookupWindowOf)
}

func (r *Report) skip(why SkipReason) { r.skipN(why, 1) }

func (r *Report) skipN(why SkipReason, n int) {
	if n == 0 {
		return
	}
	if r.Skipped == nil {
		r.Skipped = map[SkipReason]int{}
	}
	r.Skipped[why] += n
}

// SkippedTotal sums the skips of every reason.
func (r *Report) SkippedTotal() int {
	n := 0
	for _, c := range r.Skipped {
		n += c
	}
	return n
}

// Merge adds o into r.
func (r *Report) Merge(o *Report) {
	r.Listed += o.Listed
	r.OtherShares += o.OtherShares
	r.Files += o.Files
	r.Records += o.Records
	r.Malformed += o.Malformed
	r.Bytes += o.Bytes
	for k, v := range o.Skipped {
		if r.Skipped == nil {
			r.Skipped = map[SkipReason]int{}
		}
		r.Skipped[k] += v
	}
	r.Failed = append(r.Failed, o.Failed...)
	r.MalformedIn = append(r.MalformedIn, o.MalformedIn...)
}

func (r *Report) sortProblems() {
	for _, ps := range [][]Problem{r.Failed, r.MalformedIn} {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	}
}
