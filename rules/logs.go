package rules

import "strings"

// Amazon CloudWatch Logs.
func init() {
	register(&Service{
		Prefix: "logs",
		Vars: map[string]VarRule{
			// A log group identifier is its name or its ARN; a log stream's
			// template needs the name either way.
			"LogGroupName":  {Paths: []string{"logGroupName", "logGroupIdentifier", "logGroupNames", "logGroupIdentifiers"}, Transform: logGroupName},
			"LogStreamName": {Paths: []string{"logStreamName"}},
		},
		// CloudWatch Logs checks many log-group actions against
		// "log-group:NAME:*" (the group's ARN as DescribeLogGroups prints
		// it) and newer ones against the bare ARN, so both are needed.
		ARNForms: map[string]func(string) []string{
			"log-group": func(arn string) []string {
				bare := strings.TrimSuffix(arn, ":*")
				return []string{bare, bare + ":*"}
			},
		},
		PassRoles: map[string][]PassRule{
			"PutSubscriptionFilter": {{Paths: []string{"roleArn"}, Service: "logs.amazonaws.com"}},
			"PutDestination":        {{Paths: []string{"roleArn"}, Service: "logs.amazonaws.com"}},
		},
		// logs:TagResource, or the older TagLogGroup.
		TagOnCreate: map[string]TagRule{"CreateLogGroup": {Tagged: AnyTag, Action: "logs:TagResource"}},
	})
}

// logGroupName reads a log group's name from its name or its ARN
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME, with or without ":*"); the
// ARN's account and region stay with the name.
func logGroupName(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return v, v != ""
	}
	_, name, ok := strings.Cut(v, ":log-group:")
	name = strings.TrimSuffix(name, ":*")
	return name, ok && name != "" && !strings.Contains(name, ":")
}
