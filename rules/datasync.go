package rules

// AWS DataSync.
func init() {
	register(&Service{
		Prefix: "datasync",
		PassRoles: map[string][]PassRule{
			"CreateLocationS3": {{Paths: []string{"s3Config.bucketAccessRoleArn"}, Service: "datasync.amazonaws.com"}},
		},
	})
}
