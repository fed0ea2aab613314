package rules

// AWS Backup.
func init() {
	register(&Service{
		Prefix: "backup",
		PassRoles: map[string][]PassRule{
			"StartBackupJob":        {{Paths: []string{"iamRoleArn"}, Service: "backup.amazonaws.com"}},
			"StartRestoreJob":       {{Paths: []string{"iamRoleArn"}, Service: "backup.amazonaws.com"}},
			"CreateBackupSelection": {{Paths: []string{"backupSelection.iamRoleArn"}, Service: "backup.amazonaws.com"}},
		},
	})
}
