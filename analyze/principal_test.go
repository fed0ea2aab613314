package analyze

import "testing"

func TestPrincipalOf(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   Principal
		ok     bool
		facts  []string // FactsOf(want.ARN)
	}{
		{
			name: "assumed role is its issuer, path included",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:12:33Z",
				"eventSource": "secretsmanager.amazonaws.com",
				"eventName": "GetSecretValue",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 api/secretsmanager#1.28.6",
				"requestParameters": {"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-Ab12Cd"},
				"responseElements": null,
				"requestID": "0b5c9c1e-3f1a-4d8e-9d7e-5b2f8a1c6e40",
				"eventID": "5e3a2b10-8c4d-4f6e-a1b2-c3d4e5f60718",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want:  Principal{ARN: checkoutRole, Kind: KindRole, Account: "111122223333"},
			ok:    true,
			facts: []string{"secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-Ab12Cd"},
		},
		{
			name: "assumed role without session issuer falls back to the role name",
			record: `{
				"eventVersion": "1.05",
				"userIdentity": {
					"type": "AssumedRole",
					"principalId": "AROAIGDTESTANDEXAMPLE:user01",
					"arn": "arn:aws:sts::111122223333:assumed-role/Admin/user01",
					"accountId": "111122223333",
					"accessKeyId": "ASIAIOSFODNN7EXAMPLE"
				},
				"eventTime": "2024-05-14T09:12:33Z",
				"eventSource": "sns.amazonaws.com",
				"eventName": "ListTopics",
				"awsRegion": "us-east-2",
				"sourceIPAddress": "192.0.2.10",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": null,
				"responseElements": null,
				"requestID": "1a2b3c4d-0000-4000-8000-000000000001",
				"eventID": "1a2b3c4d-0000-4000-8000-000000000002",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333"
			}`,
			want:  Principal{ARN: "arn:aws:iam::111122223333:role/Admin", Kind: KindRole, Account: "111122223333"},
			ok:    true,
			facts: []string{"sns:ListTopics *"},
		},
		{
			name: "call a service makes on a role's behalf is the role's",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": {
					"type": "AssumedRole",
					"principalId": "AROAYCHECKOUTAPI0001:8f1c2d7e9a6b4c3d",
					"arn": "arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d",
					"accountId": "111122223333",
					"accessKeyId": "ASIAYCHECKOUTKEY0001",
					"sessionContext": {
						"sessionIssuer": {
							"type": "Role",
							"principalId": "AROAYCHECKOUTAPI0001",
							"arn": "arn:aws:iam::111122223333:role/service/checkout-api",
							"accountId": "111122223333",
							"userName": "checkout-api"
						},
						"attributes": {"creationDate": "2024-05-14T08:55:02Z", "mfaAuthenticated": "false"}
					},
					"invokedBy": "s3.amazonaws.com"
				},
				"eventTime": "2024-05-14T09:12:34Z",
				"eventSource": "kms.amazonaws.com",
				"eventName": "GenerateDataKey",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "s3.amazonaws.com",
				"userAgent": "s3.amazonaws.com",
				"requestParameters": {
					"encryptionContext": {"aws:s3:arn": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
					"keyId": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f",
					"keySpec": "AES_256"
				},
				"responseElements": null,
				"requestID": "3c1d7a52-5b8e-4e0f-9a61-2d4c8b7e6f10",
				"eventID": "7e2f9a41-3d6c-4b8e-8f1a-5c0d2e9b7a36",
				"readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"}],
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want:  Principal{ARN: checkoutRole, Kind: KindRole, Account: "111122223333"},
			ok:    true,
			facts: []string{"kms:GenerateDataKey arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
		},
		{
			name: "IAM user with a path",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": {
					"type": "IAMUser",
					"principalId": "AIDAYDEPLOYBOT000001",
					"arn": "arn:aws:iam::111122223333:user/ci/deploy-bot",
					"accountId": "111122223333",
					"accessKeyId": "AKIAYDEPLOYBOT000001",
					"userName": "deploy-bot"
				},
				"eventTime": "2024-05-14T10:01:07Z",
				"eventSource": "ecr.amazonaws.com",
				"eventName": "GetAuthorizationToken",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "203.0.113.40",
				"userAgent": "aws-cli/2.15.40 Python/3.11.8 Linux/6.5.0",
				"requestParameters": null,
				"responseElements": null,
				"requestID": "a9c4e1f2-7b3d-4c8e-9f0a-1b2c3d4e5f60",
				"eventID": "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want:  Principal{ARN: "arn:aws:iam::111122223333:user/ci/deploy-bot", Kind: KindUser, Account: "111122223333", ID: "AIDAYDEPLOYBOT000001"},
			ok:    true,
			facts: []string{"ecr:GetAuthorizationToken *"},
		},
		{
			name: "IAM user typed record carrying a role session ARN",
			// An AWS documentation sample (Secrets Manager encryption page).
			record: `{
				"eventVersion": "1.05",
				"userIdentity": {
					"type": "IAMUser",
					"principalId": "AROAIGDTESTANDEXAMPLE:user01",
					"arn": "arn:aws:sts::111122223333:assumed-role/Admin/user01",
					"accountId": "111122223333",
					"accessKeyId": "AKIAIOSFODNN7EXAMPLE",
					"sessionContext": {"attributes": {"mfaAuthenticated": "false", "creationDate": "2018-05-31T23:36:09Z"}},
					"invokedBy": "secretsmanager.amazonaws.com"
				},
				"eventTime": "2018-05-31T23:36:09Z",
				"eventSource": "kms.amazonaws.com",
				"eventName": "Decrypt",
				"awsRegion": "us-east-2",
				"sourceIPAddress": "secretsmanager.amazonaws.com",
				"userAgent": "secretsmanager.amazonaws.com",
				"requestParameters": {"encryptionContext": {"SecretARN": "arn:aws:secretsmanager:us-east-2:111122223333:secret:test-secret-a1b2c3", "SecretVersionId": "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1"}},
				"responseElements": null,
				"requestID": "658c6a08-652b-11e8-a6d4-ffee2046048a",
				"eventID": "f333ec5c-7fc1-46b1-b985-cbda13719611",
				"readOnly": true,
				"resources": [{"ARN": "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accountId": "111122223333", "type": "AWS::KMS::Key"}],
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333"
			}`,
			want:  Principal{ARN: "arn:aws:iam::111122223333:role/Admin", Kind: KindRole, Account: "111122223333"},
			ok:    true,
			facts: []string{"kms:Decrypt arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		},
		{
			name: "root",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": {
					"type": "Root",
					"principalId": "111122223333",
					"arn": "arn:aws:iam::111122223333:root",
					"accountId": "111122223333",
					"accessKeyId": "ASIAYROOTSESSION0001",
					"sessionContext": {"attributes": {"mfaAuthenticated": "true", "creationDate": "2024-05-14T07:40:11Z"}}
				},
				"eventTime": "2024-05-14T07:41:52Z",
				"eventSource": "cloudtrail.amazonaws.com",
				"eventName": "StopLogging",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "198.51.100.7",
				"userAgent": "AWS Internal",
				"requestParameters": {"name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"},
				"responseElements": null,
				"requestID": "c0ffee00-1111-4222-8333-444455556666",
				"eventID": "deadbeef-1111-4222-8333-444455556666",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want:  Principal{ARN: "arn:aws:iam::111122223333:root", Kind: KindRoot, Account: "111122223333"},
			ok:    true,
			facts: []string{"cloudtrail:StopLogging arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"},
		},
		{
			name: "federated user is its own principal",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": {
					"type": "FederatedUser",
					"principalId": "111122223333:bob",
					"arn": "arn:aws:sts::111122223333:federated-user/bob",
					"accountId": "111122223333",
					"accessKeyId": "ASIAYFEDERATED00001",
					"sessionContext": {
						"sessionIssuer": {
							"type": "IAMUser",
							"principalId": "AIDAYBROKER00000001",
							"arn": "arn:aws:iam::111122223333:user/identity-broker",
							"accountId": "111122223333",
							"userName": "identity-broker"
						},
						"attributes": {"creationDate": "2024-05-14T11:00:00Z", "mfaAuthenticated": "false"}
					}
				},
				"eventTime": "2024-05-14T11:02:19Z",
				"eventSource": "sqs.amazonaws.com",
				"eventName": "ReceiveMessage",
				"awsRegion": "eu-west-1",
				"sourceIPAddress": "203.0.113.9",
				"userAgent": "aws-sdk-java/2.25.40",
				"requestParameters": {"queueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/reports-inbox", "maxNumberOfMessages": 10, "waitTimeSeconds": 20},
				"responseElements": null,
				"requestID": "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f",
				"eventID": "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
				"readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::SQS::Queue", "ARN": "arn:aws:sqs:eu-west-1:111122223333:reports-inbox"}],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want:  Principal{ARN: "arn:aws:sts::111122223333:federated-user/bob", Kind: KindFederated, Account: "111122223333"},
			ok:    true,
			facts: []string{"sqs:ReceiveMessage arn:aws:sqs:eu-west-1:111122223333:reports-inbox"},
		},
		{
			name: "cross-account caller is its account root, principalId kept",
			record: `{
				"eventVersion": "1.05",
				"userIdentity": {
					"type": "AWSAccount",
					"principalId": "AIDAQRSTUVWXYZEXAMPLE",
					"accountId": "444455556666"
				},
				"eventTime": "2024-05-14T12:07:39Z",
				"eventSource": "sts.amazonaws.com",
				"eventName": "AssumeRole",
				"awsRegion": "us-east-2",
				"sourceIPAddress": "192.0.2.101",
				"userAgent": "aws-cli/2.15.40 Python/3.11.8 Linux/6.5.0",
				"requestParameters": {
					"roleArn": "arn:aws:iam::111122223333:role/deploy/cross-account-deployer",
					"roleSessionName": "pipeline-4821",
					"durationSeconds": 3600
				},
				"responseElements": {
					"credentials": {"accessKeyId": "ASIAYEXAMPLE0000001", "sessionToken": "HIDDEN", "expiration": "May 14, 2024, 1:07:39 PM"},
					"assumedRoleUser": {"assumedRoleId": "AROAYDEPLOYER000001:pipeline-4821", "arn": "arn:aws:sts::111122223333:assumed-role/cross-account-deployer/pipeline-4821"}
				},
				"requestID": "6b1c9b0a-0e3f-11e4-9c5f-8b2a0c9d1e2f",
				"eventID": "4c2a8b0d-1e3f-4a5b-8c6d-7e8f9a0b1c2d",
				"resources": [{"ARN": "arn:aws:iam::111122223333:role/deploy/cross-account-deployer", "accountId": "111122223333", "type": "AWS::IAM::Role"}],
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333",
				"sharedEventID": "8d2c9b1a-0f3e-4d5c-9b6a-7f8e9d0c1b2a"
			}`,
			want:  Principal{ARN: "arn:aws:iam::444455556666:root", Kind: KindAccount, Account: "444455556666", ID: "AIDAQRSTUVWXYZEXAMPLE"},
			ok:    true,
			facts: []string{"sts:AssumeRole arn:aws:iam::111122223333:role/deploy/cross-account-deployer"},
		},
		{
			name: "AWS service assuming a role is not that role",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": {"type": "AWSService", "invokedBy": "ecs-tasks.amazonaws.com"},
				"eventTime": "2024-05-14T08:55:02Z",
				"eventSource": "sts.amazonaws.com",
				"eventName": "AssumeRole",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "ecs-tasks.amazonaws.com",
				"userAgent": "ecs-tasks.amazonaws.com",
				"requestParameters": {
					"roleArn": "arn:aws:iam::111122223333:role/service/checkout-api",
					"roleSessionName": "8f1c2d7e9a6b4c3d"
				},
				"responseElements": {
					"credentials": {"accessKeyId": "ASIAYCHECKOUTKEY0001", "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS", "expiration": "May 14, 2024, 2:55:02 PM"},
					"assumedRoleUser": {"assumedRoleId": "AROAYCHECKOUTAPI0001:8f1c2d7e9a6b4c3d", "arn": "arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d"}
				},
				"requestID": "9c1b6a4e-2f1d-4c1e-9a77-0f5d3b8e2a10",
				"eventID": "b3d7f1a2-6c4e-4d8b-8e21-5a9c0e7f4d33",
				"resources": [{"accountId": "111122223333", "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::111122223333:role/service/checkout-api"}],
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333"
			}`,
			want:  Principal{ARN: "ecs-tasks.amazonaws.com", Kind: KindService},
			ok:    true,
			facts: nil,
		},
		{
			name: "aws-us-gov partition",
			record: `{
				"eventVersion": "1.11",
				"userIdentity": {
					"type": "AssumedRole",
					"principalId": "AROAEXAMPLE:i-0a1b2c3d4e5f60718",
					"arn": "arn:aws-us-gov:sts::111122223333:assumed-role/ssm-agent/i-0a1b2c3d4e5f60718",
					"accountId": "111122223333",
					"accessKeyId": "ASIAEXAMPLE",
					"sessionContext": {
						"sessionIssuer": {
							"type": "Role",
							"principalId": "AROAEXAMPLE",
							"arn": "arn:aws-us-gov:iam::111122223333:role/ssm-agent",
							"accountId": "111122223333",
							"userName": "ssm-agent"
						},
						"attributes": {"creationDate": "2026-01-05T17:53:33Z", "mfaAuthenticated": "false"},
						"ec2RoleDelivery": "2.0"
					}
				},
				"eventTime": "2026-01-05T18:46:26Z",
				"eventSource": "ssm.amazonaws.com",
				"eventName": "GetParameter",
				"awsRegion": "us-gov-east-1",
				"sourceIPAddress": "81.2.69.144",
				"userAgent": "aws-sdk-go/1.55.5 (go1.23.8; linux; amd64) exec-env/EC2",
				"requestParameters": {"name": "/fleet/agent/config", "withDecryption": true},
				"responseElements": null,
				"requestID": "be50efb8-2ecb-4a40-a9ac-533ffa351abc",
				"eventID": "46a04795-4e02-4710-a395-5a0f578cfabc",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want:  Principal{ARN: "arn:aws-us-gov:iam::111122223333:role/ssm-agent", Kind: KindRole, Account: "111122223333"},
			ok:    true,
			facts: []string{"ssm:GetParameter arn:aws-us-gov:ssm:us-gov-east-1:111122223333:parameter/fleet/agent/config"},
		},
		{
			name: "aws-cn partition",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": {
					"type": "IAMUser",
					"principalId": "AIDAYREPORTS0000001",
					"arn": "arn:aws-cn:iam::111122223333:user/reports",
					"accountId": "111122223333",
					"accessKeyId": "AKIAYREPORTS0000001",
					"userName": "reports"
				},
				"eventTime": "2024-05-14T02:13:44Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "GetObject",
				"awsRegion": "cn-north-1",
				"sourceIPAddress": "203.0.113.77",
				"userAgent": "[aws-cli/2.15.40]",
				"requestParameters": {"bucketName": "reports-cn", "Host": "reports-cn.s3.cn-north-1.amazonaws.com.cn", "key": "daily/2024-05-13.csv"},
				"responseElements": null,
				"requestID": "Q7B1X2N3M4K5J6H7",
				"eventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
				"readOnly": true,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws-cn:s3:::reports-cn/daily/2024-05-13.csv"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws-cn:s3:::reports-cn"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want:  Principal{ARN: "arn:aws-cn:iam::111122223333:user/reports", Kind: KindUser, Account: "111122223333", ID: "AIDAYREPORTS0000001"},
			ok:    true,
			facts: []string{"s3:GetObject arn:aws-cn:s3:::reports-cn/daily/2024-05-13.csv"},
		},
		{
			name: "missing userIdentity",
			// A service event as cloud-custodian's samples carry it.
			record: `{
				"eventVersion": "1.08",
				"eventTime": "2024-05-14T03:00:00Z",
				"eventSource": "ec2.amazonaws.com",
				"eventName": "CreateTags",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "autoscaling.amazonaws.com",
				"userAgent": "autoscaling.amazonaws.com",
				"requestParameters": {"resourcesSet": {"items": [{"resourceId": "i-0a1b2c3d4e5f60718"}]}},
				"responseElements": {"_return": true},
				"requestID": "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b",
				"eventID": "3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c",
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333"
			}`,
			ok: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := decodeRecord(t, tc.record)
			got, ok := PrincipalOf(&rec)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("PrincipalOf = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
			agg := analyzeRecords(t, tc.record)
			if !tc.ok {
				if agg.Counts.NoIdentity != 1 || len(agg.Principals) != 0 || len(agg.Facts) != 0 {
					t.Errorf("record without identity: counts %+v, %d principals, %d facts", agg.Counts, len(agg.Principals), len(agg.Facts))
				}
				return
			}
			info := agg.Principals[tc.want.ARN]
			if info == nil {
				t.Fatalf("aggregate has no principal %s; has %v", tc.want.ARN, agg.SortedPrincipals())
			}
			if info.Principal != tc.want {
				t.Errorf("aggregate principal = %+v, want %+v", info.Principal, tc.want)
			}
			wantLines(t, factLines(agg.FactsOf(tc.want.ARN)), tc.facts)
			if len(agg.Principals) != 1 {
				t.Errorf("want exactly one principal, got %d: %v", len(agg.Principals), agg.SortedPrincipals())
			}
		})
	}
}

