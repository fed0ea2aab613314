package rules

import "strings"

// AWS Step Functions.
func init() {
	register(&Service{
		Prefix: "states",
		// "name" is the execution's name in StartExecution; only
		// CreateStateMachine uses it for the state machine.
		Vars: map[string]VarRule{"StateMachineName": {Paths: []string{"stateMachineName"}}},
		ActionVars: map[string]map[string]VarRule{
			"CreateStateMachine": {"StateMachineName": {Paths: []string{"name"}}},
			"CreateActivity":     {"ActivityName": {Paths: []string{"name"}}},
		},
		PassRoles: map[string][]PassRule{
			"CreateStateMachine": {{Paths: []string{"roleArn"}, Service: "states.amazonaws.com"}},
			"UpdateStateMachine": {{Paths: []string{"roleArn"}, Service: "states.amazonaws.com"}},
		},
		// A version or alias ARN (stateMachine:NAME:QUALIFIER) is
		// authorized on the state machine's (Step Functions guide,
		// "Authorization for versions and aliases").
		Unqualified: func(arn string) string {
			parts := strings.SplitN(arn, ":", 8)
			if len(parts) == 8 && parts[5] == "stateMachine" {
				return strings.Join(parts[:7], ":")
			}
			return arn
		},
	})
}
