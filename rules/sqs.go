package rules

// Amazon SQS. Batch calls are authorized as their single forms.
func init() {
	register(&Service{
		Prefix:        "sqs",
		Vars:          map[string]VarRule{"QueueName": {Paths: []string{"queueName"}}},
		AccountFields: []string{"queueOwnerAWSAccountId"},
		Renamed: map[string][]Act{
			"SendMessageBatch":             Acts("sqs:SendMessage"),
			"DeleteMessageBatch":           Acts("sqs:DeleteMessage"),
			"ChangeMessageVisibilityBatch": Acts("sqs:ChangeMessageVisibility"),
		},
		TagOnCreate: map[string]TagRule{"CreateQueue": {Tagged: AnyTag, Action: "sqs:TagQueue"}},
	})
}
