package rules

// AWS CodeDeploy.
func init() {
	register(&Service{
		Prefix: "codedeploy",
		PassRoles: map[string][]PassRule{
			"CreateDeploymentGroup": {{Paths: []string{"serviceRoleArn"}, Service: "codedeploy.amazonaws.com"}},
			"UpdateDeploymentGroup": {{Paths: []string{"serviceRoleArn"}, Service: "codedeploy.amazonaws.com"}},
		},
	})
}
