package analyze

import (
	"testing"
)

func TestParseGeneralize(t *testing.T) {
	tests := []struct {
		specs   []string
		want    Generalize
		wantErr bool
	}{
		{specs: nil, want: Generalize{}},
		{specs: []string{"s3-prefix=2"}, want: Generalize{S3Prefix: 2, S3PrefixSet: true}},
		{specs: []string{"s3-prefix=0"}, want: Generalize{S3Prefix: 0, S3PrefixSet: true}},
		{specs: []string{"revisions"}, want: Generalize{Revisions: true}},
		{specs: []string{"revisions,s3-prefix=3"}, want: Generalize{S3Prefix: 3, S3PrefixSet: true, Revisions: true}},
		{specs: []string{"s3-prefix=1", "revisions"}, want: Generalize{S3Prefix: 1, S3PrefixSet: true, Revisions: true}},
		{specs: []string{"s3-prefix"}, wantErr: true},
		{specs: []string{"s3-prefix=-1"}, wantErr: true},
		{specs: []string{"s3-prefix=two"}, wantErr: true},
		{specs: []string{"revisions=2"}, wantErr: true},
		{specs: []string{"name-prefix"}, wantErr: true},
	}
	for _, tc := range tests {
		got, err := ParseGeneralize(tc.specs)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseGeneralize(%q) error = %v, want error %v", tc.specs, err, tc.wantErr)
			continue
		}
		if err == nil && got != tc.want {
			t.Errorf("ParseGeneralize(%q) = %+v, want %+v", tc.specs, got, tc.want)
		}
	}
}

func TestGeneralizeApply(t *testing.T) {
	s3 := func(n int) Generalize { return Generalize{S3Prefix: n, S3PrefixSet: true} }
	rev := Generalize{Revisions: true}
	tests := []struct {
		name string
		g    Generalize
		arn  string
		want string
		note bool
	}{
		{"object key deeper than the prefix", s3(2), "arn:aws:s3:::receipts/2024/05/14/order-1.pdf", "arn:aws:s3:::receipts/2024/05/*", true},
		{"prefix 0 keeps the bucket", s3(0), "arn:aws:s3:::receipts/2024/05/14/order-1.pdf", "arn:aws:s3:::receipts/*", true},
		{"key no deeper than the prefix stays", s3(2), "arn:aws:s3:::receipts/2024/order-1.pdf", "arn:aws:s3:::receipts/2024/order-1.pdf", false},
		{"bucket ARN stays", s3(0), "arn:aws:s3:::receipts", "arn:aws:s3:::receipts", false},
		{"other services stay", s3(0), "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/a/b:*", "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/a/b:*", false},
		{"access point objects stay", s3(0), "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1/object/reports/a.pdf", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1/object/reports/a.pdf", false},
		{"batch jobs stay", s3(0), "arn:aws:s3:us-east-1:111122223333:job/abc-123", "arn:aws:s3:us-east-1:111122223333:job/abc-123", false},
		{"gov partition", s3(1), "arn:aws-us-gov:s3:::b/x/y", "arn:aws-us-gov:s3:::b/x/*", true},
		{"task-definition revision", rev, "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:42", "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:*", true},
		{"task-definition without revision stays", rev, "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api", "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api", false},
		{"lambda version", rev, "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer:7", "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer:*", true},
		{"lambda alias stays", rev, "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer:live", "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer:live", false},
		{"unqualified function stays", rev, "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer", "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer", false},
		{"revisions leave s3 alone", rev, "arn:aws:s3:::b/x/y", "arn:aws:s3:::b/x/y", false},
		{"wildcard stays", Generalize{S3Prefix: 0, S3PrefixSet: true, Revisions: true}, "*", "*", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, note := tc.g.apply(tc.arn)
			if got != tc.want || (note != "") != tc.note {
				t.Errorf("apply(%s) = %s, note %q; want %s, note %v", tc.arn, got, note, tc.want, tc.note)
			}
		})
	}
}
