package analyze

import (
	"fmt"
	"sort"
	"strings"
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

// linkRule says which calls return ids of a kind, and which use them.
type linkRule struct {
	kind string
	// produce returns the ids an event returned and the resource each
	// belongs to; an id with several resources is "id\x00resource".
	produce func(event string, ev *eventFacts) map[string]string
	// consumers are the actions that name the id, and the request fields
	// that hold it.
	consumers map[string][]string
}

const (
	athenaQuery    = "athena query execution"
	taskDefinition = "ECS task definition"
)

var linkRules = map[string]linkRule{
	"athena.amazonaws.com": {
		kind:    athenaQuery,
		produce: athenaQueries,
		consumers: map[string][]string{
			"athena:GetQueryExecution":         {"queryExecutionId"},
			"athena:GetQueryResults":           {"queryExecutionId"},
			"athena:GetQueryResultsStream":     {"queryExecutionId"},
			"athena:GetQueryRuntimeStatistics": {"queryExecutionId"},
			"athena:StopQueryExecution":        {"queryExecutionId"},
			"athena:BatchGetQueryExecution":    {"queryExecutionIds"},
		},
	},
	// ECS passes a task definition's task and execution roles when it
	// starts tasks of it; the RegisterTaskDefinition that made the revision
	// names them (the consumers are in Record, through unseenRoles).
	"ecs.amazonaws.com": {kind: taskDefinition, produce: taskDefinitionRoles},
}

// taskDefinitionRoles reads the roles a RegisterTaskDefinition gave the
// revision it registered.
func taskDefinitionRoles(event string, ev *eventFacts) map[string]string {
	if event != "RegisterTaskDefinition" {
		return nil
	}
	resp := ev.response()
	id := taskDefinitionID(resp.first("taskDefinition.taskDefinitionArn"))
	if id == "" {
		return nil
	}
	out := map[string]string{}
	for _, path := range []string{"taskRoleArn", "executionRoleArn"} {
		for _, v := range []string{ev.req.first(path), resp.first("taskDefinition." + path)} {
			if strings.HasPrefix(v, "arn:") && strings.Contains(v, ":role/") {
				out[id+"\x00"+v] = v
			}
		}
	}
	return out
}

// taskDefinitionID is "family:revision" from a task definition ARN or
// reference; "" for a bare family, which names whatever revision is the
// latest when the call is made.
func taskDefinitionID(ref string) string {
	if i := strings.Index(ref, ":task-definition/"); i >= 0 {
		ref = ref[i+len(":task-definition/"):]
	}
	family, rev, ok := strings.Cut(ref, ":")
	if !ok || family == "" || rev == "" || strings.Trim(rev, "0123456789") != "" {
		return ""
	}
	return ref
}

// taskDefinitionLink is the link of a call that starts tasks of a task
// definition revision.
func taskDefinitionLink(ref string, ev *eventFacts) (LinkKey, bool) {
	id := taskDefinitionID(ref)
	if id == "" || ev.account == "" || ev.region == "" {
		return LinkKey{}, false
	}
	return LinkKey{Kind: taskDefinition, Account: ev.account, Region: ev.region, ID: id}, true
}

// athenaQueries reads the query ids a call returned with their workgroup:
// StartQueryExecution runs in the request's workgroup (primary when it
// names none); a GetQueryExecution or BatchGetQueryExecution response
// names each query's own.
func athenaQueries(event string, ev *eventFacts) map[string]string {
	wg := func(name string) string {
		return "arn:" + ev.partition + ":athena:" + ev.region + ":" + ev.account + ":workgroup/" + name
	}
	out := map[string]string{}
	switch event {
	case "StartQueryExecution":
		resp := ev.response()
		id := resp.first("queryExecutionId")
		if id == "" {
			return nil
		}
		name := ev.req.first("workGroup")
		if name == "" {
			name = "primary"
		}
		out[id] = wg(name)
	case "GetQueryExecution", "BatchGetQueryExecution":
		resp := ev.response()
		if resp == nil {
			return nil
		}
		var list []any
		if v, ok := lookup(resp, "queryExecution"); ok {
			list = append(list, v)
		}
		if v, ok := lookup(resp, "queryExecutions"); ok {
			if l, ok := v.([]any); ok {
				list = append(list, l...)
			}
		}
		for _, q := range list {
			m, ok := q.(map[string]any)
			if !ok {
				continue
			}
			qp := params(m)
			if id, name := qp.first("queryExecutionId"), qp.first("workGroup"); id != "" && name != "" {
				out[id] = wg(name)
			}
		}
	}
	return out
}

// learnLinks records the ids a successful call returned.
func learnLinks(agg *Aggregate, source, event string, ev *eventFacts) {
	rule, ok := linkRules[source]
	if !ok || ev.account == "" || ev.region == "" {
		return
	}
	for id, target := range rule.produce(event, ev) {
		id, _, _ = strings.Cut(id, "\x00") // an id with several targets
		agg.addLink(LinkKey{Kind: rule.kind, Account: ev.account, Region: ev.region, ID: id}, target)
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
func linkedIDs(source, action string, ev *eventFacts) (string, []string) {
	rule, ok := linkRules[source]
	if !ok {
		return "", nil
	}
	var ids []string
	for _, path := range rule.consumers[action] {
		ids = append(ids, ev.req.strings(path)...)
	}
	return rule.kind, ids
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
