package analyze

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/rules"
)

// Some calls name only an id that an earlier call returned: Athena's
// GetQueryExecution and GetQueryResults carry a query execution id, and IAM
// authorizes them on the workgroup the query ran in, which only the
// StartQueryExecution that returned the id names. The aggregate keeps those
// links (id → resource), mergeable like the instance-profile map, and the
// calls that need one wait in Pending until ResolveLinks, after the last
// merge, scopes them to the resource they really touch.

// LinkKey names an id one call returned, in the account and region it was
// returned in.
type LinkKey struct {
	Kind    string // what the id is, such as "athena query execution"
	Account string
	Region  string
	ID      string
}

// PendingKey is a fact whose resource is the target of a link not yet
// resolved: Fact.Resource is "*" until ResolveLinks.
type PendingKey struct {
	FactKey
	Link LinkKey
}

// unseenLink is the link of a call that passes the roles of the resource
// ref names (the task definition revision it starts tasks of).
func unseenLink(rule *rules.Link, ref string, ev *eventFacts) (LinkKey, bool) {
	if rule == nil || rule.ID == nil {
		return LinkKey{}, false
	}
	id := rule.ID(ref)
	if id == "" || ev.account == "" || ev.region == "" {
		return LinkKey{}, false
	}
	return LinkKey{Kind: rule.Kind, Account: ev.account, Region: ev.region, ID: id}, true
}

// call is what a link rule reads of the event.
func (ev *eventFacts) call() rules.Call {
	return rules.Call{Partition: ev.partition, Region: ev.region, Account: ev.account, Request: ev.req, Response: lazyResponse{ev}}
}

// lazyResponse reads the event's response, parsing it on first use.
type lazyResponse struct{ ev *eventFacts }

func (r lazyResponse) Strings(path string) []string        { return r.ev.response().strings(path) }
func (r lazyResponse) First(path string) string            { return r.ev.response().first(path) }
func (r lazyResponse) Has(path string) bool                { return r.ev.response().has(path) }
func (r lazyResponse) Objects(path string) []rules.Request { return r.ev.response().Objects(path) }

// learnLinks records the ids a successful call returned.
func learnLinks(agg *Aggregate, rule *rules.Link, event string, ev *eventFacts) {
	if rule == nil || rule.Produce == nil || ev.account == "" || ev.region == "" {
		return
	}
	for id, target := range rule.Produce(event, ev.call()) {
		id, _, _ = strings.Cut(id, "\x00") // an id with several targets
		agg.addLink(LinkKey{Kind: rule.Kind, Account: ev.account, Region: ev.region, ID: id}, target)
	}
}

func (a *Aggregate) addLink(k LinkKey, target string) {
	m := a.Links[k]
	if m == nil {
		m = map[string]bool{}
		a.Links[k] = m
	}
	m[target] = true
}

// linkedIDs returns the ids an action of the event names through a link,
// and the link's kind; nil when the action uses none.
func linkedIDs(rule *rules.Link, action string, ev *eventFacts) (string, []string) {
	if rule == nil {
		return "", nil
	}
	var ids []string
	for _, path := range rule.Consumers[action] {
		ids = append(ids, ev.req.strings(path)...)
	}
	return rule.Kind, ids
}

// addLinked records a fact on the resources an id links to, pending until
// ResolveLinks: a later record may still link the id to another resource
// (a GetQueryExecution response naming the query's workgroup), so the
// result is the same whatever the order records came in.
func (a *Aggregate) addLinked(k FactKey, link LinkKey, ts int64, o Origin) {
	k.Resource = Wildcard
	pk := PendingKey{FactKey: k, Link: link}
	s := a.Pending[pk]
	if s == nil {
		s = &Stat{}
		a.Pending[pk] = s
	}
	s.add(ts, 1)
	s.addOrigin(o, ts, ts)
}

// ResolveLinks scopes every pending fact to the resources its id links to,
// once the whole input is merged. An id no call in the trail returned
// stays on "*", with a warning that names it. Call it after the last Merge.
func (a *Aggregate) ResolveLinks() {
	type miss struct{ principal, action, kind string }
	missing := map[miss]map[string]bool{}
	keys := make([]PendingKey, 0, len(a.Pending))
	for k := range a.Pending {
		keys = append(keys, k)
	}
	// addStat folds by group size; a fixed order keeps that independent
	// of map order (the fold itself is order-independent, this is for
	// the cost only).
	sort.Slice(keys, func(i, j int) bool { return keys[i].Link.ID < keys[j].Link.ID })
	for _, pk := range keys {
		s := a.Pending[pk]
		targets := a.Links[pk.Link]
		k := pk.FactKey
		if len(targets) == 0 {
			m := miss{k.Principal, k.Action, pk.Link.Kind}
			if missing[m] == nil {
				missing[m] = map[string]bool{}
			}
			missing[m][pk.Link.ID] = true
			if k.Action != PassRoleAction { // never iam:PassRole on "*"
				a.addStat(k, s)
			}
			continue
		}
		for t := range targets {
			k.Resource = t
			cp := *s
			cp.Origins = append([]Seen(nil), s.Origins...)
			a.addStat(k, &cp)
		}
	}
	clear(a.Pending)
	for m, ids := range missing {
		list := make([]string, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		sort.Strings(list)
		shown := list
		if len(shown) > 3 {
			shown = shown[:3]
		}
		more := ""
		if len(list) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(list)-len(shown))
		}
		note := fmt.Sprintf(`%s: %d %s ids that no call in the trail returned (%s%s), so their resource is unknown; granted on "*"`,
			m.action, len(list), m.kind, strings.Join(shown, ", "), more)
		if m.action == PassRoleAction {
			note = fmt.Sprintf("%s: tasks were started from %d %s revisions the trail does not register (%s%s), so the task and execution roles they pass are unknown; not granted",
				m.action, len(list), m.kind, strings.Join(shown, ", "), more)
		}
		a.Warnings[Generalization{Principal: m.principal, Action: m.action, Note: note}]++
	}
}

// AddLink records that the id k belongs to target, as a call that returned
// it shows: what a source that carries no such calls (an export) restores.
func (a *Aggregate) AddLink(k LinkKey, target string) { a.addLink(k, target) }
