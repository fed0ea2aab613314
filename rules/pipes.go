package rules

// Amazon EventBridge Pipes.
func init() {
	register(&Service{
		Prefix: "pipes",
		PassRoles: map[string][]PassRule{
			"CreatePipe": {{Paths: []string{"roleArn"}, Service: "pipes.amazonaws.com"}},
			"UpdatePipe": {{Paths: []string{"roleArn"}, Service: "pipes.amazonaws.com"}},
		},
	})
}
