package analyze

import (
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

func TestActions(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   []string
	}{
		{
			name: "monitoring event source is the cloudwatch prefix",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:20:00Z",
				"eventSource": "monitoring.amazonaws.com",
				"eventName": "PutMetricAlarm",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/cloudwatch#1.37.2",
				"requestParameters": {
					"alarmName": "checkout-5xx-rate",
					"metricName": "HTTPCode_Target_5XX_Count",
					"namespace": "AWS/ApplicationELB",
					"statistic": "Sum",
					"period": 60,
					"evaluationPeriods": 5,
					"threshold": 10.0,
					"comparisonOperator": "GreaterThanThreshold",
					"alarmActions": ["arn:aws:sns:us-east-1:111122223333:checkout-oncall"]
				},
				"responseElements": null,
				"requestID": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
				"eventID": "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{"cloudwatch:PutMetricAlarm arn:aws:cloudwatch:us-east-1:111122223333:alarm:checkout-5xx-rate"},
		},
		{
			name: "monitoring PutMetricData takes no resource",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:20:01Z",
				"eventSource": "monitoring.amazonaws.com",
				"eventName": "PutMetricData",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/cloudwatch#1.37.2",
				"requestParameters": {"namespace": "Checkout", "metricData": [{"metricName": "OrdersPlaced", "value": 3.0, "unit": "Count"}]},
				"responseElements": null,
				"requestID": "e3f4a5b6-c7d8-4e9f-8a0b-1c2d3e4f5a6b",
				"eventID": "f4a5b6c7-d8e9-4f0a-9b1c-2d3e4f5a6b7c",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{"cloudwatch:PutMetricData *"},
		},
		{
			name: "lambda version suffix stripped",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:21:00Z",
				"eventSource": "lambda.amazonaws.com",
				"eventName": "UpdateFunctionCode20150331v2",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {"functionName": "checkout-tax", "publish": true, "dryRun": false},
				"responseElements": {
					"functionName": "checkout-tax",
					"functionArn": "arn:aws:lambda:us-east-1:111122223333:function:checkout-tax",
					"runtime": "python3.12",
					"role": "arn:aws:iam::111122223333:role/service/checkout-tax-exec",
					"handler": "app.handler",
					"version": "17",
					"state": "Active"
				},
				"requestID": "a5b6c7d8-e9f0-4a1b-8c2d-3e4f5a6b7c8d",
				"eventID": "b6c7d8e9-f0a1-4b2c-9d3e-4f5a6b7c8d9e",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{"lambda:UpdateFunctionCode arn:aws:lambda:us-east-1:111122223333:function:checkout-tax"},
		},
		{
			name: "cloudfront API version suffix stripped",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:22:00Z",
				"eventSource": "cloudfront.amazonaws.com",
				"eventName": "UpdateDistribution2020_05_31",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {
					"id": "E2QWRUHAPOMQZL",
					"ifMatch": "E2ROAS8H3ZDA2C",
					"distributionConfig": {
						"callerReference": "checkout-web-2023",
						"comment": "checkout web",
						"enabled": true,
						"viewerCertificate": {"aCMCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/5f8a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "sSLSupportMethod": "sni-only"},
						"webACLId": "arn:aws:wafv2:us-east-1:111122223333:global/webacl/checkout/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
					}
				},
				"responseElements": {"eTag": "E3UN6WX5RRO2AG", "distribution": {"id": "E2QWRUHAPOMQZL", "aRN": "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL", "status": "InProgress"}},
				"requestID": "c7d8e9f0-a1b2-4c3d-8e4f-5a6b7c8d9e0f",
				"eventID": "d8e9f0a1-b2c3-4d4e-9f5a-6b7c8d9e0f1a",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{"cloudfront:UpdateDistribution arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL"},
		},
		{
			name: "lambda Invoke is InvokeFunction",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:23:00Z",
				"eventSource": "lambda.amazonaws.com",
				"eventName": "Invoke",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/lambda#1.54.0",
				"requestParameters": {"functionName": "arn:aws:lambda:us-east-1:111122223333:function:checkout-tax", "invocationType": "RequestResponse"},
				"responseElements": null,
				"additionalEventData": {"functionVersion": "arn:aws:lambda:us-east-1:111122223333:function:checkout-tax:$LATEST"},
				"requestID": "e9f0a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b",
				"eventID": "f0a1b2c3-d4e5-4f6a-9b7c-8d9e0f1a2b3c",
				"readOnly": false,
				"resources": [{"accountId": "111122223333", "type": "AWS::Lambda::Function", "ARN": "arn:aws:lambda:us-east-1:111122223333:function:checkout-tax"}],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"lambda:InvokeFunction arn:aws:lambda:us-east-1:111122223333:function:checkout-tax"},
		},
		{
			name: "s3 ListObjects is ListBucket",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:24:00Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "ListObjects",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-assets", "Host": "checkout-assets.s3.us-east-1.amazonaws.com", "prefix": "img/", "list-type": "2"},
				"responseElements": null,
				"additionalEventData": {"SignatureVersion": "SigV4", "AuthenticationMethod": "AuthHeader", "bytesTransferredIn": 0, "bytesTransferredOut": 512},
				"requestID": "K1J2H3G4F5D6S7A8",
				"eventID": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e",
				"readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-assets"}],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"s3:ListBucket arn:aws:s3:::checkout-assets"},
		},
		{
			name: "s3 HeadObject is GetObject",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:25:00Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "HeadObject",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1234.pdf"},
				"responseElements": null,
				"requestID": "L2K3J4H5G6F7D8S9",
				"eventID": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6f",
				"readOnly": true,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-receipts"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
		},
		{
			name: "s3 HeadObject of a version is GetObjectVersion",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:25:30Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "HeadObject",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
				"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "2024/05/14/order-1234.pdf", "versionId": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"},
				"responseElements": null,
				"requestID": "M3L4K5J6H7G8F9D0",
				"eventID": "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f",
				"readOnly": true,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-receipts"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"s3:GetObjectVersion arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"},
		},
		{
			name: "s3 CopyObject needs PutObject on the destination and GetObject on the source",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-10-08T12:24:16Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "CopyObject",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "[aws-cli/2.17.60 md/command#s3api.copy-object]",
				"requestParameters": {
					"bucketName": "checkout-archive",
					"Host": "checkout-archive.s3.us-east-1.amazonaws.com",
					"x-amz-copy-source": "checkout-receipts/2024/05/14/order%201234.pdf",
					"key": "2024/05/order 1234.pdf"
				},
				"responseElements": {"x-amz-server-side-encryption": "AES256"},
				"additionalEventData": {"SignatureVersion": "SigV4", "SSEApplied": "Default_SSE_S3", "AuthenticationMethod": "AuthHeader"},
				"requestID": "62A9N2AH4P4YKG2B",
				"eventID": "0c06e2ff-5e88-44e6-a081-57871bbe770b",
				"readOnly": false,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-archive/2024/05/order 1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-archive"},
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order 1234.pdf"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{
				"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order 1234.pdf",
				"s3:GetObjectTagging arn:aws:s3:::checkout-receipts/2024/05/14/order 1234.pdf",
				"s3:PutObject arn:aws:s3:::checkout-archive/2024/05/order 1234.pdf",
			},
		},
		{
			name: "s3 CopyObject from a source version needs GetObjectVersion",
			record: `{
				"eventVersion": "1.09",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-10-08T12:25:16Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "CopyObject",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "[aws-cli/2.17.60 md/command#s3api.copy-object]",
				"requestParameters": {
					"bucketName": "checkout-archive",
					"Host": "checkout-archive.s3.us-east-1.amazonaws.com",
					"x-amz-copy-source": "checkout-receipts/2024/05/14/order-1234.pdf?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
					"key": "2024/05/order-1234.pdf"
				},
				"responseElements": {"x-amz-copy-source-version-id": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"},
				"requestID": "72B9N2AH4P4YKG2C",
				"eventID": "1c06e2ff-5e88-44e6-a081-57871bbe770c",
				"readOnly": false,
				"resources": [
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-archive/2024/05/order-1234.pdf"},
					{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::checkout-archive"},
					{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{
				"s3:GetObjectVersion arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf",
				"s3:GetObjectVersionTagging arn:aws:s3:::checkout-receipts/2024/05/14/order-1234.pdf",
				"s3:PutObject arn:aws:s3:::checkout-archive/2024/05/order-1234.pdf",
			},
		},
		{
			name: "kms ReEncrypt needs ReEncryptFrom on the source key and ReEncryptTo on the destination",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:26:00Z",
				"eventSource": "kms.amazonaws.com",
				"eventName": "ReEncrypt",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {
					"sourceEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
					"destinationEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
					"destinationKeyId": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
				},
				"responseElements": null,
				"requestID": "03769fd4-acf9-4b33-adf3-2ab8ca73aadf",
				"eventID": "542d9e04-0e8d-4e05-bf4b-4bdeb032e6ec",
				"readOnly": true,
				"resources": [
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{
				"kms:ReEncryptFrom arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				"kms:ReEncryptTo arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
			},
		},
		{
			name: "kms ReEncrypt to a key named by its id",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:26:30Z",
				"eventSource": "kms.amazonaws.com",
				"eventName": "ReEncrypt",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {
					"sourceEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
					"destinationEncryptionAlgorithm": "SYMMETRIC_DEFAULT",
					"destinationKeyId": "0987dcba-09fe-87dc-65ba-ab0987654321"
				},
				"responseElements": null,
				"requestID": "13769fd4-acf9-4b33-adf3-2ab8ca73aadf",
				"eventID": "642d9e04-0e8d-4e05-bf4b-4bdeb032e6ec",
				"readOnly": true,
				"resources": [
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
					{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{
				"kms:ReEncryptFrom arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				"kms:ReEncryptTo arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
			},
		},
		{
			name: "sqs SendMessageBatch is SendMessage",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:27:00Z",
				"eventSource": "sqs.amazonaws.com",
				"eventName": "SendMessageBatch",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/sqs#1.31.4",
				"requestParameters": {
					"queueUrl": "https://sqs.us-east-1.amazonaws.com/111122223333/checkout-orders.fifo",
					"entries": [
						{"id": "0", "messageBody": "HIDDEN_DUE_TO_SECURITY_REASONS", "messageGroupId": "order-1234"},
						{"id": "1", "messageBody": "HIDDEN_DUE_TO_SECURITY_REASONS", "messageGroupId": "order-1235"}
					]
				},
				"responseElements": null,
				"requestID": "0b1c2d3e-4f5a-5b6c-9d7e-8f9a0b1c2d3e",
				"eventID": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
				"readOnly": false,
				"resources": [{"accountId": "111122223333", "type": "AWS::SQS::Queue", "ARN": "arn:aws:sqs:us-east-1:111122223333:checkout-orders.fifo"}],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"sqs:SendMessage arn:aws:sqs:us-east-1:111122223333:checkout-orders.fifo"},
		},
		{
			name: "dynamodb TransactWriteItems needs each item's action on its own table",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:28:00Z",
				"eventSource": "dynamodb.amazonaws.com",
				"eventName": "TransactWriteItems",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {
					"transactItems": [
						{"put": {"tableName": "orders", "conditionExpression": "attribute_not_exists(pk)"}},
						{"update": {"tableName": "inventory", "key": {"sku": {"S": "HIDDEN"}}, "updateExpression": "SET stock = stock - :n"}},
						{"conditionCheck": {"tableName": "customers", "key": {"id": {"S": "HIDDEN"}}, "conditionExpression": "attribute_exists(id)"}}
					],
					"returnConsumedCapacity": "NONE",
					"clientRequestToken": "order-1234"
				},
				"responseElements": null,
				"requestID": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
				"eventID": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b",
				"readOnly": false,
				"resources": [
					{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
					{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/inventory"},
					{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/customers"}
				],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{
				"dynamodb:ConditionCheckItem arn:aws:dynamodb:us-east-1:111122223333:table/customers",
				"dynamodb:PutItem arn:aws:dynamodb:us-east-1:111122223333:table/orders",
				"dynamodb:UpdateItem arn:aws:dynamodb:us-east-1:111122223333:table/inventory",
			},
		},
		{
			name: "dynamodb PartiQL statement verb picks the action",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:29:00Z",
				"eventSource": "dynamodb.amazonaws.com",
				"eventName": "ExecuteStatement",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {"statement": "SELECT * FROM \"orders\" WHERE \"pk\" = ?", "consistentRead": false},
				"responseElements": null,
				"requestID": "4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c",
				"eventID": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
				"readOnly": true,
				"resources": [{"accountId": "111122223333", "type": "AWS::DynamoDB::Table", "ARN": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"}],
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"dynamodb:PartiQLSelect arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
		},
		{
			name: "dynamodb PartiQL insert names its table in the statement",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:29:30Z",
				"eventSource": "dynamodb.amazonaws.com",
				"eventName": "ExecuteStatement",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-sdk-go-v2/1.26.1 api/dynamodb#1.31.1",
				"requestParameters": {"statement": "INSERT INTO audit_log VALUE {'pk': ?, 'at': ?}"},
				"responseElements": null,
				"requestID": "5f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c",
				"eventID": "6a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": false,
				"recipientAccountId": "111122223333",
				"eventCategory": "Data"
			}`,
			want: []string{"dynamodb:PartiQLInsert arn:aws:dynamodb:us-east-1:111122223333:table/audit_log"},
		},
		{
			name: "rds action ending in S3 is not truncated",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:30:00Z",
				"eventSource": "rds.amazonaws.com",
				"eventName": "RestoreDBInstanceFromS3",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {
					"dBInstanceIdentifier": "checkout-db-restored",
					"dBInstanceClass": "db.m6g.large",
					"engine": "mysql",
					"masterUsername": "admin",
					"masterUserPassword": "HIDDEN_DUE_TO_SECURITY_REASONS",
					"dBSubnetGroupName": "checkout-private",
					"dBParameterGroupName": "checkout-mysql80",
					"optionGroupName": "checkout-mysql80-opts",
					"sourceEngine": "mysql",
					"sourceEngineVersion": "8.0.36",
					"s3BucketName": "checkout-db-backups",
					"s3Prefix": "nightly/",
					"s3IngestionRoleArn": "arn:aws:iam::111122223333:role/service-role/rds-s3-ingest",
					"allocatedStorage": 100
				},
				"responseElements": {
					"dBInstanceIdentifier": "checkout-db-restored",
					"dBInstanceArn": "arn:aws:rds:us-east-1:111122223333:db:checkout-db-restored",
					"dBInstanceStatus": "creating"
				},
				"requestID": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
				"eventID": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
				"readOnly": false,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			want: []string{
				"iam:PassRole arn:aws:iam::111122223333:role/service-role/rds-s3-ingest",
				"rds:RestoreDBInstanceFromS3 arn:aws:rds:us-east-1:111122223333:db:checkout-db-restored",
				"rds:RestoreDBInstanceFromS3 arn:aws:rds:us-east-1:111122223333:og:checkout-mysql80-opts",
				"rds:RestoreDBInstanceFromS3 arn:aws:rds:us-east-1:111122223333:pg:checkout-mysql80",
				"rds:RestoreDBInstanceFromS3 arn:aws:rds:us-east-1:111122223333:subgrp:checkout-private",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			agg := analyzeRecords(t, tc.record)
			wantLines(t, factLines(agg.FactsOf(checkoutRole)), tc.want)
			if agg.Counts.Unmapped != 0 {
				t.Errorf("unmapped: %v", agg.Unmapped)
			}
		})
	}
}

