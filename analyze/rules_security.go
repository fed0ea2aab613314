package analyze

import "strings"

// Derivation rules for identity, keys, secrets and systems management:
// IAM, STS, KMS, Secrets Manager, SSM.

var securityRules = map[string]map[string]varRule{
	"iam": {
		"OidcProviderName": {paths: []string{"url"}, transform: urlHost},
		// An existing entity is named without its path. The response's
		// ARN has it; else, since IAM names are unique in an account
		// whatever the path, NAME and */NAME together match exactly that
		// entity.
		"RoleNameWithPath":            {paths: []string{"response.role.arn", "roleName"}, expand: anyIAMPath},
		"UserNameWithPath":            {paths: []string{"response.user.arn", "userName"}, expand: anyIAMPath},
		"GroupNameWithPath":           {paths: []string{"response.group.arn", "groupName"}, expand: anyIAMPath},
		"InstanceProfileNameWithPath": {paths: []string{"response.instanceProfile.arn", "instanceProfileName"}, expand: anyIAMPath},
	},
	"sts": {
		"FederatedUserName": {paths: []string{"name"}},
	},
	"kms": {
		"KeyId": {paths: []string{"keyId", "targetKeyId"}, transform: kmsKeyID},
		"Alias": {paths: []string{"aliasName"}, transform: kmsAlias},
	},
	"secretsmanager": {
		// The response's ARN (PutSecretValue's "aRN", UpdateSecret's) is
		// the secret's full ARN: exact, where the request's name is not.
		"SecretId": {paths: []string{"response.arn", "secretId", "name", "secretIdList"}, transform: secretWildcard, generalized: secretNote},
	},
	"ssm": {
		"ParameterNameWithoutLeadingSlash": {paths: []string{"name", "names", "path", "parameterName"}, transform: ssmParameterName},
		"DocumentName":                     {paths: []string{"documentName", "name"}},
		"BucketName":                       {paths: []string{"outputS3BucketName"}},
	},
}

// ssmTargets are where SSM names the instances a command or session
// reaches: instanceIds, Targets of key InstanceIds, a session's target.
var ssmTargets = []string{"instanceIds", "targets.values", "target", "instanceId", "targetId"}

// anyIAMPath is an IAM entity's name under any path: "NAME" (path "/") and
// "*/NAME" (any other). Names are unique in an account, so the pair is
// exactly the one entity.
func anyIAMPath(name string) []string {
	if name == "" || strings.ContainsAny(name, "/*?:") {
		return nil
	}
	return []string{name, "*/" + name}
}

// newIAM names an entity a Create call makes: its path (default "/") and
// its name.
func newIAM(nameField string) varRule {
	return varRule{paths: []string{nameField}, iamPath: "path"}
}

// ssmTagged fills the SSM tag calls' resource from resourceType and
// resourceId: each type's template takes the id only for its own type.
var ssmTagged = map[string]varRule{
	"ParameterNameWithoutLeadingSlash": {paths: []string{"resourceId"}, transform: ssmParameterName, when: ssmResourceType("Parameter")},
	"DocumentName":                     {paths: []string{"resourceId"}, when: ssmResourceType("Document")},
	"InstanceId":                       {paths: []string{"resourceId"}, when: ssmResourceType("ManagedInstance")},
}

func ssmResourceType(kind string) func(params) bool {
	return func(req params) bool { return req.first("resourceType") == kind }
}

// selfUser fills the user of the IAM calls that act on the calling user
// when they name none (IAM works it out from the access key).
var selfUser = map[string]varRule{
	"UserNameWithPath": {paths: []string{"response.user.arn", "userName", callerUserPath}, expand: anyIAMPath},
}

var securityActionRules = map[string]map[string]varRule{
	"iam:CreateAccessKey":                selfUser,
	"iam:DeleteAccessKey":                selfUser,
	"iam:UpdateAccessKey":                selfUser,
	"iam:ListAccessKeys":                 selfUser,
	"iam:GetUser":                        selfUser,
	"iam:ChangePassword":                 selfUser,
	"iam:GetLoginProfile":                selfUser,
	"iam:ListSigningCertificates":        selfUser,
	"iam:UploadSigningCertificate":       selfUser,
	"iam:UpdateSigningCertificate":       selfUser,
	"iam:DeleteSigningCertificate":       selfUser,
	"iam:ListSSHPublicKeys":              selfUser,
	"iam:ListMFADevices":                 selfUser,
	"iam:ListServiceSpecificCredentials": selfUser,
	"iam:ListUserTags":                   selfUser,
	// The key's owner is in the response only.
	"iam:GetAccessKeyLastUsed": {"UserNameWithPath": {paths: []string{"response.userName"}, expand: anyIAMPath}},
	// A new IAM entity's ARN is known from the request: its path defaults
	// to "/". An existing entity named without its path is not (rules.go
	// noFallback): its ARN then comes from the response, if at all.
	"iam:CreateRole":            {"RoleNameWithPath": newIAM("roleName")},
	"iam:CreateUser":            {"UserNameWithPath": newIAM("userName")},
	"iam:CreateGroup":           {"GroupNameWithPath": newIAM("groupName")},
	"iam:CreatePolicy":          {"PolicyNameWithPath": newIAM("policyName")},
	"iam:CreateInstanceProfile": {"InstanceProfileNameWithPath": newIAM("instanceProfileName")},
	// The re-encryption's source key: the request may name it, the
	// response does.
	"kms:ReEncryptFrom": {"KeyId": {paths: []string{"sourceKeyId", "response.sourceKeyId"}, transform: kmsKeyID}},
	// A new secret's full ARN, random suffix included, is in the response.
	"secretsmanager:CreateSecret": {"SecretId": {paths: []string{"response.arn", "name"}, transform: secretWildcard, generalized: secretNote}},
	// A session without a document runs the account's default one.
	"ssm:StartSession":           {"DocumentName": {paths: []string{"documentName"}, fallback: "SSM-SessionManagerRunShell"}},
	"ssm:AddTagsToResource":      ssmTagged,
	"ssm:RemoveTagsFromResource": ssmTagged,
	"ssm:ListTagsForResource":    ssmTagged,
}
