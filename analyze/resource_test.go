package analyze

import (
	"os"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/trail"
)

// TestResources checks the ARNs derived for each service, from resources[],
// request parameters and response elements, against the catalog templates.
func TestResources(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   []string
		// generalized lists substrings expected among the aggregate's
		// generalizations; nil means none may be recorded.
		generalized []string
	}{
		// S3
		{
			name: "s3 ListObjectsV2 scopes ListBucket to the bucket",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:40:00Z", "eventSource": "s3.amazonaws.com", "eventName": "ListObjectsV2",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-assets", "Host": "checkout-assets.s3.us-east-1.amazonaws.com", "list-type": "2", "prefix": "img/products/", "delimiter": "/"},
				"responseElements": null,
				"requestID": "R1A2B3C4D5E6F7G8", "eventID": "e0a1b2c3-d4e5-4f6a-8b7c-9d0e1f2a3b4c", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:ListBucket arn:aws:s3:::checkout-assets"},
		},
		{
			name: "s3 GetObject key with slashes, from request parameters",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:41:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1234.pdf"},
				"responseElements": null,
				"additionalEventData": {"SignatureVersion": "SigV4", "AuthenticationMethod": "AuthHeader", "bytesTransferredOut": 48213},
				"requestID": "S2B3C4D5E6F7G8H9", "eventID": "f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
		},
		{
			name: "s3 PutObject with resources[] listing object and bucket",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:42:00Z", "eventSource": "s3.amazonaws.com", "eventName": "PutObject",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1235.pdf", "x-amz-server-side-encryption": "aws:kms"},
				"responseElements": {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
				"requestID": "T3C4D5E6F7G8H9J0", "eventID": "a2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", "readOnly": false,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1235.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-receipts"}
				],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"s3:PutObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1235.pdf"},
		},
		// DynamoDB
		{
			name: "dynamodb Query on an index needs only the index ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:43:00Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "Query",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {"tableName": "orders", "indexName": "by-customer", "keyConditionExpression": "customerId = :c", "limit": 50, "scanIndexForward": false},
				"responseElements": null,
				"requestID": "8QJ0UH1A2B3C4D5E6F7G8H9J0KVV4KQNSO5AEMVJF66Q9ASUAAJG", "eventID": "b3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f", "readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"dynamodb:Query arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-customer"},
		},
		{
			name: "dynamodb Query on the table",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:43:30Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "Query",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {"tableName": "orders", "keyConditionExpression": "pk = :pk", "consistentRead": true},
				"responseElements": null,
				"requestID": "9QJ0UH1A2B3C4D5E6F7G8H9J0KVV4KQNSO5AEMVJF66Q9ASUAAJG", "eventID": "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f", "readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"dynamodb:Query arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
		},
		{
			name: "dynamodb BatchWriteItem scopes to every table in requestItems",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:44:00Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "BatchWriteItem",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {
					"requestItems": {
						"orders": [{"putRequest": {"item": {"pk": {"S": "HIDDEN"}}}}],
						"order-lines": [{"putRequest": {"item": {"pk": {"S": "HIDDEN"}}}}, {"deleteRequest": {"key": {"pk": {"S": "HIDDEN"}}}}]
					},
					"returnConsumedCapacity": "NONE"
				},
				"responseElements": null,
				"requestID": "AQJ0UH1A2B3C4D5E6F7G8H9J0KVV4KQNSO5AEMVJF66Q9ASUAAJG", "eventID": "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{
				"dynamodb:BatchWriteItem arn:aws:dynamodb:us-east-1:111122223333:table/order-lines",
				"dynamodb:BatchWriteItem arn:aws:dynamodb:us-east-1:111122223333:table/orders",
			},
		},
		{
			name: "dynamodb GetItem on a table named by its ARN in another account",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:44:30Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "GetItem",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.30.1 api/dynamodb#1.34.1",
				"requestParameters": {"tableName": "arn:aws:dynamodb:us-east-1:444455556666:table/tax-rates", "key": {"region": {"S": "HIDDEN"}}, "consistentRead": false},
				"responseElements": null,
				"requestID": "BQJ0UH1A2B3C4D5E6F7G8H9J0KVV4KQNSO5AEMVJF66Q9ASUAAJG", "eventID": "e4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"dynamodb:GetItem arn:aws:dynamodb:us-east-1:444455556666:table/tax-rates"},
		},
		// SQS
		{
			name: "sqs queue URL is the queue ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:45:00Z", "eventSource": "sqs.amazonaws.com", "eventName": "DeleteMessage",
				"awsRegion": "eu-west-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/sqs#1.31.4",
				"requestParameters": {"queueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/checkout-payments", "receiptHandle": "HIDDEN_DUE_TO_SECURITY_REASONS"},
				"responseElements": null,
				"requestID": "5b6c7d8e-9f0a-5b1c-8d2e-3f4a5b6c7d8e", "eventID": "f5a6b7c8-d9e0-4f1a-9b2c-3d4e5f6a7b8c", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"sqs:DeleteMessage arn:aws:sqs:eu-west-1:111122223333:checkout-payments"},
		},
		{
			name: "sqs legacy us-east-1 queue URL",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:45:30Z", "eventSource": "sqs.amazonaws.com", "eventName": "GetQueueAttributes",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "Boto3/1.34.100 Python/3.12.3 Botocore/1.34.100",
				"requestParameters": {"queueUrl": "https://queue.amazonaws.com/111122223333/legacy-orders", "attributeNames": ["ApproximateNumberOfMessages"]},
				"responseElements": null,
				"requestID": "6b6c7d8e-9f0a-5b1c-8d2e-3f4a5b6c7d8e", "eventID": "06a6b7c8-d9e0-4f1a-9b2c-3d4e5f6a7b8c", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"sqs:GetQueueAttributes arn:aws:sqs:us-east-1:111122223333:legacy-orders"},
		},
		// SNS
		{
			name: "sns Publish to topicArn",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2023-08-21T16:48:37Z", "eventSource": "sns.amazonaws.com", "eventName": "Publish",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/1.29.16 botocore/1.31.16",
				"requestParameters": {"topicArn": "arn:aws:sns:us-east-1:111122223333:order-events", "message": "HIDDEN_DUE_TO_SECURITY_REASONS", "subject": "HIDDEN_DUE_TO_SECURITY_REASONS", "messageStructure": "json", "messageAttributes": "HIDDEN_DUE_TO_SECURITY_REASONS"},
				"responseElements": {"messageId": "0787cd1e-d92b-521c-a8b4-90434e8ef840"},
				"requestID": "0a8ab208-11bf-5e01-bd2d-ef55861b545d", "eventID": "bb3496d4-5252-4660-9c28-3c6aebdb21c0", "readOnly": false,
				"resources": [{"accountId": "111122223333", "type": "AWS::SNS::Topic", "ARN": "arn:aws:sns:us-east-1:111122223333:order-events"}],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"sns:Publish arn:aws:sns:us-east-1:111122223333:order-events"},
		},
		// Lambda
		{
			name: "lambda function named by name",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:46:00Z", "eventSource": "lambda.amazonaws.com", "eventName": "GetFunction",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"functionName": "checkout-tax"},
				"responseElements": null,
				"requestID": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "17b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"lambda:GetFunction arn:aws:lambda:us-east-1:111122223333:function:checkout-tax"},
		},
		{
			name: "lambda function named by ARN in another account and region",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:46:30Z", "eventSource": "lambda.amazonaws.com", "eventName": "Invoke",
				"awsRegion": "us-west-2", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/lambda#1.54.0",
				"requestParameters": {"functionName": "arn:aws:lambda:us-west-2:444455556666:function:fraud-score", "invocationType": "RequestResponse"},
				"responseElements": null,
				"requestID": "8c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "27b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"resources": [{"accountId": "444455556666", "type": "AWS::Lambda::Function", "ARN": "arn:aws:lambda:us-west-2:444455556666:function:fraud-score"}],
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"lambda:InvokeFunction arn:aws:lambda:us-west-2:444455556666:function:fraud-score"},
		},
		{
			name: "lambda function named by name and alias is the qualified ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:47:00Z", "eventSource": "lambda.amazonaws.com", "eventName": "GetFunctionConfiguration20150331v2",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"functionName": "checkout-tax:live"},
				"responseElements": null,
				"requestID": "9c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "37b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"lambda:GetFunctionConfiguration arn:aws:lambda:us-east-1:111122223333:function:checkout-tax:live"},
		},
		{
			name: "lambda qualified function ARN kept whole",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:47:30Z", "eventSource": "lambda.amazonaws.com", "eventName": "Invoke",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/lambda#1.54.0",
				"requestParameters": {"functionName": "arn:aws:lambda:us-east-1:111122223333:function:checkout-tax:17", "invocationType": "Event"},
				"responseElements": null,
				"requestID": "ac8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "47b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`,
			want: []string{"lambda:InvokeFunction arn:aws:lambda:us-east-1:111122223333:function:checkout-tax:17"},
		},
		// KMS
		{
			name: "kms keyId given as key ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:48:00Z", "eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/kms#1.31.0",
				"requestParameters": {"keyId": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f", "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
				"responseElements": null,
				"requestID": "bd8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "57b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"}],
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
		},
		{
			name: "kms keyId given as bare key id",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:48:30Z", "eventSource": "kms.amazonaws.com", "eventName": "Encrypt",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"keyId": "0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f", "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
				"responseElements": null,
				"requestID": "ce8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "67b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"kms:Encrypt arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
		},
		{
			name: "kms alias in the request, key ARN from resources[]",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:49:00Z", "eventSource": "kms.amazonaws.com", "eventName": "GenerateDataKey",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/kms#1.31.0",
				"requestParameters": {"keyId": "alias/checkout-data", "keySpec": "AES_256", "encryptionContext": {"service": "checkout"}},
				"responseElements": null,
				"requestID": "df8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "77b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"}],
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"kms:GenerateDataKey arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
		},
		{
			name: "kms CreateAlias needs the alias and its target key",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:49:30Z", "eventSource": "kms.amazonaws.com", "eventName": "CreateAlias",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"aliasName": "alias/checkout-data", "targetKeyId": "0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"},
				"responseElements": null,
				"requestID": "ef8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "87b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"resources": [
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:alias/checkout-data"},
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f"}
				],
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"kms:CreateAlias arn:aws:kms:us-east-1:111122223333:alias/checkout-data",
				"kms:CreateAlias arn:aws:kms:us-east-1:111122223333:key/0f9e8d7c-6b5a-4c3d-9e8f-7a6b5c4d3e2f",
			},
		},
		// Secrets Manager
		{
			name: "secret named without its suffix matches any suffix",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:50:00Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/secretsmanager#1.28.6",
				"requestParameters": {"secretId": "prod/checkout/stripe"},
				"responseElements": null,
				"requestID": "f08d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "97b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want:        []string{"secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-??????"},
			generalized: []string{"secretsmanager:GetSecretValue: "},
		},
		{
			name: "secret named by its full ARN is exact",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:50:30Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/secretsmanager#1.28.6",
				"requestParameters": {"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-Ab12Cd"},
				"responseElements": null,
				"requestID": "018d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "a7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-Ab12Cd"},
		},
		{
			name: "secret named by a partial ARN matches any suffix",
			record: `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:51:00Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "DescribeSecret",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe"},
				"responseElements": null,
				"requestID": "128d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "b7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want:        []string{"secretsmanager:DescribeSecret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-??????"},
			generalized: []string{"secretsmanager:DescribeSecret: "},
		},
		// SSM
		{
			name: "ssm parameter name loses its leading slash",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:52:00Z", "eventSource": "ssm.amazonaws.com", "eventName": "GetParameter",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/ssm#1.50.0",
				"requestParameters": {"name": "/checkout/config/flags", "withDecryption": true},
				"responseElements": null,
				"requestID": "238d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "c7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ssm:GetParameter arn:aws:ssm:us-east-1:111122223333:parameter/checkout/config/flags"},
		},
		{
			name: "ssm GetParameters with a names list and a version selector",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:52:30Z", "eventSource": "ssm.amazonaws.com", "eventName": "GetParameters",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/ssm#1.50.0",
				"requestParameters": {"names": ["/checkout/config/flags", "/checkout/db/password:3", "checkout-region"], "withDecryption": true},
				"responseElements": null,
				"requestID": "348d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "d7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"ssm:GetParameters arn:aws:ssm:us-east-1:111122223333:parameter/checkout-region",
				"ssm:GetParameters arn:aws:ssm:us-east-1:111122223333:parameter/checkout/config/flags",
				"ssm:GetParameters arn:aws:ssm:us-east-1:111122223333:parameter/checkout/db/password",
			},
		},
		// STS
		{
			name: "sts AssumeRole of a role in another account",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:53:00Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/sts#1.28.6",
				"requestParameters": {"roleArn": "arn:aws:iam::444455556666:role/partners/tax-reader", "roleSessionName": "checkout-api", "durationSeconds": 900},
				"responseElements": {
					"credentials": {"accessKeyId": "ASIAYPARTNER0000001", "sessionToken": "HIDDEN", "expiration": "May 14, 2024, 10:08:00 AM"},
					"assumedRoleUser": {"assumedRoleId": "AROAYTAXREADER00001:checkout-api", "arn": "arn:aws:sts::444455556666:assumed-role/tax-reader/checkout-api"}
				},
				"requestID": "458d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "e7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"resources": [{"accountId": "444455556666", "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::444455556666:role/partners/tax-reader"}],
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "sharedEventID": "c1d2e3f4-0000-4000-8000-000000000001", "eventCategory": "Management"}`,
			want: []string{"sts:AssumeRole arn:aws:iam::444455556666:role/partners/tax-reader"},
		},
		// ECR
		{
			name: "ecr repository in the registry of another account",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:54:00Z", "eventSource": "ecr.amazonaws.com", "eventName": "BatchGetImage",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "ecs-agent/1.82.3",
				"requestParameters": {"registryId": "999988887777", "repositoryName": "platform/checkout-api", "imageIds": [{"imageTag": "v1.42.0"}], "acceptedMediaTypes": ["application/vnd.docker.distribution.manifest.v2+json"]},
				"responseElements": null,
				"requestID": "568d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "f7b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ecr:BatchGetImage arn:aws:ecr:us-east-1:999988887777:repository/platform/checkout-api"},
		},
		// ECS
		{
			name: "ecs cluster",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:55:00Z", "eventSource": "ecs.amazonaws.com", "eventName": "DescribeClusters",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"clusters": ["prod"], "include": ["SETTINGS"]},
				"responseElements": null,
				"requestID": "678d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "08b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ecs:DescribeClusters arn:aws:ecs:us-east-1:111122223333:cluster/prod"},
		},
		{
			name: "ecs service in a cluster named by ARN",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:55:30Z", "eventSource": "ecs.amazonaws.com", "eventName": "UpdateService",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"cluster": "arn:aws:ecs:us-east-1:111122223333:cluster/prod", "service": "checkout-api", "taskDefinition": "checkout-api:42", "desiredCount": 3, "forceNewDeployment": false},
				"responseElements": {"service": {"serviceArn": "arn:aws:ecs:us-east-1:111122223333:service/prod/checkout-api", "serviceName": "checkout-api", "clusterArn": "arn:aws:ecs:us-east-1:111122223333:cluster/prod", "taskDefinition": "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:42"}},
				"requestID": "788d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "18b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ecs:UpdateService arn:aws:ecs:us-east-1:111122223333:service/prod/checkout-api"},
		},
		{
			name: "ecs service in the default cluster",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:56:00Z", "eventSource": "ecs.amazonaws.com", "eventName": "DescribeServices",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"services": ["checkout-api", "checkout-worker"]},
				"responseElements": null,
				"requestID": "898d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "28b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"ecs:DescribeServices arn:aws:ecs:us-east-1:111122223333:service/default/checkout-api",
				"ecs:DescribeServices arn:aws:ecs:us-east-1:111122223333:service/default/checkout-worker",
			},
		},
		{
			name: "ecs RegisterTaskDefinition is on any revision of the family",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:56:30Z", "eventSource": "ecs.amazonaws.com", "eventName": "RegisterTaskDefinition",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {
					"family": "checkout-api",
					"taskRoleArn": "arn:aws:iam::111122223333:role/service/checkout-api",
					"executionRoleArn": "arn:aws:iam::111122223333:role/service/ecs-task-execution",
					"networkMode": "awsvpc",
					"containerDefinitions": [{"name": "api", "image": "999988887777.dkr.ecr.us-east-1.amazonaws.com/platform/checkout-api:v1.43.0", "essential": true}],
					"requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024"
				},
				"responseElements": {"taskDefinition": {
					"taskDefinitionArn": "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:43",
					"family": "checkout-api", "revision": 43, "status": "ACTIVE",
					"taskRoleArn": "arn:aws:iam::111122223333:role/service/checkout-api",
					"executionRoleArn": "arn:aws:iam::111122223333:role/service/ecs-task-execution"
				}},
				"requestID": "9a8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "38b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ecs:RegisterTaskDefinition arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:*",
				"iam:PassRole arn:aws:iam::111122223333:role/service/checkout-api",
				"iam:PassRole arn:aws:iam::111122223333:role/service/ecs-task-execution"},
			generalized: []string{"any revision of it: family:*"},
		},
		{
			name: "ecs RunTask of a family revision",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:57:00Z", "eventSource": "ecs.amazonaws.com", "eventName": "RunTask",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"cluster": "prod", "taskDefinition": "checkout-migrate:7", "count": 1, "launchType": "FARGATE"},
				"responseElements": null,
				"requestID": "ab8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "48b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"ecs:RunTask arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-migrate:7"},
		},
		// Step Functions
		{
			name: "states StartExecution scopes to the state machine, not the execution name",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:58:00Z", "eventSource": "states.amazonaws.com", "eventName": "StartExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/sfn#1.26.0",
				"requestParameters": {"stateMachineArn": "arn:aws:states:us-east-1:111122223333:stateMachine:checkout-saga", "name": "order-1234", "input": "HIDDEN_DUE_TO_SECURITY_REASONS"},
				"responseElements": {"executionArn": "arn:aws:states:us-east-1:111122223333:execution:checkout-saga:order-1234", "startDate": "May 14, 2024, 9:58:00 AM"},
				"requestID": "bc8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "58b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"states:StartExecution arn:aws:states:us-east-1:111122223333:stateMachine:checkout-saga"},
		},
		{
			name: "states DescribeExecution scopes to the execution",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:58:30Z", "eventSource": "states.amazonaws.com", "eventName": "DescribeExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/sfn#1.26.0",
				"requestParameters": {"executionArn": "arn:aws:states:us-east-1:111122223333:execution:checkout-saga:order-1234"},
				"responseElements": null,
				"requestID": "cd8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "68b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"states:DescribeExecution arn:aws:states:us-east-1:111122223333:execution:checkout-saga:order-1234"},
		},
		{
			name: "states CreateStateMachine names the state machine",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:59:00Z", "eventSource": "states.amazonaws.com", "eventName": "CreateStateMachine",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"name": "refund-saga", "definition": "HIDDEN_DUE_TO_SECURITY_REASONS", "roleArn": "arn:aws:iam::111122223333:role/service/refund-saga-sfn", "type": "STANDARD"},
				"responseElements": {"stateMachineArn": "arn:aws:states:us-east-1:111122223333:stateMachine:refund-saga", "creationDate": "May 14, 2024, 9:59:00 AM"},
				"requestID": "de8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0a", "eventID": "78b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"states:CreateStateMachine arn:aws:states:us-east-1:111122223333:stateMachine:refund-saga",
				"iam:PassRole arn:aws:iam::111122223333:role/service/refund-saga-sfn"},
		},
		// Athena
		{
			name: "athena StartQueryExecution in a workgroup",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:00:00Z", "eventSource": "athena.amazonaws.com", "eventName": "StartQueryExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/athena#1.40.0",
				"requestParameters": {"queryString": "SELECT count(*) FROM orders WHERE day = '2024-05-13'", "clientRequestToken": "3f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4c", "queryExecutionContext": {"database": "checkout"}, "workGroup": "analytics"},
				"responseElements": {"queryExecutionId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
				"requestID": "ef8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "88b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"athena:StartQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/analytics"},
		},
		{
			name: "athena StartQueryExecution without a workgroup runs in primary",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:00:30Z", "eventSource": "athena.amazonaws.com", "eventName": "StartQueryExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/athena#1.40.0",
				"requestParameters": {"queryString": "SELECT 1", "clientRequestToken": "4f1a2b3c-4d5e-4f6a-8b7c-9d0e1f2a3b4c", "resultConfiguration": {"outputLocation": "s3://checkout-athena-results/"}},
				"responseElements": {"queryExecutionId": "b1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
				"requestID": "f08d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "98b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"athena:StartQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/primary"},
		},
		{
			name: "athena GetQueryExecution scoped by the workgroup in its response",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:01:00Z", "eventSource": "athena.amazonaws.com", "eventName": "GetQueryExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/athena#1.40.0",
				"requestParameters": {"queryExecutionId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
				"responseElements": {"queryExecution": {"queryExecutionId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "statementType": "DML", "workGroup": "analytics", "status": {"state": "SUCCEEDED"}}},
				"requestID": "018d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "a8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"athena:GetQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/analytics"},
		},
		{
			name: "athena GetQueryExecution without a response cannot be scoped",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:01:30Z", "eventSource": "athena.amazonaws.com", "eventName": "GetQueryExecution",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1 api/athena#1.40.0",
				"requestParameters": {"queryExecutionId": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
				"responseElements": null,
				"requestID": "128d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "b8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"athena:GetQueryExecution *"},
		},
		// Glue
		{
			name: "glue GetTable needs catalog, database and table",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:02:00Z", "eventSource": "glue.amazonaws.com", "eventName": "GetTable",
				"awsRegion": "us-east-1", "sourceIPAddress": "athena.amazonaws.com", "userAgent": "athena.amazonaws.com",
				"requestParameters": {"catalogId": "111122223333", "databaseName": "checkout", "name": "orders"},
				"responseElements": null,
				"requestID": "238d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "c8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"glue:GetTable arn:aws:glue:us-east-1:111122223333:catalog",
				"glue:GetTable arn:aws:glue:us-east-1:111122223333:database/checkout",
				"glue:GetTable arn:aws:glue:us-east-1:111122223333:table/checkout/orders",
			},
		},
		{
			name: "glue GetTables needs every table of the database",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:02:30Z", "eventSource": "glue.amazonaws.com", "eventName": "GetTables",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"databaseName": "checkout", "expression": "order*"},
				"responseElements": null,
				"requestID": "348d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "d8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"glue:GetTables arn:aws:glue:us-east-1:111122223333:catalog",
				"glue:GetTables arn:aws:glue:us-east-1:111122223333:database/checkout",
				"glue:GetTables arn:aws:glue:us-east-1:111122223333:table/checkout/*",
			},
		},
		// CloudWatch Logs
		{
			name: "logs log group, with the :* form its actions are checked against",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:03:00Z", "eventSource": "logs.amazonaws.com", "eventName": "PutRetentionPolicy",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"logGroupName": "/ecs/checkout-api", "retentionInDays": 30},
				"responseElements": null,
				"requestID": "458d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "e8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "apiVersion": "20140328", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{
				"logs:PutRetentionPolicy arn:aws:logs:us-east-1:111122223333:log-group:/ecs/checkout-api",
				"logs:PutRetentionPolicy arn:aws:logs:us-east-1:111122223333:log-group:/ecs/checkout-api:*",
			},
		},
		{
			name: "logs log stream",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2021-12-02T22:14:19Z", "eventSource": "logs.amazonaws.com", "eventName": "CreateLogStream",
				"awsRegion": "eu-west-1", "sourceIPAddress": "54.170.121.103", "userAgent": "awslambda-worker/1.0 rusoto/0.47.0 rust/1.56.1 linux",
				"requestParameters": {"logGroupName": "/aws/lambda/checkout-tax", "logStreamName": "2021/12/02/[$LATEST]9553c83fed194b2088075ece5c08b67a"},
				"responseElements": null,
				"requestID": "c3851707-405e-47be-82c8-5bbce18d47fd", "eventID": "20ba4b7e-bd9d-4f18-8504-1b049699d048", "readOnly": false,
				"eventType": "AwsApiCall", "apiVersion": "20140328", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"logs:CreateLogStream arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/checkout-tax:log-stream:2021/12/02/[$LATEST]9553c83fed194b2088075ece5c08b67a"},
		},
		// CloudFormation
		{
			name: "cloudformation stack named by name matches any stack id",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:04:00Z", "eventSource": "cloudformation.amazonaws.com", "eventName": "DescribeStacks",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"stackName": "checkout-prod"},
				"responseElements": null,
				"requestID": "568d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "f8b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"cloudformation:DescribeStacks arn:aws:cloudformation:us-east-1:111122223333:stack/checkout-prod/*"},
		},
		{
			name: "cloudformation stack named by its id is exact",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:04:30Z", "eventSource": "cloudformation.amazonaws.com", "eventName": "UpdateStack",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"stackName": "arn:aws:cloudformation:us-east-1:111122223333:stack/checkout-prod/5b918d10-9b8c-11ee-8e1f-0a1b2c3d4e5f", "templateURL": "https://checkout-cfn.s3.amazonaws.com/checkout.yaml", "capabilities": ["CAPABILITY_IAM"]},
				"responseElements": {"stackId": "arn:aws:cloudformation:us-east-1:111122223333:stack/checkout-prod/5b918d10-9b8c-11ee-8e1f-0a1b2c3d4e5f"},
				"requestID": "678d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "09b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"cloudformation:UpdateStack arn:aws:cloudformation:us-east-1:111122223333:stack/checkout-prod/5b918d10-9b8c-11ee-8e1f-0a1b2c3d4e5f"},
		},
		// CloudTrail
		{
			name: "cloudtrail trail named by name",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:04:45Z", "eventSource": "cloudtrail.amazonaws.com", "eventName": "GetTrailStatus",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"name": "checkout-audit"},
				"responseElements": null,
				"requestID": "7a8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "0ab7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": true,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"cloudtrail:GetTrailStatus arn:aws:cloudtrail:us-east-1:111122223333:trail/checkout-audit"},
		},
		// CloudFront (global: no region in the ARN)
		{
			name: "cloudfront distribution has no region",
			record: `{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:05:00Z", "eventSource": "cloudfront.amazonaws.com", "eventName": "CreateInvalidation",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
				"requestParameters": {"distributionId": "E2QWRUHAPOMQZL", "invalidationBatch": {"paths": {"quantity": 1, "items": ["/index.html"]}, "callerReference": "deploy-4821"}},
				"responseElements": {"location": "https://cloudfront.amazonaws.com/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation/I2J0I21PCUYOIK", "invalidation": {"id": "I2J0I21PCUYOIK", "status": "InProgress"}},
				"requestID": "788d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0b", "eventID": "19b7c8d9-e0f1-4a2b-8c3d-4e5f6a7b8c9d", "readOnly": false,
				"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
			want: []string{"cloudfront:CreateInvalidation arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			agg := analyzeRecords(t, tc.record)
			wantLines(t, factLines(agg.FactsOf(checkoutRole)), tc.want)
			gens := generalizations(agg)
			if len(tc.generalized) == 0 && len(gens) != 0 {
				t.Errorf("unexpected generalizations: %q", gens)
			}
			for _, g := range tc.generalized {
				found := false
				for _, s := range gens {
					found = found || strings.Contains(s, g)
				}
				if !found {
					t.Errorf("generalizations %q lack %q", gens, g)
				}
			}
		})
	}
}

