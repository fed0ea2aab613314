package analyze

import (
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/trail"
)

// recorder turns what Observe sees into Events, one per record that had a
// fact, as an export keeps them.
type recorder struct {
	events []Event
	last   *trail.Record
}

func (rc *recorder) observe(o *Observed) {
	r := o.Record
	if rc.last != r || len(rc.events) == 0 || rc.events[len(rc.events)-1].ID != r.EventID {
		e := Event{Principal: o.Principal, Time: r.Time(), Account: r.RecipientAccountID, Region: r.AWSRegion,
			Source: r.EventSource, Name: r.EventName, ID: r.EventID, SharedID: r.SharedEventID,
			ErrorCode: r.ErrorCode, SourceIP: r.SourceIPAddress, UserAgent: r.UserAgent, Origin: o.Origin}
		if IsDenial(r.ErrorCode) {
			e.ErrorMessage = r.ErrorMessage
		}
		rc.events = append(rc.events, e)
		rc.last = r
	}
	e := &rc.events[len(rc.events)-1]
	e.Facts = append(e.Facts, Derived{Fact: o.Fact, Link: o.Link})
}

// demoEvents are the demo trail's facts, by event, and the aggregate that
// derived them.
func demoEvents(t *testing.T, opts Options) ([]Event, *Aggregate) {
	t.Helper()
	rc := &recorder{}
	opts.Observe = rc.observe
	an := New(catalog.Embedded(), opts)
	walkTrails(t, fixtures.Demo(), func(r *trail.Record) {
		// Each record is decoded anew: rc keeps its pointer only to tell
		// records apart, and an id may repeat.
		rc.last = nil
		an.Record(r)
	})
	return rc.events, an.Aggregate()
}

// TestReplay: the demo trail's facts replayed give the aggregate's facts,
// pending facts, principals and denial messages, under each option that
// narrows them, as the records did; and Observe sees the replay as it saw
// the records.
func TestReplay(t *testing.T) {
	events, _ := demoEvents(t, Options{MaxResources: -1})
	const role = "arn:aws:iam::111122223333:role/service/checkout-api"
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"every fact", Options{MaxResources: -1}},
		{"the default cap", Options{}},
		{"one principal kept", Options{Keep: func(p string) bool { return p == role }}},
		{"since and until", Options{Since: day, Until: day.Add(36 * time.Hour)}},
		{"one region", Options{Regions: []string{"eu-west-1"}}},
		{"one account", Options{Accounts: []string{"444455556666"}}},
		{"generalized", Options{Generalize: Generalize{S3Prefix: 1, S3PrefixSet: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, want := demoEvents(t, tc.opts)
			an := New(catalog.Embedded(), tc.opts)
			for i := range events {
				an.Replay(&events[i])
			}
			got := an.Aggregate()
			if !reflect.DeepEqual(got.Facts, want.Facts) {
				t.Errorf("facts: %d replayed, %d recorded", len(got.Facts), len(want.Facts))
				wantLines(t, factLines(sortedFacts(got)), factLines(sortedFacts(want)))
			}
			if !reflect.DeepEqual(got.Pending, want.Pending) {
				t.Errorf("pending facts: %d replayed, %d recorded", len(got.Pending), len(want.Pending))
			}
			if !reflect.DeepEqual(got.messages, want.messages) {
				t.Errorf("denial messages: %v replayed, %v recorded", got.messages, want.messages)
			}
			// The notes --generalize makes come back; those of resources
			// an event named loosely (a secret without its suffix) are
			// made when a record is read, and an export keeps none.
			requested := maps.Clone(want.Generalized)
			maps.DeleteFunc(requested, func(g Generalization, _ int64) bool {
				return !strings.HasPrefix(g.Note, "s3-prefix=") && !strings.HasPrefix(g.Note, "revisions:")
			})
			if !reflect.DeepEqual(got.Generalized, requested) {
				t.Errorf("generalized: %v replayed, %v recorded", got.Generalized, requested)
			}
			// Principals: the events with facts only, each once.
			for arn, p := range got.Principals {
				w := want.Principals[arn]
				if w == nil {
					t.Errorf("principal %s replayed, not recorded", arn)
					continue
				}
				if p.Count > w.Count || p.Denied != w.Denied || p.Errors > w.Errors || p.Principal != w.Principal {
					t.Errorf("%s: replayed %+v, recorded %+v", arn, *p, *w)
				}
			}
			if got.Counts.Denials != want.Counts.Denials || got.Counts.OutOfRange > got.Counts.Records {
				t.Errorf("counts: replayed %+v, recorded %+v", got.Counts, want.Counts)
			}
		})
	}
}

// TestReplayOnce: an event with many facts counts once to its principal,
// a second copy of a cross-account call is dropped by Options.Shared, and
// Observe sees the replayed facts with a record that says as much as an
// export keeps.
func TestReplayOnce(t *testing.T) {
	p := Principal{ARN: "arn:aws:iam::111122223333:role/r", Kind: KindRole, Account: "111122223333"}
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ev := Event{Principal: p, Time: at, Account: "111122223333", Region: "us-east-1", Source: "s3.amazonaws.com",
		Name: "CopyObject", ID: "e1", SharedID: "s1", ErrorCode: "AccessDenied", ErrorMessage: "no",
		Origin: Origin{IP: "10.0.0.1", TLS: true}}
	deny := DenialKey{Reason: ReasonIdentityPolicy, Code: "AccessDenied"}
	ev.Facts = []Derived{
		{Fact: FactKey{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", Region: "us-east-1", Denial: deny}},
		{Fact: FactKey{Action: "s3:GetObject", Resource: "arn:aws:s3:::a/k", Region: "us-east-1", Via: "s3:PutObject", Denial: deny}},
	}
	var seen []Observed
	an := New(catalog.Embedded(), Options{Shared: NewEventSet(), Observe: func(o *Observed) { seen = append(seen, *o) }})
	an.Replay(&ev)
	second := ev
	second.ID = "e2"
	an.Replay(&second)
	agg := an.Aggregate()
	info := agg.Principals[p.ARN]
	switch {
	case info == nil || info.Count != 1 || info.Denied != 1 || info.First != at.Unix():
		t.Errorf("principal %+v, want one denied event at %d", info, at.Unix())
	case agg.Counts.Duplicates != 1 || agg.Counts.APICalls != 1 || agg.Counts.Records != 2:
		t.Errorf("counts %+v, want one call and one duplicate of two", agg.Counts)
	case len(agg.Facts) != 2:
		t.Errorf("%d facts, want 2", len(agg.Facts))
	}
	if m, ok := agg.MessageOf(p.ARN, "s3:PutObject", deny); !ok || m.Text != "no" {
		t.Errorf("message of the refused action: %+v %v", m, ok)
	}
	if _, ok := agg.MessageOf(p.ARN, "s3:GetObject", deny); ok {
		t.Error("a message for the fix's other action (Via)")
	}
	if len(seen) != 2 || seen[0].Record.EventID != "e1" || seen[0].Origin != ev.Origin ||
		!strings.HasPrefix(seen[0].Record.EventTime, "2026-11-01T10:00:00") || seen[0].Record.Time() != at {
		t.Errorf("observed %+v", seen)
	}
}

func sortedFacts(a *Aggregate) []Fact {
	var out []Fact
	for k, s := range a.Facts {
		out = append(out, Fact{k, *s})
	}
	sortFacts(out)
	return out
}
