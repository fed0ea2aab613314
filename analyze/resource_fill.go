package analyze

import (
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
)

// Filling a catalog ARN template from one event's fields, by the rules of
// rules.go: which rule applies to a variable, how its paths are read, how
// the values combine into ARNs.

// rule finds how to fill a variable of a resource type for a need: its
// role's rule, else the action's, else the type's, else the service's,
// else the variable's own name.
func rule(a *catalog.Action, role, typ, name string) (varRule, bool) {
	svc := a.Service
	if role != "" {
		r, ok := roleRules[svc+"@"+role].vars[name]
		return r, ok
	}
	if r, ok := actionRules[a.Full()][name]; ok {
		return r, true
	}
	if r, ok := typeRules[svc+":"+typ][name]; ok {
		return r, true
	}
	if r, ok := serviceRules[svc][name]; ok {
		return r, true
	}
	if noFallback[svc+":"+name] || (genericVars[name] && len(a.Resources) > 1) {
		return varRule{}, false
	}
	return varRule{paths: []string{lowerCamel(name)}}, true
}

// genericVars are template variables whose lowerCamel name ("resourceId")
// is a request field of many meanings: for an action of several resource
// types, filling one type's template from it needs a rule that says the
// field names that type.
var genericVars = map[string]bool{"ResourceId": true, "Id": true, "Name": true, "ResourceName": true}

// callerUserPath, as a rule path, reads the caller's own user ARN.
const callerUserPath = "caller.user"

// read returns the values at path p, from the request or, for paths
// starting "response.", the response.
func (r varRule) read(ev *eventFacts, p string) []string {
	if p == callerUserPath {
		if ev.callerUser == "" {
			return nil
		}
		return []string{ev.callerUser}
	}
	src := ev.req
	if rest, ok := strings.CutPrefix(p, "response."); ok {
		src, p = ev.response(), rest
	}
	if r.fallbackEach {
		return src.stringsOr(p, r.fallback)
	}
	return src.strings(p)
}

// qualify appends the request's qualifier (Lambda's Qualifier) to a whole
// ARN that has none: invoking function:f with qualifier "prod" is
// authorized on function:f:prod.
func (r varRule) qualify(arn string, ev *eventFacts) string {
	if r.qualifier == "" {
		return arn
	}
	q := ev.req.first(r.qualifier)
	if q == "" || strings.Count(resourcePart(arn), ":") != 1 {
		return arn
	}
	return arn + ":" + q
}

// apply turns one raw value into the template segments it stands for; nil
// when the value does not fit. A result that is an ARN stands whole.
func (r varRule) apply(v string) []string {
	switch {
	case r.expand != nil:
		return r.expand(v)
	case r.transform != nil:
		if out, ok := r.transform(v); ok {
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
func (d *deriver) fill(t *template, typ string, a *catalog.Action, role string, ev *eventFacts) (filled, whole []string, gen string) {
	svc := a.Service
	if alternativeTypes[svc+":"+typ] {
		return nil, nil, ""
	}
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
		r, ok := rule(a, role, typ, name)
		if !ok || (r.when != nil && !r.when(ev.req)) {
			failed = true
			continue
		}
		wholeBefore := len(whole)
		got, wholeVals, seen := varValues(t, r, ev, &home)
		whole = append(whole, wholeVals...)
		if r.fallback != "" && len(got) == 0 && (!seen || (r.fallbackNote != "" && len(whole) == wholeBefore)) {
			got = []string{r.fallback}
			if r.fallbackNote != "" {
				gen = r.fallbackNote
			}
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
func varValues(t *template, r varRule, ev *eventFacts, home *[3]string) (got, whole []string, seen bool) {
	paths := r.paths
	if ev.wrapper != "" {
		paths = wrappedPaths(ev.wrapper, paths)
	}
	for _, p := range paths {
		raw := r.read(ev, p)
		if len(raw) == 0 {
			continue
		}
		seen = true
		for _, orig := range raw {
			isARN := strings.HasPrefix(orig, "arn:")
			if isARN && t.match(orig) {
				whole = append(whole, r.qualify(orig, ev))
				continue
			}
			for _, v := range r.apply(orig) {
				if strings.HasPrefix(v, "arn:") {
					if t.match(v) {
						whole = append(whole, v)
					}
					continue
				}
				if r.qualifier != "" && !strings.Contains(v, ":") {
					if q := ev.req.first(r.qualifier); q != "" {
						v += ":" + q
					}
				}
				if r.iamPath != "" {
					v = strings.TrimPrefix(firstNonEmpty(ev.req.first(r.iamPath), "/"), "/") + v
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
