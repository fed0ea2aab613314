package analyze

import (
	"strings"
	"testing"
)

// denialMessages are errorMessage texts as CloudTrail records them, one per
// template of reference §5 and per other form seen in public trails.
var denialMessages = []struct {
	name string
	msg  string
	want Denial
}{
	{
		name: "identity policy, implicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action",
		want: Denial{Reason: ReasonIdentityPolicy, Action: "codecommit:ListRepositories"},
	},
	{
		name: "identity policy, explicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy",
		want: Denial{Reason: ReasonExplicitDenyIdent, Explicit: true, Action: "codedeploy:ListDeployments", Resource: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"},
	},
	{
		name: "service control policy",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy",
		want: Denial{Reason: ReasonSCP, Explicit: true, Action: "codecommit:ListRepositories"},
	},
	{
		name: "service control policy naming its ARN",
		msg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::checkout-receipts\" with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd",
		want: Denial{Reason: ReasonSCP, Explicit: true, Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::checkout-receipts", PolicyARN: "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"},
	},
	{
		name: "service control policy, older capitalised wording",
		msg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* due to an explicit deny in a Service Control Policy",
		want: Denial{Reason: ReasonSCP, Explicit: true, Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*"},
	},
	{
		name: "permissions boundary, implicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action",
		want: Denial{Reason: ReasonBoundary, Action: "codedeploy:ListDeployments", Resource: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"},
	},
	{
		name: "permissions boundary, explicit, naming its ARN",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: sagemaker:ListModels with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/DeveloperBoundary",
		want: Denial{Reason: ReasonBoundary, Explicit: true, Action: "sagemaker:ListModels", PolicyARN: "arn:aws:iam::123456789012:policy/DeveloperBoundary"},
	},
	{
		name: "session policy, implicit",
		msg:  "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/mateojackson is not authorized to perform: codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action",
		want: Denial{Reason: ReasonSessionPolicy, Action: "codecommit:ListRepositories"},
	},
	{
		name: "session policy, explicit (AWS writes sessions policy)",
		msg:  "User: arn:aws:sts::123456789012:assumed-role/ReadOnly/mateojackson is not authorized to perform: codecommit:ListRepositories with an explicit deny in a sessions policy",
		want: Denial{Reason: ReasonSessionPolicy, Explicit: true, Action: "codecommit:ListRepositories"},
	},
	{
		name: "resource-based policy, implicit",
		msg:  "User: arn:aws:iam::777788889999:user/mateojackson is not authorized to perform: secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action",
		want: Denial{Reason: ReasonResourcePolicy, Action: "secretsmanager:GetSecretValue"},
	},
	{
		name: "resource-based policy, explicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource-based policy",
		want: Denial{Reason: ReasonResourcePolicy, Explicit: true, Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:*"},
	},
	{
		name: "role trust policy, implicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/partners/tax-reader because no role trust policy allows the sts:AssumeRole action",
		want: Denial{Reason: ReasonRoleTrustPolicy, Action: "sts:AssumeRole", Resource: "arn:aws:iam::444455556666:role/partners/tax-reader"},
	},
	{
		name: "role trust policy, explicit (AWS writes the role trust policy)",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: sts:AssumeRole with an explicit deny in the role trust policy",
		want: Denial{Reason: ReasonRoleTrustPolicy, Explicit: true, Action: "sts:AssumeRole"},
	},
	{
		name: "VPC endpoint policy, implicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action",
		want: Denial{Reason: ReasonVPCEndpointPolicy, Action: "codecommit:ListRepositories"},
	},
	{
		name: "VPC endpoint policy, explicit",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a VPC endpoint policy",
		want: Denial{Reason: ReasonVPCEndpointPolicy, Explicit: true, Action: "codedeploy:ListDeployments", Resource: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"},
	},
	{
		name: "VPC endpoint policy transitively through a service control policy",
		msg:  "User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 with an explicit deny in a VPC endpoint policy transitively through a service control policy",
		want: Denial{Reason: ReasonVPCEndpointPolicy, Explicit: true, Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:444455556666:role-name-2", ThroughSCP: true},
	},
	{
		name: "resource control policy, S3 quoting the resource",
		msg:  `User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf" with an explicit deny in a resource control policy`,
		want: Denial{Reason: ReasonRCP, Explicit: true, Action: "s3:PutObject", Resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
	},
	{
		name: "S3 Block Public Access, public ACLs",
		msg:  `User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:PutObjectAcl on resource: "arn:aws:s3:::checkout-assets/img/logo.png" because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access`,
		want: Denial{Reason: ReasonS3BlockPublicAccess, Action: "s3:PutObjectAcl", Resource: "arn:aws:s3:::checkout-assets/img/logo.png"},
	},
	{
		name: "S3 Block Public Access, public policies",
		msg:  `User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::checkout-assets" because public policies are prevented by the BlockPublicPolicy setting in S3 Block Public Access`,
		want: Denial{Reason: ReasonS3BlockPublicAccess, Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::checkout-assets"},
	},
	{
		name: "generic Access Denied",
		msg:  "Access Denied",
		want: Denial{Reason: ReasonUnknown},
	},
	{
		name: "empty message",
		msg:  "",
		want: Denial{Reason: ReasonUnknown},
	},
	{
		name: "no because clause",
		msg:  "User: arn:aws:iam::999999999999:user/myUserName is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-west-2:999999999999:function:other-acct-function",
		want: Denial{Reason: ReasonUnknown, Action: "lambda:GetFunction", Resource: "arn:aws:lambda:us-west-2:999999999999:function:other-acct-function"},
	},
	{
		name: "EC2 plain-text form with an encoded message after it",
		msg:  "You are not authorized to perform this operation. User: arn:aws:sts::751353041310:assumed-role/stratus-red-team-ec2-get-password-data-role/aws-go-sdk-1722375070115152000 is not authorized to perform: ec2:GetPasswordData on resource: arn:aws:ec2:us-east-1:751353041310:instance/* because no identity-based policy allows the ec2:GetPasswordData action. Encoded authorization failure message: fqhg8CzmasrUP43_LGsSmLVAAoKKY1CzQD3yqWpWiuZGOcVf2lhbhrrgsH8zy44fLcyyL6AsNcXA2GMJ3dl_2A8",
		want: Denial{Reason: ReasonIdentityPolicy, Action: "ec2:GetPasswordData", Resource: "arn:aws:ec2:us-east-1:751353041310:instance/*",
			Encoded: "fqhg8CzmasrUP43_LGsSmLVAAoKKY1CzQD3yqWpWiuZGOcVf2lhbhrrgsH8zy44fLcyyL6AsNcXA2GMJ3dl_2A8"},
	},
	{
		name: "EC2 encoded message only",
		msg:  "You are not authorized to perform this operation. Encoded authorization failure message: 4kvYvJqWbmLTgbWJkRqZ1mSdN0lF2Gg1XcPXrHkI",
		want: Denial{Reason: ReasonUnknown, Encoded: "4kvYvJqWbmLTgbWJkRqZ1mSdN0lF2Gg1XcPXrHkI"},
	},
	{
		name: "Access Troubleshooter form: the policy ARN loses the sentence's period",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: codecommit:ListRepositories with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/ExampleDenyPolicy. Go to https://us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/authorization-details/a1b2c3d4e5f6 for complete details, or call the GetRequestAuthorizationDetails API with the following authorization id: a1b2c3d4e5f6",
		want: Denial{Reason: ReasonExplicitDenyIdent, Explicit: true, Action: "codecommit:ListRepositories", PolicyARN: "arn:aws:iam::123456789012:policy/ExampleDenyPolicy",
			AuthorizationID: "a1b2c3d4e5f6"},
	},
	{
		name: "SDK error wrapper around the message",
		msg:  "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/checkout/stripe because no identity-based policy allows the secretsmanager:GetSecretValue action",
		want: Denial{Reason: ReasonIdentityPolicy, Action: "secretsmanager:GetSecretValue", Resource: "prod/checkout/stripe"},
	},
	{
		name: "resource named by kind and name",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: iam:GetRole on resource: role deploy-admin",
		want: Denial{Reason: ReasonUnknown, Action: "iam:GetRole", Resource: "role deploy-admin"},
	},
	{
		name: "resource wildcard",
		msg:  "User: arn:aws:sts::307578594326:assumed-role/stratus-red-team-leave-org-role/aws-go-sdk-1722587398902687000 is not authorized to perform: organizations:LeaveOrganization on resource: * because no identity-based policy allows the organizations:LeaveOrganization action",
		want: Denial{Reason: ReasonIdentityPolicy, Action: "organizations:LeaveOrganization", Resource: "*"},
	},
	{
		name: "lower-case action as SQS writes it",
		msg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:111122223333:checkout-orders because no identity-based policy allows the sqs:sendmessage action",
		want: Denial{Reason: ReasonIdentityPolicy, Action: "sqs:sendmessage", Resource: "arn:aws:sqs:us-east-1:111122223333:checkout-orders"},
	},
	{
		name: "truncated by CloudTrail at 1,024 characters",
		msg:  cutAt("You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: " + strings.Repeat("A", 1024)),
		want: Denial{Reason: ReasonIdentityPolicy, Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*", Truncated: true},
	},
	{
		name: "truncated inside the resource: a prefix of an ARN is not kept",
		msg:  cutAt("User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::bkt/data/" + strings.Repeat("k", 1000) + ".csv\" because no identity-based policy allows the s3:GetObject action"),
		want: Denial{Reason: ReasonUnknown, Action: "s3:GetObject", Truncated: true},
	},
	{
		name: "truncated inside an unquoted resource",
		msg:  cutAt("User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:111122223333:parameter/" + strings.Repeat("p", 1000) + " because no identity-based policy allows the ssm:GetParameter action"),
		want: Denial{Reason: ReasonUnknown, Action: "ssm:GetParameter", Truncated: true},
	},
	{
		name: "truncated before the reason",
		msg:  cutAt("User: arn:aws:sts::111122223333:assumed-role/" + strings.Repeat("r", 880) + "/s is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" because no identity-based policy allows the s3:GetObject action"),
		want: Denial{Reason: ReasonUnknown, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Truncated: true},
	},
	{
		name: "older form: an explicit deny that names no policy type",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: lambda:ListFunctions on resource: * with an explicit deny",
		want: Denial{Reason: ReasonExplicitDenyUnknown, Explicit: true, Action: "lambda:ListFunctions", Resource: "*"},
	},
	{
		name: "older form with due to, on an ARN",
		msg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:111122223333:checkout-orders due to an explicit deny",
		want: Denial{Reason: ReasonExplicitDenyUnknown, Explicit: true, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:checkout-orders"},
	},
	{
		name: "explicit deny in a policy type tailor does not know, naming its ARN",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::bkt/k\" with an explicit deny in a data perimeter policy: arn:aws:iam::123456789012:policy/Perimeter. Go to https://console.aws.amazon.com/iam for complete details",
		want: Denial{Reason: ReasonExplicitDenyUnknown, Explicit: true, Action: "s3:GetObject", Resource: "arn:aws:s3:::bkt/k", PolicyARN: "arn:aws:iam::123456789012:policy/Perimeter"},
	},
	{
		name: "truncated inside the policy type: explicit, the type lost",
		msg:  cutAt("User: arn:aws:sts::111122223333:assumed-role/" + strings.Repeat("r", 865) + "/s is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" with an explicit deny in a service control policy"),
		want: Denial{Reason: ReasonExplicitDenyUnknown, Explicit: true, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Truncated: true},
	},
	{
		name: "truncated inside the policy ARN: a prefix of an ARN is not kept",
		msg:  cutAt("User: arn:aws:sts::111122223333:assumed-role/" + strings.Repeat("r", 800) + "/s is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"),
		want: Denial{Reason: ReasonSCP, Explicit: true, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Truncated: true},
	},
	{
		name: "KMS: one of three causes, none of them placed",
		msg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access",
		want: Denial{Reason: ReasonUnknown, Action: "kms:Decrypt"},
	},
	{
		name: "resource named as an access key",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: iam:UpdateAccessKey on resource: access key AKIAIOSFODNN7EXAMPLE",
		want: Denial{Reason: ReasonUnknown, Action: "iam:UpdateAccessKey", Resource: "access key AKIAIOSFODNN7EXAMPLE"},
	},
	{
		name: "on the specified resource",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to perform: cloudformation:DescribeStacks on the specified resource",
		want: Denial{Reason: ReasonUnknown, Action: "cloudformation:DescribeStacks"},
	},
	{
		name: "not authorized to access this resource",
		msg:  "User: arn:aws:iam::123456789012:user/mateojackson is not authorized to access this resource",
		want: Denial{Reason: ReasonUnknown},
	},
	{
		name: "not authorized to access resource",
		msg:  "Not authorized to access resource arn:aws:appsync:us-east-1:123456789012:apis/abc",
		want: Denial{Reason: ReasonUnknown},
	},
	{
		name: "no access to any requested resource",
		msg:  "No access to any requested resource",
		want: Denial{Reason: ReasonUnknown},
	},
	{
		name: "principal is not allowed to execute",
		msg:  "Principal [arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d] is not allowed to execute [ssm:StartSession] on the resource",
		want: Denial{Reason: ReasonUnknown, Action: "ssm:StartSession"},
	},
}

// cutAt truncates a message as CloudTrail does at MessageLimit.
func cutAt(msg string) string {
	if len(msg) <= MessageLimit {
		panic("test message too short to be truncated")
	}
	return msg[:MessageLimit-3] + "..."
}

func TestParseDenial(t *testing.T) {
	for _, tc := range denialMessages {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseDenial(tc.msg)
			if got != tc.want {
				t.Errorf("ParseDenial(%q)\n got %+v\nwant %+v", tc.msg, got, tc.want)
			}
			if got.Grantable() != (tc.want.Reason == ReasonIdentityPolicy || tc.want.Reason == ReasonUnknown) {
				t.Errorf("Grantable = %v for reason %s", got.Grantable(), got.Reason)
			}
			if strings.Contains(strings.ToLower(tc.msg), "explicit deny") && (!got.Explicit || got.Grantable()) {
				t.Errorf("an explicit deny read as explicit %v, grantable %v", got.Explicit, got.Grantable())
			}
		})
	}
}

func TestIsDenial(t *testing.T) {
	for code, want := range map[string]bool{
		"AccessDenied":                 true,
		"AccessDeniedException":        true,
		"Client.UnauthorizedOperation": true,
		"NotAuthorizedException":       false, // Cognito: bad credentials
		"NoSuchKey":                    false,
		"ThrottlingException":          false,
		"":                             false,
	} {
		if got := IsDenial(code); got != want {
			t.Errorf("IsDenial(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestDeniedRecords checks that a denied call becomes a fact of its own,
// with its reason, and with the action and resource the message names.
func TestDeniedRecords(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   []string
	}{
		{
			name: "S3 PutObject denied by a resource control policy",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "PutObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"errorCode": "AccessDenied",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::checkout-receipts/2024/05/14/order-1236.pdf\" with an explicit deny in a resource control policy",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1236.pdf"},
				"responseElements": null,
				"requestID": "U4D5E6F7G8H9J0K1", "eventID": "b1c2d3e4-0000-4000-8000-000000000101", "readOnly": false,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1236.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-receipts"}
				],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:PutObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1236.pdf denied:rcp"},
		},
		{
			name: "S3 GetObject refused for the KMS key: the message's action is denied, the read allowed",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:01:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"errorCode": "AccessDenied",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f because no identity-based policy allows the kms:Decrypt action",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1234.pdf"},
				"responseElements": null,
				"requestID": "V5E6F7G8H9J0K1L2", "eventID": "b1c2d3e4-0000-4000-8000-000000000102", "readOnly": true,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-receipts"}
				],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			// IAM got past s3:GetObject to the key: the read itself was allowed.
			want: []string{"kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f denied:identity-policy",
				"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
		},
		{
			name: "S3 cross-account generic Access Denied keeps the event's action",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:02:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"errorCode": "AccessDenied", "errorMessage": "Access Denied",
				"requestParameters": {"bucketName": "partner-tax-tables", "Host": "partner-tax-tables.s3.us-east-1.amazonaws.com", "key": "rates/2024/us.csv"},
				"responseElements": null,
				"requestID": "W6F7G8H9J0K1L2M3", "eventID": "b1c2d3e4-0000-4000-8000-000000000103", "readOnly": true,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::partner-tax-tables/rates/2024/us.csv"},
					{"accountId": "444455556666", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::partner-tax-tables"}
				],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:GetObject arn:aws:s3:::partner-tax-tables/rates/2024/us.csv denied:unknown"},
		},
		{
			name: "DynamoDB denied by an SCP naming its ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:03:00Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "DeleteTable",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"errorCode": "AccessDeniedException",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:111122223333:table/orders with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd",
				"requestParameters": {"tableName": "orders"},
				"responseElements": null,
				"requestID": "CQJ0UH1A2B3C4D5E6F7G8H9J0KVV4KQNSO5AEMVJF66Q9ASUAAJG", "eventID": "b1c2d3e4-0000-4000-8000-000000000104", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"dynamodb:DeleteTable arn:aws:dynamodb:us-east-1:111122223333:table/orders denied:scp arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"},
		},
		{
			name: "EC2 UnauthorizedOperation in plain text",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:04:00Z", "eventSource": "ec2.amazonaws.com", "eventName": "GetPasswordData",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.30.3 api/ec2#1.171.0",
				"errorCode": "Client.UnauthorizedOperation",
				"errorMessage": "You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: ec2:GetPasswordData on resource: arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718 because no identity-based policy allows the ec2:GetPasswordData action. Encoded authorization failure message: fqhg8CzmasrUP43_LGsSmLVAAoKKY1CzQD3yqWpWiuZGOcVf2lhbhrrgsH8zy44f",
				"requestParameters": {"instanceId": "i-0a1b2c3d4e5f60718"},
				"responseElements": null,
				"requestID": "d1e2f3a4-0000-4000-8000-000000000105", "eventID": "b1c2d3e4-0000-4000-8000-000000000105", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ec2:GetPasswordData arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718 denied:identity-policy"},
		},
		{
			name: "denied CopyObject read of the source",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:05:00Z", "eventSource": "s3.amazonaws.com", "eventName": "CopyObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-cli/2.17.60 md/command#s3api.copy-object]",
				"errorCode": "AccessDenied",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf\" because no identity-based policy allows the s3:GetObject action",
				"requestParameters": {"bucketName": "checkout-archive", "Host": "checkout-archive.s3.us-east-1.amazonaws.com", "x-amz-copy-source": "checkout-receipts/2024/05/14/order-1234.pdf", "key": "2024/05/order-1234.pdf"},
				"responseElements": null,
				"requestID": "X7G8H9J0K1L2M3N4", "eventID": "b1c2d3e4-0000-4000-8000-000000000106", "readOnly": false,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-archive/2024/05/order-1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-archive"},
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"}
				],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			// The copy's other actions join the refused one's fix (Via).
			want: []string{"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf denied:identity-policy",
				"s3:GetObjectTagging arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf denied:identity-policy via:s3:GetObject",
				"s3:PutObject arn:aws:s3:::checkout-archive/2024/05/order-1234.pdf denied:identity-policy via:s3:GetObject"},
		},
		{
			name: "Access Troubleshooter message names the denying policy",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:06:00Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "DeleteSecret",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"errorCode": "AccessDeniedException",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: secretsmanager:DeleteSecret on resource: prod/checkout/stripe with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy/DenySecretDeletion. Go to https://us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/authorization-details/9f8e7d6c5b4a for complete details, or call the GetRequestAuthorizationDetails API with the following authorization id: 9f8e7d6c5b4a",
				"requestParameters": {"secretId": "prod/checkout/stripe", "recoveryWindowInDays": 7},
				"responseElements": null,
				"requestID": "e1f2a3b4-0000-4000-8000-000000000107", "eventID": "b1c2d3e4-0000-4000-8000-000000000107", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"secretsmanager:DeleteSecret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-?????? denied:explicit-deny-identity arn:aws:iam::111122223333:policy/DenySecretDeletion"},
		},
		{
			name: "older explicit-deny form: explicit, its policy unknown, never grantable",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:06:30Z", "eventSource": "lambda.amazonaws.com", "eventName": "ListFunctions20150331",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"errorCode": "AccessDenied",
				"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: lambda:ListFunctions on resource: * with an explicit deny",
				"requestParameters": null, "responseElements": null,
				"requestID": "f1a2b3c4-0000-4000-8000-000000000109", "eventID": "b1c2d3e4-0000-4000-8000-000000000109", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"lambda:ListFunctions * denied:explicit-deny-unknown"},
		},
		{
			name: "other errors count as used",
			record: `{"eventVersion": "1.10", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T11:07:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"errorCode": "NoSuchKey", "errorMessage": "The specified key does not exist.",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-9999.pdf"},
				"responseElements": null,
				"requestID": "Y8H9J0K1L2M3N4P5", "eventID": "b1c2d3e4-0000-4000-8000-000000000108", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-9999.pdf"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			agg := analyzeRecords(t, tc.record)
			wantLines(t, factLines(agg.FactsOf(checkoutRole)), tc.want)
			denied := strings.Contains(strings.Join(tc.want, "\n"), " denied:")
			if got := agg.Counts.Denials; got != map[bool]int64{true: 1}[denied] {
				t.Errorf("Counts.Denials = %d", got)
			}
			info := agg.Principals[checkoutRole]
			if denied && info.Denied != 1 || !denied && info.Errors != 1 {
				t.Errorf("principal counts Denied=%d Errors=%d", info.Denied, info.Errors)
			}
		})
	}
}

var knownReasons = map[Reason]bool{
	ReasonIdentityPolicy: true, ReasonExplicitDenyIdent: true, ReasonSCP: true, ReasonRCP: true,
	ReasonBoundary: true, ReasonSessionPolicy: true, ReasonResourcePolicy: true, ReasonVPCEndpointPolicy: true,
	ReasonRoleTrustPolicy: true, ReasonS3BlockPublicAccess: true, ReasonExplicitDenyUnknown: true, ReasonUnknown: true,
}

func FuzzParseDenial(f *testing.F) {
	for _, tc := range denialMessages {
		f.Add(tc.msg)
	}
	f.Add("is not authorized to perform: a:b on resource: \"")
	f.Add("with an explicit deny in a service control policy: arn:...")
	f.Fuzz(func(t *testing.T, msg string) {
		d := ParseDenial(msg)
		if !knownReasons[d.Reason] {
			t.Fatalf("ParseDenial(%q) gave reason %q", msg, d.Reason)
		}
		if d.Explicit && (d.Reason == ReasonIdentityPolicy || d.Reason == ReasonUnknown || d.Grantable()) {
			t.Fatalf("ParseDenial(%q): explicit deny classed as %s", msg, d.Reason)
		}
		if reExplicitAny.MatchString(msg) && !d.Explicit {
			t.Fatalf("ParseDenial(%q): an explicit deny read as implicit (%s)", msg, d.Reason)
		}
		if d.PolicyARN != "" && (!strings.HasPrefix(d.PolicyARN, "arn:") || strings.HasSuffix(d.PolicyARN, ".")) {
			t.Fatalf("ParseDenial(%q): policy ARN %q", msg, d.PolicyARN)
		}
		if strings.HasPrefix(d.Resource, `"`) || strings.HasSuffix(d.Resource, `"`) {
			t.Fatalf("ParseDenial(%q): resource %q keeps its quotes", msg, d.Resource)
		}
		if d.Action != "" && !strings.Contains(d.Action, ":") {
			t.Fatalf("ParseDenial(%q): action %q", msg, d.Action)
		}
		if d.Action != "" && !strings.Contains(msg, d.Action[strings.IndexByte(d.Action, ':'):]) {
			t.Fatalf("ParseDenial(%q): action %q is not in the message", msg, d.Action)
		}
	})
}
