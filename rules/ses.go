package rules

import "strings"

// Amazon SES (logged as email).
func init() {
	register(&Service{
		Prefix: "ses",
		Vars: map[string]VarRule{
			"IdentityName":         {Paths: []string{"emailIdentity", "identity"}},
			"ConfigurationSetName": {Paths: []string{"configurationSetName", "configurationSet.name"}},
			"TemplateName":         {Paths: []string{"templateName", "content.template.templateName", "template"}},
		},
		ActionVars: map[string]map[string]VarRule{
			"SendEmail":              sesSender,
			"SendRawEmail":           sesSender,
			"SendTemplatedEmail":     sesSender,
			"SendBulkEmail":          sesSender,
			"SendBulkTemplatedEmail": sesSender,
		},
	})
}

// sesSender fills an identity from the sender of a message.
var sesSender = map[string]VarRule{
	"IdentityName": {Paths: []string{"fromEmailAddressIdentityArn", "sourceArn", "fromEmailAddress", "source"}, Expand: sesSenderIdentities},
}

// sesSenderIdentities: SES authorizes sending from an address against the
// address's identity when that is verified, else its domain's. The event
// does not say which, so both stand. A sender may be `"Name" <addr>`.
func sesSenderIdentities(v string) []string {
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		v = strings.TrimSuffix(v[i+1:], ">")
	}
	v = strings.TrimSpace(v)
	_, domain, ok := strings.Cut(v, "@")
	if !ok || domain == "" || strings.ContainsAny(v, " ,") {
		return nil
	}
	return []string{v, domain}
}
