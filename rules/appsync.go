package rules

// AWS AppSync.
func init() {
	register(&Service{
		Prefix: "appsync",
		PassRoles: map[string][]PassRule{
			"CreateDataSource": {{Paths: []string{"serviceRoleArn"}, Service: "appsync.amazonaws.com"}},
			"UpdateDataSource": {{Paths: []string{"serviceRoleArn"}, Service: "appsync.amazonaws.com"}},
		},
	})
}
