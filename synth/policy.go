// Package synth turns analyzed facts into IAM policy documents: actions
// grouped by identical resource sets, resources scoped to observed ARNs,
// sorted and stable so the same facts always give the same bytes. It does
// no I/O.
//
// Its documents are policy.Documents, the model the parser and evaluator
// read, and policy.Document.Marshal writes their JSON; this file holds
// the narrower form tailor writes them in.
package synth

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/tailor-iam/tailor/policy"
)

var sidPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// validate checks the rules every printed document must meet: Version
// 2012-10-17; statements with unique alphanumeric Sids, an Effect of
// Allow or Deny, sorted non-empty Actions, and Resources or a Principal
// that names principals by type. The elements tailor never writes (Id,
// NotPrincipal, NotAction, NotResource, Principal "*") are refused, so
// that no renderer drops one silently.
func validate(d *policy.Document) error {
	if d.Version != policy.Version2012 {
		return fmt.Errorf("policy: version %q, want %q", d.Version, policy.Version2012)
	}
	if d.ID != "" {
		return fmt.Errorf("policy: an Id, which tailor never writes")
	}
	if len(d.Statement) == 0 {
		return fmt.Errorf("policy: no statements")
	}
	sids := map[string]bool{}
	for i, s := range d.Statement {
		if !sidPattern.MatchString(s.Sid) {
			return fmt.Errorf("policy: statement %d: Sid %q is not alphanumeric", i, s.Sid)
		}
		if sids[s.Sid] {
			return fmt.Errorf("policy: statement %d: duplicate Sid %q", i, s.Sid)
		}
		sids[s.Sid] = true
		if s.Effect != policy.EffectAllow && s.Effect != policy.EffectDeny {
			return fmt.Errorf("policy: statement %s: Effect %q", s.Sid, s.Effect)
		}
		if s.NotPrincipal != nil || s.NotAction != nil || s.NotResource != nil {
			return fmt.Errorf("policy: statement %s: NotPrincipal, NotAction or NotResource, which tailor never writes", s.Sid)
		}
		if s.Principal != nil && (s.Principal.Wildcard || len(s.Principal.IDs) == 0) {
			return fmt.Errorf("policy: statement %s: a Principal that names no principal by type", s.Sid)
		}
		if len(s.Action) == 0 || (len(s.Resource) == 0 && s.Principal == nil) {
			return fmt.Errorf("policy: statement %s: empty Action or Resource", s.Sid)
		}
		if !sort.StringsAreSorted(s.Action) || !sort.StringsAreSorted(s.Resource) {
			return fmt.Errorf("policy: statement %s: Action and Resource must be sorted", s.Sid)
		}
	}
	return nil
}

// principalIDs is a statement's Principal by type, nil when it has none.
func principalIDs(s policy.Statement) map[string][]string {
	if s.Principal == nil {
		return nil
	}
	return s.Principal.IDs
}
