package analyze

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	json "github.com/goccy/go-json"

	"github.com/tailor-iam/tailor/catalog"
)

// Wildcard is the resource of an action that takes no resource type, or
// whose ARN the event does not reveal.
const Wildcard = "*"

// eventFacts is what resource derivation reads from one event.
type eventFacts struct {
	partition, region, account string
	req                        params
	respRaw                    json.RawMessage // parsed on first use
	// direct holds ARNs the event names outright: resources[], ARN-valued
	// request fields (and queue URLs), and the resource of a denial message.
	direct     []string
	resp       params
	respARNs   []string // used only when nothing else scopes an action
	respParsed bool
}

// response parses responseElements once, on first use: most events never
// need it, and it is often the largest part of a record.
func (ev *eventFacts) response() params {
	if !ev.respParsed {
		ev.respParsed = true
		ev.resp = parseParams(ev.respRaw)
		ev.respARNs = ev.resp.arnValues(nil)
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
}

// actionTemplates are an action's resource types with their compiled
// templates, looked up once per action rather than once per event.
type actionTemplates struct {
	types []*catalog.ResourceType
	tpls  []*template
}

func newDeriver(cat *catalog.Catalog) *deriver {
	return &deriver{cat: cat, templates: map[string]*template{}, byAction: map[*catalog.Action]actionTemplates{}}
}

func (d *deriver) templatesOf(a *catalog.Action) actionTemplates {
	at, ok := d.byAction[a]
	if !ok {
		at.types = d.cat.ResourceTypes(a)
		at.tpls = make([]*template, len(at.types))
		for i, rt := range at.types {
			at.tpls[i] = d.template(rt.ARN)
		}
		d.byAction[a] = at
	}
	return at
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
	at := d.templatesOf(n.Action)
	types, tpls := at.types, at.tpls
	if len(types) == 0 {
		return resourceResult{arns: []string{Wildcard}}
	}
	svc := n.Action.Service
	role := n.Role
	if role == "" {
		// A denial naming one action alone loses the role mapping gave it.
		role = impliedRole(n.Action.Full(), svc, ev)
	}
	var res resourceResult
	set := map[string]bool{}
	note := func(g string) {
		if g != "" && !slices.Contains(res.generalized, g) {
			res.generalized = append(res.generalized, g)
		}
	}
	add := func(rt *catalog.ResourceType, arn string, exact bool) {
		if fix := arnFixes[svc]; fix != nil && !exact {
			var g string
			arn, g = fix(arn)
			note(g)
		}
		if forms := arnForms[svc+":"+rt.Name]; forms != nil {
			for _, f := range forms(arn) {
				set[f] = true
			}
			return
		}
		set[arn] = true
	}
	// 1. ARNs the event names, matched to the action's resource types. A
	// need with a role (the source of a copy) takes only what its role's
	// fields give, and the main need leaves those to it, since resources[]
	// mixes both sides.
	if role == "" {
		other := d.roleARNs(n.Action, tpls, ev)
		for _, a := range ev.direct {
			if other[a] {
				continue
			}
			for i, t := range tpls {
				if t.re.MatchString(a) {
					add(types[i], a, false)
				}
			}
		}
	}
	// 2. Templates filled from the event's fields.
	for i, t := range tpls {
		filled, whole, gen := d.fill(t, n.Action, role, ev)
		for _, a := range filled {
			add(types[i], a, true)
		}
		for _, a := range whole {
			add(types[i], a, false)
		}
		if len(filled) > 0 {
			note(gen)
		}
	}
	// 3. The response, as a last resort.
	if len(set) == 0 && role == "" {
		for _, a := range ev.responseARNs() {
			for i, t := range tpls {
				if t.re.MatchString(a) {
					add(types[i], a, false)
				}
			}
		}
	}
	if len(set) == 0 {
		return resourceResult{arns: []string{Wildcard}, unknown: true}
	}
	res.arns = mostSpecific(set)
	return res
}

// impliedRole finds the role an action plays in an event that carries a
// role's marker fields, such as s3:GetObject in a CopyObject.
func impliedRole(action, svc string, ev *eventFacts) string {
	for key, rr := range roleRules {
		role, ok := strings.CutPrefix(key, svc+"@")
		if !ok || !slices.Contains(rr.actions, action) {
			continue
		}
		for _, m := range rr.marker {
			if ev.req.has(m) {
				return role
			}
		}
	}
	return ""
}

// roleARNs lists the ARNs of the service's roles in this event, for the
// templates given: the main need must not take them from resources[].
func (d *deriver) roleARNs(a *catalog.Action, tpls []*template, ev *eventFacts) map[string]bool {
	var out map[string]bool
	for key, rr := range roleRules {
		role, ok := strings.CutPrefix(key, a.Service+"@")
		if !ok || !slices.ContainsFunc(rr.marker, ev.req.has) {
			continue
		}
		for _, t := range tpls {
			filled, whole, _ := d.fill(t, a, role, ev)
			for _, arn := range append(filled, whole...) {
				if out == nil {
					out = map[string]bool{}
				}
				out[arn] = true
			}
		}
	}
	return out
}

// rule finds how to fill a variable for a need: its role's rule, else the
// action's, else the service's, else the variable's own name.
func rule(a *catalog.Action, role, name string) (varRule, bool) {
	svc := a.Service
	if role != "" {
		r, ok := roleRules[svc+"@"+role].vars[name]
		return r, ok
	}
	if r, ok := actionRules[a.Full()][name]; ok {
		return r, true
	}
	if r, ok := serviceRules[svc][name]; ok {
		return r, true
	}
	if noFallback[svc+":"+name] {
		return varRule{}, false
	}
	return varRule{paths: []string{lowerCamel(name)}}, true
}

// raw returns the values at the rule's first path that has any.
func (r varRule) raw(ev *eventFacts) []string {
	for _, p := range r.paths {
		var got []string
		if rest, ok := strings.CutPrefix(p, "response."); ok {
			got = ev.response().strings(rest)
		} else {
			got = ev.req.strings(p)
		}
		if len(got) > 0 {
			return got
		}
	}
	return nil
}

// fill renders t from the event's fields. filled holds every combination
// the fields give (a batch request names several tables); whole holds
// field values that were already ARNs of t's type.
func (d *deriver) fill(t *template, a *catalog.Action, role string, ev *eventFacts) (filled, whole []string, gen string) {
	svc := a.Service
	vals := map[string][]string{
		"Partition": {ev.partition},
		"Region":    {ev.region},
		"Account":   {ev.account},
	}
	for _, f := range accountFields[svc] {
		if v := ev.req.first(f); v != "" {
			vals["Account"] = []string{v}
		}
	}
	// home is where the ARNs given for parts of t live (a table's ARN when
	// filling its index's); "" until seen, "-" when they disagree.
	var home [3]string
	failed := false
	for _, name := range t.vars() {
		if wildcardVars[svc][name] {
			vals[name] = []string{"*"}
			continue
		}
		r, ok := rule(a, role, name)
		if !ok {
			failed = true
			continue
		}
		raw := r.raw(ev)
		var got []string
		for _, orig := range raw {
			v := orig
			isARN := strings.HasPrefix(v, "arn:")
			if isARN && t.re.MatchString(v) {
				whole = append(whole, v)
				continue
			}
			if r.transform != nil {
				if v, ok = r.transform(v); !ok {
					continue
				}
			} else if isARN {
				continue
			}
			if r.qualifier != "" && !strings.Contains(v, ":") {
				if q := ev.req.first(r.qualifier); q != "" {
					v += ":" + q
				}
			}
			if isARN {
				home = sameHome(home, orig)
			}
			got = append(got, v)
		}
		if len(raw) == 0 && r.fallback != "" {
			got = []string{r.fallback}
		}
		if len(got) == 0 {
			failed = true
			continue
		}
		if r.generalized != "" {
			gen = r.generalized
		}
		vals[name] = uniqueStrings(got)
	}
	if failed || ev.partition == "" {
		return nil, whole, ""
	}
	for i, k := range []string{"Partition", "Region", "Account"} {
		if home[i] != "" && home[i] != "-" {
			vals[k] = []string{home[i]}
		}
	}
	combine(t, vals, map[string]string{}, t.parts, &filled)
	return filled, whole, gen
}

// sameHome folds an ARN's partition, region and account into h.
func sameHome(h [3]string, arn string) [3]string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return h
	}
	got := [3]string{parts[1], parts[3], parts[4]}
	for i := range h {
		switch {
		case h[i] == "":
			h[i] = got[i]
		case h[i] != got[i]:
			h[i] = "-"
		}
	}
	return h
}

func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// combine renders every combination of variable values, capped at maxValues.
func combine(t *template, vals map[string][]string, chosen map[string]string, parts []tplPart, out *[]string) {
	if len(*out) >= maxValues {
		return
	}
	for i, p := range parts {
		if p.name == "" {
			continue
		}
		if _, done := chosen[p.name]; done {
			continue
		}
		for _, v := range vals[p.name] {
			chosen[p.name] = v
			combine(t, vals, chosen, parts[i+1:], out)
		}
		delete(chosen, p.name)
		return
	}
	if s, ok := t.fill(chosen); ok {
		*out = append(*out, s)
	}
}

// mostSpecific drops an ARN when a longer one in the set extends it at a
// path boundary: a Query on an index needs the index ARN, not the table's.
func mostSpecific(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for a := range set {
		covered := false
		for b := range set {
			if len(b) > len(a) && strings.HasPrefix(b, a) && b[len(a)] == '/' {
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

func lowerCamel(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
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
