package synth

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/policy"
)

// Options control what Suggest grants.
type Options struct {
	// IncludeDenied adds denials that a missing identity-policy statement
	// explains (reasons identity-policy and unknown).
	IncludeDenied bool
	// ProfileRoles, when set, returns the roles the trail shows in an
	// instance profile (Aggregate.RolesOfProfile), so iam:PassRole for a
	// profile is granted on its role instead of the account's roles.
	ProfileRoles func(account, profile string) []string
}

// Suggestion is a suggested policy with what the caller should report.
type Suggestion struct {
	Policy   *policy.Document
	Actions  int // distinct actions granted
	Warnings []string
	// DeniedAdded counts denied facts granted; DeniedLeftOut counts, by
	// reason, those left out because no identity-policy Allow would help
	// (or because IncludeDenied is off).
	DeniedAdded   int
	DeniedLeftOut map[analyze.Reason]int
	// DeniedUnknown counts the added denials whose message gave no reason
	// (or was cut before it): granted, as PRODUCT.md decides, but worth a
	// look.
	DeniedUnknown int
	// Added and LeftOut list the denied calls granted and not granted, one
	// entry per action and reason, so that neither happens silently.
	Added, LeftOut []DeniedCall
}

// DeniedCall is a principal's denied calls of one action for one reason.
type DeniedCall struct {
	Action    string   `json:"action"`
	Reason    string   `json:"reason"`
	Resources []string `json:"resources"`
	// Count is the most calls any one resource was denied: the calls of
	// the action, when every call needed all of its resources.
	Count int64 `json:"count"`
	// Grantable: an identity-policy Allow would fix it (--include-denied
	// adds it); else no Allow can, and tailor denied says who must act.
	Grantable bool `json:"grantable"`
}

