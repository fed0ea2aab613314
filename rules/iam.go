package rules

import "strings"

// AWS IAM. An existing entity is named without its path; a new one's path
// is in the request.
func init() {
	register(&Service{
		Prefix: "iam",
		Vars: map[string]VarRule{
			"OidcProviderName": {Paths: []string{"url"}, Transform: urlHost},
			// The response's ARN has the path; else, since IAM names are
			// unique in an account whatever the path, NAME and */NAME
			// together match exactly that entity.
			"RoleNameWithPath":            {Paths: []string{"response.role.arn", "roleName"}, Expand: AnyIAMPath},
			"UserNameWithPath":            {Paths: []string{"response.user.arn", "userName"}, Expand: AnyIAMPath},
			"GroupNameWithPath":           {Paths: []string{"response.group.arn", "groupName"}, Expand: AnyIAMPath},
			"InstanceProfileNameWithPath": {Paths: []string{"response.instanceProfile.arn", "instanceProfileName"}, Expand: AnyIAMPath},
		},
		ActionVars: map[string]map[string]VarRule{
			"CreateAccessKey":                selfUser,
			"DeleteAccessKey":                selfUser,
			"UpdateAccessKey":                selfUser,
			"ListAccessKeys":                 selfUser,
			"GetUser":                        selfUser,
			"ChangePassword":                 selfUser,
			"GetLoginProfile":                selfUser,
			"ListSigningCertificates":        selfUser,
			"UploadSigningCertificate":       selfUser,
			"UpdateSigningCertificate":       selfUser,
			"DeleteSigningCertificate":       selfUser,
			"ListSSHPublicKeys":              selfUser,
			"ListMFADevices":                 selfUser,
			"ListServiceSpecificCredentials": selfUser,
			"ListUserTags":                   selfUser,
			// The key's owner is in the response only.
			"GetAccessKeyLastUsed": {"UserNameWithPath": {Paths: []string{"response.userName"}, Expand: AnyIAMPath}},
			// A new IAM entity's ARN is known from the request: its path
			// defaults to "/". An existing entity named without its path is
			// not (NoFallback): its ARN then comes from the response, if at
			// all.
			"CreateRole":            {"RoleNameWithPath": newIAM("roleName")},
			"CreateUser":            {"UserNameWithPath": newIAM("userName")},
			"CreateGroup":           {"GroupNameWithPath": newIAM("groupName")},
			"CreatePolicy":          {"PolicyNameWithPath": newIAM("policyName")},
			"CreateInstanceProfile": {"InstanceProfileNameWithPath": newIAM("instanceProfileName")},
		},
		// Names without the entity's path would mislead.
		NoFallback: map[string]bool{
			"RoleNameWithPath":            true,
			"UserNameWithPath":            true,
			"PolicyNameWithPath":          true,
			"GroupNameWithPath":           true,
			"InstanceProfileNameWithPath": true,
		},
		TagOnCreate: map[string]TagRule{
			"CreateRole":                  {Tagged: "tags.key", Action: "iam:TagRole"},
			"CreateUser":                  {Tagged: "tags.key", Action: "iam:TagUser"},
			"CreatePolicy":                {Tagged: "tags.key", Action: "iam:TagPolicy"},
			"CreateInstanceProfile":       {Tagged: "tags.key", Action: "iam:TagInstanceProfile"},
			"CreateOpenIDConnectProvider": {Tagged: "tags.key", Action: "iam:TagOpenIDConnectProvider"},
			"CreateSAMLProvider":          {Tagged: "tags.key", Action: "iam:TagSAMLProvider"},
		},
	})
}

// AnyIAMPath is an IAM entity's name under any path: "NAME" (path "/") and
// "*/NAME" (any other). Names are unique in an account, so the pair is
// exactly the one entity.
func AnyIAMPath(name string) []string {
	if name == "" || strings.ContainsAny(name, "/*?:") {
		return nil
	}
	return []string{name, "*/" + name}
}

// newIAM names an entity a Create call makes: its path (default "/") and
// its name.
func newIAM(nameField string) VarRule {
	return VarRule{Paths: []string{nameField}, IAMPath: "path"}
}

// selfUser fills the user of the IAM calls that act on the calling user
// when they name none (IAM works it out from the access key).
var selfUser = map[string]VarRule{
	"UserNameWithPath": {Paths: []string{"response.user.arn", "userName", CallerUser}, Expand: AnyIAMPath},
}
