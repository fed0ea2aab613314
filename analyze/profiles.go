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

// learnProfiles records the roles a successful IAM call shows in instance
// profiles: AddRoleToInstanceProfile names them; Get/ListInstanceProfiles
// responses list them with their ARNs.
func learnProfiles(agg *Aggregate, event string, req params, ev *eventFacts) {
	switch event {
	case "AddRoleToInstanceProfile":
		profile, role := req.first("instanceProfileName"), req.first("roleName")
		if profile == "" || ev.account == "" {
			return
		}
		for _, name := range rules.AnyIAMPath(role) {
			agg.addProfileRole(ProfileKey{ev.account, profile}, "arn:"+ev.partition+":iam::"+ev.account+":role/"+name)
		}
	case "GetInstanceProfile", "CreateInstanceProfile", "ListInstanceProfiles", "ListInstanceProfilesForRole":
		resp := ev.response()
		if resp == nil {
			return
		}
		var profiles []any
		if v, ok := lookup(resp, "instanceProfile"); ok {
			profiles = append(profiles, v)
		}
		if v, ok := lookup(resp, "instanceProfiles"); ok {
			if list, ok := v.([]any); ok {
				profiles = append(profiles, list...)
			}
		}
		for _, p := range profiles {
			m, ok := p.(map[string]any)
			if !ok {
				continue
			}
			ip := params(m)
			arn := ip.first("arn")
			account, ok := iamARNAccount(arn, "instance-profile/")
			if !ok {
				continue
			}
			name := profileName(arn)
			for _, role := range ip.strings("roles.arn") {
				if _, ok := iamARNAccount(role, "role/"); ok && strings.HasPrefix(role, "arn:") {
					agg.addProfileRole(ProfileKey{account, name}, role)
				}
			}
		}
	}
}
