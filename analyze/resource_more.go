package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"
)

// Resources a call needs beyond those its event names: the model behind a
// cross-Region inference profile, the access point an object was read
// through, and the required resources of calls IAM checks against each.

// crossRegionModels adds, for a system-defined cross-region inference
// profile (us.anthropic…), the foundation model it routes to in any
// Region: Bedrock authorizes the call on the profile and on the model in
// the Region that serves it, which the event does not say.
func crossRegionModels(types []*catalog.ResourceType, set map[string]string, note func(string)) {
	takesModel := false
	for _, rt := range types {
		takesModel = takesModel || rt.Name == "foundation-model"
	}
	if !takesModel {
		return
	}
	for s, typ := range set {
		if typ != "inference-profile" {
			continue
		}
		profile, ok := arn.Parse(s)
		if !ok {
			continue
		}
		id := strings.TrimPrefix(profile.Resource, "inference-profile/")
		g := bedrockGeography(id)
		if g == "" {
			continue
		}
		model := arn.ARN{Partition: profile.Partition, Service: "bedrock", Region: "*", Resource: "foundation-model/" + strings.TrimPrefix(id, g)}
		set[model.String()] = "foundation-model"
		note("a cross-Region inference profile routes to its model in any Region: foundation-model in Region *")
	}
}

// accessPointObjects adds, for an object request made through an S3
// access point (resources[] names it), the access point's object ARN: the
// identity policy must allow the request on it, beside the bucket.
func accessPointObjects(types []*catalog.ResourceType, ev *eventFacts, set map[string]string) {
	takes := false
	for _, rt := range types {
		takes = takes || rt.Name == "accesspointobject"
	}
	key := ev.req.first("key")
	if !takes || key == "" {
		return
	}
	lit, _ := iamLiteral(key)
	for _, a := range ev.direct {
		ap, ok := arn.Parse(a)
		if !ok || ap.Service != "s3" || ap.Region == "" || ap.Account == "" {
			continue
		}
		name, ok := strings.CutPrefix(ap.Resource, "accesspoint/")
		if !ok || name == "" || strings.Contains(name, "/") {
			continue
		}
		set[a+"/object/"+lit] = "accesspointobject"
		// The identity policy must allow the access point's ARN; the
		// bucket's side is its bucket policy's (delegating to access
		// points), so the bucket object ARN is not needed.
		for s, typ := range set {
			if typ == "object" {
				delete(set, s)
			}
		}
	}
}

// allRequired are actions IAM checks against every resource type the
// catalog marks required. Elsewhere the marks often name alternatives (a
// Route 53 tag call is on a hosted zone or a health check), so they are
// not used.
var allRequired = map[string]bool{
	"ec2:RunInstances":           true,
	"ec2:CreateNetworkInterface": true,
	"ec2:AttachVolume":           true,
	"ec2:DetachVolume":           true,
	"kms:CreateAlias":            true,
	"kms:UpdateAlias":            true,
	"kms:DeleteAlias":            true,
}

// requiredTypes adds, for each resource type the catalog marks required
// for the action and the event names no ARN of, that type in the
// caller's account and region: IAM checks it (RunInstances checks the
// subnet and security group it launches into, DeleteAlias the key behind
// the alias), and the event does not say which one.
func (d *deriver) requiredTypes(a *catalog.Action, types []*catalog.ResourceType, tpls []*template, set map[string]string, ev *eventFacts, note func(string)) {
	have := map[string]bool{}
	for _, typ := range set {
		have[typ] = true
	}
	// UpdateAlias is checked on the alias, the new key the request names,
	// and the key the alias pointed to, which it does not name.
	if a.Full() == "kms:UpdateAlias" {
		have["key"] = false
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

// exactSecrets drops a secret's "name-??????" where the set also holds the
// secret's full ARN (a denial message names it), and reports whether no
// such pattern is left.
func exactSecrets(set map[string]string) bool {
	left := false
	for a := range set {
		if !strings.HasSuffix(a, "-??????") {
			continue
		}
		base := strings.TrimSuffix(a, "??????")
		exact := false
		for b := range set {
			if len(b) == len(a) && strings.HasPrefix(b, base) && !strings.Contains(b[len(base):], "?") {
				exact = true
				break
			}
		}
		if exact {
			delete(set, a)
		} else {
			left = true
		}
	}
	return !left
}
