package analyze

import (
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// Resources a call needs beyond those its event names: the required
// resources of calls IAM checks against each (rules.Service.AllRequired).

// requiredTypes adds, for each resource type the catalog marks required
// for the action and the event names no ARN of, that type in the
// caller's account and region: IAM checks it (RunInstances checks the
// subnet and security group it launches into, DeleteAlias the key behind
// the alias), and the event does not say which one.
func (d *deriver) requiredTypes(a *catalog.Action, svc *rules.Service, types []*catalog.ResourceType, tpls []*template, set map[string]string, ev *eventFacts, note func(string)) {
	have := map[string]bool{}
	for _, typ := range set {
		have[typ] = true
	}
	// A type IAM checks again though the event names one (UpdateAlias:
	// the key the alias pointed to).
	if typ, ok := svc.RequiredAgain[a.Name]; ok {
		have[typ] = false
	}
	for _, ref := range a.Resources {
		if !ref.Required || have[ref.Type] {
			continue
		}
		for i, rt := range types {
			if rt.Name != ref.Type {
				continue
			}
			if arn, ok := tpls[i].anyOf(ev); ok {
				set[arn] = rt.Name
				have[rt.Name] = true
				note("the event does not name its " + rt.Name + ", which the action requires: any " + rt.Name + " in the account")
				break
			}
		}
	}
}
