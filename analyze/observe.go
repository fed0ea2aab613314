package analyze

import "github.com/tailor-iam/tailor/trail"

// Observed is one fact as one record derived it, for Options.Observe: an
// export of per-event rows sees what the Aggregate only counts. It is seen
// before it is aggregated, so its resource is exact (resources fold into
// parent/* only in the Aggregate, fold.go) and, for a call that names an id
// another call returned (links.go), still Wildcard with Link set: that id's
// resource is known only after the last record. A call Options.Keep does
// not keep, or Options.Shared drops as a second copy, yields none.
type Observed struct {
	// Record is the record the fact came from; like the Observed itself,
	// valid only during the call (records and their strings are reused).
	Record    *trail.Record
	Principal Principal
	Fact      FactKey
	// Link is the id the fact's resource waits for; zero for other facts.
	Link LinkKey
	// Origin is where the request came from, as the fact's Stat keeps it.
	Origin Origin
}

// observe hands a fact of the record being analyzed to Options.Observe.
func (a *Analyzer) observe(k FactKey, link LinkKey, o Origin) {
	a.obs.Fact, a.obs.Link, a.obs.Origin = k, link, o
	a.opts.Observe(&a.obs)
}

// addLinked records a fact that waits for a link, as Aggregate.addLinked
// does, and shows it to Options.Observe.
func (a *Analyzer) addLinked(k FactKey, link LinkKey, ts int64, o Origin) {
	if a.opts.Observe != nil {
		k.Resource = Wildcard
		a.observe(k, link, o)
	}
	a.agg.addLinked(k, link, ts, o)
}

// SharedKey is the fact's call's SharedKey: "" unless it is a copy of a
// cross-account call.
func (o *Observed) SharedKey() string { return sharedKey(o.Record, o.Principal) }
