package rules

// Amazon Kinesis Data Streams.
func init() {
	register(&Service{
		Prefix: "kinesis",
		Vars:   map[string]VarRule{"StreamName": {Paths: []string{"streamName"}}},
	})
}
