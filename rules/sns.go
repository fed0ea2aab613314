package rules

import "strings"

// Amazon SNS.
func init() {
	register(&Service{
		Prefix: "sns",
		// A subscription's calls are authorized on its topic.
		Vars:        map[string]VarRule{"TopicName": {Paths: []string{"name", "subscriptionArn"}, Transform: subscriptionTopic}},
		Renamed:     map[string][]Act{"PublishBatch": Acts("sns:Publish")},
		TagOnCreate: map[string]TagRule{"CreateTopic": {Tagged: AnyTag, Action: "sns:TagResource"}},
	})
}

// subscriptionTopic turns an SNS subscription ARN (TOPIC-ARN:ID) into its
// topic's ARN: IAM authorizes a subscription's calls on its topic.
func subscriptionTopic(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return v, v != "" // a topic's name (CreateTopic)
	}
	i := strings.LastIndexByte(v, ':')
	if i < 0 || strings.Count(v, ":") != 6 {
		return "", false
	}
	return v[:i], true
}
