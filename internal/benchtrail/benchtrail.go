// Package benchtrail builds in-memory CloudTrail delivery files for the
// micro-benchmarks of trail and analyze, with the record mix of
// benchmarks/gen: mostly S3, DynamoDB, SQS, KMS and Lambda data events, some
// management events, 1% denied.
package benchtrail

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
)

// DeliveryFile is {"Records":[...]} of at least size bytes.
func DeliveryFile(size int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var buf bytes.Buffer
	buf.WriteString(`{"Records":[`)
	for i := 0; buf.Len() < size; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(benchRecord(rng, i))
	}
	buf.WriteString("]}")
	return buf.Bytes()
}

// benchRoles are the role sessions the benchmark records act as.
var benchRoles = []string{"checkout-api", "orders-worker", "payments", "etl-nightly", "image-resizer", "ledger", "cart", "report-builder"}

// benchRecord renders one CloudTrail record as CloudTrail writes it.
func benchRecord(rng *rand.Rand, i int) string {
	const acct = "111122223333"
	region := []string{"us-east-1", "eu-west-1"}[rng.IntN(2)]
	role := benchRoles[rng.IntN(len(benchRoles))]
	session := benchHex(rng, 32)
	who := fmt.Sprintf(`{"type":"AssumedRole","principalId":"AROAYEXAMPLE%sX:%s","arn":"arn:aws:sts::%s:assumed-role/%s/%s","accountId":"%s","accessKeyId":"ASIAYEXAMPLE%04dKEY","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAYEXAMPLE%sX","arn":"arn:aws:iam::%s:role/service/%s","accountId":"%s","userName":"%s"},"webIdFederationData":{},"attributes":{"creationDate":"2026-10-31T08:15:14Z","mfaAuthenticated":"false"}}}`,
		strings.ToUpper(role[:3]), session, acct, role, session, acct, i%10000, strings.ToUpper(role[:3]), acct, role, acct, role)
	agent := "aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard"
	bucket := "acme-prod-" + role + "-data"
	key := fmt.Sprintf("orders/2026/11/%02d/%s.json.gz", 1+rng.IntN(28), benchUUID(rng))
	table := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, acct, role)
	kms := fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, acct, "5f3c1e2a-8b7d-4c6e-9a1f-0d2b3c4e5f60")
	var source, name, params, resp, extra, resources, category = "", "", "null", "null", "", "", "Data"
	switch n := rng.IntN(100); {
	case n < 30:
		source, name = "s3", []string{"GetObject", "PutObject", "HeadObject"}[rng.IntN(3)]
		params = fmt.Sprintf(`{"bucketName":"%s","Host":"%s.s3.%s.amazonaws.com","key":"%s"}`, bucket, bucket, region, key)
		extra = fmt.Sprintf(`,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"SSEApplied":"SSE_KMS","AuthenticationMethod":"AuthHeader","x-amz-id-2":"%s","bytesTransferredOut":%d}`, benchHex(rng, 76), rng.IntN(4_000_000))
		resources = fmt.Sprintf(`[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::%s/%s"},{"accountId":"%s","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::%s"}]`, bucket, key, acct, bucket)
	case n < 52:
		source, name = "dynamodb", []string{"GetItem", "PutItem", "Query", "UpdateItem"}[rng.IntN(4)]
		index := ""
		if name == "Query" && rng.IntN(2) == 0 {
			index = `"indexName":"by-customer",`
		}
		params = fmt.Sprintf(`{"tableName":"%s",%s"key":{"pk":"HIDDEN_DUE_TO_SECURITY_REASONS"},"consistentRead":false,"expressionAttributeNames":{"#s":"status"}}`, role, index)
		resources = fmt.Sprintf(`[{"accountId":"%s","type":"AWS::DynamoDB::Table","ARN":"%s"}]`, acct, table)
	case n < 62:
		source, name = "sqs", "SendMessage"
		params = fmt.Sprintf(`{"queueUrl":"https://sqs.%s.amazonaws.com/%s/%s-jobs","messageBody":"HIDDEN_DUE_TO_SECURITY_REASONS","messageAttributes":"HIDDEN_DUE_TO_SECURITY_REASONS"}`, region, acct, role)
		resp = fmt.Sprintf(`{"mD5OfMessageBody":"%s","mD5OfMessageAttributes":"%s","messageId":"%s"}`, benchHex(rng, 32), benchHex(rng, 32), benchUUID(rng))
		resources = fmt.Sprintf(`[{"accountId":"%s","type":"AWS::SQS::Queue","ARN":"arn:aws:sqs:%s:%s:%s-jobs"}]`, acct, region, acct, role)
	case n < 80:
		source, name, category = "kms", "Decrypt", "Management"
		params = fmt.Sprintf(`{"encryptionContext":{"aws:s3:arn":"arn:aws:s3:::%s/%s"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT"}`, bucket, key)
		resources = fmt.Sprintf(`[{"accountId":"%s","type":"AWS::KMS::Key","ARN":"%s"}]`, acct, kms)
	case n < 85:
		source, name = "lambda", "Invoke"
		fn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s-handler", region, acct, benchRoles[rng.IntN(len(benchRoles))])
		params = fmt.Sprintf(`{"functionName":"%s","invocationType":"RequestResponse"}`, fn)
		extra = fmt.Sprintf(`,"additionalEventData":{"functionVersion":"%s:$LATEST"}`, fn)
		resources = fmt.Sprintf(`[{"accountId":"%s","type":"AWS::Lambda::Function","ARN":"%s"}]`, acct, fn)
	case n < 90:
		source, name, category = "sts", "AssumeRole", "Management"
		target := fmt.Sprintf("arn:aws:iam::%s:role/service/%s", acct, benchRoles[rng.IntN(len(benchRoles))])
		params = fmt.Sprintf(`{"roleArn":"%s","roleSessionName":"%s","durationSeconds":3600}`, target, session)
		resp = fmt.Sprintf(`{"credentials":{"accessKeyId":"ASIAY%s","sessionToken":"IQoJb3JpZ2luX2VjE%s","expiration":"Nov 1, 2026, 1:00:00 PM"},"assumedRoleUser":{"assumedRoleId":"AROAY:%s","arn":"arn:aws:sts::%s:assumed-role/x/%s"}}`, benchHex(rng, 15), benchHex(rng, 700), session, acct, session)
		resources = fmt.Sprintf(`[{"accountId":"%s","type":"AWS::IAM::Role","ARN":"%s"}]`, acct, target)
	default:
		source, name, category = "ec2", "DescribeInstances", "Management"
		params = `{"instancesSet":{},"filterSet":{"items":[{"name":"tag:Service","valueSet":{"items":[{"value":"checkout"}]}}]}}`
	}
	denied := ""
	if rng.IntN(100) == 0 {
		denied = fmt.Sprintf(`"errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::%s:assumed-role/%s/%s is not authorized to perform: %s:%s on resource: %s because no identity-based policy allows the %s:%s action",`, acct, role, session, source, name, table, source, name)
	}
	if resources != "" {
		resources = `"resources":` + resources + ","
	}
	return fmt.Sprintf(`{"eventVersion":"1.09","userIdentity":%s,"eventTime":"2026-11-01T%02d:%02d:%02dZ","eventSource":"%s.amazonaws.com","eventName":"%s","awsRegion":"%s","sourceIPAddress":"10.40.%d.%d","userAgent":"%s",%s"requestParameters":%s,"responseElements":%s%s,"requestID":"%s","eventID":"%s","readOnly":true,%s"eventType":"AwsApiCall","managementEvent":%t,"recipientAccountId":"%s","eventCategory":"%s","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"%s.%s.amazonaws.com"}}`,
		who, i/3600%24, i/60%60, i%60, source, name, region, rng.IntN(256), 1+rng.IntN(254), agent, denied, params, resp, extra,
		benchUUID(rng), benchUUID(rng), resources, category == "Management", acct, category, source, region)
}

func benchHex(rng *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(16)]
	}
	return string(b)
}

func benchUUID(rng *rand.Rand) string {
	h := benchHex(rng, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}
