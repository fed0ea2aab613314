package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// Permissions a request triggers beyond its own action: headers that set an
// object's tags, ACL or lock, tags applied as a resource is created, and
// other resources the request names for the new one to use (a function's
// layers). IAM checks each separately: on the same resource (or, for a
// resource whose id is not known yet, on any of its kind), or on the
// resource used. The rows are the services' rules (Headers, TagOnCreate,
// Uses, and the Implied hook).

// holds reports whether the request's field holds a value with sub in it.
func holds(req params, field, sub string) bool {
	for _, v := range req.strings(field) {
		if strings.Contains(v, sub) {
			return true
		}
	}
	return false
}

// impliedNeeds returns the extra needs of an event beside its main needs,
// on the main need's resources unless a template says otherwise (filled
// by the main action's rules), and on the resources a used resource's
// side reads.
func impliedNeeds(cat *catalog.Catalog, ev string, req params, main []Need) []Need {
	if req == nil || len(main) == 0 {
		return nil
	}
	prefix, name, _ := strings.Cut(ev, ":")
	svc := rules.For(prefix)
	var out []Need
	add := func(name string, template string) {
		if a, ok := cat.Action(name); ok {
			out = append(out, Need{Action: a, Template: template, ResourcesOf: main[0].Action, mapped: true})
		}
	}
	for _, h := range svc.Headers[name] {
		for _, k := range h.Headers {
			if req.has(k) {
				add(h.Action, "")
				break
			}
		}
	}
	if t, ok := svc.TagOnCreate[name]; ok && req.has(t.Tagged) {
		add(t.Action, tagTemplate(cat, t, main[0].Action))
	}
	used := map[string]bool{}
	for _, u := range svc.Uses[name] {
		if used[u.Action] || !holds(req, u.Field, u.Contains) {
			continue
		}
		if a, ok := cat.Action(u.Action); ok {
			used[u.Action] = true
			out = append(out, Need{Action: a, Side: u.Side, Template: u.Template, mapped: true})
		}
	}
	if svc.Implied != nil {
		for _, act := range svc.Implied(cat, name, req) {
			add(act.Action, act.Template)
		}
	}
	return out
}

// tagTemplate is the ARN template a tag-on-create need is scoped to: ""
// for every resource the create action names, the create action's
// template of the rule's kind, or any resource of kind when the create
// names none.
func tagTemplate(cat *catalog.Catalog, t rules.TagRule, create *catalog.Action) string {
	switch {
	case t.Kind == "":
		return ""
	case t.AnyNew:
		return rules.AnyOfKind(cat, t.Action, t.Kind)
	}
	for _, rt := range cat.ResourceTypes(create) {
		if rt.Name == t.Kind {
			return arnTemplateForms(rt.ARN)[0]
		}
	}
	return ""
}
