package rules

// The RDS Data API (logged as rdsdata).
func init() {
	register(&Service{
		Prefix: "rds-data",
		Vars:   map[string]VarRule{"DbClusterInstanceName": {Paths: []string{"resourceArn"}}},
	})
}
