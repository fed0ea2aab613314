package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// AWS STS.
func init() {
	register(&Service{
		Prefix:         "sts",
		Vars:           map[string]VarRule{"FederatedUserName": {Paths: []string{"name"}}},
		NoFallback:     map[string]bool{"RoleNameWithPath": true},
		Permissionless: map[string]bool{"GetCallerIdentity": true, "GetSessionToken": true},
		Hooks:          Hooks{Actions: stsActions},
	})
}

// stsActions: session tags and a source identity need their own
// permission on the role.
func stsActions(event string, req Request) []Act {
	if event != "AssumeRole" {
		return nil
	}
	out := Acts("sts:AssumeRole")
	if req.Has("tags.key") || req.Has("transitiveTagKeys") {
		out = append(out, Act{Action: "sts:TagSession"})
	}
	if req.Has("sourceIdentity") {
		out = append(out, Act{Action: "sts:SetSourceIdentity"})
	}
	if len(out) > 1 {
		return out
	}
	return nil
}

// RoleOfSession turns a role session's ARN,
// arn:aws:sts::1:assumed-role/NAME/session, into its role's,
// arn:aws:iam::1:role/NAME (the role's path is not in it). Like arn.Cut, it
// takes userIdentity.arn as the record gives it, whatever precedes its
// first colon.
func RoleOfSession(s string) (string, bool) {
	_, session, ok := arn.Cut(s)
	if !ok || session.Service != "sts" || !strings.HasPrefix(session.Resource, "assumed-role/") {
		return "", false
	}
	rest := strings.TrimPrefix(session.Resource, "assumed-role/")
	name, _, _ := strings.Cut(rest, "/")
	if name == "" || session.Account == "" {
		return "", false
	}
	role := arn.ARN{Partition: session.Partition, Service: "iam", Account: session.Account, Resource: "role/" + name}
	return role.String(), true
}
