package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// facts records what a call needed: each action on each resource the event
// reveals, the roles it passed, and what it teaches about links and
// instance profiles.
func (a *Analyzer) facts(r *trail.Record, p Principal, c *call) {
	agg := a.agg
	ev := a.eventFacts(r, p, c.req, c.denial)
	svc := rules.For(servicePrefix(r.EventSource))
	// Only services that pass roles need the event's action name built.
	var passed []passedRole
	ea, name := "", ""
	if len(svc.PassRoles) > 0 || len(svc.Unseen) > 0 {
		ea = eventAction(r)
		_, name, _ = strings.Cut(ea, ":")
		passed = passedRoles(svc.PassRoles[name], c.req, ev)
	}
	via := ""
	if c.denied && len(c.needs) > 0 && c.needs[0].Action.Full() != PassRoleAction {
		via = c.needs[0].Action.Full()
	}
	for _, pr := range passed {
		a.addFact(FactKey{Principal: p.ARN, Action: PassRoleAction, Resource: pr.arn, Region: ev.region, PassedTo: pr.service, Profile: pr.profile, Via: via, Denial: c.dk}, c.ts, ev.origin)
	}
	if !c.denied && r.ErrorCode == "" {
		if rule, ok := svc.Profiles[r.EventName]; ok {
			learnProfiles(agg, rule, c.req, ev)
		}
		learnLinks(agg, svc.Link, r.EventName, ev)
	}
	if c.denied {
		for _, n := range c.needs {
			agg.addMessage(groupKey{Principal: p.ARN, Action: n.Action.Full(), Denial: c.dk}, c.ts, r.ErrorMessage)
		}
	}
	if u, ok := svc.Unseen[name]; ok && name != "" && len(passed) == 0 {
		if link, ok := unseenLink(svc.Link, c.req.first(u.Field), ev); ok {
			// The call that made that resource names its roles.
			a.addLinked(FactKey{Principal: p.ARN, Action: PassRoleAction, Region: ev.region, PassedTo: u.PassedTo, Via: via, Denial: c.dk}, link, c.ts, ev.origin)
		} else {
			agg.Warnings[Generalization{Principal: p.ARN, Action: PassRoleAction, Note: ea + " " + u.Note}]++
		}
	}
	a.needFacts(p.ARN, c.granted, ev, DenialKey{}, "", c.ts)
	a.needFacts(p.ARN, c.needs, ev, c.dk, "", c.ts, passed...)
	if len(c.companions) > 0 {
		a.needFacts(p.ARN, c.companions, ev, c.dk, c.refused[0].Action.Full(), c.ts)
	}
}