// deniedCalls groups denied facts by action and reason.
func deniedCalls(facts []analyze.Fact) []DeniedCall {
	type key struct {
		action string
		reason analyze.Reason
	}
	byKey := map[key]*DeniedCall{}
	for _, f := range facts {
		k := key{f.Action, f.Denial.Reason}
		c := byKey[k]
		if c == nil {
			c = &DeniedCall{Action: f.Action, Reason: string(f.Denial.Reason),
				Grantable: f.Denial.Grantable()}
			byKey[k] = c
		}
		if !slices.Contains(c.Resources, f.Resource) {
			c.Resources = append(c.Resources, f.Resource)
		}
		c.Count = max(c.Count, f.Count)
	}
	out := make([]DeniedCall, 0, len(byKey))
	for _, c := range byKey {
		sort.Strings(c.Resources)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// Why an action is granted on "*".
const (
	starUnknown        = iota // it takes a resource the events do not reveal
	starNoResourceType        // IAM has no resource-level permissions for it
	starOptional              // its resource types are all optional, and none was named
)

func starReason(a *catalog.Action) int {
	if len(a.Resources) == 0 {
		return starNoResourceType
	}
	for _, r := range a.Resources {
		if r.Required {
			return starUnknown
		}
	}
	return starOptional
}

// Suggest writes the least-privilege policy for one principal's facts.
// It returns a nil Policy when nothing is to be granted.
func Suggest(cat *catalog.Catalog, facts []analyze.Fact, opts Options) Suggestion {
	sg := Suggestion{DeniedLeftOut: map[analyze.Reason]int{}}
	var added, leftOut []analyze.Fact
	// action → resource → the services a role was passed to ("" when the
	// grant needs no condition, which covers every service).
	byAction := map[string]map[string]map[string]bool{}
	unknown := map[string]int{}
	for _, f := range facts {
		if f.Denied() {
			counted := f.Via == "" // an inferred PassRole is part of its call's denial
			grant := opts.IncludeDenied && f.Denial.Grantable()
			if !grant {
				if counted {
					sg.DeniedLeftOut[f.Denial.Reason]++
					leftOut = append(leftOut, f)
				}
				continue
			}
			if counted {
				added = append(added, f)
				sg.DeniedAdded++
				if f.Denial.Reason == analyze.ReasonUnknown {
					sg.DeniedUnknown++
				}
			}
		}
		rs := byAction[f.Action]
		if rs == nil {
			rs = map[string]map[string]bool{}
			byAction[f.Action] = rs
		}
		for _, res := range resourcesOf(f, opts, &sg) {
			if rs[res] == nil {
				rs[res] = map[string]bool{}
			}
			rs[res][f.PassedTo] = true
		}
		if f.Resource == analyze.Wildcard {
			if a, ok := cat.Action(f.Action); ok {
				unknown[f.Action] = starReason(a)
			}
		}
	}
	sg.Added, sg.LeftOut = deniedCalls(added), deniedCalls(leftOut)
	if len(byAction) == 0 {
		return sg
	}
	var noLevel, optional []string
	for a, why := range unknown {
		switch why {
		case starNoResourceType:
			noLevel = append(noLevel, a)
		case starOptional:
			optional = append(optional, a)
		default:
			sg.Warnings = append(sg.Warnings, fmt.Sprintf(`%s: the events do not reveal the resource ARN; granted on "*"`, a))
		}
	}
	sort.Strings(sg.Warnings)
	if len(noLevel) > 0 {
		sort.Strings(noLevel)
		sg.Warnings = append(sg.Warnings, fmt.Sprintf(`%s no resource-level permissions in IAM and %s granted on "*": %s`, words.Count(len(noLevel), "action has", "actions have"), words.Pick(len(noLevel), "is", "are"), strings.Join(noLevel, ", ")))
	}
	if len(optional) > 0 {
		sort.Strings(optional)
		sg.Warnings = append(sg.Warnings, fmt.Sprintf(`%s called without any of %s optional resource types and %s granted on "*": %s`, words.Count(len(optional), "action was", "actions were"), words.Pick(len(optional), "its", "their"), words.Pick(len(optional), "is", "are"), strings.Join(optional, ", ")))
	}
	p := &policy.Document{Version: policy.Version2012}
	for _, g := range groupGrants(byAction) {
		st := policy.Statement{Effect: policy.EffectAllow, Action: g.actions, Resource: g.resources}
		if len(g.passedTo) > 0 {
			st.Condition = policy.Condition{"StringEquals": {"iam:PassedToService": g.passedTo}}
		}
		p.Statement = append(p.Statement, st)
	}
	sortStatements(p.Statement)
	assignSids(p.Statement)
	sg.Policy = p
	sg.Actions = len(byAction)
	return sg
}

// resourcesOf is what a fact is granted on: its resource, or for an
// iam:PassRole of an instance profile, the profile's roles when the trail
// shows them (else the account's roles, with a warning).
func resourcesOf(f analyze.Fact, opts Options, sg *Suggestion) []string {
	if f.Profile == "" {
		return []string{f.Resource}
	}
	account := arn.AccountOf(f.Resource)
	if opts.ProfileRoles != nil {
		if roles := opts.ProfileRoles(account, f.Profile); len(roles) > 0 {
			return roles
		}
	}
	w := fmt.Sprintf("%s: the role of instance profile %s is not in the trail; granted on the account's roles (%s) for %s", f.Action, f.Profile, f.Resource, f.PassedTo)
	if !slices.Contains(sg.Warnings, w) {
		sg.Warnings = append(sg.Warnings, w)
	}
	return []string{f.Resource}
}

// grant is one statement to be: actions sharing a resource set and a
// PassedToService condition.
type grant struct {
	actions, resources, passedTo []string
}

// groupGrants merges actions whose resources and conditions are identical.
// "*" covers every ARN, so an action seen once without a derivable ARN is
// granted on "*" alone; an unconditional grant of a resource covers the
// conditional ones.
func groupGrants(byAction map[string]map[string]map[string]bool) []grant {
	type condRes struct{ cond, res string }
	perAction := map[string]map[condRes]bool{}
	for action, rs := range byAction {
		byCond := map[string][]string{}
		perAction[action] = map[condRes]bool{}
		for r, svcs := range rs {
			cond := ""
			if !svcs[""] {
				cond = strings.Join(sortedKeys(svcs), ",")
			}
			byCond[cond] = append(byCond[cond], r)
		}
		for cond, res := range byCond {
			if slices.Contains(res, analyze.Wildcard) {
				res = []string{analyze.Wildcard}
			}
			res = dropCovered(res)
			sort.Strings(res)
			perAction[action][condRes{cond, strings.Join(res, "\x00")}] = true
		}
	}
	groups := map[condRes][]string{}
	for action, crs := range perAction {
		for cr := range crs {
			groups[cr] = append(groups[cr], action)
		}
	}
	out := make([]grant, 0, len(groups))
	for cr, actions := range groups {
		sort.Strings(actions)
		g := grant{actions: actions, resources: strings.Split(cr.res, "\x00")}
		if cr.cond != "" {
			g.passedTo = strings.Split(cr.cond, ",")
		}
		out = append(out, g)
	}
	return out
}

// dropCovered removes resources another one, a pattern, already matches:
// role/web under role/*, a key under its folded bucket/prefix/*. Escaped
// characters (${*} in a key that holds "*") are literal, not patterns.
func dropCovered(res []string) []string {
	var patterns []string
	for _, r := range res {
		if policy.HasWildcard(r) {
			patterns = append(patterns, r)
		}
	}
	if len(patterns) == 0 {
		return res
	}
	out := res[:0:0]
	for _, r := range res {
		covered := false
		for _, p := range patterns {
			if p != r && policy.MatchResource(p, policy.Unescape(r)) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, r)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortStatements(ss []policy.Statement) {
	sort.Slice(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if a.Action[0] != b.Action[0] {
			return a.Action[0] < b.Action[0]
		}
		if ra, rb := strings.Join(a.Resource, ","), strings.Join(b.Resource, ","); ra != rb {
			return ra < rb
		}
		return conditionKey(a) < conditionKey(b)
	})
}

// assignSids names each statement from its own content only (its services
// and a hash of its actions and resources), so adding a statement never
// renames the others.
func assignSids(ss []policy.Statement) {
	used := map[string]bool{}
	for i := range ss {
		sid := sidFor(ss[i])
		for n := 2; used[sid]; n++ {
			sid = fmt.Sprintf("%s%d", sidFor(ss[i]), n)
		}
		used[sid] = true
		ss[i].Sid = sid
	}
}

func sidFor(s policy.Statement) string {
	var services []string
	seen := map[string]bool{}
	for _, a := range s.Action {
		svc, _, _ := strings.Cut(a, ":")
		if !seen[svc] {
			seen[svc] = true
			services = append(services, svc)
		}
	}
	name := "Multi"
	if len(services) == 1 {
		name = camelCase(services[0])
	}
	h := fnv.New32a()
	h.Write([]byte(s.Effect))
	for _, a := range s.Action {
		h.Write([]byte{0})
		h.Write([]byte(a))
	}
	h.Write([]byte{1})
	for _, r := range s.Resource {
		h.Write([]byte{0})
		h.Write([]byte(r))
	}
	principal := principalIDs(s)
	for _, k := range slices.Sorted(maps.Keys(principal)) {
		h.Write([]byte{3})
		h.Write([]byte(k + "=" + strings.Join(principal[k], ",")))
	}
	if c := conditionKey(s); c != "" {
		h.Write([]byte{2})
		h.Write([]byte(c))
	}
	return fmt.Sprintf("%s%08X", name, h.Sum32())
}

// conditionKey is a statement's Condition in one canonical string.
func conditionKey(s policy.Statement) string {
	if len(s.Condition) == 0 {
		return ""
	}
	var b strings.Builder
	for _, op := range slices.Sorted(maps.Keys(s.Condition)) {
		for _, k := range slices.Sorted(maps.Keys(s.Condition[op])) {
			fmt.Fprintf(&b, "%s\x00%s\x00%s\x01", op, k, strings.Join(s.Condition[op][k], "\x00"))
		}
	}
	return b.String()
}
