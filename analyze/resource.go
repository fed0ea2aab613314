package analyze

import (
	"slices"
	"sort"
	"strings"
	"sync"

	json "github.com/goccy/go-json"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// Wildcard is the resource of an action that takes no resource type, or
// whose ARN the event does not reveal.
const Wildcard = "*"

// eventFacts is what resource derivation reads from one event.
type eventFacts struct {
	partition, region, account string
	// callerUser is the caller's ARN when it is an IAM user: IAM's own
	// calls act on the caller when they name no user.
	callerUser string
	req        params
	respRaw    json.RawMessage // parsed on first use
	// direct holds ARNs the event names outright: resources[], ARN-valued
	// top-level request fields (and queue URLs), and the resource of a
	// denial message.
	direct []string
	// namedOnly is set (by the analyzer) on a denied event whose denial no
	// identity-policy change can fix (an SCP, a boundary): its facts are
	// the resource the message names. A denial the suggested policy adds
	// keeps every resource the call needs, as a used call does.
	namedOnly  bool
	resp       params
	respARNs   []string // used only when nothing else scopes an action
	respParsed bool
	origin     Origin
	provider   string // a federated caller's identity provider (FactKey.Provider)
	// deniedAction and deniedARN are what a denial message names.
	deniedAction, deniedARN string
	// wrapper is the object EC2's newer APIs log their parameters in
	// ({"ModifyInstanceMetadataOptionsRequest": {...}}), when present.
	wrapper string
}

// response parses responseElements once, on first use: most events never
// need it, and it is often the largest part of a record.
func (ev *eventFacts) response() params {
	if !ev.respParsed {
		ev.respParsed = true
		ev.resp = parseParams(ev.respRaw)
		ev.respARNs = ev.resp.allARNs(nil)
	}
	return ev.resp
}

func (ev *eventFacts) responseARNs() []string {
	ev.response()
	return ev.respARNs
}

// resourceResult is the resources of one need and the generalizations made.
type resourceResult struct {
	arns        []string // sorted, unique; [Wildcard] when unknown
	unknown     bool     // the action takes resources but none could be derived
	generalized []string
}

// deriver turns needs into ARNs. It caches compiled templates; each worker
// has its own, so it needs no lock.
type deriver struct {
	cat       *catalog.Catalog
	templates map[string]*template
	byAction  map[*catalog.Action]actionTemplates
	byPath    map[string]actionTemplates // by Need.Template
	// col is the collector resources reuses, its ARN set cleared each
	// time: one need at a time, and nothing keeps it past the call.
	col collector
	// vals holds fill's values by variable number, reused likewise.
	vals [][]string
}

// actionTemplates are an action's resource types with their compiled
// templates, looked up once per action rather than once per event. A type
// with several ARN forms (a Lex bot by id or by name) appears once per form.
type actionTemplates struct {
	types []*catalog.ResourceType
	tpls  []*template
}

func newDeriver(cat *catalog.Catalog) *deriver {
	return &deriver{cat: cat, templates: map[string]*template{}, byAction: map[*catalog.Action]actionTemplates{}, byPath: map[string]actionTemplates{}}
}

func (d *deriver) templatesOf(n Need) actionTemplates {
	if n.Template != "" {
		at, ok := d.byPath[n.Template]
		if !ok {
			at.types = []*catalog.ResourceType{{Name: "path", ARN: n.Template}}
			at.tpls = []*template{d.template(n.Template)}
			d.byPath[n.Template] = at
		}
		return at
	}
	a := n.Action
	at, ok := d.byAction[a]
	if !ok {
		for _, rt := range d.cat.ResourceTypes(a) {
			forms := rt.ARNs
			if len(forms) <= 1 {
				forms = arnTemplateForms(rt.ARN)
			}
			for _, form := range forms {
				at.types = append(at.types, rt)
				at.tpls = append(at.tpls, d.template(form))
			}
		}
		d.byAction[a] = at
	}
	return at
}

// arnTemplateForms splits a catalog ARN field that lists several forms,
// "arn:…/${BotId}, arn:…:${BotName}", into its templates.
func arnTemplateForms(raw string) []string {
	if !strings.Contains(raw, ", arn:") {
		return []string{raw}
	}
	parts := strings.Split(raw, ", arn:")
	for i := 1; i < len(parts); i++ {
		parts[i] = "arn:" + parts[i]
	}
	return parts
}

func (d *deriver) template(raw string) *template {
	t, ok := d.templates[raw]
	if !ok {
		t = compileTemplate(raw)
		d.templates[raw] = t
	}
	return t
}

// resources derives the ARNs that need n touched.
func (d *deriver) resources(n Need, ev *eventFacts) resourceResult {
	if n.ResourcesOf != nil {
		n.Action = n.ResourcesOf
	}
	if n.Template == Wildcard {
		return resourceResult{arns: []string{Wildcard}, unknown: true}
	}
	at := d.templatesOf(n)
	if len(at.types) == 0 {
		return resourceResult{arns: []string{Wildcard}}
	}
	c := &d.col
	set := c.set
	if set == nil {
		set = map[string]string{}
	}
	clear(set)
	*c = collector{d: d, n: n, ev: ev, svc: rules.For(n.Action.Service), side: n.Side, types: at.types, tpls: at.tpls, set: set}
	if c.side == rules.Main {
		// A denial naming one action alone loses the side mapping gave it.
		c.side = impliedSide(n.Action.Full(), c.svc, ev)
	}
	c.fromEvent()
	c.fromTemplates()
	c.fromResponse()
	if len(c.set) == 0 {
		return resourceResult{arns: []string{Wildcard}, unknown: true}
	}
	return c.finish()
}

// impliedSide finds the side an action takes in an event that carries a
// side's marker fields, such as s3:GetObject in a CopyObject.
func impliedSide(action string, svc *rules.Service, ev *eventFacts) rules.Side {
	for _, ss := range sidesOf(svc) {
		if !slices.Contains(ss.rule.Actions, action) {
			continue
		}
		for _, m := range ss.rule.Marker {
			if ev.req.has(m) {
				return ss.side
			}
		}
	}
	return rules.Main
}

// serviceSide is one of a service's sides.
type serviceSide struct {
	side rules.Side
	rule rules.SideRule
}

var (
	sidesOnce  sync.Once
	sidesBySvc map[*rules.Service][]serviceSide
)

// sidesOf lists the service's sides in the order of their names: looked
// up per need, so listed once rather than ranged over as a map.
func sidesOf(svc *rules.Service) []serviceSide {
	sidesOnce.Do(func() {
		sidesBySvc = map[*rules.Service][]serviceSide{}
		for _, p := range rules.Prefixes() {
			s := rules.For(p)
			var list []serviceSide
			for side, rule := range s.Sides {
				list = append(list, serviceSide{side, rule})
			}
			sort.Slice(list, func(i, j int) bool { return list[i].side.String() < list[j].side.String() })
			sidesBySvc[s] = list
		}
	})
	return sidesBySvc[svc]
}

// sideARNs lists the ARNs of the service's other sides in this event, for
// the templates given: the main need must not take them from resources[].
func (d *deriver) sideARNs(a *catalog.Action, svc *rules.Service, tpls []*template, types []*catalog.ResourceType, ev *eventFacts) map[string]bool {
	var out map[string]bool
	for _, ss := range sidesOf(svc) {
		if !slices.ContainsFunc(ss.rule.Marker, ev.req.has) {
			continue
		}
		out = d.filledARNs(a, ss.side, tpls, types, ev, out)
	}
	return out
}

// splitByMessage takes resources[] for a side of an event that does not
// say which of them is whose, using the denial message where it names one
// side's resource: that resource for the action it names, the others for
// the other side. It reports false when the message does not split them.
func (d *deriver) splitByMessage(n Need, ev *eventFacts, direct func(map[string]bool)) bool {
	named, action := ev.deniedARN, ev.deniedAction
	switch {
	case !strings.HasPrefix(named, "arn:") || action == "":
		return false
	case strings.EqualFold(action, n.Action.Full()):
		direct(otherThan(ev.direct, named))
		return true
	case len(otherThan(ev.direct, named)) > 0:
		direct(map[string]bool{named: true})
		return true
	}
	return false
}

// otherThan is every ARN of list but keep, as a skip set.
func otherThan(list []string, keep string) map[string]bool {
	skip := map[string]bool{}
	for _, a := range list {
		if a != keep {
			skip[a] = true
		}
	}
	return skip
}

// unsplit reports whether the event has a side whose resources only
// resources[] gives (an OrDirect side whose fields are present).
func (d *deriver) unsplit(svc *rules.Service, ev *eventFacts) bool {
	for _, ss := range sidesOf(svc) {
		if ss.rule.OrDirect && slices.ContainsFunc(ss.rule.Marker, ev.req.has) {
			return true
		}
	}
	return false
}

// ownARNs are the ARNs the action's own fields (not resources[]) give.
func (d *deriver) ownARNs(a *catalog.Action, tpls []*template, types []*catalog.ResourceType, ev *eventFacts) map[string]bool {
	return d.filledARNs(a, rules.Main, tpls, types, ev, nil)
}

// filledARNs adds to out (made when needed) the ARNs the templates fill,
// for the action on the side.
func (d *deriver) filledARNs(a *catalog.Action, side rules.Side, tpls []*template, types []*catalog.ResourceType, ev *eventFacts, out map[string]bool) map[string]bool {
	for i, t := range tpls {
		filled, whole, _ := d.fill(t, types[i].Name, a, side, ev)
		for _, arn := range append(filled, whole...) {
			if out == nil {
				out = map[string]bool{}
			}
			out[arn] = true
		}
	}
	return out
}

// counterpartARNs are the ARNs the side's counterpart action names by its
// own fields: resources[] lists them too, but they are the other side's.
func (d *deriver) counterpartARNs(sr rules.SideRule, ev *eventFacts) map[string]bool {
	a, ok := d.cat.Action(sr.Counterpart)
	if !ok {
		return nil
	}
	at := d.templatesOf(Need{Action: a})
	return d.ownARNs(a, at.tpls, at.types, ev)
}

// mostSpecific lists the set's ARNs, dropping a parent ARN when a child
// ARN of a type the service nests in it (rules.Service.Nested) extends it
// at a path boundary: a Query on an index needs the index ARN, not the
// table's.
func mostSpecific(svc *rules.Service, set map[string]string) []string {
	out := make([]string, 0, len(set))
	for a, at := range set {
		covered := false
		for b, bt := range set {
			if parent, ok := svc.Nested[bt]; ok && parent == at && len(b) > len(a) && strings.HasPrefix(b, a) && b[len(a)] == '/' {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

func uniqueStrings(in []string) []string {
	if len(in) <= 1 {
		return in
	}
	return sortedUnique(append([]string(nil), in...))
}

func sortedUnique(in []string) []string {
	sort.Strings(in)
	out := in[:0]
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}
