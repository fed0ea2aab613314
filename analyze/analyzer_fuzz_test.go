package analyze

import (
	"testing"

	json "github.com/goccy/go-json"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/trail"
)

// FuzzAnalyzeRecord: no record, however odd, makes the analyzer panic, and
// every fact it keeps names a real action.
func FuzzAnalyzeRecord(f *testing.F) {
	f.Add([]byte(`{"eventSource":"s3.amazonaws.com","eventName":"CopyObject","awsRegion":"us-east-1","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r","accountId":"1"}}},"requestParameters":{"bucketName":"b","key":"k","x-amz-copy-source":"src/a%2Fb?versionId=1"}}`))
	f.Add([]byte(`{"eventSource":"dynamodb.amazonaws.com","eventName":"TransactWriteItems","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"requestParameters":{"transactItems":[{"put":{"tableName":"t"}},{"delete":{"tableName":"arn:aws:dynamodb:us-east-1:1:table/x"}}]}}`))
	f.Add([]byte(`{"eventSource":"kms.amazonaws.com","eventName":"ReEncrypt","errorCode":"AccessDenied","errorMessage":"User: x is not authorized to perform: kms:ReEncryptFrom on resource: arn:aws:kms:us-east-1:1:key/k because no identity-based policy allows the kms:ReEncryptFrom action","userIdentity":{"type":"Root","accountId":"1"},"requestParameters":{"sourceKeyId":"alias/a","destinationKeyId":"k2"}}`))
	f.Add([]byte(`{"eventSource":"sqs.amazonaws.com","eventName":"SendMessageBatch","userIdentity":{"type":"AWSAccount","accountId":"2"},"requestParameters":{"queueUrl":"https://sqs.us-gov-west-1.amazonaws.com/1/q"},"responseElements":{"x":["arn:aws:sqs:us-east-1:1:q"]}}`))
	cat := catalog.Embedded()
	f.Fuzz(func(t *testing.T, b []byte) {
		var r trail.Record
		if json.Unmarshal(b, &r) != nil {
			return
		}
		a := New(cat, Options{MaxResources: 3})
		a.Record(&r)
		a.Record(&r)
		for k := range a.Aggregate().Facts {
			if !cat.Exists(k.Action) {
				t.Fatalf("fact names %q, which is not in the catalog", k.Action)
			}
		}
	})
}
