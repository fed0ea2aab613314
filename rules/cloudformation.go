package rules

import "strings"

// AWS CloudFormation (and Cloud Control, logged as cloudcontrolapi).
func init() {
	register(&Service{
		Prefix: "cloudformation",
		Vars: map[string]VarRule{
			"StackName": {Paths: []string{"stackName"}, Transform: afterStackPrefix},
			// The id CloudFormation appends to a stack's ARN is its own.
			"Id": {Fallback: "*"},
		},
		PassRoles: map[string][]PassRule{
			"CreateStack":     {{Paths: []string{"roleARN"}, Service: "cloudformation.amazonaws.com"}},
			"UpdateStack":     {{Paths: []string{"roleARN"}, Service: "cloudformation.amazonaws.com"}},
			"CreateChangeSet": {{Paths: []string{"roleARN"}, Service: "cloudformation.amazonaws.com"}},
			"DeleteStack":     {{Paths: []string{"roleARN"}, Service: "cloudformation.amazonaws.com"}},
			"CreateStackSet":  {{Paths: []string{"administrationRoleARN"}, Service: "cloudformation.amazonaws.com"}},
			"UpdateStackSet":  {{Paths: []string{"administrationRoleARN"}, Service: "cloudformation.amazonaws.com"}},
		},
	})
}

func afterStackPrefix(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		parts := strings.Split(v, "/")
		if len(parts) >= 2 {
			return parts[1], true
		}
		return "", false
	}
	return v, v != ""
}
