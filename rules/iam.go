package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// PassRole is the action IAM checks when a call hands a role to a
// service. It never appears in CloudTrail: it is checked inside that call.
const PassRole = "iam:PassRole"

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
		Profiles: map[string]ProfileRule{
			"AddRoleToInstanceProfile":    {Profile: "instanceProfileName", Role: "roleName"},
			"GetInstanceProfile":          {Responses: []string{"instanceProfile"}},
			"CreateInstanceProfile":       {Responses: []string{"instanceProfile"}},
			"ListInstanceProfiles":        {Responses: []string{"instanceProfiles"}},
			"ListInstanceProfilesForRole": {Responses: []string{"instanceProfiles"}},
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

// RoleARN is the ARN of the role named name (a path may lead it) in an
// account.
func RoleARN(partition, account, name string) string {
	return "arn:" + partition + ":iam::" + account + ":role/" + strings.TrimPrefix(name, "/")
}

// IAMAccount checks that s is an IAM ARN whose resource starts with
// prefix ("role/", "instance-profile/") and names something, and returns
// its account.
func IAMAccount(s, prefix string) (string, bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "iam" || a.Account == "" {
		return "", false
	}
	if !strings.HasPrefix(a.Resource, prefix) || len(a.Resource) == len(prefix) {
		return "", false
	}
	return a.Account, true
}

// ProfileName is an instance profile's name, from itself or its ARN.
func ProfileName(v string) string { return v[strings.LastIndexByte(v, '/')+1:] }

// AccountRoot is the ARN of an account's root user.
func AccountRoot(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

// UserARN is the ARN of the IAM user named name in an account.
func UserARN(partition, account, name string) string {
	return "arn:" + partition + ":iam::" + account + ":user/" + name
}
