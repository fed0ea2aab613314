package analyze

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/catalog"
)

// mixedTrail is a small trail with every kind of record the aggregate
// counts: two sessions of one role, a user, a denial, a generalization, an
// unmapped and a permissionless call, a service call, a console sign-in and
// a record without identity. Times are out of order on purpose.
func mixedTrail() []string {
	session := func(id string) string {
		return strings.ReplaceAll(checkoutSession, "8f1c2d7e9a6b4c3d", id)
	}
	getObject := func(when, sess, key string) string {
		return `{"eventVersion": "1.09", "userIdentity": ` + session(sess) + `,
			"eventTime": "` + when + `", "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "[aws-sdk-go-v2/1.26.1 api/s3#1.53.1]",
			"requestParameters": {"bucketName": "checkout-receipts", "Host": "checkout-receipts.s3.us-east-1.amazonaws.com", "key": "` + key + `"},
			"responseElements": null, "requestID": "Z1", "eventID": "` + when + sess + `", "readOnly": true,
			"eventType": "AwsApiCall", "managementEvent": false, "recipientAccountId": "111122223333", "eventCategory": "Data"}`
	}
	return []string{
		getObject("2024-05-14T12:00:00Z", "sess-b", "2024/05/14/order-1.pdf"),
		getObject("2024-05-13T08:00:00Z", "sess-a", "2024/05/14/order-1.pdf"),
		getObject("2024-05-15T18:30:00Z", "sess-c", "2024/05/14/order-1.pdf"),
		getObject("2024-05-14T09:00:00Z", "sess-a", "2024/05/14/order-2.pdf"),
		`{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
			"eventTime": "2024-05-14T10:00:00Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-sdk-go-v2/1.26.1",
			"requestParameters": {"secretId": "prod/checkout/stripe"}, "responseElements": null,
			"requestID": "Z2", "eventID": "agg-secret", "readOnly": true,
			"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
		`{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
			"eventTime": "2024-05-14T10:05:00Z", "eventSource": "dynamodb.amazonaws.com", "eventName": "DeleteTable",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
			"errorCode": "AccessDeniedException",
			"errorMessage": "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:111122223333:table/orders because no identity-based policy allows the dynamodb:DeleteTable action",
			"requestParameters": {"tableName": "orders"}, "responseElements": null,
			"requestID": "Z3", "eventID": "agg-denied", "readOnly": false,
			"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
		`{"eventVersion": "1.08", "userIdentity": ` + checkoutSession + `,
			"eventTime": "2024-05-14T10:06:00Z", "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.40",
			"requestParameters": null, "responseElements": null, "requestID": "Z4", "eventID": "agg-whoami", "readOnly": true,
			"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
		`{"eventVersion": "1.05", "userIdentity": ` + checkoutSession + `,
			"eventTime": "2024-05-14T10:07:00Z", "eventSource": "mobile.amazonaws.com", "eventName": "DescribeProject",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/1.16.100",
			"requestParameters": {"projectId": "checkout-mobile"}, "responseElements": null, "requestID": "Z5", "eventID": "agg-mobile",
			"eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`,
		`{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": "AIDAYDEPLOYBOT000001", "arn": "arn:aws:iam::111122223333:user/ci/deploy-bot", "accountId": "111122223333", "accessKeyId": "AKIAYDEPLOYBOT000001", "userName": "deploy-bot"},
			"eventTime": "2024-05-14T10:08:00Z", "eventSource": "ecr.amazonaws.com", "eventName": "GetAuthorizationToken",
			"awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.40", "userAgent": "aws-cli/2.15.40",
			"requestParameters": null, "responseElements": null, "requestID": "Z6", "eventID": "agg-ecr", "readOnly": true,
			"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
		`{"eventVersion": "1.08", "userIdentity": {"type": "AWSService", "invokedBy": "ecs-tasks.amazonaws.com"},
			"eventTime": "2024-05-14T08:55:02Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
			"awsRegion": "us-east-1", "sourceIPAddress": "ecs-tasks.amazonaws.com", "userAgent": "ecs-tasks.amazonaws.com",
			"requestParameters": {"roleArn": "` + checkoutRole + `", "roleSessionName": "sess-a"}, "responseElements": null,
			"requestID": "Z7", "eventID": "agg-service", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`,
		`{"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "principalId": "AIDAYDEPLOYBOT000001", "arn": "arn:aws:iam::111122223333:user/ci/deploy-bot", "accountId": "111122223333", "userName": "deploy-bot"},
			"eventTime": "2024-05-14T07:00:00Z", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
			"awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.40", "userAgent": "Mozilla/5.0",
			"requestParameters": null, "responseElements": {"ConsoleLogin": "Success"},
			"additionalEventData": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No"},
			"eventID": "agg-signin", "eventType": "AwsConsoleSignIn", "managementEvent": true, "recipientAccountId": "111122223333", "eventCategory": "Management"}`,
		`{"eventVersion": "1.08", "eventTime": "2024-05-14T03:00:00Z", "eventSource": "ec2.amazonaws.com", "eventName": "CreateTags",
			"awsRegion": "us-east-1", "sourceIPAddress": "autoscaling.amazonaws.com", "userAgent": "autoscaling.amazonaws.com",
			"requestParameters": {"resourcesSet": {"items": [{"resourceId": "i-0a1b2c3d4e5f60718"}]}}, "responseElements": {"_return": true},
			"eventID": "agg-noidentity", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`,
	}
}

func unix(s string) int64 {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func TestAggregateCounts(t *testing.T) {
	agg := analyzeRecords(t, mixedTrail()...)

	wantCounts := Counts{Records: 12, NoIdentity: 1, NonAPI: 1, ServiceCalls: 1, APICalls: 9, Permissionless: 1, Unmapped: 1, Denials: 1}
	if agg.Counts != wantCounts {
		t.Errorf("Counts = %+v\nwant     %+v", agg.Counts, wantCounts)
	}

	wantLines(t, factLines(agg.FactsOf(checkoutRole)), []string{
		"dynamodb:DeleteTable arn:aws:dynamodb:us-east-1:111122223333:table/orders denied:identity-policy",
		"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-1.pdf",
		"s3:GetObject arn:aws:s3:::checkout-receipts/2024/05/14/order-2.pdf",
		"secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-??????",
	})

	tests := []struct {
		name string
		got  Stat
		want Stat
	}{
		{
			name: "fact seen by three sessions out of order",
			got:  *agg.Facts[FactKey{Principal: checkoutRole, Action: "s3:GetObject", Resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1.pdf", Region: "us-east-1"}],
			want: Stat{Count: 3, First: unix("2024-05-13T08:00:00Z"), Last: unix("2024-05-15T18:30:00Z"), Origins: []Seen{{Origin: Origin{IP: "10.20.3.41", MFA: "false"}, First: unix("2024-05-13T08:00:00Z"), Last: unix("2024-05-15T18:30:00Z")}}},
		},
		{
			name: "role's sessions merge into one principal",
			got:  agg.Principals[checkoutRole].Stat,
			want: Stat{Count: 8, First: unix("2024-05-13T08:00:00Z"), Last: unix("2024-05-15T18:30:00Z")},
		},
		{
			name: "user with an API call and a console sign-in",
			got:  agg.Principals["arn:aws:iam::111122223333:user/ci/deploy-bot"].Stat,
			want: Stat{Count: 2, First: unix("2024-05-14T07:00:00Z"), Last: unix("2024-05-14T10:08:00Z")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("Stat = %+v, want %+v", tc.got, tc.want)
			}
		})
	}

	if p := agg.Principals[checkoutRole]; p.Denied != 1 || p.Errors != 0 {
		t.Errorf("role Denied=%d Errors=%d, want 1, 0", p.Denied, p.Errors)
	}
	if got := agg.Unmapped["mobile.amazonaws.com DescribeProject (mobile:DescribeProject)"]; got != 1 {
		t.Errorf("Unmapped = %v", agg.Unmapped)
	}
	if got, want := agg.UnmappedOf(checkoutRole), []UnmappedKey{{Principal: checkoutRole, Event: "mobile.amazonaws.com DescribeProject (mobile:DescribeProject)"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("UnmappedOf = %+v, want %+v", got, want)
	}
	if g := agg.GeneralizationsOf(checkoutRole); len(g) != 1 || !strings.HasPrefix(g[0], "secretsmanager:GetSecretValue: ") {
		t.Errorf("GeneralizationsOf = %q", g)
	}
	var arns []string
	for _, p := range agg.SortedPrincipals() {
		arns = append(arns, p.ARN)
	}
	wantLines(t, arns, []string{checkoutRole, "arn:aws:iam::111122223333:user/ci/deploy-bot", "ecs-tasks.amazonaws.com"})
}

// Any split of the input, analyzed apart and merged in any order, gives the
// aggregate of the whole.
func TestMergeIsOrderIndependent(t *testing.T) {
	records := mixedTrail()
	whole := analyzeRecords(t, records...)

	splits := []struct {
		name  string
		parts func([]string) [][]string
	}{
		{"halves", func(r []string) [][]string { return [][]string{r[:len(r)/2], r[len(r)/2:]} }},
		{"halves swapped", func(r []string) [][]string { return [][]string{r[len(r)/2:], r[:len(r)/2]} }},
		{"interleaved", func(r []string) [][]string {
			var a, b []string
			for i, s := range r {
				if i%2 == 0 {
					a = append(a, s)
				} else {
					b = append(b, s)
				}
			}
			return [][]string{b, a}
		}},
		{"one record each, reversed", func(r []string) [][]string {
			var out [][]string
			for i := len(r) - 1; i >= 0; i-- {
				out = append(out, []string{r[i]})
			}
			return out
		}},
		{"empty part", func(r []string) [][]string { return [][]string{nil, r, nil} }},
	}
	for _, tc := range splits {
		t.Run(tc.name, func(t *testing.T) {
			merged := NewAggregate()
			for _, part := range tc.parts(records) {
				merged.Merge(analyzeRecords(t, part...))
			}
			if diff := aggregateDiff(merged, whole); diff != "" {
				t.Errorf("merged aggregate differs from the whole:\n%s", diff)
			}
		})
	}

	t.Run("merge does not alias its argument", func(t *testing.T) {
		a := analyzeRecords(t, records[:2]...)
		b := analyzeRecords(t, records[2:]...)
		before := fmt.Sprint(b.Facts[FactKey{Principal: checkoutRole, Action: "s3:GetObject", Resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1.pdf", Region: "us-east-1"}])
		a.Merge(b)
		a.Merge(analyzeRecords(t, records[:1]...))
		after := fmt.Sprint(b.Facts[FactKey{Principal: checkoutRole, Action: "s3:GetObject", Resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1.pdf", Region: "us-east-1"}])
		if before != after {
			t.Errorf("merging changed the merged-in aggregate: %s → %s", before, after)
		}
	})
}

// aggregateDiff describes how two aggregates differ, "" when equal.
func aggregateDiff(got, want *Aggregate) string {
	var b strings.Builder
	if got.Counts != want.Counts {
		fmt.Fprintf(&b, "Counts %+v != %+v\n", got.Counts, want.Counts)
	}
	for k, w := range want.Facts {
		if g, ok := got.Facts[k]; !ok || !reflect.DeepEqual(*g, *w) {
			fmt.Fprintf(&b, "fact %+v: %+v, want %+v\n", k, g, *w)
		}
	}
	for k := range got.Facts {
		if _, ok := want.Facts[k]; !ok {
			fmt.Fprintf(&b, "extra fact %+v\n", k)
		}
	}
	if !reflect.DeepEqual(got.Principals, want.Principals) {
		for k, w := range want.Principals {
			fmt.Fprintf(&b, "principal %s: %+v, want %+v\n", k, got.Principals[k], *w)
		}
	}
	if !reflect.DeepEqual(got.Unmapped, want.Unmapped) {
		fmt.Fprintf(&b, "Unmapped %v != %v\n", got.Unmapped, want.Unmapped)
	}
	if !reflect.DeepEqual(got.Generalized, want.Generalized) {
		fmt.Fprintf(&b, "Generalized %v != %v\n", got.Generalized, want.Generalized)
	}
	return b.String()
}

func TestTimeRange(t *testing.T) {
	records := mixedTrail()
	a := New(catalog.Embedded(), Options{
		Since: time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC),
		Until: time.Date(2024, 5, 15, 0, 0, 0, 0, time.UTC),
	})
	for _, js := range records {
		r := decodeRecord(t, js)
		a.Record(&r)
	}
	agg := a.Aggregate()
	if agg.Counts.OutOfRange != 2 {
		t.Errorf("OutOfRange = %d, want 2", agg.Counts.OutOfRange)
	}
	s := agg.Facts[FactKey{Principal: checkoutRole, Action: "s3:GetObject", Resource: "arn:aws:s3:::checkout-receipts/2024/05/14/order-1.pdf", Region: "us-east-1"}]
	if want := (Stat{Count: 1, First: unix("2024-05-14T12:00:00Z"), Last: unix("2024-05-14T12:00:00Z"), Origins: []Seen{{Origin: Origin{IP: "10.20.3.41", MFA: "false"}, First: unix("2024-05-14T12:00:00Z"), Last: unix("2024-05-14T12:00:00Z")}}}); s == nil || !reflect.DeepEqual(*s, want) {
		t.Errorf("in-range fact = %+v, want %+v", s, want)
	}
}
