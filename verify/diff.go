package verify

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// Diff compares what policies grant with what a principal did.
type Diff struct {
	// Granted are the catalog actions some Allow statement grants and no
	// unconditional Deny on every resource takes away, sorted.
	Granted []string
	Used    []string // actions requested: used, or denied for want of an identity Allow
	// Unused are granted actions no request the policies allow used: an
	// action used only outside the grant (another bucket) is unused.
	Unused []string
	// NotGranted are observed facts (used, or denied for want of an
	// identity Allow) that the policies do not allow.
	NotGranted []Result
	Statements []StatementUse
	// Unknown are actions the policies name that the catalog does not
	// know (a typo, or an action newer than the catalog).
	Unknown []string
	// Services splits Granted by service prefix: services with a used
	// action first, then the rest, each group by unused count, largest
	// first. A `*` grants hundreds of services; this is what a reader can
	// take in.
	Services []ServiceUse
}

// ServiceUse is one service's share of what the policies grant.
type ServiceUse struct {
	Service string // prefix, such as "s3"
	Granted int
	Used    int // granted actions that a request the policies allow used
	Unused  int
	// Families counts the unused actions by family, largest first (ties
	// by name).
	Families []FamilyCount
}

// FamilyCount is how many unused actions of a service share a family.
type FamilyCount struct {
	Family string // "Get", as in s3:Get*
	Unused int
}

// StatementUse says how much of one Allow statement was used.
type StatementUse struct {
	Label         string // Sid or Statement[i], with Policy[j]. when several
	Actions       int    // catalog actions it grants
	UsedActions   int
	UsedResources int      // distinct observed resources it covered
	Unused        []string // granted actions no covered fact used
	UnusedARNs    []string // Resource entries no used fact matched
	Summary       string   // "granted s3:* on *; used 3 actions on 2 resources"
}

// Compare diffs docs against a principal's facts.
func Compare(cat *catalog.Catalog, p analyze.Principal, docs []*policy.Document, facts []analyze.Fact) Diff {
	var d Diff
	granted := map[string]bool{}
	revoked := map[string]bool{}
	used := map[string]bool{}
	allowedUse := map[string]bool{}
	unknown := map[string]bool{}
	// Each fact's requests, built once and only for a fact some statement
	// names: every such statement replays them.
	built := make([][]policy.Request, len(facts))
	reqs := func(i int) []policy.Request {
		if built[i] == nil {
			built[i] = Requests(p, facts[i])
		}
		return built[i]
	}
	for _, f := range facts {
		if !requested(f) {
			continue
		}
		used[f.Action] = true
		identity := Layers{Identity: docs}
		r := decideFact(cat, p, f, identity.decide, identity.docs)
		if r.Allowed {
			allowedUse[f.Action] = true
		} else {
			d.NotGranted = append(d.NotGranted, r)
		}
	}
	for i, doc := range docs {
		for j, st := range doc.Statement {
			for _, a := range append(append([]string{}, st.Action...), st.NotAction...) {
				if !strings.Contains(a, "*") && !strings.Contains(a, "?") && a != "*" {
					if _, ok := cat.Action(a); !ok {
						unknown[a] = true
					}
				}
			}
			if st.Effect != policy.EffectAllow {
				if everywhere(st) {
					for _, a := range statementActions(cat, st) {
						revoked[a] = true
					}
				}
				continue
			}
			label := st.Sid
			if label == "" {
				label = fmt.Sprintf("Statement[%d]", j)
			}
			if len(docs) > 1 {
				label = fmt.Sprintf("Policy[%d].%s", i, label)
			}
			acts := statementActions(cat, st)
			for _, a := range acts {
				granted[a] = true
			}
			d.Statements = append(d.Statements, statementUse(label, st, acts, facts, reqs))
		}
	}
	for a := range revoked {
		delete(granted, a)
	}
	d.Granted = sortedSet(granted)
	d.Used = sortedSet(used)
	d.Unknown = sortedSet(unknown)
	for _, a := range d.Granted {
		if !allowedUse[a] {
			d.Unused = append(d.Unused, a)
		}
	}
	d.Services = byService(d.Granted, allowedUse)
	return d
}

// byService counts granted (sorted) by service prefix and the unused ones
// by family: one pass over the grant, whatever the statements.
func byService(granted []string, used map[string]bool) []ServiceUse {
	var out []ServiceUse
	var families map[string]int
	flush := func() {
		if len(out) == 0 {
			return
		}
		s := &out[len(out)-1]
		for f, n := range families {
			s.Families = append(s.Families, FamilyCount{Family: f, Unused: n})
		}
		sort.Slice(s.Families, func(i, j int) bool {
			a, b := s.Families[i], s.Families[j]
			return a.Unused > b.Unused || a.Unused == b.Unused && a.Family < b.Family
		})
	}
	for _, a := range granted {
		prefix, name, _ := strings.Cut(a, ":")
		if len(out) == 0 || out[len(out)-1].Service != prefix {
			flush()
			out = append(out, ServiceUse{Service: prefix})
			families = map[string]int{}
		}
		s := &out[len(out)-1]
		s.Granted++
		if used[a] {
			s.Used++
			continue
		}
		s.Unused++
		families[family(name)]++
	}
	flush()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Used > 0) != (b.Used > 0) {
			return a.Used > 0
		}
		return a.Unused > b.Unused // ties keep the prefix order
	})
	return out
}

