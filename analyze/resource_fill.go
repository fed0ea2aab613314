package analyze

import (
	"slices"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// Filling a catalog ARN template from one event's fields, by the
// services' rules: which rule applies to a variable, how its paths are
// read, how the values combine into ARNs.

// rule finds how to fill a variable of a resource type for a need: its
// side's rule, else the action's, else the type's, else the service's,
// else the variable's own name.
func rule(a *catalog.Action, svc *rules.Service, side rules.Side, typ, name string) (rules.VarRule, bool) {
	if side != rules.Main {
		r, ok := svc.Sides[side].Vars[name]
		return r, ok
	}
	if r, ok := svc.ActionVars[a.Name][name]; ok {
		return r, true
	}
	if r, ok := svc.TypeVars[typ][name]; ok {
		return r, true
	}
	if r, ok := svc.Vars[name]; ok {
		return r, true
	}
	if svc.NoFallback[name] || (genericVars[name] && len(a.Resources) > 1) {
		return rules.VarRule{}, false
	}
	return rules.VarRule{Paths: []string{lowerCamel(name)}}, true
}

// genericVars are template variables whose lowerCamel name ("resourceId")
// is a request field of many meanings: for an action of several resource
// types, filling one type's template from it needs a rule that says the
// field names that type.
var genericVars = map[string]bool{"ResourceId": true, "Id": true, "Name": true, "ResourceName": true}

// read returns the values at path p, from the request or, for paths
// starting "response.", the response.
func read(r rules.VarRule, ev *eventFacts, p string) []string {
	if p == rules.CallerUser {
		if ev.callerUser == "" {
			return nil
		}
		return []string{ev.callerUser}
	}
	src := ev.req
	if rest, ok := strings.CutPrefix(p, "response."); ok {
		src, p = ev.response(), rest
	}
	if r.FallbackEach {
		return src.stringsOr(p, r.Fallback)
	}
	return src.strings(p)
}

// qualify appends the request's qualifier (Lambda's Qualifier) to a whole
// ARN that has none: invoking function:f with qualifier "prod" is
// authorized on function:f:prod.
func qualify(r rules.VarRule, arn string, ev *eventFacts) string {
	if r.Qualifier == "" {
		return arn
	}
	q := ev.req.first(r.Qualifier)
	if q == "" || strings.Count(resourcePart(arn), ":") != 1 {
		return arn
	}
	return arn + ":" + q
}

// apply turns one raw value into the template segments it stands for; nil
// when the value does not fit. A result that is an ARN stands whole.
func apply(r rules.VarRule, v string) []string {
	switch {
	case r.Expand != nil:
		return r.Expand(v)
	case r.Transform != nil:
		if out, ok := r.Transform(v); ok {
			return []string{out}
		}
		return nil
	case strings.HasPrefix(v, "arn:"):
		return nil
	}
	return []string{v}
}

// fill renders t, a template of resource type typ, from the event's
// fields. filled holds every combination the fields give (a batch request
// names several tables); whole holds field values that were already ARNs
// of t's type.
func (d *deriver) fill(t *template, typ string, a *catalog.Action, side rules.Side, ev *eventFacts) (filled, whole []string, gen string) {
	svc := rules.For(a.Service)
	if svc.Alternatives[typ] {
		return nil, nil, ""
	}
	nvars := idxOthers + len(t.vars())
	vals := d.vals[:0]
	for range nvars {
		vals = append(vals, nil)
	}
	d.vals = vals
	home3 := [3]string{ev.partition, ev.region, ev.account}
	vals[idxPartition], vals[idxRegion], vals[idxAccount] = home3[0:1:1], home3[1:2:2], home3[2:3:3]
	for _, f := range svc.AccountFields {
		if v := ev.req.first(f); v != "" {
			vals[idxAccount] = []string{v}
		}
	}
	// home is where the ARNs given for parts of t live (a table's ARN when
	// filling its index's); "" until seen, "-" when they disagree.
	var home [3]string
	failed := false
	for i, name := range t.vars() {
		r, ok := rule(a, svc, side, typ, name)
		if !ok || (r.When != nil && !r.When(ev.req)) {
			failed = true
			continue
		}
		wholeBefore := len(whole)
		got, wholeVals, seen := varValues(t, r, ev, &home)
		whole = append(whole, wholeVals...)
		if r.Fallback != "" && len(got) == 0 && (!seen || (r.FallbackNote != "" && len(whole) == wholeBefore)) {
			got = []string{r.Fallback}
			if r.FallbackNote != "" {
				gen = r.FallbackNote
			}
		}
		if len(got) == 0 {
			failed = true
			continue
		}
		if r.Generalized != "" {
			gen = r.Generalized
		}
		vals[idxOthers+i] = uniqueStrings(got)
	}
	if failed || ev.partition == "" {
		return nil, whole, ""
	}
	for i := range home {
		if home[i] != "" && home[i] != "-" {
			vals[i] = home[i : i+1 : i+1]
		}
	}
	chosen, set := make([]string, nvars), make([]bool, nvars)
	combine(t, vals, chosen, set, t.parts, &filled)
	return filled, whole, gen
}

// sameHome folds an ARN's partition, region and account into h.
func sameHome(h [3]string, s string) [3]string {
	a, ok := arn.Parse(s)
	if !ok {
		return h
	}
	got := [3]string{a.Partition, a.Region, a.Account}
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

// combine renders every combination of variable values, capped at maxValues.
func combine(t *template, vals [][]string, chosen []string, set []bool, parts []tplPart, out *[]string) {
	if len(*out) >= maxValues {
		return
	}
	for i, p := range parts {
		if p.name == "" || set[p.idx] {
			continue
		}
		set[p.idx] = true
		for _, v := range vals[p.idx] {
			chosen[p.idx] = v
			combine(t, vals, chosen, set, parts[i+1:], out)
		}
		set[p.idx] = false
		return
	}
	if s, ok := t.fill(chosen, set); ok {
		*out = append(*out, s)
	}
}

func lowerCamel(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// varValues reads one template variable's values, from the first path of
// its rule that gives a usable one (a family named without its revision
// gives way to the response's ARN): values to fill in, and whole ARNs of
// the template's type the fields hold. seen says a path held anything.
func varValues(t *template, r rules.VarRule, ev *eventFacts, home *[3]string) (got, whole []string, seen bool) {
	paths := r.Paths
	if ev.wrapper != "" {
		paths = wrappedPaths(ev.wrapper, paths)
	}
	for _, p := range paths {
		raw := read(r, ev, p)
		if len(raw) == 0 {
			continue
		}
		seen = true
		for _, orig := range raw {
			isARN := strings.HasPrefix(orig, "arn:")
			if isARN && t.match(orig) {
				whole = append(whole, qualify(r, orig, ev))
				continue
			}
			for _, v := range apply(r, orig) {
				if strings.HasPrefix(v, "arn:") {
					if t.match(v) {
						whole = append(whole, v)
					}
					continue
				}
				if r.Qualifier != "" && !strings.Contains(v, ":") {
					if q := ev.req.first(r.Qualifier); q != "" {
						v += ":" + q
					}
				}
				if r.IAMPath != "" {
					v = strings.TrimPrefix(firstNonEmpty(ev.req.first(r.IAMPath), "/"), "/") + v
				}
				if isARN {
					*home = sameHome(*home, orig)
				}
				got = append(got, v)
			}
		}
		if len(got) > 0 || len(whole) > 0 {
			break
		}
	}
	return got, whole, seen
}

// wrappedPaths are paths with each top-level field also read inside
// wrapper, as itself and as the content of list members: EC2's newer APIs
// log {"ModifyInstanceMetadataOptionsRequest": {"InstanceId": "i-…"}},
// with list members as {"content": "i-…", "tag": 1}.
func wrappedPaths(wrapper string, paths []string) []string {
	out := slices.Clip(paths)
	for _, p := range paths {
		if !strings.Contains(p, ".") {
			out = append(out, wrapper+"."+p, wrapper+"."+p+".content")
		}
	}
	return out
}
