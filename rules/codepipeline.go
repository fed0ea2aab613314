package rules

// AWS CodePipeline.
func init() {
	register(&Service{
		Prefix: "codepipeline",
		PassRoles: map[string][]PassRule{
			"CreatePipeline": {{Paths: []string{"pipeline.roleArn"}, Service: "codepipeline.amazonaws.com"}},
			"UpdatePipeline": {{Paths: []string{"pipeline.roleArn"}, Service: "codepipeline.amazonaws.com"}},
		},
	})
}
