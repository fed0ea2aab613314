package rules

import "strings"

// AWS WAF (v2).
func init() {
	register(&Service{
		Prefix: "wafv2",
		Vars: map[string]VarRule{
			"Scope": {Paths: []string{"scope"}, Transform: wafScope},
			"Name":  {Paths: []string{"name"}},
			"Id":    {Paths: []string{"id"}},
		},
	})
}

// wafScope turns a WAF request's Scope into its ARN segment: REGIONAL is
// "regional", CLOUDFRONT "global".
func wafScope(v string) (string, bool) {
	switch strings.ToUpper(v) {
	case "REGIONAL":
		return "regional", true
	case "CLOUDFRONT":
		return "global", true
	}
	return "", false
}
