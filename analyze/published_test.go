package analyze

import (
	"slices"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/trail"
)

// TestPublishedOperations: where AWS's service reference maps an operation
// to actions, the mapping overrides the hand-kept tables, except where the
// operation is an action itself or a request-dependent rule decides.
func TestPublishedOperations(t *testing.T) {
	cat := catalog.Embedded().WithOperations(map[string]map[string][]string{
		"sqs": {
			// AWS says so: overrides renamed's sqs:SendMessage.
			"SendMessageBatch": {"sqs:SendMessage"},
			// A hand-table entry AWS contradicts is corrected (a made-up
			// mapping, to show it).
			"DeleteMessageBatch": {"sqs:ChangeMessageVisibility", "sqs:PurgeQueue"},
		},
		"s3": {
			// Listed with the variants it may need: the own action stays alone.
			"GetObject": {"s3:GetObject", "s3:GetObjectVersion"},
			// Several listed, the hand table picks among them: kept.
			"HeadObject": {"s3:GetObject", "s3:GetObjectVersion"},
			// Not an action, no hand entry: the published list.
			"RestoreObject": {"s3:RestoreObject"},
			// One action the hand table also picks: its resources stand.
			"DeleteObjects": {"s3:DeleteObject"},
		},
		"kms": {"ReEncrypt": {"kms:ReEncryptFrom", "kms:ReEncryptTo"}},
		"lambda": {
			"Invoke":      {"lambda:InvokeFunction"},
			"NotAnAction": {"lambda:NoSuchThing"},
		},
	})
	tests := []struct {
		source, event string
		want          []string
	}{
		{"sqs.amazonaws.com", "SendMessageBatch", []string{"sqs:SendMessage"}},
		{"sqs.amazonaws.com", "DeleteMessageBatch", []string{"sqs:ChangeMessageVisibility", "sqs:PurgeQueue"}},
		{"s3.amazonaws.com", "GetObject", []string{"s3:GetObject"}},
		{"s3.amazonaws.com", "HeadObject", []string{"s3:GetObject"}},
		{"kms.amazonaws.com", "ReEncrypt", []string{"kms:ReEncryptFrom", "kms:ReEncryptTo"}},
		{"lambda.amazonaws.com", "Invoke", []string{"lambda:InvokeFunction"}},
	}
	for _, tc := range tests {
		r := &trail.Record{EventSource: tc.source, EventName: tc.event}
		needs, status, _ := mapActions(cat, r, nil)
		var got []string
		for _, n := range needs {
			got = append(got, n.Action.Full())
		}
		slices.Sort(got)
		if status != mapped || !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %v (status %d), want %v", tc.source, tc.event, got, status, tc.want)
		}
	}
	// DeleteObjects keeps the hand table's bucket/* resources.
	agg := NewAggregate()
	a := &Analyzer{cat: cat, der: newDeriver(cat), agg: agg, ev: &eventFacts{}}
	rec := decodeRecord(t, `{"eventVersion": "1.09", "userIdentity": `+checkoutSession+`, "eventTime": "2024-05-14T10:00:00Z",
		"eventSource": "s3.amazonaws.com", "eventName": "DeleteObjects", "awsRegion": "us-east-1",
		"requestParameters": {"bucketName": "checkout-tmp", "delete": ""}, "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`)
	a.Record(&rec)
	wantLines(t, factLines(agg.FactsOf(checkoutRole)), []string{"s3:DeleteObject arn:aws:s3:::checkout-tmp/*"})
	// A published action missing from the catalog is never emitted.
	if got := published(cat, "lambda", "NotAnAction", "lambda:NotAnAction"); got != nil {
		t.Errorf("published an unknown action: %v", got)
	}
}
