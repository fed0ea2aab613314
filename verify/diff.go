package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// Diff compares what policies grant with what a principal did.
type Diff struct {
	Granted []string // catalog actions some Allow statement grants, sorted
	Used    []string // actions requested: used, or denied for want of an identity Allow
	Unused  []string // granted, never used
	// NotGranted are observed facts (used, or denied for want of an
	// identity Allow) that the policies do not allow.
	NotGranted []Result
	Statements []StatementUse
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
func Compare(cat *catalog.Catalog, principal string, docs []*policy.Document, facts []analyze.Fact) Diff {
	var d Diff
	granted := map[string]bool{}
	used := map[string]bool{}
	for _, f := range facts {
		if requested(f) {
			used[f.Action] = true
		}
	}
	for i, doc := range docs {
		for j, st := range doc.Statement {
			if st.Effect != policy.EffectAllow {
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
			d.Statements = append(d.Statements, statementUse(label, st, acts, principal, facts))
		}
	}
	d.Granted = sortedSet(granted)
	d.Used = sortedSet(used)
	for _, a := range d.Granted {
		if !used[a] {
			d.Unused = append(d.Unused, a)
		}
	}
	for _, f := range facts {
		if !requested(f) {
			continue
		}
		if dec := policy.Evaluate(docs, Request(principal, f)); !dec.Allowed() {
			d.NotGranted = append(d.NotGranted, Result{Fact: f, Layer: LayerIdentity, Reason: dec.Reason, Undetermined: policy.HasWildcard(f.Resource)})
		}
	}
	return d
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

func statementUse(label string, st policy.Statement, acts []string, principal string, facts []analyze.Fact) StatementUse {
	only := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{st}}
	usedActs := map[string]bool{}
	usedRes := map[string]bool{}
	matchedARN := map[string]bool{}
	for _, f := range facts {
		if !requested(f) {
			continue
		}
		if !only.Evaluate(Request(principal, f)).Allowed() {
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
		what = fmt.Sprintf("%d actions", len(acts))
	}
	if len(where) > 60 {
		where = fmt.Sprintf("%d resources", len(st.Resource)+len(st.NotResource))
	}
	u.Summary = fmt.Sprintf("granted %s on %s; used %d of %d actions on %d resources", what, where, u.UsedActions, u.Actions, u.UsedResources)
	return u
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
	return !f.Denied() || f.Denial.Reason == analyze.ReasonIdentityPolicy || f.Denial.Reason == analyze.ReasonUnknown
}
