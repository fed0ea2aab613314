package analyze

import (
	"time"

	"github.com/tailor-iam/tailor/trail"
)

// An export (tailor export) keeps the facts each API call was derived to,
// not the record: it cannot be analyzed again, only replayed. Replay adds
// one call's facts to the Aggregate as Record added them when the export
// was made, with the same filters, counts and dedupe, so that an export
// read back gives the facts of the trail it came from.

// Event is one API call as an export gives it back: who made it, when,
// where from, how it ended, and the facts it was derived to.
type Event struct {
	Principal Principal
	Time      time.Time // zero when the record had none
	Account   string    // recipientAccountId, the trail's account
	Region    string    // awsRegion
	Source    string    // eventSource
	Name      string    // eventName
	ID        string    // eventID
	SharedID  string    // sharedEventID, of a cross-account call
	ErrorCode string
	// ErrorMessage is the denial's message, for a denied call; "" else.
	ErrorMessage string
	SourceIP     string // sourceIPAddress as the record gave it
	UserAgent    string
	Origin       Origin
	// Facts are what the call needed, each as Observed saw it: a fact
	// whose resource waits for an id has Link set and Resource Wildcard.
	Facts []Derived
}

// Derived is one fact of an Event.
type Derived struct {
	Fact FactKey
	Link LinkKey
}

// SharedKey is the event's analyze.SharedKey: "" unless it is a copy of a
// cross-account call.
func (e *Event) SharedKey() string {
	if e.SharedID == "" || e.Principal.Kind == KindService {
		return ""
	}
	return e.SharedID + " " + e.Principal.ARN + " " + e.Source + " " + e.Name
}

// Replay adds an event's facts to the aggregate as Record added them from
// its record: the event is counted once to its principal however many
// facts it has, narrowed by the time range, accounts and regions, dropped
// as a second copy by Options.Shared, its facts kept only for the
// principals Options.Keep keeps, and its resources widened by
// Options.Generalize. It never keeps e.
func (a *Analyzer) Replay(e *Event) {
	agg := a.agg
	agg.Counts.Records++
	if !a.scoped(e.Account, e.Region, e.Time) {
		agg.Counts.OutOfRange++
		return
	}
	p := e.Principal
	if a.opts.Shared != nil {
		if k := e.SharedKey(); k != "" && !a.opts.Shared.Add(k) {
			agg.Counts.Duplicates++
			return
		}
	}
	info := a.count(p, e.Time)
	if p.Kind == KindService {
		agg.Counts.ServiceCalls++
		return
	}
	agg.Counts.APICalls++
	denied := IsDenial(e.ErrorCode)
	switch {
	case denied:
		info.Denied++
		agg.Counts.Denials++
	case e.ErrorCode != "":
		info.Errors++
	}
	if a.opts.Keep != nil && !a.opts.Keep(p.ARN) {
		return
	}
	ts := unixOf(e.Time)
	if a.opts.Observe != nil {
		a.obs = Observed{Record: e.record(&a.replayed), Principal: p}
	}
	for i := range e.Facts {
		d := &e.Facts[i]
		k := d.Fact
		k.Principal = p.ARN
		if d.Link.ID != "" {
			a.addLinked(k, d.Link, ts, e.Origin)
			continue
		}
		if a.opts.Generalize != (Generalize{}) && k.Resource != Wildcard {
			var note string
			if k.Resource, note = a.opts.Generalize.apply(k.Resource); note != "" {
				agg.Generalized[Generalization{Principal: p.ARN, Action: k.Action, Note: note}]++
			}
		}
		a.addFact(k, ts, e.Origin)
	}
	if !denied {
		return
	}
	// The message goes with each refused action, as facts adds it: the
	// denied facts not of another action's fix (Via).
	for i := range e.Facts {
		k := &e.Facts[i].Fact
		if k.Denied() && k.Via == "" {
			agg.addMessage(groupKey{Principal: p.ARN, Action: k.Action, Denial: k.Denial}, ts, e.ErrorMessage)
		}
	}
}

// record fills r with what an export keeps of the event's record, for
// Options.Observe: an export of an export gives the same rows.
func (e *Event) record(r *trail.Record) *trail.Record {
	*r = trail.Record{
		EventSource:        e.Source,
		EventName:          e.Name,
		EventType:          "AwsApiCall",
		EventID:            e.ID,
		SharedEventID:      e.SharedID,
		AWSRegion:          e.Region,
		SourceIPAddress:    e.SourceIP,
		UserAgent:          e.UserAgent,
		ErrorCode:          e.ErrorCode,
		ErrorMessage:       e.ErrorMessage,
		RecipientAccountID: e.Account,
		VPCEndpointID:      e.Origin.VPCE,
	}
	if !e.Time.IsZero() {
		r.EventTime = e.Time.UTC().Format(time.RFC3339Nano)
	}
	return r
}
