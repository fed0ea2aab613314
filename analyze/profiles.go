package analyze

import (
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/rules"
)

// Instance profiles hand a role to EC2 without naming it: RunInstances
// names the profile. IAM calls elsewhere in the trail may show which role a
// profile holds; the aggregate keeps what they show, so a policy can grant
// iam:PassRole on that role rather than on the account's roles.

// ProfileKey names an instance profile: names are unique in an account.
type ProfileKey struct {
	Account string
	Name    string
}

func (a *Aggregate) addProfileRole(k ProfileKey, role string) {
	m := a.ProfileRoles[k]
	if m == nil {
		m = map[string]bool{}
		a.ProfileRoles[k] = m
	}
	m[role] = true
}

// RolesOfProfile returns the role ARNs (or NAME and */NAME patterns) the
// trail shows in an instance profile, sorted; nil when it shows none.
func (a *Aggregate) RolesOfProfile(account, name string) []string {
	m := a.ProfileRoles[ProfileKey{Account: account, Name: name}]
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// learnProfiles records the roles a successful call shows in instance
// profiles, where its service's rules say it shows them: a request that
// adds a role to a profile, or a response that lists profiles with their
// roles' ARNs.
func learnProfiles(agg *Aggregate, rule rules.ProfileRule, req params, ev *eventFacts) {
	if rule.Profile != "" {
		profile, role := req.first(rule.Profile), req.first(rule.Role)
		if profile == "" || ev.account == "" {
			return
		}
		for _, name := range rules.AnyIAMPath(role) {
			agg.addProfileRole(ProfileKey{ev.account, profile}, rules.RoleARN(ev.partition, ev.account, name))
		}
	}
	if len(rule.Responses) == 0 {
		return
	}
	resp := ev.response()
	if resp == nil {
		return
	}
	var profiles []any
	for _, key := range rule.Responses {
		v, ok := lookup(resp, key)
		if list, isList := v.([]any); isList {
			profiles = append(profiles, list...)
		} else if ok {
			profiles = append(profiles, v)
		}
	}
	for _, p := range profiles {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		ip := params(m)
		arn := ip.first("arn")
		account, ok := rules.IAMAccount(arn, "instance-profile/")
		if !ok {
			continue
		}
		name := rules.ProfileName(arn)
		for _, role := range ip.strings("roles.arn") {
			if _, ok := rules.IAMAccount(role, "role/"); ok && strings.HasPrefix(role, "arn:") {
				agg.addProfileRole(ProfileKey{account, name}, role)
			}
		}
	}
}

// AddProfileRole records that the instance profile k holds role, as an IAM
// call in the trail shows it: what a source that carries no such calls
// (an export) restores.
func (a *Aggregate) AddProfileRole(k ProfileKey, role string) { a.addProfileRole(k, role) }
