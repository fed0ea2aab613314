package analyze

import (
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// Permissions a request triggers beyond its own action: headers that set an
// object's tags, ACL or lock, tags applied as a resource is created, and
// other resources the request names for the new one to use (a function's
// layers). IAM checks each separately: on the same resource (or, for a
// resource whose id is not known yet, on any of its kind), or on the
// resource used.

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
// tagging action too, where the service documents that it authorizes the
// tags separately: IAM; SQS, SNS and Secrets Manager (their API
// references); CloudWatch Logs (logs:TagResource or the older TagLogGroup);
// Lambda; KMS ("at a minimum, the permission must cover all KMS keys in the
// account and Region"); ECS ("Grant permission to tag resources on
// creation"); SSM parameters; RDS ("RDS performs additional authorization
// on the rds:AddTagsToResource action", for instances and clusters);
// CloudWatch alarms and EventBridge rules (their PutMetricAlarm and PutRule
// API references). DynamoDB refuses a CreateTable with
// tags without dynamodb:TagResource on the table. Step Functions documents
// no such check, so it has no row.
var tagOnCreate = map[string]tagRule{
	"iam:CreateRole":                  {tagged: "tags.key", action: "iam:TagRole"},
	"iam:CreateUser":                  {tagged: "tags.key", action: "iam:TagUser"},
	"iam:CreatePolicy":                {tagged: "tags.key", action: "iam:TagPolicy"},
	"iam:CreateInstanceProfile":       {tagged: "tags.key", action: "iam:TagInstanceProfile"},
	"iam:CreateOpenIDConnectProvider": {tagged: "tags.key", action: "iam:TagOpenIDConnectProvider"},
	"iam:CreateSAMLProvider":          {tagged: "tags.key", action: "iam:TagSAMLProvider"},
	"sqs:CreateQueue":                 {tagged: anyTag, action: "sqs:TagQueue"},
	"sns:CreateTopic":                 {tagged: anyTag, action: "sns:TagResource"},
	"secretsmanager:CreateSecret":     {tagged: anyTag, action: "secretsmanager:TagResource"},
	"dynamodb:CreateTable":            {tagged: anyTag, action: "dynamodb:TagResource"},
	"logs:CreateLogGroup":             {tagged: anyTag, action: "logs:TagResource"},
	"lambda:CreateFunction":           {tagged: anyTag, action: "lambda:TagResource"},
	"kms:CreateKey":                   {tagged: anyTag, action: "kms:TagResource", kind: "key", anyNew: true},
	"ecs:CreateCluster":               {tagged: anyTag, action: "ecs:TagResource"},
	"ecs:CreateService":               {tagged: anyTag, action: "ecs:TagResource"},
	"ecs:RegisterTaskDefinition":      {tagged: anyTag, action: "ecs:TagResource"},
	"ssm:PutParameter":                {tagged: anyTag, action: "ssm:AddTagsToResource"},
	"rds:CreateDBInstance":            {tagged: anyTag, action: "rds:AddTagsToResource", kind: "db"},
	"rds:CreateDBCluster":             {tagged: anyTag, action: "rds:AddTagsToResource", kind: "cluster"},
	"cloudwatch:PutMetricAlarm":       {tagged: anyTag, action: "cloudwatch:TagResource", kind: "alarm"},
	"events:PutRule":                  {tagged: anyTag, action: "events:TagResource"},
}

// tagRule is one row of tagOnCreate.
type tagRule struct {
	tagged string // the request field that holds the tags
	action string // the tagging action
	// kind, when set, is the resource type the call creates: the tagging
	// action is scoped to it alone, not to every resource the create
	// action names (a DB instance's subnet and parameter groups).
	kind string
	// anyNew marks a create whose action takes no resource (kms:CreateKey):
	// the tagging action is on any resource of kind in the account.
	anyNew bool
}

// anyTag matches a tag list ([{"key": …}] or [{"tagKey": …}]) and a tag
// map ({"team": "checkout"}) alike, as long as it holds a tag.
const anyTag = "tags.{}"

// usedResources: request fields that name other resources a call uses,
// each needing an action of its own on them. The role (rules.go) reads the
// resources from the field alone. Adding a layer to a function needs
// lambda:GetLayerVersion on the layer version (Lambda developer guide,
// "Adding layers to functions").
var usedResources = map[string][]usedResource{
	"lambda:CreateFunction":              {{field: "layers", action: "lambda:GetLayerVersion", role: "layers"}},
	"lambda:UpdateFunctionConfiguration": {{field: "layers", action: "lambda:GetLayerVersion", role: "layers"}},
	// An alarm whose actions stop or terminate an EC2 instance needs the
	// caller's EC2 permission for them (the recover action's are no
	// longer IAM actions), and the service-linked role CloudWatch acts
	// through; without them the alarm is created but its actions do
	// nothing (PutMetricAlarm API reference).
	"cloudwatch:PutMetricAlarm": alarmEC2Actions(),
}

// usedResource is one row of usedResources: when field holds a value (one
// containing contains, if set), action on what role reads, or on template.
type usedResource struct {
	field, contains string
	action          string
	role, template  string
}

// alarmEC2Actions are PutMetricAlarm's rows for EC2 alarm actions
// ("arn:aws:automate:REGION:ec2:stop"), in any of its three action lists.
func alarmEC2Actions() []usedResource {
	const slr = "arn:${Partition}:iam::${Account}:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"
	var out []usedResource
	for _, field := range []string{"alarmActions", "oKActions", "insufficientDataActions"} {
		out = append(out,
			usedResource{field: field, contains: ":ec2:stop", action: "ec2:StopInstances", role: "alarm-instance"},
			usedResource{field: field, contains: ":ec2:terminate", action: "ec2:TerminateInstances", role: "alarm-instance"},
			usedResource{field: field, contains: ":automate:", action: "iam:CreateServiceLinkedRole", template: slr},
		)
	}
	return out
}

// holds reports whether the request's field holds a value with sub in it.
func holds(req params, field, sub string) bool {
	for _, v := range req.strings(field) {
		if strings.Contains(v, sub) {
			return true
		}
	}
	return false
}

// ec2TagPaths are where EC2 logs the kinds of resource a call tags as it
// creates them.
var ec2TagPaths = []string{"tagSpecificationSet.items.resourceType", "tagSpecifications.resourceType", ec2WrappedTagPath}

// ec2WrappedTagPath is where they are in the parameters of EC2's newer
// APIs, which are also logged inside the call's wrapper (ec2Wrapper).
const ec2WrappedTagPath = "TagSpecification.ResourceType"

// impliedNeeds returns the extra needs of an event beside its main needs,
// on the main need's resources unless a template says otherwise (filled
// by the main action's rules), and on the resources a used-resource role
// reads.
func impliedNeeds(cat *catalog.Catalog, ev string, req params, main []Need) []Need {
	if req == nil || len(main) == 0 {
		return nil
	}
	var out []Need
	add := func(name string, template string) {
		if a, ok := cat.Action(name); ok {
			out = append(out, Need{Action: a, Template: template, ResourcesOf: main[0].Action, mapped: true})
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
		add(t.action, t.template(cat, main[0].Action))
	}
	used := map[string]bool{}
	for _, u := range usedResources[ev] {
		if used[u.action] || !holds(req, u.field, u.contains) {
			continue
		}
		if a, ok := cat.Action(u.action); ok {
			used[u.action] = true
			out = append(out, Need{Action: a, Role: u.role, Template: u.template, mapped: true})
		}
	}
	if strings.HasPrefix(ev, "ec2:") && ev != "ec2:CreateTags" {
		seen := map[string]bool{}
		paths := append(slices.Clip(ec2TagPaths), ec2Wrapper(strings.TrimPrefix(ev, "ec2:"))+"."+ec2WrappedTagPath)
		for _, p := range paths {
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

// template is the ARN template a tag-on-create need is scoped to: "" for
// every resource the create action names, the create action's template of
// kind, or any resource of kind when the create names none.
func (t tagRule) template(cat *catalog.Catalog, create *catalog.Action) string {
	switch {
	case t.kind == "":
		return ""
	case t.anyNew:
		return anyOfKind(cat, t.action, t.kind)
	}
	for _, rt := range cat.ResourceTypes(create) {
		if rt.Name == t.kind {
			return arnTemplateForms(rt.ARN)[0]
		}
	}
	return ""
}
