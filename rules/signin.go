package rules

// AWS Sign-In: the console's sign-in events need no IAM permission.
func init() {
	register(&Service{
		Prefix: "signin",
		Permissionless: map[string]bool{
			"ConsoleLogin": true, "CheckMfa": true, "ExitRole": true, "RenewRole": true, "SwitchRole": true,
			"GetSigninToken": true, "UserAuthentication": true, "CredentialChallenge": true, "CredentialVerification": true,
		},
	})
}
