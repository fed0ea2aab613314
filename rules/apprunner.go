package rules

// AWS App Runner: a service's instance role and the access role that reads its source image.
func init() {
	register(&Service{
		Prefix: "apprunner",
		PassRoles: map[string][]PassRule{
			"CreateService": {{Paths: appRunnerRoles, Service: "apprunner.amazonaws.com"}},
			"UpdateService": {{Paths: appRunnerRoles, Service: "apprunner.amazonaws.com"}},
		},
	})
}

var appRunnerRoles = []string{"instanceConfiguration.instanceRoleArn", "sourceConfiguration.authenticationConfiguration.accessRoleArn"}