// An AWS service's calls are counted, never facts of the role it assumes.
func TestServiceCallsAreNotFacts(t *testing.T) {
	agg := analyzeRecords(t, `{
		"eventVersion": "1.08",
		"userIdentity": {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"},
		"eventTime": "2024-05-14T08:55:02Z",
		"eventSource": "sts.amazonaws.com",
		"eventName": "AssumeRole",
		"awsRegion": "us-east-1",
		"sourceIPAddress": "lambda.amazonaws.com",
		"userAgent": "lambda.amazonaws.com",
		"requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/service/checkout-api", "roleSessionName": "checkout-tax"},
		"responseElements": null,
		"requestID": "11111111-2222-4333-8444-555555555555",
		"eventID": "66666666-7777-4888-9999-000000000000",
		"eventType": "AwsApiCall",
		"recipientAccountId": "111122223333"
	}`)
	if agg.Counts.ServiceCalls != 1 {
		t.Errorf("ServiceCalls = %d, want 1", agg.Counts.ServiceCalls)
	}
	if len(agg.Facts) != 0 {
		t.Errorf("service call produced facts: %v", factLines(agg.FactsOf("lambda.amazonaws.com")))
	}
	if _, ok := agg.Principals[checkoutRole]; ok {
		t.Errorf("the assumed role %s was counted as acting", checkoutRole)
	}
}
