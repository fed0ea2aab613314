package policy

import "testing"

// when is a one-statement Allow of s3:GetObject on everything under a
// condition, such as `"StringEquals":{"aws:RequestedRegion":"eu-west-1"}`.
func when(condition string) []string {
	return []string{doc(`{"Sid":"C","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{` + condition + `}}`)}
}

// get is an s3:GetObject request with context pairs.
func get(kv ...string) Request { return req("s3:GetObject", objectARN, kv...) }

// getEmpty is an s3:GetObject request whose context has key with no values.
func getEmpty(key string) Request {
	r := get()
	r.Context = map[string][]string{key: {}}
	return r
}

func TestEvaluateStringConditions(t *testing.T) {
	const region = "aws:RequestedRegion"
	eu := when(`"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}`)
	notEU := when(`"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}`)
	runEvalCases(t, "cond_string.golden", []evalCase{
		{"StringEquals any policy value", eu, get(region, "eu-central-1"), Allow, "C"},
		{"StringEquals no value", eu, get(region, "us-east-1"), ImplicitDeny, ""},
		{"StringEquals key absent", eu, get(), ImplicitDeny, ""},
		{"StringEquals key name ignores case", eu, get("AWS:REQUESTEDREGION", "eu-west-1"), Allow, "C"},
		{"StringEquals value case matters", eu, get(region, "EU-WEST-1"), ImplicitDeny, ""},
		{"StringEquals several request values", eu, get(region, "us-east-1", region, "eu-west-1"), Allow, "C"},
		{"StringNotEquals none of the values", notEU, get(region, "us-east-1"), Allow, "C"},
		{"StringNotEquals one of the values", notEU, get(region, "eu-west-1"), ImplicitDeny, ""},
		{"StringNotEquals key absent", notEU, get(), Allow, "C"},
		{"StringNotEquals several request values one listed", notEU, get(region, "us-east-1", region, "eu-west-1"), ImplicitDeny, ""},
		{"StringEqualsIgnoreCase", when(`"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}`), get("aws:PrincipalTag/team", "BLUE"), Allow, "C"},
		{"StringNotEqualsIgnoreCase same value", when(`"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}`), get("aws:PrincipalTag/team", "blue"), ImplicitDeny, ""},
		{"StringNotEqualsIgnoreCase other value", when(`"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Blue"}`), get("aws:PrincipalTag/team", "red"), Allow, "C"},
		{"StringLike wildcard", when(`"StringLike":{"s3:prefix":"home/*"}`), get("s3:prefix", "home/alice/"), Allow, "C"},
		{"StringLike no match", when(`"StringLike":{"s3:prefix":"home/*"}`), get("s3:prefix", "tmp/"), ImplicitDeny, ""},
		{"StringLike question mark", when(`"StringLike":{"ec2:InstanceType":"t?.micro"}`), get("ec2:InstanceType", "t3.micro"), Allow, "C"},
		{"StringLike is case-sensitive", when(`"StringLike":{"s3:prefix":"Home/*"}`), get("s3:prefix", "home/x"), ImplicitDeny, ""},
		{"StringNotLike match", when(`"StringNotLike":{"s3:prefix":"private/*"}`), get("s3:prefix", "private/x"), ImplicitDeny, ""},
		{"StringNotLike no match", when(`"StringNotLike":{"s3:prefix":"private/*"}`), get("s3:prefix", "public/x"), Allow, "C"},
		{"StringEqualsIfExists absent", when(`"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}`), get(), Allow, "C"},
		{"StringEqualsIfExists present mismatch", when(`"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}`), get("ec2:InstanceType", "m5.large"), ImplicitDeny, ""},
		{"StringNotEqualsIfExists absent", when(`"StringNotEqualsIfExists":{"ec2:InstanceType":"t3.micro"}`), get(), Allow, "C"},
		{"StringEquals with a variable", when(`"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}`), get("aws:PrincipalTag/owner", "alice", "aws:username", "alice"), Allow, "C"},
		{"StringEquals with an unresolved variable", when(`"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}`), get("aws:PrincipalTag/owner", "alice"), ImplicitDeny, ""},
		{"several keys are ANDed", when(`"StringEquals":{"aws:RequestedRegion":"eu-west-1","aws:PrincipalTag/team":"blue"}`), get(region, "eu-west-1", "aws:PrincipalTag/team", "red"), ImplicitDeny, ""},
		{"several operators are ANDed", when(`"StringEquals":{"aws:RequestedRegion":"eu-west-1"},"Bool":{"aws:SecureTransport":"true"}`), get(region, "eu-west-1", "aws:SecureTransport", "true"), Allow, "C"},
		{"unknown operator never applies", when(`"StringEqualz":{"aws:RequestedRegion":"eu-west-1"}`), get(region, "eu-west-1"), ImplicitDeny, ""},
		{"operator names are case-sensitive", when(`"stringEquals":{"aws:RequestedRegion":"eu-west-1"}`), get(region, "eu-west-1"), ImplicitDeny, ""},
	})
}

