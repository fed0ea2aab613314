package rules

import "strings"

// Amazon EventBridge.
func init() {
	register(&Service{
		Prefix: "events",
		Vars: map[string]VarRule{
			"RuleName":     {Paths: []string{"name", "rule"}},
			"EventBusName": {Paths: []string{"eventBusName"}, Transform: busName, Fallback: "default"},
		},
		ActionVars: map[string]map[string]VarRule{
			"DescribeEventBus": {"EventBusName": {Paths: []string{"name"}, Transform: busName, Fallback: "default"}},
			"DeleteEventBus":   {"EventBusName": {Paths: []string{"name"}}},
			// Each entry goes to its bus, the default one when it names none.
			"PutEvents":        {"EventBusName": {Paths: []string{"entries.eventBusName"}, Transform: busName, Fallback: "default", FallbackEach: true}},
			"CreateEventBus":   {"EventBusName": {Paths: []string{"name"}}},
			"CreateConnection": {"ConnectionName": {Paths: []string{"name"}}},
			"CreateArchive":    {"EventBusName": {Paths: []string{"eventSourceArn"}, Transform: busName}},
		},
		// A rule on the default bus has no bus in its ARN; one on a custom
		// bus has it.
		TypeVars: map[string]map[string]VarRule{
			"rule-on-default-event-bus": {"RuleName": {Paths: []string{"name", "rule"}, When: onDefaultBus}},
			"rule-on-custom-event-bus":  {"EventBusName": {Paths: []string{"eventBusName"}, Transform: customBusName}},
		},
		PassRoles: map[string][]PassRule{
			"PutRule":    {{Paths: []string{"roleArn"}, Service: "events.amazonaws.com"}},
			"PutTargets": {{Paths: []string{"targets.roleArn"}, Service: "events.amazonaws.com"}},
		},
		// The PutRule API reference documents the separate tag check.
		TagOnCreate: map[string]TagRule{"PutRule": {Tagged: AnyTag, Action: "events:TagResource"}},
	})
}

// onDefaultBus reports whether a rule call is about the default event bus.
func onDefaultBus(req Request) bool {
	b := req.First("eventBusName")
	return b == "" || b == "default" || strings.HasSuffix(b, ":event-bus/default")
}

// customBusName reads a custom bus's name from its name or ARN; the
// default bus has no name in its rules' ARNs.
func customBusName(v string) (string, bool) {
	if i := strings.Index(v, ":event-bus/"); i >= 0 {
		v = v[i+len(":event-bus/"):]
	}
	return v, v != "" && v != "default" && !strings.HasPrefix(v, "arn:")
}

// busName reads an event bus's name from its name or ARN.
func busName(v string) (string, bool) {
	if i := strings.Index(v, ":event-bus/"); i >= 0 {
		v = v[i+len(":event-bus/"):]
	}
	return v, v != "" && !strings.HasPrefix(v, "arn:")
}