// family is the verb an action name begins with, its leading capitalized
// word: Get for GetObject, Describe for DescribeDBInstances, SAML for
// SAMLLogin, upload for uploadFiles (and Parti for PartiQLSelect: a brand
// with an acronym inside reads like a verb with one). The summary writes a
// family Get*. A name of one word is its own family.
func family(name string) string {
	if _, after, ok := strings.Cut(name, ":"); ok {
		name = after
	}
	if len(name) < 2 {
		return name
	}
	i := 1
	if isUpper(name[0]) && isUpper(name[1]) {
		// An acronym runs to the capital that begins the next word.
		for i < len(name) && !isLower(name[i]) {
			i++
		}
		if i < len(name) {
			i--
		}
		return name[:i]
	}
	for i < len(name) && !isUpper(name[i]) {
		i++
	}
	return name[:i]
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// everywhere reports whether a Deny statement applies to every request of
// its actions: any resource, no condition.
func everywhere(st policy.Statement) bool {
	return len(st.NotResource) == 0 && len(st.Condition) == 0 && slices.Contains(st.Resource, "*")
}

// statementActions expands a statement's Action or NotAction over the
// catalog.
func statementActions(cat *catalog.Catalog, st policy.Statement) []string {
	set := map[string]bool{}
	if len(st.NotAction) > 0 {
		for _, s := range cat.Services() {
			for _, a := range s.Actions() {
				full := a.Full()
				excluded := false
				for _, p := range st.NotAction {
					excluded = excluded || policy.MatchAction(p, full)
				}
				if !excluded {
					set[full] = true
				}
			}
		}
	}
	for _, p := range st.Action {
		for _, a := range synth.Expand(cat, p) {
			set[a] = true
		}
	}
	return sortedSet(set)
}

func statementUse(label string, st policy.Statement, acts []string, facts []analyze.Fact, reqs func(int) []policy.Request) StatementUse {
	only := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{st}}
	usedActs := map[string]bool{}
	usedRes := map[string]bool{}
	matchedARN := map[string]bool{}
	for i, f := range facts {
		if !requested(f) || !names(st, f.Action) {
			continue // the statement cannot allow it
		}
		if !allowsAll(only, reqs(i)) {
			continue
		}
		usedActs[f.Action] = true
		usedRes[f.Resource] = true
		for _, r := range st.Resource {
			if r == f.Resource || policy.MatchResource(r, policy.Unescape(f.Resource)) {
				matchedARN[r] = true
			}
		}
	}
	u := StatementUse{Label: label, Actions: len(acts), UsedActions: len(usedActs), UsedResources: len(usedRes)}
	for _, a := range acts {
		if !usedActs[a] {
			u.Unused = append(u.Unused, a)
		}
	}
	for _, r := range st.Resource {
		if !matchedARN[r] {
			u.UnusedARNs = append(u.UnusedARNs, r)
		}
	}
	what := strings.Join(append(append([]string{}, st.Action...), prefixAll("not ", st.NotAction)...), ", ")
	where := strings.Join(append(append([]string{}, st.Resource...), prefixAll("not ", st.NotResource)...), ", ")
	if len(what) > 60 {
		what = words.Nouns(len(acts), "action")
	}
	if len(where) > 60 {
		where = words.Nouns(len(st.Resource)+len(st.NotResource), "resource")
	}
	u.Summary = fmt.Sprintf("granted %s on %s; used %s of %s on %s", what, where, words.Thousands(u.UsedActions), words.Nouns(u.Actions, "action"), words.Nouns(u.UsedResources, "resource"))
	return u
}

// names reports whether a statement's Action or NotAction takes in an
// action, whatever its resources and conditions.
func names(st policy.Statement, action string) bool {
	if len(st.NotAction) > 0 {
		for _, p := range st.NotAction {
			if policy.MatchAction(p, action) {
				return false
			}
		}
		return true
	}
	for _, p := range st.Action {
		if policy.MatchAction(p, action) {
			return true
		}
	}
	return false
}

// allowsAll reports whether doc allows every one of a fact's requests.
func allowsAll(doc *policy.Document, reqs []policy.Request) bool {
	for _, req := range reqs {
		if !doc.Evaluate(req).Allowed() {
			return false
		}
	}
	return true
}

func prefixAll(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// requested reports whether a fact is a request the principal needs: one
// it made, or one denied for want of an identity-policy Allow. Denials an
// Allow cannot fix (SCP, boundary, explicit deny) are not needed grants.
func requested(f analyze.Fact) bool {
	return !f.Denied() || f.Denial.Grantable()
}
