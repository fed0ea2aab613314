package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// The policies under testdata/awsdocs are examples from the IAM User Guide
// (reference_policies_elements_notaction, _examples_aws_deny-requested-region,
// _multi-value-conditions, _condition_examples-multi-valued-context-keys,
// _elements_condition_operators, _variables) and an AWS knowledge-center
// article on MFA with the CLI; the expected effects are the ones the guide
// states.
func TestEvaluateAWSExamples(t *testing.T) {
	files := func(names ...string) []string {
		var out []string
		for _, n := range names {
			data, err := os.ReadFile(filepath.Join("testdata", "awsdocs", n+".json"))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(data))
		}
		return out
	}
	const ec2Instance = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc"
	const region = "aws:RequestedRegion"
	regions := files("allow-all", "deny-requested-region")
	mfa := files("allow-all", "deny-without-mfa")
	mfaBool := files("allow-all", "deny-without-mfa-bool")
	passRole := files("passrole-ec2")
	home := files("s3-home-folder")
	const bucket = "arn:aws:s3:::BUCKET-NAME"
	thread := "arn:aws:dynamodb:us-east-1:111122223333:table/Thread"
	attrs := "dynamodb:requestedAttributes"
	tags := files("allow-all", "deny-restricted-tags")
	const user = "arn:aws:iam::111122223333:user/u"
	runEvalCases(t, "awsdocs.golden", []evalCase{
		{"region: allowed region", regions, req("ec2:RunInstances", ec2Instance, region, "eu-west-1"), Allow, "Policy[0].AllowAll"},
		{"region: other region denied", regions, req("ec2:RunInstances", ec2Instance, region, "us-east-1"), ExplicitDeny, "Policy[1].DenyAllOutsideRequestedRegions"},
		{"region: global service in us-east-1", regions, req("iam:CreateUser", user, region, "us-east-1"), Allow, "Policy[0].AllowAll"},
		{"region: no region in the request", regions, req("s3:GetObject", objectARN), ExplicitDeny, "Policy[1].DenyAllOutsideRequestedRegions"},
		{"notaction: everything but IAM", files("notaction-all-but-iam"), req("ec2:RunInstances", ec2Instance), Allow, "AllButIAM"},
		{"notaction: not IAM", files("notaction-all-but-iam"), req("iam:CreateAccessKey", user), ImplicitDeny, ""},
		{"notaction: S3 on S3 resources", files("notaction-s3-but-deletebucket"), req("s3:PutObject", objectARN), Allow, "S3ButDeleteBucket"},
		{"notaction: not DeleteBucket", files("notaction-s3-but-deletebucket"), req("s3:DeleteBucket", bucketARN), ImplicitDeny, ""},
		{"notaction: not ListAllMyBuckets on star", files("notaction-s3-but-deletebucket"), req("s3:ListAllMyBuckets", "*"), ImplicitDeny, ""},
		{"notaction: not other services on S3 scope", files("notaction-s3-but-deletebucket"), req("ec2:RunInstances", ec2Instance), ImplicitDeny, ""},
		{"mfa: signed in without MFA", mfa, req("s3:GetObject", objectARN, "aws:MultiFactorAuthPresent", "false"), ExplicitDeny, "Policy[1].DenyAllUsersNotUsingMFA"},
		{"mfa: access keys have no MFA key", mfa, req("s3:GetObject", objectARN), ExplicitDeny, "Policy[1].DenyAllUsersNotUsingMFA"},
		{"mfa: with MFA", mfa, req("s3:GetObject", objectARN, "aws:MultiFactorAuthPresent", "true"), Allow, "Policy[0].AllowAll"},
		{"mfa: IAM without MFA", mfa, req("iam:EnableMFADevice", user, "aws:MultiFactorAuthPresent", "false"), Allow, "Policy[0].AllowAll"},
		{"mfa bool: console without MFA", mfaBool, req("s3:GetObject", objectARN, "aws:MultiFactorAuthPresent", "false"), ExplicitDeny, "Policy[1].BlockMostAccessUnlessSignedInWithMFA"},
		{"mfa bool: CLI access keys slip through", mfaBool, req("s3:GetObject", objectARN), Allow, "Policy[0].AllowAll"},
		{"passrole: to EC2", passRole, req("iam:PassRole", "arn:aws:iam::111122223333:role/ExampleRole", "iam:PassedToService", "ec2.amazonaws.com"), Allow, "PassExampleRoleToEC2"},
		{"passrole: to Lambda", passRole, req("iam:PassRole", "arn:aws:iam::111122223333:role/ExampleRole", "iam:PassedToService", "lambda.amazonaws.com"), ImplicitDeny, ""},
		{"passrole: other role", passRole, req("iam:PassRole", "arn:aws:iam::111122223333:role/Admin", "iam:PassedToService", "ec2.amazonaws.com"), ImplicitDeny, ""},
		{"passrole: no service in the request", passRole, req("iam:PassRole", "arn:aws:iam::111122223333:role/ExampleRole"), ImplicitDeny, ""},
		{"home: list the bucket root", home, req("s3:ListBucket", bucket, "s3:prefix", "", "aws:username", "alice"), Allow, "ListHome"},
		{"home: list home", home, req("s3:ListBucket", bucket, "s3:prefix", "home/", "aws:username", "alice"), Allow, "ListHome"},
		{"home: list own folder", home, req("s3:ListBucket", bucket, "s3:prefix", "home/alice/", "aws:username", "alice"), Allow, "ListHome"},
		{"home: list another folder", home, req("s3:ListBucket", bucket, "s3:prefix", "home/bob/", "aws:username", "alice"), ImplicitDeny, ""},
		{"home: read own object", home, req("s3:GetObject", bucket+"/home/alice/notes.txt", "aws:username", "alice"), Allow, "OwnHome"},
		{"home: read another object", home, req("s3:GetObject", bucket+"/home/bob/notes.txt", "aws:username", "alice"), ImplicitDeny, ""},
		{"home: a role has no username", home, req("s3:GetObject", bucket+"/home/alice/notes.txt"), ImplicitDeny, ""},
		{"home: list all buckets", home, req("s3:ListAllMyBuckets", "arn:aws:s3:::BUCKET-NAME"), Allow, "ListAll"},
		{"sqs: own queue", files("sqs-own-queue"), req("sqs:SendMessage", "arn:aws:sqs:us-east-2:111122223333:alice-queue", "aws:username", "alice"), Allow, "AllQueueActions"},
		{"sqs: another region", files("sqs-own-queue"), req("sqs:SendMessage", "arn:aws:sqs:us-west-2:111122223333:alice-queue", "aws:username", "alice"), ImplicitDeny, ""},
		{"forallvalues: requested attributes listed", files("dynamodb-forallvalues"), req("dynamodb:GetItem", thread, attrs, "PostDateTime", attrs, "Message"), Allow, "OnlySomeAttributes"},
		{"forallvalues: UserName not listed", files("dynamodb-forallvalues"), req("dynamodb:GetItem", thread, attrs, "PostDateTime", attrs, "UserName"), ImplicitDeny, ""},
		{"foranyvalue: PostDateTime denied", files("allow-all", "dynamodb-foranyvalue-deny"), req("dynamodb:PutItem", thread, attrs, "UserName", attrs, "Message", attrs, "PostDateTime"), ExplicitDeny, "Policy[1].DenyIDAndPostDateTime"},
		{"foranyvalue: UserName alone", files("allow-all", "dynamodb-foranyvalue-deny"), req("dynamodb:PutItem", thread, attrs, "UserName"), Allow, "Policy[0].AllowAll"},
		{"tags: key1 prefix", tags, req("iam:TagUser", user, "aws:TagKeys", "key1:legal"), Allow, "Policy[0].AllowAll"},
		{"tags: all key1 prefix", tags, req("iam:TagUser", user, "aws:TagKeys", "key1:hr", "aws:TagKeys", "key1:personnel"), Allow, "Policy[0].AllowAll"},
		{"tags: key2 prefix", tags, req("iam:TagUser", user, "aws:TagKeys", "key2:audit"), ExplicitDeny, "Policy[1].DenyRestrictedTags"},
		{"tags: no tag keys", tags, req("iam:TagUser", user), ExplicitDeny, "Policy[1].DenyRestrictedTags"},
		{"transport: plain HTTP", files("allow-all", "deny-insecure-transport"), req("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k", "aws:SecureTransport", "false"), ExplicitDeny, "Policy[1].BooleanExample"},
		{"transport: TLS", files("allow-all", "deny-insecure-transport"), req("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/k", "aws:SecureTransport", "true"), Allow, "Policy[0].AllowAll"},
		{"null: long-term credentials", files("ec2-no-temporary-credentials"), req("ec2:DescribeInstances", "*"), Allow, "Statement[0]"},
		{"null: temporary credentials", files("ec2-no-temporary-credentials"), req("ec2:DescribeInstances", "*", "aws:TokenIssueTime", "2026-01-01T00:00:00Z"), ImplicitDeny, ""},
		{"ip: IPv4 range", files("source-ip-v4-v6"), req("someservice:Do", "*", "aws:SourceIp", "203.0.113.200"), Allow, "Statement[0]"},
		{"ip: IPv6 range", files("source-ip-v4-v6"), req("someservice:Do", "*", "aws:SourceIp", "2001:db8:1234:5678:abcd::1"), Allow, "Statement[0]"},
		{"ip: VPC endpoint request has no source IP", files("source-ip-v4-v6"), req("someservice:Do", "*"), ImplicitDeny, ""},
		{"ifexists: allowed instance type", files("run-instances-ifexists"), req("ec2:RunInstances", ec2Instance, "ec2:InstanceType", "t2.micro"), Allow, "RunInstance"},
		{"ifexists: other instance type", files("run-instances-ifexists"), req("ec2:RunInstances", ec2Instance, "ec2:InstanceType", "m5.large"), ImplicitDeny, ""},
		{"ifexists: the image has no instance type", files("run-instances-ifexists"), req("ec2:RunInstances", "arn:aws:ec2:eu-west-1::image/ami-1"), Allow, "RunInstance"},
		{"no ifexists: the image fails the condition", files("run-instances-no-ifexists"), req("ec2:RunInstances", "arn:aws:ec2:eu-west-1::image/ami-1"), ImplicitDeny, ""},
		{"principal tag: admin", files("iam-access-keys-job-category"), req("iam:CreateAccessKey", user, "aws:PrincipalTag/job-category", "iamuser-admin"), Allow, "Statement[0]"},
		{"principal tag: untagged user", files("iam-access-keys-job-category"), req("iam:CreateAccessKey", user), ImplicitDeny, ""},
	})
}
