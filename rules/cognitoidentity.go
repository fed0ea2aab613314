package rules

// Amazon Cognito identity pools: a pool's roles, keyed by "authenticated" and
// "unauthenticated", and those its rules map an identity provider's users
// to, keyed by provider.
func init() {
	register(&Service{
		Prefix: "cognito-identity",
		PassRoles: map[string][]PassRule{
			"SetIdentityPoolRoles": {{Paths: []string{"roles.*", "roleMappings.*.rulesConfiguration.rules.roleARN"},
				Service: "cognito-identity.amazonaws.com"}},
		},
	})
}
