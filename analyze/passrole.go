package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/rules"
)

// iam:PassRole never appears in CloudTrail: it is checked inside the call
// that hands a role to a service. A service's rules.PassRule rows say, per
// event, which request fields carry the passed role and which service
// receives it, so the fact can be granted on that role with an
// iam:PassedToService condition. They are keyed by the event name
// (eventAction's, suffixes already stripped), not the IAM action, since
// one IAM action (apigateway:PUT) can cover calls that pass a role and
// calls that don't.

// PassRoleAction is the action inferred for every passed role.
const PassRoleAction = rules.PassRole

// passedRole is one role an event handed to a service.
type passedRole struct {
	arn     string
	service string
	profile string // the instance profile named, when the role is not
}

// passedRoles returns the roles an event passed. ev supplies the partition
// and account for bare role names and instance profiles.
func passedRoles(passes []rules.PassRule, req params, ev *eventFacts) []passedRole {
	if len(passes) == 0 || req == nil {
		return nil
	}
	var out []passedRole
	seen := map[passedRole]bool{}
	add := func(p passedRole) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, rule := range passes {
		for _, path := range rule.Paths {
			for _, v := range req.strings(path) {
				if rule.Profile {
					// The profile's role is in the profile's account; its
					// name is not in the event.
					account := ev.account
					if a, ok := rules.IAMAccount(v, "instance-profile/"); ok {
						account = a
					}
					add(passedRole{
						arn:     rules.RoleARN(ev.partition, account, "*"),
						service: rule.Service,
						profile: rules.ProfileName(v),
					})
					continue
				}
				if arn, ok := roleARN(v, rule.Names, ev); ok {
					add(passedRole{arn: arn, service: rule.Service})
				}
			}
		}
	}
	return out
}

// roleARN returns v as an IAM role ARN: v itself when it is one, or, when
// names are accepted, the ARN of the role v names in the caller's account.
func roleARN(v string, names bool, ev *eventFacts) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		if _, ok := rules.IAMAccount(v, "role/"); ok {
			return v, true
		}
		return "", false
	}
	if !names || v == "" || ev.account == "" || strings.ContainsAny(v, ":* ") {
		return "", false
	}
	return rules.RoleARN(ev.partition, ev.account, v), true
}
