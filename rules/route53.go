package rules

import "strings"

// Amazon Route 53. A tagged resource is named by type and id.
func init() {
	register(&Service{
		Prefix: "route53",
		Vars:   map[string]VarRule{"Id": {Paths: []string{"id", "hostedZoneId", "resourceId"}, Transform: route53ID}},
		TypeVars: map[string]map[string]VarRule{
			"hostedzone":  {"Id": {Paths: []string{"hostedZoneId", "id", "resourceId"}, Transform: route53ID, When: route53Type("hostedzone")}},
			"healthcheck": {"Id": {Paths: []string{"healthCheckId", "resourceId"}, When: route53Type("healthcheck")}},
		},
	})
}

// route53ID strips the "/hostedzone/", "/change/" or "/healthcheck/"
// prefix Route 53 ids may carry.
func route53ID(v string) (string, bool) {
	if strings.HasPrefix(v, "/") {
		v, _ = afterSlash(v)
	}
	return v, v != ""
}

func route53Type(typ string) func(Request) bool {
	return func(req Request) bool {
		t := req.First("resourceType")
		return t == "" || strings.EqualFold(t, typ)
	}
}
