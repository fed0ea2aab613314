package rules

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
