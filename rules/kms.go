package rules

import "strings"

// AWS KMS.
func init() {
	register(&Service{
		Prefix: "kms",
		Vars: map[string]VarRule{
			"KeyId": {Paths: []string{"keyId", "targetKeyId"}, Transform: kmsKeyID},
			"Alias": {Paths: []string{"aliasName"}, Transform: kmsAlias},
		},
		ActionVars: map[string]map[string]VarRule{
			// The re-encryption's source key: the request may name it, the
			// response does.
			"ReEncryptFrom": {"KeyId": {Paths: []string{"sourceKeyId", "response.sourceKeyId"}, Transform: kmsKeyID}},
		},
		Sides: map[Side]SideRule{
			Destination: {
				Marker:      []string{"destinationKeyId"},
				Vars:        map[string]VarRule{"KeyId": {Paths: []string{"destinationKeyId", "response.keyId"}, Transform: kmsKeyID}},
				Actions:     []string{"kms:ReEncryptTo"},
				OrDirect:    true,
				Counterpart: "kms:ReEncryptFrom",
			},
		},
		Renamed: map[string][]Act{"ReEncrypt": {{Action: "kms:ReEncryptFrom"}, {Action: "kms:ReEncryptTo", Side: Destination}}},
		// "At a minimum, the permission must cover all KMS keys in the
		// account and Region."
		TagOnCreate: map[string]TagRule{"CreateKey": {Tagged: AnyTag, Action: "kms:TagResource", Kind: "key", AnyNew: true}},
		// An alias call is checked on the alias and on its key.
		AllRequired: map[string]bool{"CreateAlias": true, "UpdateAlias": true, "DeleteAlias": true},
		// UpdateAlias is checked on the alias, the new key the request
		// names, and the key the alias pointed to, which it does not name.
		RequiredAgain: map[string]string{"UpdateAlias": "key"},
	})
}

func kmsKeyID(v string) (string, bool) {
	if strings.HasPrefix(v, "alias/") || strings.HasPrefix(v, "arn:") {
		return "", false // an alias names no key; key ARNs are used whole
	}
	return v, v != ""
}

// kmsAlias strips "alias/": the template already has it.
func kmsAlias(v string) (string, bool) {
	name, ok := strings.CutPrefix(v, "alias/")
	return name, ok && name != ""
}
