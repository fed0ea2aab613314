package analyze

import (
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// Athena's GetQueryExecution and GetQueryResults name only a query id; the
// StartQueryExecution that returned it names the workgroup. The link holds
// whatever the order of the records and however they are split.
func TestLinksScopeByStartingCall(t *testing.T) {
	const role = `"userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:s", "arn": "arn:aws:sts::111122223333:assumed-role/report-builder/s", "accountId": "111122223333",
		"sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/report-builder", "accountId": "111122223333", "userName": "report-builder"}}},
		"awsRegion": "us-east-1", "eventSource": "athena.amazonaws.com", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"`
	start := `{` + role + `, "eventTime": "2026-11-01T10:00:00Z", "eventName": "StartQueryExecution",
		"requestParameters": {"queryString": "SELECT 1", "workGroup": "analytics"}, "responseElements": {"queryExecutionId": "q-1111"}}`
	startPrimary := `{` + role + `, "eventTime": "2026-11-01T10:05:00Z", "eventName": "StartQueryExecution",
		"requestParameters": {"queryString": "SELECT 2"}, "responseElements": {"queryExecutionId": "q-2222"}}`
	get := `{` + role + `, "eventTime": "2026-11-01T10:00:05Z", "eventName": "GetQueryExecution",
		"requestParameters": {"queryExecutionId": "q-1111"}, "responseElements": null}`
	results := `{` + role + `, "eventTime": "2026-11-01T10:06:05Z", "eventName": "GetQueryResults",
		"requestParameters": {"queryExecutionId": "q-2222"}, "responseElements": null}`
	batch := `{` + role + `, "eventTime": "2026-11-01T10:07:05Z", "eventName": "BatchGetQueryExecution",
		"requestParameters": {"queryExecutionIds": ["q-1111", "q-2222"]}, "responseElements": null}`
	orphan := `{` + role + `, "eventTime": "2026-11-01T10:08:05Z", "eventName": "GetQueryResults",
		"requestParameters": {"queryExecutionId": "q-9999"}, "responseElements": null}`
	records := []string{get, results, start, batch, orphan, startPrimary}
	want := []string{
		"athena:BatchGetQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/analytics",
		"athena:BatchGetQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/primary",
		"athena:GetQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/analytics",
		"athena:GetQueryResults *",
		"athena:GetQueryResults arn:aws:athena:us-east-1:111122223333:workgroup/primary",
		"athena:StartQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/analytics",
		"athena:StartQueryExecution arn:aws:athena:us-east-1:111122223333:workgroup/primary",
	}
	const principal = "arn:aws:iam::111122223333:role/report-builder"
	check := func(t *testing.T, agg *Aggregate) {
		t.Helper()
		if got := factLines(agg.FactsOf(principal)); !slices.Equal(got, want) {
			t.Errorf("facts:\n%v\nwant:\n%v", got, want)
		}
		w := agg.WarningsOf(principal)
		if len(w) != 1 || !strings.Contains(w[0], "q-9999") {
			t.Errorf("warnings %q: want one naming the orphan id q-9999", w)
		}
	}
	t.Run("one pass", func(t *testing.T) { check(t, analyzeRecords(t, records...)) })
	t.Run("reversed", func(t *testing.T) {
		rev := slices.Clone(records)
		slices.Reverse(rev)
		check(t, analyzeRecords(t, rev...))
	})
	for cut := 1; cut < len(records); cut++ {
		a := New(catalog.Embedded(), Options{})
		b := New(catalog.Embedded(), Options{})
		for i, js := range records {
			r := decodeRecord(t, js)
			if i < cut {
				a.Record(&r)
			} else {
				b.Record(&r)
			}
		}
		merged := NewAggregate()
		merged.Merge(b.Aggregate())
		merged.Merge(a.Aggregate())
		merged.ResolveLinks()
		t.Run("split", func(t *testing.T) { check(t, merged) })
	}
}
