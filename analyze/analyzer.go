package analyze

import (
	"strings"
	"time"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// Options narrow what an Analyzer counts.
type Options struct {
	Since time.Time // inclusive; zero means no limit
	Until time.Time // exclusive; zero means no limit
	// Accounts and Regions keep only records of these trail accounts
	// (recipientAccountId) and regions (awsRegion); empty means all.
	Accounts []string
	Regions  []string
	// MaxResources caps distinct resources per principal and action before
	// they fold into parent/*; 0 means DefaultMaxResources, <0 no cap.
	MaxResources int
	// Generalize widens ARNs on request (--generalize).
	Generalize Generalize
	// Keep, when set, says which principals' facts to keep: a command about
	// one principal keeps only the candidates for it. Every principal is
	// still counted, and every record still teaches the links and instance
	// profiles that the kept principals' facts may need.
	Keep func(principal string) bool
	// Shared, when set, drops the second copy of a cross-account event
	// (the same sharedEventID) that another trail, or another worker of
	// the run, has already counted.
	Shared *EventSet
	// Observe, when set, sees each fact as it is derived from one record
	// (see Observed); nil costs the hot path one check.
	Observe func(*Observed)
}

// Analyzer consumes records into an Aggregate. It is not safe for
// concurrent use: give each worker its own and merge their aggregates.
type Analyzer struct {
	cat  *catalog.Catalog
	opts Options
	der  *deriver
	agg  *Aggregate
	ev   *eventFacts // the record's, reused
	obs  Observed    // the record's, for Options.Observe
	// replayed is the record an Event stands for, for Options.Observe.
	replayed trail.Record
}

// New returns an Analyzer over the catalog.
func New(cat *catalog.Catalog, opts Options) *Analyzer {
	agg := NewAggregate()
	agg.MaxResources = capOf(opts.MaxResources)
	return &Analyzer{cat: cat, opts: opts, der: newDeriver(cat), agg: agg, ev: &eventFacts{}}
}

// Scratch returns an analyzer with the same catalog and options and an
// empty aggregate, sharing a's caches: like a, it is for one goroutine.
// A partial aggregate analyzes each cross-account call in one of its own.
func (a *Analyzer) Scratch() *Analyzer {
	agg := NewAggregate()
	agg.MaxResources = a.agg.MaxResources
	return &Analyzer{cat: a.cat, opts: a.opts, der: a.der, agg: agg, ev: a.ev}
}

// Aggregate returns what the analyzer has gathered so far.
func (a *Analyzer) Aggregate() *Aggregate { return a.agg }

// Record analyzes one record. It never keeps r. The stages are in
// doc.go's order, each in a file of its own.
func (a *Analyzer) Record(r *trail.Record) {
	a.agg.Counts.Records++
	t := r.Time()
	if !a.inScope(r, t) {
		a.agg.Counts.OutOfRange++
		return
	}
	p, info, ok := a.principal(r, t)
	if !ok || !a.apiCall(r, p) {
		return
	}
	if a.opts.Keep != nil && !a.opts.Keep(p.ARN) {
		a.learnOnly(r, p, info)
		return
	}
	var c call
	if !a.actions(&c, r, p, info) {
		return
	}
	c.ts = unixOf(t)
	if a.opts.Observe != nil {
		a.obs = Observed{Record: r, Principal: p}
	}
	a.facts(r, p, &c)
}

// needFacts records the facts of needs: each action on each resource the
// event reveals for it. via, when set, marks facts that belong to the fix
// of that denied action; passed, when given, stands for a denied PassRole.
func (a *Analyzer) needFacts(principal string, needs []Need, ev *eventFacts, dk DenialKey, via string, ts int64, passed ...passedRole) {
	agg := a.agg
	for _, n := range needs {
		if len(passed) > 0 && n.Action.Full() == PassRoleAction {
			continue // a denied PassRole: the inferred facts carry its role and service
		}
		res := a.der.resources(n, ev)
		for _, g := range res.generalized {
			agg.Generalized[Generalization{Principal: principal, Action: n.Action.Full(), Note: g}]++
		}
		if len(res.arns) == 1 && res.arns[0] == Wildcard {
			if kind, ids := linkedIDs(rules.For(n.Action.Service).Link, n.Action.Full(), ev); len(ids) > 0 {
				for _, id := range ids {
					link := LinkKey{Kind: kind, Account: ev.account, Region: ev.region, ID: id}
					a.addLinked(FactKey{Principal: principal, Action: n.Action.Full(), Region: ev.region, Via: via, Provider: ev.provider, Denial: dk}, link, ts, ev.origin)
				}
				continue
			}
		}
		for _, arn := range res.arns {
			if a.opts.Generalize != (Generalize{}) {
				var note string
				if arn, note = a.opts.Generalize.apply(arn); note != "" {
					agg.Generalized[Generalization{Principal: principal, Action: n.Action.Full(), Note: note}]++
				}
			}
			a.addFact(FactKey{Principal: principal, Action: n.Action.Full(), Resource: arn, Region: ev.region, Via: via, Provider: ev.provider, Denial: dk}, ts, ev.origin)
		}
	}
}

// learnOnly takes from a principal whose facts are not kept what other
// principals' facts may need (instance profiles' roles, linked ids), and
// its counts.
func (a *Analyzer) learnOnly(r *trail.Record, p Principal, info *PrincipalInfo) {
	switch {
	case IsDenial(r.ErrorCode):
		info.Denied++
		a.agg.Counts.Denials++
		return
	case r.ErrorCode != "":
		info.Errors++
		return
	}
	svc := rules.For(servicePrefix(r.EventSource))
	profiles, ok := svc.Profiles[r.EventName]
	if svc.Link == nil && !ok {
		return
	}
	req := parseParams(r.RequestParameters)
	ev := a.eventFacts(r, p, req, Denial{})
	if ok {
		learnProfiles(a.agg, profiles, req, ev)
	}
	learnLinks(a.agg, svc.Link, r.EventName, ev)
}

func needsAction(needs []Need, action string) bool {
	for _, n := range needs {
		if n.Action.Full() == action {
			return true
		}
	}
	return false
}

func (a *Analyzer) addFact(k FactKey, ts int64, o Origin) {
	if a.opts.Observe != nil {
		a.observe(k, LinkKey{}, o)
	}
	if s := a.agg.Facts[k]; s != nil {
		s.add(ts, 1) // the hot path: a fact seen before
		s.addOrigin(o, ts, ts)
		return
	}
	s := &Stat{Count: 1, First: ts, Last: ts}
	s.addOrigin(o, ts, ts)
	a.agg.addStat(k, s)
}

// eventFacts reads what resource derivation needs of a record into the
// analyzer's one eventFacts, reused from record to record as the record
// itself is.
func (a *Analyzer) eventFacts(r *trail.Record, p Principal, req params, d Denial) *eventFacts {
	ev := a.ev
	*ev = eventFacts{
		partition: arn.InRegion(arn.PartitionOf(p.ARN), r.AWSRegion),
		region:    r.AWSRegion,
		account:   firstNonEmpty(r.UserIdentity.AccountID, p.Account, r.RecipientAccountID),
		req:       req,
		origin:    originOf(r),
		direct:    ev.direct[:0],
	}
	if p.Kind == KindWebIdentity || p.Kind == KindSAML {
		ev.provider = federatedID(r)
	}
	for _, res := range r.Resources {
		if strings.HasPrefix(res.ARN, "arn:") {
			ev.direct = append(ev.direct, res.ARN)
		}
	}
	if strings.HasPrefix(d.Resource, "arn:") {
		ev.direct = append(ev.direct, d.Resource)
		ev.deniedAction, ev.deniedARN = d.Action, d.Resource
	}
	ev.direct = req.arnValues(ev.direct)
	if wrapper := rules.For(servicePrefix(r.EventSource)).Wrapper; wrapper != nil && req != nil {
		if w := wrapper(r.EventName); lookupOK(req, w) {
			ev.wrapper = w
		}
	}
	ev.respRaw = r.ResponseElements
	if p.Kind == KindUser {
		ev.callerUser = p.ARN
	}
	// A denial no Allow can fix is only reported: keep the resource its
	// message names rather than every resource the call would need.
	ev.namedOnly = r.ErrorCode != "" && IsDenial(r.ErrorCode) && !d.Grantable()
	return ev
}

func capOf(n int) int {
	switch {
	case n == 0:
		return DefaultMaxResources
	case n < 0:
		return 0
	}
	return n
}

func lookupOK(m map[string]any, key string) bool {
	_, ok := lookup(m, key)
	return ok
}
