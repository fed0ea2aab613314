package rules

import "strings"

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

// URLToARN turns an SQS queue URL, https://HOST/ACCOUNT/NAME, into the
// queue's ARN, for the hosts queueEndpoint knows: a queue URL is an ARN in
// disguise, wherever a request holds one.
func URLToARN(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(u, "http://")
		if !ok {
			return "", false
		}
	}
	host, path, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	region, partition, ok := queueEndpoint(host)
	if !ok {
		return "", false
	}
	acct, name, ok := strings.Cut(path, "/")
	if !ok || acct == "" || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return "arn:" + partition + ":sqs:" + region + ":" + acct + ":" + name, true
}

// queueEndpoint gives the region and partition of an SQS endpoint host:
// sqs.REGION.amazonaws.com (.amazonaws.com.cn in China), its FIPS form
// sqs-fips.REGION.amazonaws.com, an interface VPC endpoint's
// vpce-ID[-AZ].sqs.REGION.vpce.amazonaws.com, and the legacy
// REGION.queue.amazonaws.com, with queue.amazonaws.com and
// sqs.amazonaws.com for us-east-1.
func queueEndpoint(host string) (region, partition string, ok bool) {
	partition = "aws"
	name, ok := strings.CutSuffix(host, ".amazonaws.com")
	if !ok {
		if name, ok = strings.CutSuffix(host, ".amazonaws.com.cn"); !ok {
			return "", "", false
		}
		partition = "aws-cn"
	}
	switch {
	case name == "sqs" || name == "queue":
		if partition != "aws" {
			return "", "", false
		}
		region = "us-east-1"
	case strings.HasPrefix(name, "sqs."):
		region = name[len("sqs."):]
	case strings.HasPrefix(name, "sqs-fips."):
		region = name[len("sqs-fips."):]
	case strings.HasPrefix(name, "vpce-") && strings.HasSuffix(name, ".vpce"):
		_, region, _ = strings.Cut(strings.TrimSuffix(name, ".vpce"), ".sqs.")
	case strings.HasSuffix(name, ".queue") && partition == "aws":
		region = strings.TrimSuffix(name, ".queue")
	}
	if !isRegionName(region) {
		return "", "", false
	}
	if strings.HasPrefix(region, "us-gov-") {
		partition = "aws-us-gov"
	}
	return region, partition, true
}

// isRegionName reports whether s can be a region: lower-case letters,
// digits and dashes, such as eu-west-1.
func isRegionName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return s != ""
}
