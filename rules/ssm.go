package rules

import "strings"

// AWS Systems Manager, and Session Manager's agent channels (ssmmessages
// actions logged under ssm).
func init() {
	register(&Service{
		Prefix: "ssm",
		Vars: map[string]VarRule{
			"ParameterNameWithoutLeadingSlash": {Paths: []string{"name", "names", "path", "parameterName"}, Transform: ssmParameterName},
			"DocumentName":                     {Paths: []string{"documentName", "name"}},
			"BucketName":                       {Paths: []string{"outputS3BucketName"}},
		},
		ActionVars: map[string]map[string]VarRule{
			// A session without a document runs the account's default one.
			"StartSession":           {"DocumentName": {Paths: []string{"documentName"}, Fallback: "SSM-SessionManagerRunShell"}},
			"AddTagsToResource":      ssmTagged,
			"RemoveTagsFromResource": ssmTagged,
			"ListTagsForResource":    ssmTagged,
		},
		// A target "i-…" is an EC2 instance, "mi-…" a managed instance.
		TypeVars: map[string]map[string]VarRule{
			"instance":         {"InstanceId": {Paths: ssmTargets, Transform: idWithPrefix("i-")}},
			"managed-instance": {"InstanceId": {Paths: ssmTargets, Transform: idWithPrefix("mi-")}},
		},
		// A document AWS owns (its name starts with a prefix reserved to
		// AWS) has no account in its ARN: arn:aws:ssm:REGION::document/AWS-….
		ARNForms: map[string]func(string) []string{"document": func(arn string) []string { return []string{ssmDocumentARN(arn)} }},
		Renamed: map[string][]Act{
			"OpenControlChannel":   Acts("ssmmessages:OpenControlChannel"),
			"CreateControlChannel": Acts("ssmmessages:CreateControlChannel"),
			"OpenDataChannel":      Acts("ssmmessages:OpenDataChannel"),
			"CreateDataChannel":    Acts("ssmmessages:CreateDataChannel"),
		},
		PassRoles: map[string][]PassRule{
			"SendCommand":                       {{Paths: []string{"serviceRoleArn"}, Service: "ssm.amazonaws.com"}},
			"RegisterTaskWithMaintenanceWindow": {{Paths: []string{"serviceRoleArn"}, Service: "ssm.amazonaws.com"}},
		},
		TagOnCreate: map[string]TagRule{"PutParameter": {Tagged: AnyTag, Action: "ssm:AddTagsToResource"}},
	})
}

// ssmTargets are where SSM names the instances a command or session
// reaches: instanceIds, Targets of key InstanceIds, a session's target.
var ssmTargets = []string{"instanceIds", "targets.values", "target", "instanceId", "targetId"}

// ssmTagged fills the SSM tag calls' resource from resourceType and
// resourceId: each type's template takes the id only for its own type.
var ssmTagged = map[string]VarRule{
	"ParameterNameWithoutLeadingSlash": {Paths: []string{"resourceId"}, Transform: ssmParameterName, When: ssmResourceType("Parameter")},
	"DocumentName":                     {Paths: []string{"resourceId"}, When: ssmResourceType("Document")},
	"InstanceId":                       {Paths: []string{"resourceId"}, When: ssmResourceType("ManagedInstance")},
}

func ssmResourceType(kind string) func(Request) bool {
	return func(req Request) bool { return req.First("resourceType") == kind }
}

// ssmParameterName drops the leading slash and a ":version" or ":label"
// selector, which IAM does not see. A path keeps its trailing slash:
// GetParametersByPath is checked against the path as given.
func ssmParameterName(v string) (string, bool) {
	v = strings.TrimPrefix(v, "/")
	v, _, _ = strings.Cut(v, ":")
	return v, v != ""
}

// ssmDocumentARN drops the account from the ARN of a document AWS owns:
// names starting "aws", "amazon" or "amzn" are reserved to AWS.
func ssmDocumentARN(arn string) string {
	i := strings.Index(arn, ":document/")
	if i < 0 {
		return arn
	}
	name := strings.ToLower(arn[i+len(":document/"):])
	if !strings.HasPrefix(name, "aws") && !strings.HasPrefix(name, "amazon") && !strings.HasPrefix(name, "amzn") {
		return arn
	}
	j := strings.LastIndexByte(arn[:i], ':')
	return arn[:j+1] + arn[i:]
}
