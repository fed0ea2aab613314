package rules

// AWS Batch.
func init() {
	register(&Service{
		Prefix: "batch",
		PassRoles: map[string][]PassRule{
			"CreateComputeEnvironment": {{Paths: []string{"serviceRole"}, Service: "batch.amazonaws.com"}},
			"RegisterJobDefinition": {{Paths: []string{"containerProperties.jobRoleArn", "containerProperties.executionRoleArn"},
				Service: "ecs-tasks.amazonaws.com"}},
		},
	})
}