// Calls that need no permission, and calls no IAM action matches, are
// counted and never become facts.
func TestActionsNotEmitted(t *testing.T) {
	tests := []struct {
		name           string
		record         string
		permissionless int64
		unmapped       string // the Unmapped key expected
	}{
		{
			name: "GetCallerIdentity needs no permission",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:31:00Z",
				"eventSource": "sts.amazonaws.com",
				"eventName": "GetCallerIdentity",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": null,
				"responseElements": null,
				"requestID": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
				"eventID": "9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			permissionless: 1,
		},
		{
			name: "retired mobilehub call maps to no action",
			record: `{
				"eventVersion": "1.05",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2019-03-01T10:00:00Z",
				"eventSource": "mobile.amazonaws.com",
				"eventName": "DescribeProject",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/1.16.100",
				"requestParameters": {"projectId": "checkout-mobile-2019"},
				"responseElements": null,
				"requestID": "0f1a2b3c-4d5e-4f6a-9b7c-8d9e0f1a2b3c",
				"eventID": "1a2b3c4d-5e6f-4a7b-8c8d-9e0f1a2b3c4d",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"recipientAccountId": "111122223333"
			}`,
			unmapped: "mobile.amazonaws.com DescribeProject (mobile:DescribeProject)",
		},
		{
			name: "unknown event name maps to no action",
			record: `{
				"eventVersion": "1.08",
				"userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T09:32:00Z",
				"eventSource": "s3.amazonaws.com",
				"eventName": "GetBucketInventoryReportStatus",
				"awsRegion": "us-east-1",
				"sourceIPAddress": "10.20.3.41",
				"userAgent": "aws-cli/2.15.40",
				"requestParameters": {"bucketName": "checkout-assets"},
				"responseElements": null,
				"requestID": "2b3c4d5e-6f7a-4b8c-9d9e-0f1a2b3c4d5e",
				"eventID": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
				"readOnly": true,
				"eventType": "AwsApiCall",
				"managementEvent": true,
				"recipientAccountId": "111122223333",
				"eventCategory": "Management"
			}`,
			unmapped: "s3.amazonaws.com GetBucketInventoryReportStatus (s3:GetBucketInventoryReportStatus)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			agg := analyzeRecords(t, tc.record)
			if len(agg.Facts) != 0 {
				t.Errorf("want no facts, got %v", factLines(agg.FactsOf(checkoutRole)))
			}
			if agg.Counts.Permissionless != tc.permissionless {
				t.Errorf("Permissionless = %d, want %d", agg.Counts.Permissionless, tc.permissionless)
			}
			var wantUnmapped int64
			if tc.unmapped != "" {
				wantUnmapped = 1
				if agg.Unmapped[tc.unmapped] != 1 {
					t.Errorf("Unmapped = %v, want %q counted once", agg.Unmapped, tc.unmapped)
				}
			}
			if agg.Counts.Unmapped != wantUnmapped {
				t.Errorf("Counts.Unmapped = %d, want %d", agg.Counts.Unmapped, wantUnmapped)
			}
			if agg.Counts.APICalls != 1 {
				t.Errorf("APICalls = %d, want 1", agg.Counts.APICalls)
			}
		})
	}
}

