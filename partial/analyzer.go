package partial

import (
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/trail"
)

// Analyzer analyzes records into a partial aggregate: like the
// analyze.Analyzer it wraps, except that it keeps each cross-account call
// apart under its analyze.SharedKey, for the last merge to count once.
// Like that analyzer, it is for one goroutine.
type Analyzer struct {
	an *analyze.Analyzer
	p  *Aggregate
}

// NewAnalyzer wraps an, whose Options.Shared must be nil: the partial
// does that dedupe.
func NewAnalyzer(an *analyze.Analyzer) *Analyzer {
	p := New(an.Aggregate().MaxResources)
	p.Main = an.Aggregate()
	return &Analyzer{an: an, p: p}
}

// Record analyzes one record.
func (a *Analyzer) Record(r *trail.Record) {
	key := analyze.SharedKey(r)
	if key == "" {
		a.an.Record(r)
		return
	}
	a.apart(key, r.EventID, func(s *analyze.Analyzer) { s.Record(r) })
}

// apart analyzes a cross-account call, through add, into an aggregate of
// its own kept under its key for the last merge to count once; a call
// filtered out goes to Main, as it would in a single run.
func (a *Analyzer) apart(key, eventID string, add func(*analyze.Analyzer)) {
	s := a.an.Scratch()
	add(s)
	agg := s.Aggregate()
	if agg.Counts.OutOfRange > 0 {
		// Filtered out before any dedupe, in a single run too.
		a.p.Main.Merge(agg)
		return
	}
	a.p.AddShared(key, &Shared{EventID: strings.Clone(eventID), Aggregate: agg})
}

// Partial returns what the analyzer has gathered so far; its Main is the
// wrapped analyzer's aggregate.
func (a *Analyzer) Partial() *Aggregate { return a.p }

// Replay adds an exported call's facts (analyze.Analyzer.Replay), keeping
// a cross-account call apart as Record does.
func (a *Analyzer) Replay(e *analyze.Event) {
	key := e.SharedKey()
	if key == "" {
		a.an.Replay(e)
		return
	}
	a.apart(key, e.ID, func(s *analyze.Analyzer) { s.Replay(e) })
}
