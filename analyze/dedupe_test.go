package analyze

import (
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// TestSharedEvents: a cross-account KMS call reaches the caller's and the
// key owner's trails as two records with one sharedEventID; a run over
// both, in one worker or split over two, counts it once.
func TestSharedEvents(t *testing.T) {
	copyIn := func(eventID, recipient string) string {
		return `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
			"eventTime": "2024-05-14T09:00:00Z", "eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1",
			"requestParameters": {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, "responseElements": null,
			"resources": [{"accountId": "444455556666", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:444455556666:key/7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a"}],
			"eventID": "` + eventID + `", "sharedEventID": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
			"eventType": "AwsApiCall", "recipientAccountId": "` + recipient + `"}`
	}
	caller, owner := copyIn("a1b2c3d4-0000-4000-8000-000000000001", "111122223333"), copyIn("a1b2c3d4-0000-4000-8000-000000000002", "444455556666")
	key := FactKey{Principal: checkoutRole, Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:444455556666:key/7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", Region: "us-east-1"}

	one := New(catalog.Embedded(), Options{Shared: NewEventSet()})
	for _, js := range []string{caller, owner} {
		r := decodeRecord(t, js)
		one.Record(&r)
	}
	shared := NewEventSet()
	a, b := New(catalog.Embedded(), Options{Shared: shared}), New(catalog.Embedded(), Options{Shared: shared})
	ra, rb := decodeRecord(t, caller), decodeRecord(t, owner)
	a.Record(&ra)
	b.Record(&rb)
	split := a.Aggregate()
	split.Merge(b.Aggregate())
	without := analyzeRecords(t, caller, owner)

	tests := []struct {
		name       string
		agg        *Aggregate
		count, dup int64
	}{
		{"one worker", one.Aggregate(), 1, 1},
		{"two workers sharing the set", split, 1, 1},
		{"without a set both copies count", without, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.agg.Facts[key]
			if s == nil || s.Count != tc.count || tc.agg.Counts.Duplicates != tc.dup {
				t.Errorf("fact %+v, duplicates %d; want count %d, duplicates %d", s, tc.agg.Counts.Duplicates, tc.count, tc.dup)
			}
		})
	}
}

// TestSharedEventsOtherView: the other account's copy that sees only the
// caller's account (an AWSAccount identity) is that principal's view and is
// kept; it never hides the caller's own copy, whichever comes first.
func TestSharedEventsOtherView(t *testing.T) {
	copyAs := func(identity, eventID, recipient string) string {
		return `{"eventVersion": "1.09", "userIdentity": ` + identity + `,
			"eventTime": "2024-05-14T09:00:00Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41",
			"requestParameters": {"roleArn": "arn:aws:iam::444455556666:role/reader", "roleSessionName": "s"}, "responseElements": null,
			"eventID": "` + eventID + `", "sharedEventID": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9f",
			"eventType": "AwsApiCall", "recipientAccountId": "` + recipient + `"}`
	}
	caller := copyAs(checkoutSession, "a1b2c3d4-0000-4000-8000-000000000011", "111122223333")
	owner := copyAs(`{"type": "AWSAccount", "principalId": "AROAYCHECKOUTAPI0001:8f1c2d7e9a6b4c3d", "accountId": "111122223333"}`, "a1b2c3d4-0000-4000-8000-000000000012", "444455556666")
	for name, order := range map[string][]string{"caller first": {caller, owner}, "owner first": {owner, caller}} {
		t.Run(name, func(t *testing.T) {
			a := New(catalog.Embedded(), Options{Shared: NewEventSet()})
			for _, js := range order {
				r := decodeRecord(t, js)
				a.Record(&r)
			}
			agg := a.Aggregate()
			if agg.Counts.Duplicates != 0 || len(agg.FactsOf(checkoutRole)) != 1 || len(agg.FactsOf("arn:aws:iam::111122223333:root")) != 1 {
				t.Errorf("duplicates %d; caller facts %v; account facts %v", agg.Counts.Duplicates, agg.FactsOf(checkoutRole), agg.FactsOf("arn:aws:iam::111122223333:root"))
			}
		})
	}
}
