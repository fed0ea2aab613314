package rules

// AWS Config.
func init() {
	register(&Service{
		Prefix: "config",
		Vars: map[string]VarRule{
			"RecorderName": {Paths: []string{"configurationRecorderName", "configurationRecorder.name", "configurationRecorderNames"}},
			// The id AWS Config appends to a recorder's ARN is its own.
			"RecorderId": {Fallback: "*"},
		},
		PassRoles: map[string][]PassRule{
			"PutConfigurationRecorder": {{Paths: []string{"configurationRecorder.roleARN"}, Service: "config.amazonaws.com"}},
		},
	})
}
