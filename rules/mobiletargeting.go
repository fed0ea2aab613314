package rules

// Amazon Pinpoint (logged as pinpoint).
func init() {
	register(&Service{
		Prefix: "mobiletargeting",
		Vars:   map[string]VarRule{"AppId": {Paths: []string{"applicationId"}}},
	})
}
