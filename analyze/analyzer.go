// Package analyze turns CloudTrail records into facts: which principal
// needed which IAM action on which resource, allowed or denied and why. It
// does no I/O. Facts aggregate into a mergeable Aggregate, so the input can
// be split across workers or machines and merged.
package analyze

import (
	"strings"
	"time"

	"github.com/tailor-iam/tailor/catalog"
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
}

// Analyzer consumes records into an Aggregate. It is not safe for
// concurrent use: give each worker its own and merge their aggregates.
type Analyzer struct {
	cat  *catalog.Catalog
	opts Options
	der  *deriver
	agg  *Aggregate
}

// New returns an Analyzer over the catalog.
func New(cat *catalog.Catalog, opts Options) *Analyzer {
	agg := NewAggregate()
	agg.MaxResources = capOf(opts.MaxResources)
	return &Analyzer{cat: cat, opts: opts, der: newDeriver(cat), agg: agg}
}

// Aggregate returns what the analyzer has gathered so far.
func (a *Analyzer) Aggregate() *Aggregate { return a.agg }

// Record analyzes one record. It never keeps r.
func (a *Analyzer) Record(r *trail.Record) {
	agg := a.agg
	agg.Counts.Records++
	t := r.Time()
	if (!a.opts.Since.IsZero() || !a.opts.Until.IsZero()) && !inRange(t, a.opts) {
		agg.Counts.OutOfRange++
		return
	}
	if !listed(a.opts.Accounts, r.RecipientAccountID) || !listed(a.opts.Regions, r.AWSRegion) {
		agg.Counts.OutOfRange++
		return
	}
	p, ok := PrincipalOf(r)
	if !ok {
		agg.Counts.NoIdentity++
		return
	}
	// The second copy of a cross-account call, seen by the same principal:
	// the other account's copy often sees only the caller's account (an
	// AWSAccount identity), a principal of its own, and is kept.
	if r.SharedEventID != "" && a.opts.Shared != nil && p.Kind != KindService && (r.EventType == "" || r.EventType == "AwsApiCall") &&
		!a.opts.Shared.Add(r.SharedEventID+" "+p.ARN+" "+r.EventSource+" "+r.EventName) {
		agg.Counts.Duplicates++
		return
	}
	ts := int64(0)
	if !t.IsZero() {
		ts = t.Unix()
	}
	info := agg.Principals[p.ARN]
	if info == nil {
		info = &PrincipalInfo{Principal: p}
		agg.Principals[p.ARN] = info
	} else if p.ID != "" && (info.ID == "" || p.ID < info.ID) {
		info.ID = p.ID // the least, whatever the order records came in
	}
	info.Stat.add(ts, 1)
	if r.EventType != "" && r.EventType != "AwsApiCall" {
		agg.Counts.NonAPI++
		return
	}
	if p.Kind == KindService {
		agg.Counts.ServiceCalls++
		return
	}
	if r.EventSource == "" || r.EventName == "" {
		agg.Counts.NonAPI++
		return
	}
	agg.Counts.APICalls++
	if a.opts.Keep != nil && !a.opts.Keep(p.ARN) {
		a.learnOnly(r, p, info)
		return
	}
	req := parseParams(r.RequestParameters)
	needs, status, name := mapActions(a.cat, r, req)
	denied := IsDenial(r.ErrorCode)
	var denial Denial
	var granted []Need             // allowed actions of a call denied for another one
	var refused, companions []Need // a denied action of the call, and the call's others
	if denied {
		info.Denied++
		agg.Counts.Denials++
		denial = ParseDenial(r.ErrorMessage)
		// The message names the action that was actually refused, which
		// may be another one (an S3 read refused for kms:Decrypt, a task
		// definition refused for iam:PassRole). The event's own actions
		// were then allowed: IAM got past them to the refused one.
		// When it names one of the event's own actions, the others were
		// refused with it or never reached: they join its fix (Via).
		// A message naming "*" as the resource says what IAM evaluated.
		if denial.Action != "" {
			if act, ok := a.cat.Action(denial.Action); ok {
				named := Need{Action: act}
				if denial.Resource == Wildcard {
					named.Template = Wildcard
				}
				switch {
				case status == mapped && needsAction(needs, act.Full()):
					for _, n := range needs {
						if n.Action == act {
							n.mapped = false // as if the message had named it alone
							if named.Template != "" {
								n.Template = named.Template
							}
							refused = append(refused, n)
						} else {
							companions = append(companions, n)
						}
					}
					needs = refused
				case status == mapped:
					granted = needs
					needs = []Need{named}
				default:
					needs, status = []Need{named}, mapped
				}
			}
		}
	} else if r.ErrorCode != "" {
		info.Errors++
	}
	switch status {
	case permissionlessCall:
		agg.Counts.Permissionless++
		return
	case unmapped:
		agg.Counts.Unmapped++
		event := r.EventSource + " " + r.EventName + " (" + name + ")"
		agg.Unmapped[event]++
		uk := UnmappedKey{Principal: p.ARN, Event: event}
		if denied {
			uk.Denial, uk.Action = denial.Reason, denial.Action
		}
		agg.UnmappedBy[uk]++
		return
	}
	ev := a.eventFacts(r, p, req, denial)
	var dk DenialKey
	if denied {
		dk = DenialKey{Reason: denial.Reason, Explicit: denial.Explicit, Code: r.ErrorCode, PolicyARN: denial.PolicyARN, ThroughSCP: denial.ThroughSCP}
	}
	// Only services that pass roles need the event's action name built.
	var passed []passedRole
	ea := ""
	if passingServices[servicePrefix(r.EventSource)] {
		ea = eventAction(r)
		passed = passedRoles(ea, req, ev)
	}
	via := ""
	if denied && len(needs) > 0 && needs[0].Action.Full() != PassRoleAction {
		via = needs[0].Action.Full()
	}
	for _, pr := range passed {
		a.addFact(FactKey{Principal: p.ARN, Action: PassRoleAction, Resource: pr.arn, Region: ev.region, PassedTo: pr.service, Profile: pr.profile, Via: via, Denial: dk}, ts, ev.origin)
	}
	if !denied && r.ErrorCode == "" && r.EventSource == "iam.amazonaws.com" {
		learnProfiles(agg, r.EventName, req, ev)
	}
	if !denied && r.ErrorCode == "" {
		learnLinks(agg, r.EventSource, r.EventName, ev)
	}
	if denied {
		for _, n := range needs {
			agg.addMessage(groupKey{Principal: p.ARN, Action: n.Action.Full(), Denial: dk}, ts, r.ErrorMessage)
		}
	}
	if note := unseenRoles[ea]; note != "" && len(passed) == 0 {
		if link, ok := taskDefinitionLink(req.first("taskDefinition"), ev); ok {
			// The RegisterTaskDefinition of that revision names its roles.
			agg.addLinked(FactKey{Principal: p.ARN, Action: PassRoleAction, Region: ev.region, PassedTo: "ecs-tasks.amazonaws.com", Via: via, Denial: dk}, link, ts, ev.origin)
		} else {
			agg.Warnings[Generalization{Principal: p.ARN, Action: PassRoleAction, Note: ea + " " + note}]++
		}
	}
	a.needFacts(p.ARN, granted, ev, DenialKey{}, "", ts)
	a.needFacts(p.ARN, needs, ev, dk, "", ts, passed...)
	if len(companions) > 0 {
		a.needFacts(p.ARN, companions, ev, dk, refused[0].Action.Full(), ts)
	}
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
			if kind, ids := linkedIDs(ev.source, n.Action.Full(), ev); len(ids) > 0 {
				for _, id := range ids {
					link := LinkKey{Kind: kind, Account: ev.account, Region: ev.region, ID: id}
					agg.addLinked(FactKey{Principal: principal, Action: n.Action.Full(), Region: ev.region, Via: via, Provider: ev.provider, Denial: dk}, link, ts, ev.origin)
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
	_, links := linkRules[r.EventSource]
	if !links && r.EventSource != "iam.amazonaws.com" {
		return
	}
	req := parseParams(r.RequestParameters)
	ev := a.eventFacts(r, p, req, Denial{})
	if r.EventSource == "iam.amazonaws.com" {
		learnProfiles(a.agg, r.EventName, req, ev)
	}
	learnLinks(a.agg, r.EventSource, r.EventName, ev)
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
	if s := a.agg.Facts[k]; s != nil {
		s.add(ts, 1) // the hot path: a fact seen before
		s.addOrigin(o, ts, ts)
		return
	}
	s := &Stat{Count: 1, First: ts, Last: ts}
	s.addOrigin(o, ts, ts)
	a.agg.addStat(k, s)
}

func (a *Analyzer) eventFacts(r *trail.Record, p Principal, req params, d Denial) *eventFacts {
	ev := &eventFacts{
		source:    r.EventSource,
		partition: partitionOf(p.ARN),
		region:    r.AWSRegion,
		account:   firstNonEmpty(r.UserIdentity.AccountID, p.Account, r.RecipientAccountID),
		req:       req,
		origin:    originOf(r),
	}
	if p.Kind == KindWebIdentity || p.Kind == KindSAML {
		ev.provider = federatedID(r)
	}
	if ev.partition == "aws" && strings.HasPrefix(r.AWSRegion, "us-gov-") {
		ev.partition = "aws-us-gov"
	} else if ev.partition == "aws" && strings.HasPrefix(r.AWSRegion, "cn-") {
		ev.partition = "aws-cn"
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
	if r.EventSource == "ec2.amazonaws.com" {
		if w := ec2Wrapper(r.EventName); req != nil && lookupOK(req, w) {
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
