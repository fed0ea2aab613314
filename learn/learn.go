// Package learn finds the names in a principal's facts that are per-run
// (an object key written once per order, a query id, a nightly execution,
// a task-definition revision) and widens them, on the trail's evidence, to
// the longest stable prefix that covers them, so that a policy keeps working
// on tomorrow's names. Stable names stay exact. It does no I/O.
package learn

import (
	"sort"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

// Generalization is one set of names widened to a pattern, with the
// evidence that they are per-run.
type Generalization struct {
	Action  string `json:"action"`
	Pattern string `json:"pattern"`
	// Names is how many distinct names it covers; Kind says what they are
	// ("keys" for S3 objects, else "names").
	Names int    `json:"names"`
	Kind  string `json:"kind"`
	// NewPerDay counts the names first seen on each UTC day (YYYY-MM-DD)
	// the set was used; Days is how many days that is.
	NewPerDay map[string]int `json:"newPerDay"`
	Days      int            `json:"days"`
	// Reused counts the names used again a day or more after first use.
	Reused   int    `json:"reused"`
	Evidence string `json:"evidence"`
}

// The evidence a set of names needs to be read as per-run.
const (
	minNames   = 3 // fewer is a pattern only when each is new on its own day
	minNewDays = 2 // new names on at least this many days
	day        = 24 * 60 * 60
)

// Generalize returns the facts with per-run names widened, and the
// generalizations made, sorted by action and pattern. Denied facts keep
// their names, and so does every fact when the evidence is not there.
func Generalize(cat *catalog.Catalog, facts []analyze.Fact) ([]analyze.Fact, []Generalization) {
	groups := map[string]*group{}
	var order []string
	var used []usedName // every name granted, to guard patterns against siblings
	for i, f := range facts {
		if f.Denied() || f.Profile != "" {
			continue
		}
		n, ok := parseName(cat, f.Action, f.Resource)
		if !ok {
			if !strings.ContainsAny(f.Resource, "*?") {
				used = append(used, usedName{arn: f.Resource})
			}
			continue
		}
		shape := n.head + "\x01" + shapeOf(n.toks)
		used = append(used, usedName{arn: f.Resource, shape: shape, loose: n.head + looseShape(n.res), stable: f.Last-f.First >= day})
		if neverLearned[f.Action] {
			continue
		}
		key := f.Action + "\x01" + shape
		g := groups[key]
		if g == nil {
			g = &group{action: f.Action, shape: shape, names: map[string]*nameStat{}}
			groups[key] = g
			order = append(order, key)
		}
		g.add(n, f.Stat, i)
	}
	sort.Strings(order)
	// Candidate patterns first: a pattern may cover names of another set
	// only when that set widens to the same pattern.
	candidates := map[string]string{} // group key → pattern
	byPatternShapes := map[string]map[string]bool{}
	for _, key := range order {
		g := groups[key]
		if pattern, ok := g.pattern(); ok && g.perRun() {
			candidates[key] = pattern
			if byPatternShapes[pattern] == nil {
				byPatternShapes[pattern] = map[string]bool{}
			}
			byPatternShapes[pattern][g.shape] = true
			for _, ns := range g.names {
				byPatternShapes[pattern][ns.head+looseShape(ns.res)] = true
			}
		}
	}
	out := append([]analyze.Fact(nil), facts...)
	byPattern := map[[2]string]*group{}
	for _, key := range order {
		g := groups[key]
		pattern, ok := candidates[key]
		if !ok {
			continue
		}
		if coversSibling(pattern, byPatternShapes[pattern], used) {
			// A stable name under the same prefix (web/deploy-config.json
			// beside web/<sha>.zip): keep the names' common ending too.
			tail := g.suffix()
			if tail == "" || coversSibling(pattern+tail, byPatternShapes[pattern], used) {
				continue
			}
			pattern += tail
		}
		for _, ns := range g.names {
			for _, i := range ns.facts {
				out[i].Resource = pattern
			}
		}
		pk := [2]string{g.action, pattern}
		if byPattern[pk] == nil {
			byPattern[pk] = &group{action: g.action, names: map[string]*nameStat{}}
		}
		for name, ns := range g.names {
			byPattern[pk].names[name] = ns
		}
	}
	gens := make([]Generalization, 0, len(byPattern))
	for pk, g := range byPattern {
		gens = append(gens, g.report(pk[1]))
	}
	sort.Slice(gens, func(i, j int) bool {
		if gens[i].Action != gens[j].Action {
			return gens[i].Action < gens[j].Action
		}
		return gens[i].Pattern < gens[j].Pattern
	})
	return out, gens
}

// neverLearned are actions whose resources are never widened: a role
// passed or assumed is a grant of that role's own permissions.
var neverLearned = map[string]bool{
	"iam:PassRole":                  true,
	"sts:AssumeRole":                true,
	"sts:AssumeRoleWithSAML":        true,
	"sts:AssumeRoleWithWebIdentity": true,
}

// usedName is a name the principal was granted, with its shape and its
// loose shape when it has them.
type usedName struct {
	arn, shape, loose string
	stable            bool // used again a day or more later
}

// coversSibling reports whether a pattern would cover a name the principal
// used (with any action) that is not of a set widened to this pattern, nor
// built like one and used on one day only (a per-run id that happens to
// hold no digit): a table beside per-run tables, a stable key beside
// per-run ones.
func coversSibling(pattern string, shapes map[string]bool, used []usedName) bool {
	for _, u := range used {
		if u.shape != "" && (shapes[u.shape] || (shapes[u.loose] && !u.stable)) {
			continue
		}
		if policy.MatchResource(pattern, policy.Unescape(u.arn)) {
			return true
		}
	}
	return false
}

// name is a resource ARN read for learning: its head (arn:…:account:), its
// resource part as tokens, and where the last variable of its catalog
// template starts (the parent before it is never widened).
type name struct {
	arn, head, res string
	toks           []token
	anchor         int  // offset in res of the template's last variable
	leafOnly       bool // the template has one variable: keep some of it
	global         bool // the ARN names no account (an S3 bucket)
}

// parseName reads an ARN the action was granted on. Patterns (but a fold's
// trailing "/*"), escapes and ARNs that match none of the action's
// templates are not learned from.
func parseName(cat *catalog.Catalog, action, s string) (name, bool) {
	a, ok := arn.Parse(s)
	if !ok {
		return name{}, false
	}
	res := a.Resource
	body := strings.TrimSuffix(res, "/*")
	if res == "" || strings.ContainsAny(body, "*?") || strings.Contains(res, "${") || strings.ContainsFunc(res, unicode.IsControl) {
		return name{}, false
	}
	act, ok := cat.Action(action)
	if !ok {
		return name{}, false
	}
	anchor, vars, ok := anchorOf(cat, act, a.Service, res)
	if !ok {
		return name{}, false
	}
	return name{arn: s, head: a.Head(), res: res, toks: tokenize(res), anchor: anchor, leafOnly: vars == 1,
		global: a.Account == ""}, true
}

// anchorOf matches a resource part against the action's ARN templates and
// returns where the template's last variable starts, and how many
// variables the resource part has.
func anchorOf(cat *catalog.Catalog, act *catalog.Action, service, res string) (int, int, bool) {
	best, bestVars, found := -1, 0, false
	for _, rt := range cat.ResourceTypes(act) {
		for _, raw := range rt.ARNs {
			tpl, ok := arn.Parse(raw)
			if !ok || tpl.Service != service {
				continue
			}
			if at, vars, ok := lastVar(tpl.Resource, res); ok && (!found || at > best) {
				best, bestVars, found = at, vars, true
			}
		}
	}
	return best, bestVars, found
}

// lastVar matches res against a template's resource part, each variable
// but the last taking the shortest run to the next literal and the last
// the rest, and returns the offset of the last variable.
func lastVar(tpl, res string) (int, int, bool) {
	pos, vars, lastAt := 0, 0, -1
	for tpl != "" {
		i := strings.Index(tpl, "${")
		if i != 0 {
			lit := tpl
			if i > 0 {
				lit = tpl[:i]
			}
			if !strings.HasPrefix(res[pos:], lit) {
				return 0, 0, false
			}
			pos += len(lit)
			tpl = tpl[len(lit):]
			continue
		}
		end := strings.IndexByte(tpl, '}')
		if end < 0 {
			return 0, 0, false
		}
		tpl = tpl[end+1:]
		vars++
		lastAt = pos
		next := tpl
		if j := strings.Index(next, "${"); j >= 0 {
			next = next[:j]
		}
		if next == "" {
			if tpl != "" {
				return 0, 0, false // two variables back to back
			}
			if pos == len(res) {
				return 0, 0, false
			}
			pos = len(res)
			continue
		}
		if pos >= len(res) {
			return 0, 0, false
		}
		j := strings.Index(res[pos+1:], next)
		if j < 0 {
			return 0, 0, false
		}
		pos += 1 + j
	}
	if pos != len(res) || vars == 0 {
		return 0, 0, false
	}
	return lastAt, vars, true
}