func TestEvaluateTypedConditions(t *testing.T) {
	const mfaAge = "aws:MultiFactorAuthAge"
	const now = "aws:CurrentTime"
	runEvalCases(t, "cond_typed.golden", []evalCase{
		{"NumericEquals", when(`"NumericEquals":{"s3:max-keys":10}`), get("s3:max-keys", "10.0"), Allow, "C"},
		{"NumericNotEquals", when(`"NumericNotEquals":{"s3:max-keys":"10"}`), get("s3:max-keys", "10"), ImplicitDeny, ""},
		{"NumericLessThan", when(`"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "120"), Allow, "C"},
		{"NumericLessThan equal", when(`"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "3600"), ImplicitDeny, ""},
		{"NumericLessThanEquals equal", when(`"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "3600"), Allow, "C"},
		{"NumericGreaterThan", when(`"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "3601"), Allow, "C"},
		{"NumericGreaterThanEquals below", when(`"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "3599.5"), ImplicitDeny, ""},
		{"Numeric request value not a number", when(`"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}`), get(mfaAge, "soon"), ImplicitDeny, ""},
		{"NumericLessThanIfExists absent", when(`"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}`), get(), Allow, "C"},
		{"DateGreaterThan ISO", when(`"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}`), get("aws:TokenIssueTime", "2020-06-01T10:00:00Z"), Allow, "C"},
		{"DateLessThan epoch policy ISO request", when(`"DateLessThan":{"aws:CurrentTime":1767225600}`), get(now, "2025-12-31T23:59:59Z"), Allow, "C"},
		{"DateLessThan after", when(`"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}`), get(now, "2026-01-01T00:00:00Z"), ImplicitDeny, ""},
		{"DateLessThanEquals same instant in another zone", when(`"DateLessThanEquals":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}`), get(now, "2026-01-01T01:00:00+01:00"), Allow, "C"},
		{"DateEquals date only", when(`"DateEquals":{"aws:CurrentTime":"2026-03-01"}`), get(now, "2026-03-01T00:00:00Z"), Allow, "C"},
		{"DateNotEquals", when(`"DateNotEquals":{"aws:CurrentTime":"2026-03-01"}`), get(now, "2026-03-01T00:00:00Z"), ImplicitDeny, ""},
		{"DateGreaterThanEquals epoch request", when(`"DateGreaterThanEquals":{"aws:EpochTime":"2026-01-01T00:00:00Z"}`), get("aws:EpochTime", "1767225600"), Allow, "C"},
		{"Bool true", when(`"Bool":{"aws:SecureTransport":true}`), get("aws:SecureTransport", "true"), Allow, "C"},
		{"Bool false request", when(`"Bool":{"aws:SecureTransport":"true"}`), get("aws:SecureTransport", "false"), ImplicitDeny, ""},
		{"Bool ignores case", when(`"Bool":{"aws:SecureTransport":"TRUE"}`), get("aws:SecureTransport", "true"), Allow, "C"},
		{"Bool key absent", when(`"Bool":{"aws:MultiFactorAuthPresent":"true"}`), get(), ImplicitDeny, ""},
		{"BoolIfExists key absent", when(`"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}`), get(), Allow, "C"},
		{"BinaryEquals", when(`"BinaryEquals":{"k":"QmluYXJ5"}`), get("k", "QmluYXJ5"), Allow, "C"},
		{"IpAddress inside", when(`"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}`), get("aws:SourceIp", "203.0.113.7"), Allow, "C"},
		{"IpAddress outside", when(`"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}`), get("aws:SourceIp", "198.51.100.7"), ImplicitDeny, ""},
		{"IpAddress single address", when(`"IpAddress":{"aws:SourceIp":"203.0.113.7"}`), get("aws:SourceIp", "203.0.113.7"), Allow, "C"},
		{"IpAddress IPv6", when(`"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}`), get("aws:SourceIp", "2001:db8:1234:5678::99"), Allow, "C"},
		{"IpAddress mapped IPv4", when(`"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}`), get("aws:SourceIp", "::ffff:203.0.113.9"), Allow, "C"},
		{"NotIpAddress outside", when(`"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8::/32"]}`), get("aws:SourceIp", "198.51.100.7"), Allow, "C"},
		{"NotIpAddress inside", when(`"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8::/32"]}`), get("aws:SourceIp", "2001:db8::1"), ImplicitDeny, ""},
		{"IpAddressIfExists absent", when(`"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}`), get(), Allow, "C"},
		{"ArnLike", when(`"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-*"}`), get("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic-a"), Allow, "C"},
		{"ArnEquals behaves as ArnLike", when(`"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-*"}`), get("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic-a"), Allow, "C"},
		{"ArnNotLike", when(`"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin-*"}`), get("aws:PrincipalArn", "arn:aws:iam::111122223333:role/admin-x"), ImplicitDeny, ""},
		{"ArnNotEquals key absent", when(`"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin-*"}`), get(), Allow, "C"},
		{"ArnLike is segment-aware", when(`"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}`), get("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), ImplicitDeny, ""},
		{"StringLike is not segment-aware", when(`"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}`), get("aws:SourceArn", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), Allow, "C"},
		{"Null true key absent", when(`"Null":{"aws:TokenIssueTime":"true"}`), get(), Allow, "C"},
		{"Null true key present", when(`"Null":{"aws:TokenIssueTime":"true"}`), get("aws:TokenIssueTime", "2026-01-01T00:00:00Z"), ImplicitDeny, ""},
		{"Null false key present", when(`"Null":{"aws:TokenIssueTime":false}`), get("aws:TokenIssueTime", "2026-01-01T00:00:00Z"), Allow, "C"},
		{"Null false key empty", when(`"Null":{"aws:TagKeys":"false"}`), getEmpty("aws:TagKeys"), ImplicitDeny, ""},
		{"NullIfExists is not an operator", when(`"NullIfExists":{"aws:TokenIssueTime":"true"}`), get(), ImplicitDeny, ""},
	})
}

func TestEvaluateSetConditions(t *testing.T) {
	const tags = "aws:TagKeys"
	anyOf := when(`"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}`)
	allOf := when(`"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}`)
	anyNot := when(`"ForAnyValue:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}`)
	allNot := when(`"ForAllValues:StringNotEquals":{"aws:TagKeys":["DataClass","Owner"]}`)
	runEvalCases(t, "cond_set.golden", []evalCase{
		{"ForAnyValue one matches", anyOf, get(tags, "cost", tags, "team"), Allow, "C"},
		{"ForAnyValue none matches", anyOf, get(tags, "cost"), ImplicitDeny, ""},
		{"ForAnyValue key absent", anyOf, get(), ImplicitDeny, ""},
		{"ForAnyValue empty set", anyOf, getEmpty(tags), ImplicitDeny, ""},
		{"ForAllValues all match", allOf, get(tags, "env", tags, "team"), Allow, "C"},
		{"ForAllValues one does not", allOf, get(tags, "env", tags, "cost"), ImplicitDeny, ""},
		{"ForAllValues key absent", allOf, get(), Allow, "C"},
		{"ForAllValues empty set", allOf, getEmpty(tags), Allow, "C"},
		{"ForAllValues with Null false guard", when(`"ForAllValues:StringEquals":{"aws:TagKeys":["env"]},"Null":{"aws:TagKeys":"false"}`), get(), ImplicitDeny, ""},
		{"ForAnyValue:StringNotEquals all listed", anyNot, get(tags, "DataClass", tags, "Owner"), ImplicitDeny, ""},
		{"ForAnyValue:StringNotEquals one unlisted", anyNot, get(tags, "Dept", tags, "DataClass"), Allow, "C"},
		{"ForAnyValue:StringNotEquals key absent", anyNot, get(), ImplicitDeny, ""},
		{"ForAllValues:StringNotEquals none listed", allNot, get(tags, "Dept", tags, "SIC"), Allow, "C"},
		{"ForAllValues:StringNotEquals one listed", allNot, get(tags, "Dept", tags, "DataClass"), ImplicitDeny, ""},
		{"ForAllValues:StringNotEquals key absent", allNot, get(), Allow, "C"},
		{"ForAnyValue:StringLikeIfExists key absent", when(`"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"env*"}`), get(), Allow, "C"},
		{"ForAllValues:StringLike", when(`"ForAllValues:StringLike":{"aws:TagKeys":"team-*"}`), get(tags, "team-a", tags, "team-b"), Allow, "C"},
		{"ForAnyValue:ArnLike", when(`"ForAnyValue:ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ops-*"}`), get("aws:PrincipalArn", "arn:aws:iam::111122223333:role/ops-1"), Allow, "C"},
		{"ForAnyValue:Null is not an operator", when(`"ForAnyValue:Null":{"aws:TagKeys":"true"}`), get(), ImplicitDeny, ""},
	})
}
