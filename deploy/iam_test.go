package deploy

// The checks every IAM policy in the templates must pass, against tailor's
// embedded catalog: the action exists, and each resource can name a
// resource of a type the action is scoped to.

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// A statement of an evaluated policy: Action and Resource always as lists.
type statement struct {
	Sid       string
	Effect    string
	Actions   []string
	Resources []string
	// Condition: operator → key → values.
	Condition map[string]map[string][]string
}

func statementsOf(doc any) ([]statement, error) {
	var out []statement
	for _, raw := range asList(dig(doc, "Statement")) {
		m := asMap(raw)
		st := statement{Sid: fmt.Sprint(m["Sid"]), Effect: fmt.Sprint(m["Effect"]), Condition: map[string]map[string][]string{}}
		for _, a := range asList(m["Action"]) {
			st.Actions = append(st.Actions, fmt.Sprint(a))
		}
		for _, r := range asList(m["Resource"]) {
			st.Resources = append(st.Resources, fmt.Sprint(r))
		}
		for op, kv := range asMap(m["Condition"]) {
			st.Condition[op] = map[string][]string{}
			for k, vals := range asMap(kv) {
				for _, v := range asList(vals) {
					st.Condition[op][k] = append(st.Condition[op][k], fmt.Sprint(v))
				}
			}
		}
		if m["NotAction"] != nil || m["NotResource"] != nil {
			return nil, fmt.Errorf("statement %s: NotAction and NotResource grant more than they name", st.Sid)
		}
		if len(st.Actions) == 0 || len(st.Resources) == 0 {
			return nil, fmt.Errorf("statement %s: no Action or no Resource", st.Sid)
		}
		out = append(out, st)
	}
	return out, nil
}

// actionSet returns the sorted, distinct actions of statements.
func actionSet(sts []statement) []string {
	var out []string
	for _, st := range sts {
		for _, a := range st.Actions {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	sort.Strings(out)
	return out
}

// scopeProblems lists what is wrong with the statements' actions and
// resources: an action the catalog lacks or written with a wildcard, "*"
// for an action that has resource types, a wildcard anywhere but at the end
// of a resource, and a resource no ARN of the action's resource types fits.
func scopeProblems(cat *catalog.Catalog, sts []statement) []string {
	var problems []string
	for _, st := range sts {
		if st.Effect != "Allow" {
			problems = append(problems, fmt.Sprintf("%s: Effect %s", st.Sid, st.Effect))
		}
		for _, name := range st.Actions {
			if strings.ContainsAny(name, "*?") {
				problems = append(problems, fmt.Sprintf("%s: wildcard action %s", st.Sid, name))
				continue
			}
			act, ok := cat.Action(name)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: %s is not in the catalog", st.Sid, name))
				continue
			}
			types := cat.ResourceTypes(act)
			for _, res := range st.Resources {
				if res == "*" {
					if len(types) > 0 {
						problems = append(problems, fmt.Sprintf(`%s: %s on "*", but it can be scoped to %s`, st.Sid, name, typeNames(types)))
					}
					continue
				}
				if i := strings.IndexAny(res, "*?"); i >= 0 && i != len(res)-1 {
					problems = append(problems, fmt.Sprintf("%s: %s: a wildcard before the end of %s", st.Sid, name, res))
				}
				if !fitsSome(res, types) {
					problems = append(problems, fmt.Sprintf("%s: %s on %s, which is none of its resource types %s", st.Sid, name, res, typeNames(types)))
				}
			}
		}
	}
	return problems
}

func typeNames(types []*catalog.ResourceType) string {
	var names []string
	for _, t := range types {
		names = append(names, t.Name)
	}
	return "[" + strings.Join(names, " ") + "]"
}

func fitsSome(res string, types []*catalog.ResourceType) bool {
	for _, t := range types {
		for _, tmpl := range t.ARNs {
			if globMeetsTemplate(res, tmpl) {
				return true
			}
		}
	}
	return false
}

// patternToken is one position of a pattern: a literal byte, any one byte,
// or any run of bytes (possibly empty).
type patternToken struct {
	kind byte // 'c' literal, '?' any one, '*' any run
	c    byte
}

// globTokens reads an IAM resource pattern, where * and ? are wildcards.
func globTokens(s string) []patternToken {
	var out []patternToken
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?':
			out = append(out, patternToken{kind: s[i]})
		default:
			out = append(out, patternToken{kind: 'c', c: s[i]})
		}
	}
	return out
}

// templateTokens reads a catalog ARN template, where each ${Variable}
// stands for one or more bytes.
func templateTokens(s string) []patternToken {
	var out []patternToken
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "${") {
			if j := strings.IndexByte(s[i:], '}'); j > 0 {
				out = append(out, patternToken{kind: '?'}, patternToken{kind: '*'})
				i += j
				continue
			}
		}
		out = append(out, patternToken{kind: 'c', c: s[i]})
	}
	return out
}

// globMeetsTemplate reports whether some ARN both matches the IAM pattern
// glob and is an ARN of the template: whether the two patterns' languages
// meet. It walks the product of the two patterns' positions.
func globMeetsTemplate(glob, tmpl string) bool {
	a, b := globTokens(glob), templateTokens(tmpl)
	type pos struct{ i, j int }
	seen := map[pos]bool{}
	stack := []pos{{0, 0}}
	push := func(p pos) {
		if !seen[p] {
			seen[p] = true
			stack = append(stack, p)
		}
	}
	// step returns where a pattern goes when it consumes one byte, and
	// whether it can.
	step := func(p []patternToken, i int) (int, bool) {
		if i >= len(p) {
			return i, false
		}
		if p[i].kind == '*' {
			return i, true
		}
		return i + 1, true
	}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p.i == len(a) && p.j == len(b) {
			return true
		}
		if p.i < len(a) && a[p.i].kind == '*' {
			push(pos{p.i + 1, p.j})
		}
		if p.j < len(b) && b[p.j].kind == '*' {
			push(pos{p.i, p.j + 1})
		}
		ni, okA := step(a, p.i)
		nj, okB := step(b, p.j)
		if !okA || !okB {
			continue
		}
		if ta, tb := a[p.i], b[p.j]; ta.kind == 'c' && tb.kind == 'c' && ta.c != tb.c {
			continue
		}
		push(pos{ni, nj})
	}
	return false
}