func TestEventAction(t *testing.T) {
	tests := []struct {
		source, name, want string
	}{
		{"lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda:UpdateFunctionCode"},
		{"lambda.amazonaws.com", "CreateFunction20150331", "lambda:CreateFunction"},
		{"lambda.amazonaws.com", "TagResource20170331v2", "lambda:TagResource"},
		{"cloudfront.amazonaws.com", "UpdateDistribution2020_05_31", "cloudfront:UpdateDistribution"},
		{"rds.amazonaws.com", "RestoreDBInstanceFromS3", "rds:RestoreDBInstanceFromS3"},
		{"kafka.amazonaws.com", "CreateClusterV2", "kafka:CreateClusterV2"},
		{"monitoring.amazonaws.com", "DescribeAlarms", "cloudwatch:DescribeAlarms"},
		{"email.amazonaws.com", "SendEmail", "ses:SendEmail"},
		{"streams.dynamodb.amazonaws.com", "GetRecords", "dynamodb:GetRecords"},
	}
	for _, tc := range tests {
		t.Run(tc.source+" "+tc.name, func(t *testing.T) {
			r := decodeRecord(t, `{"eventSource": "`+tc.source+`", "eventName": "`+tc.name+`"}`)
			if got := eventAction(&r); got != tc.want {
				t.Errorf("eventAction = %q, want %q", got, tc.want)
			}
			if !catalog.Embedded().Exists(tc.want) {
				t.Errorf("%s is not in the catalog", tc.want)
			}
		})
	}
}
