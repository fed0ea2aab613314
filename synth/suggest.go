package synth

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
)

// Options control what Suggest grants.
type Options struct {
	// IncludeDenied adds denials that a missing identity-policy statement
	// explains (reasons identity-policy and unknown).
	IncludeDenied bool
}

// Suggestion is a suggested policy with what the caller should report.
type Suggestion struct {
	Policy   *Policy
	Actions  int // distinct actions granted
	Warnings []string
	// DeniedAdded counts denied facts granted; DeniedLeftOut counts, by
	// reason, those left out because no identity-policy Allow would help
	// (or because IncludeDenied is off).
	DeniedAdded   int
	DeniedLeftOut map[string]int
}

// Suggest writes the least-privilege policy for one principal's facts.
// It returns a nil Policy when nothing is to be granted.
func Suggest(cat *catalog.Catalog, facts []analyze.Fact, opts Options) Suggestion {
	sg := Suggestion{DeniedLeftOut: map[string]int{}}
	byAction := map[string]map[string]bool{}
	unknown := map[string]bool{}
	for _, f := range facts {
		if f.Denied() {
			grant := opts.IncludeDenied && (f.Denial.Reason == analyze.ReasonIdentityPolicy || f.Denial.Reason == analyze.ReasonUnknown)
			if !grant {
				reason := f.Denial.Reason
				if !opts.IncludeDenied && (reason == analyze.ReasonIdentityPolicy || reason == analyze.ReasonUnknown) {
					reason = "not requested (--include-denied=false)"
				}
				sg.DeniedLeftOut[reason]++
				continue
			}
			sg.DeniedAdded++
		}
		rs := byAction[f.Action]
		if rs == nil {
			rs = map[string]bool{}
			byAction[f.Action] = rs
		}
		rs[f.Resource] = true
		if f.Resource == analyze.Wildcard {
			if a, ok := cat.Action(f.Action); ok && len(a.Resources) > 0 {
				unknown[f.Action] = true
			}
		}
	}
	if len(byAction) == 0 {
		return sg
	}
	// "*" covers every ARN, so an action seen once without a derivable ARN
	// is granted on "*" alone, with a warning.
	groups := map[string][]string{} // resource set key → actions
	sets := map[string][]string{}
	for action, rs := range byAction {
		var res []string
		if rs[analyze.Wildcard] {
			res = []string{analyze.Wildcard}
		} else {
			for r := range rs {
				res = append(res, r)
			}
			sort.Strings(res)
		}
		key := strings.Join(res, "\x00")
		groups[key] = append(groups[key], action)
		sets[key] = res
	}
	for a := range unknown {
		sg.Warnings = append(sg.Warnings, fmt.Sprintf(`%s: the events do not reveal the resource ARN; granted on "*"`, a))
	}
	sort.Strings(sg.Warnings)
	p := &Policy{Version: Version}
	for key, actions := range groups {
		sort.Strings(actions)
		p.Statement = append(p.Statement, Statement{Effect: "Allow", Action: actions, Resource: sets[key]})
	}
	sortStatements(p.Statement)
	assignSids(p.Statement)
	sg.Policy = p
	sg.Actions = len(byAction)
	return sg
}

func sortStatements(ss []Statement) {
	sort.Slice(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if a.Action[0] != b.Action[0] {
			return a.Action[0] < b.Action[0]
		}
		return strings.Join(a.Resource, ",") < strings.Join(b.Resource, ",")
	})
}

// assignSids names each statement from its own content only (its services
// and a hash of its actions and resources), so adding a statement never
// renames the others.
func assignSids(ss []Statement) {
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

func sidFor(s Statement) string {
	var services []string
	seen := map[string]bool{}
	for _, a := range s.Action {
		svc, _, _ := strings.Cut(a, ":")
		if !seen[svc] {
			seen[svc] = true
			services = append(services, svc)
		}
	}
	var name strings.Builder
	if len(services) == 1 {
		up := true
		for _, r := range services[0] {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				up = true
				continue
			}
			if up {
				r = unicode.ToUpper(r)
				up = false
			}
			name.WriteRune(r)
		}
	} else {
		name.WriteString("Multi")
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
	return fmt.Sprintf("%s%08X", name.String(), h.Sum32())
}
