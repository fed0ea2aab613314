package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// Permissions a request triggers beyond its own action: headers that set an
// object's tags, ACL or lock, and tags applied as a resource is created.
// IAM checks each separately, on the same resource (or, for EC2, on the
// kind of resource being created).

// headerActions: S3 writes whose request headers need another action on
// the same object (S3 API reference, PutObject "Permissions").
var headerActions = map[string][]struct {
	headers []string
	action  string
}{
	"s3:PutObject":             s3WriteHeaders,
	"s3:CreateMultipartUpload": s3WriteHeaders,
}

var s3WriteHeaders = []struct {
	headers []string
	action  string
}{
	{[]string{"x-amz-tagging"}, "s3:PutObjectTagging"},
	{[]string{"x-amz-acl", "x-amz-grant-full-control", "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write-acp"}, "s3:PutObjectAcl"},
	{[]string{"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date"}, "s3:PutObjectRetention"},
	{[]string{"x-amz-object-lock-legal-hold"}, "s3:PutObjectLegalHold"},
}

// tagOnCreate: calls that create a resource with tags need the service's
// tagging action too, on the resource created.
var tagOnCreate = map[string]struct {
	tagged string // the request field that holds the tags
	action string // the tagging action
}{
	"iam:CreateRole":                  {"tags.key", "iam:TagRole"},
	"iam:CreateUser":                  {"tags.key", "iam:TagUser"},
	"iam:CreatePolicy":                {"tags.key", "iam:TagPolicy"},
	"iam:CreateInstanceProfile":       {"tags.key", "iam:TagInstanceProfile"},
	"iam:CreateOpenIDConnectProvider": {"tags.key", "iam:TagOpenIDConnectProvider"},
	"iam:CreateSAMLProvider":          {"tags.key", "iam:TagSAMLProvider"},
}

// ec2TagPaths are where EC2 logs the kinds of resource a call tags as it
// creates them; newer APIs wrap their parameters in "<Operation>Request".
var ec2TagPaths = []string{"tagSpecificationSet.items.resourceType", "TagSpecification.ResourceType", "tagSpecifications.resourceType",
	"CreateLaunchTemplateRequest.TagSpecification.ResourceType", "CreateFleetRequest.TagSpecification.ResourceType",
	"CreateVpcRequest.TagSpecification.ResourceType", "CreateSubnetRequest.TagSpecification.ResourceType"}

// impliedNeeds returns the extra needs of an event beside its main needs,
// on the main need's resources unless a template says otherwise.
func impliedNeeds(cat *catalog.Catalog, ev string, req params, main []Need) []Need {
	if req == nil || len(main) == 0 {
		return nil
	}
	var out []Need
	add := func(name string, template string) {
		if a, ok := cat.Action(name); ok {
			n := Need{Action: a, Template: template, mapped: true}
			if template == "" {
				n.ResourcesOf = main[0].Action
			}
			out = append(out, n)
		}
	}
	for _, h := range headerActions[ev] {
		for _, k := range h.headers {
			if req.has(k) {
				add(h.action, "")
				break
			}
		}
	}
	if t, ok := tagOnCreate[ev]; ok && req.has(t.tagged) {
		add(t.action, "")
	}
	if strings.HasPrefix(ev, "ec2:") && ev != "ec2:CreateTags" {
		seen := map[string]bool{}
		for _, p := range ec2TagPaths {
			for _, kind := range req.strings(p) {
				kind = strings.ToLower(kind)
				if seen[kind] {
					continue
				}
				seen[kind] = true
				// The resource does not exist yet: any of its kind (EC2
				// "tag on create"), in the form its catalog ARN has (an
				// image or snapshot has no account, an IPAM no region).
				if tmpl := anyOfKind(cat, "ec2:CreateTags", kind); tmpl != "" {
					add("ec2:CreateTags", tmpl)
				}
			}
		}
	}
	return out
}

// anyOfKind returns the ARN template of action's resource type kind with
// every variable but the partition, region and account made "*"; "" when
// the action cannot be scoped to kind.
func anyOfKind(cat *catalog.Catalog, action, kind string) string {
	a, ok := cat.Action(action)
	if !ok {
		return ""
	}
	for _, rt := range cat.ResourceTypes(a) {
		if rt.Name != kind {
			continue
		}
		return tplVar.ReplaceAllStringFunc(rt.ARN, func(v string) string {
			switch v {
			case "${Partition}", "${Region}", "${Account}":
				return v
			}
			return "*"
		})
	}
	return ""
}
