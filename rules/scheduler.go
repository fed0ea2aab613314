package rules

// Amazon EventBridge Scheduler.
func init() {
	register(&Service{
		Prefix: "scheduler",
		PassRoles: map[string][]PassRule{
			"CreateSchedule": {{Paths: []string{"target.roleArn"}, Service: "scheduler.amazonaws.com"}},
			"UpdateSchedule": {{Paths: []string{"target.roleArn"}, Service: "scheduler.amazonaws.com"}},
		},
	})
}
