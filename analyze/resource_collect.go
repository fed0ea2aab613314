package analyze

import (
	"slices"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// collector gathers the ARNs one need was authorized on, from the event's
// ARNs, the action's templates filled from the event's fields, and the
// response, in that order of trust.
type collector struct {
	d     *deriver
	n     Need
	ev    *eventFacts
	svc   *rules.Service
	side  rules.Side
	types []*catalog.ResourceType
	tpls  []*template
	set   map[string]string // ARN → its resource type
	res   resourceResult
}

// note records a generalization once.
func (c *collector) note(g string) {
	if g != "" && !slices.Contains(c.res.generalized, g) {
		c.res.generalized = append(c.res.generalized, g)
	}
}

// add records an ARN of a resource type, in the forms IAM authorizes it.
func (c *collector) add(rt *catalog.ResourceType, arn string, exact bool) {
	if fix := c.svc.FixARN; fix != nil && !exact {
		var g string
		arn, g = fix(arn)
		c.note(g)
	}
	if forms := c.svc.ARNForms[rt.Name]; forms != nil {
		for _, f := range forms(arn) {
			c.set[f] = rt.Name
		}
		return
	}
	c.set[arn] = rt.Name
}

// direct adds the ARNs the event names that match the action's resource
// types, but those in skip.
func (c *collector) direct(skip map[string]bool) {
	for _, a := range c.ev.direct {
		if skip[a] {
			continue
		}
		if c.match(a) {
			continue
		}
		if un := c.svc.Unqualified; un != nil {
			if b := un(a); b != a {
				c.match(b)
			}
		}
	}
}

// match adds a to every resource type whose template it matches.
func (c *collector) match(a string) bool {
	matched := false
	for i, t := range c.tpls {
		if t.match(a) {
			c.add(c.types[i], a, false)
			matched = true
		}
	}
	return matched
}

// fromEvent takes the ARNs the event names. A need on another side (the
// source of a copy) takes only what its side's fields give, and the main
// need leaves those to it, since resources[] mixes both sides.
func (c *collector) fromEvent() {
	if c.side != rules.Main {
		return
	}
	d, n, ev := c.d, c.n, c.ev
	skip := d.sideARNs(n.Action, c.svc, c.tpls, c.types, ev)
	switch unsplit := d.unsplit(c.svc, ev); {
	case !unsplit:
		c.direct(skip)
	case skip == nil && len(d.ownARNs(n.Action, c.tpls, c.types, ev)) > 0:
		// The other side is unnamed, so resources[] can't be split; this
		// side's own fields name its resources.
	case skip == nil:
		c.bothSides()
	default:
		c.direct(skip)
		if len(c.set) == 0 && len(d.ownARNs(n.Action, c.tpls, c.types, ev)) == 0 {
			// resources[] lists only the other side's key: both sides are
			// that key (re-encryption under the same key).
			c.direct(nil)
		}
	}
}

// bothSides takes resources[] for a call whose two sides it does not
// tell apart, unless the denial message splits them.
func (c *collector) bothSides() {
	if c.d.splitByMessage(c.n, c.ev, c.direct) {
		return
	}
	c.direct(nil)
	if len(c.set) > 1 {
		c.note(bothSides)
	}
}

// fromTemplates fills the action's templates from the event's fields; not
// for a need a denial message named, when the denial is only reported
// (namedOnly) and the message names one of the action's resources.
func (c *collector) fromTemplates() {
	if !c.n.mapped && len(c.set) > 0 && c.ev.namedOnly {
		return
	}
	for i, t := range c.tpls {
		filled, whole, gen := c.d.fill(t, c.types[i].Name, c.n.Action, c.side, c.ev)
		for _, a := range filled {
			c.add(c.types[i], a, true)
		}
		for _, a := range whole {
			c.add(c.types[i], a, false)
		}
		if len(filled) > 0 {
			c.note(gen)
		}
	}
}

// fromResponse is the last resort: the response's ARNs; for a side whose
// own fields name nothing, resources[] (KMS lists both keys of a
// ReEncrypt there).
func (c *collector) fromResponse() {
	if len(c.set) == 0 && c.side == rules.Main {
		for _, a := range c.ev.responseARNs() {
			for i, t := range c.tpls {
				if t.match(a) {
					c.add(c.types[i], a, false)
				}
			}
		}
	}
	if sr := c.svc.Sides[c.side]; len(c.set) == 0 && c.side != rules.Main && sr.OrDirect {
		if other := c.d.counterpartARNs(sr, c.ev); len(other) > 0 {
			c.direct(other)
		} else {
			c.bothSides()
		}
	}
}

// finish adds the resource types IAM requires beside those named, runs the
// service's own adjustments, and keeps the most specific ARNs.
func (c *collector) finish() resourceResult {
	if c.side == rules.Main && c.n.Template == "" && !c.ev.namedOnly && c.svc.AllRequired[c.n.Action.Name] {
		c.d.requiredTypes(c.n.Action, c.svc, c.types, c.tpls, c.set, c.ev, c.note)
	}
	if hook := c.svc.Collect; hook != nil {
		r := &rules.Resources{Types: c.types, ARNs: c.set, Request: c.ev.req, Named: c.ev.direct, Notes: c.res.generalized}
		hook(r)
		c.res.generalized = r.Notes
	}
	c.res.arns = mostSpecific(c.svc, c.set)
	return c.res
}

// bothSides is the generalization noted when resources[] cannot be split
// between the two sides of an event.
const bothSides = "the event's resources[] lists both sides' resources without saying which is which; each side is granted both"
