package rules

// Amazon Redshift.
func init() {
	register(&Service{
		Prefix: "redshift",
		PassRoles: map[string][]PassRule{
			"CreateCluster":         {{Paths: []string{"iamRoles", "defaultIamRoleArn"}, Service: "redshift.amazonaws.com"}},
			"ModifyClusterIamRoles": {{Paths: []string{"addIamRoles", "defaultIamRoleArn"}, Service: "redshift.amazonaws.com"}},
		},
	})
}
