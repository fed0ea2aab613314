package rules

// AWS CloudTrail.
func init() {
	register(&Service{
		Prefix: "cloudtrail",
		Vars:   map[string]VarRule{"TrailName": {Paths: []string{"name", "trailName"}}},
		PassRoles: map[string][]PassRule{
			"CreateTrail": {{Paths: []string{"cloudWatchLogsRoleArn"}, Service: "cloudtrail.amazonaws.com"}},
			"UpdateTrail": {{Paths: []string{"cloudWatchLogsRoleArn"}, Service: "cloudtrail.amazonaws.com"}},
		},
	})
}