// generalizations lists the aggregate's generalizations as "action: note".
func generalizations(agg *Aggregate) []string {
	return agg.GeneralizationsOf(checkoutRole)
}

// Every fact derived from real trails (the shared corpus and the demo trail)
// names a catalog action, and a resource that is "*" or matches one of that
// action's ARN templates: a malformed ARN (a name pasted into the wrong
// template, "alias/alias/…") would fail here.
func TestDerivedResourcesMatchTemplates(t *testing.T) {
	a := New(catalog.Embedded(), Options{})
	record := func(r *trail.Record) { a.Record(r) }
	walkTrails(t, fixtures.Demo(), record)
	walkTrails(t, os.DirFS(testenv.Shared(t, "corpus")), record)

	agg := a.Aggregate()
	agg.ResolveLinks()
	if len(agg.Facts) < 500 {
		t.Fatalf("only %d facts from the corpus and the demo trail", len(agg.Facts))
	}
	cat := catalog.Embedded()
	for k := range agg.Facts {
		act, ok := cat.Action(k.Action)
		if !ok {
			t.Errorf("%s: action %s is not in the catalog", k.Principal, k.Action)
			continue
		}
		if k.Resource == Wildcard {
			continue
		}
		matched := false
		for _, rt := range cat.ResourceTypes(act) {
			matched = matched || compileTemplate(rt.ARN).re.MatchString(k.Resource)
		}
		if !matched || strings.Count(k.Resource, "arn:") != 1 {
			t.Errorf("%s %s: resource %s matches none of the action's templates", k.Principal, k.Action, k.Resource)
		}
	}
}
