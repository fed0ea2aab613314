package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// memTree answers dirLister from a list of keys, as S3 would with "/" as
// the delimiter, and records the prefixes asked for.
type memTree struct {
	keys  []string
	asked []string
}

func (m *memTree) dirs(_ context.Context, p string) ([]string, error) {
	m.asked = append(m.asked, p)
	var out []string
	for _, k := range m.keys {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			out = append(out, p+rest[:i+1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPlan(t *testing.T) {
	const (
		a1  = "111111111111"
		a2  = "222222222222"
		ue1 = "us-east-1"
	)
	keys := []string{
		"AWSLogs/" + a1 + "/CloudTrail/us-east-1/2024/03/01/f.json.gz",
		"AWSLogs/" + a1 + "/CloudTrail/eu-west-1/2023/12/31/f.json.gz",
		"AWSLogs/" + a1 + "/CloudTrail/eu-west-1/2024/01/01/f.json.gz",
		"AWSLogs/" + a1 + "/CloudTrail-Digest/us-east-1/2024/03/01/d.json.gz",
		"AWSLogs/o-abc1234567/" + a2 + "/CloudTrail/us-east-1/2024/03/02/f.json.gz",
		"AWSLogs/o-abc1234567/" + a2 + "/CloudTrail/us-west-2/2025/01/02/f.json.gz",
		"AWSLogs/not-an-account/CloudTrail/us-east-1/2024/03/01/f.json.gz",
		"other/readme.txt",
		"trail/AWSLogs/" + a1 + "/CloudTrail/us-east-1/2024/03/01/f.json.gz",
	}
	tests := []struct {
		name   string
		prefix string
		f      Filter
		want   []string
	}{
		{
			name:   "bucket root, no filter",
			prefix: "",
			want: []string{
				"AWSLogs/111111111111/CloudTrail/eu-west-1/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/",
				"AWSLogs/o-abc1234567/222222222222/CloudTrail/us-east-1/",
				"AWSLogs/o-abc1234567/222222222222/CloudTrail/us-west-2/",
			},
		},
		{
			name:   "account and region filters",
			prefix: "AWSLogs/",
			f:      Filter{Accounts: []string{a2}, Regions: []string{ue1}},
			want:   []string{"AWSLogs/o-abc1234567/222222222222/CloudTrail/us-east-1/"},
		},
		{
			name:   "org level given",
			prefix: "AWSLogs/o-abc1234567/",
			want: []string{
				"AWSLogs/o-abc1234567/222222222222/CloudTrail/us-east-1/",
				"AWSLogs/o-abc1234567/222222222222/CloudTrail/us-west-2/",
			},
		},
		{
			name:   "account given without trailing slash",
			prefix: "AWSLogs/1111",
			f:      Filter{Regions: []string{ue1}},
			want:   []string{"AWSLogs/111111111111/CloudTrail/us-east-1/"},
		},
		{
			name:   "days widened by one on each side",
			prefix: "AWSLogs/111111111111/",
			f:      Filter{Since: day("2024-03-01"), Until: day("2024-03-03"), Regions: []string{ue1}},
			want: []string{
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/02/29/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/02/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/03/",
			},
		},
		{
			name:   "until inside a day covers that day",
			prefix: "AWSLogs/111111111111/CloudTrail/us-east-1/",
			f:      Filter{Since: day("2024-03-05").Add(5 * time.Hour), Until: day("2024-03-05").Add(6 * time.Hour)},
			want: []string{
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/04/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/05/",
				"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/06/",
			},
		},
		{
			name:   "open end bounded by the years present",
			prefix: "AWSLogs/111111111111/CloudTrail/eu-west-1/",
			f:      Filter{Since: day("2023-12-31")},
			want: []string{
				"AWSLogs/111111111111/CloudTrail/eu-west-1/2023/12/30/",
				"AWSLogs/111111111111/CloudTrail/eu-west-1/2023/12/31/",
				"AWSLogs/111111111111/CloudTrail/eu-west-1/2024/",
			},
		},
		{
			name:   "open start",
			prefix: "AWSLogs/111111111111/CloudTrail/eu-west-1/",
			f:      Filter{Until: day("2023-02-01")},
			want: []string{
				"AWSLogs/111111111111/CloudTrail/eu-west-1/2023/01/",
				"AWSLogs/111111111111/CloudTrail/eu-west-1/2023/02/01/",
			},
		},
		{
			name:   "prefix deeper than the day range folders",
			prefix: "AWSLogs/111111111111/CloudTrail/eu-west-1/2024/01/0",
			f:      Filter{Since: day("2023-06-01"), Until: day("2025-01-01")},
			want:   []string{"AWSLogs/111111111111/CloudTrail/eu-west-1/2024/01/0"},
		},
		{
			name:   "prefix out of the day range",
			prefix: "AWSLogs/111111111111/CloudTrail/eu-west-1/2022/",
			f:      Filter{Since: day("2023-06-01"), Until: day("2025-01-01")},
			want:   nil,
		},
		{
			name:   "digest folder is never planned",
			prefix: "AWSLogs/111111111111/CloudTrail-Digest/",
			want:   nil,
		},
		{
			name:   "AWSLogs below a user folder",
			prefix: "trail/",
			want:   []string{"trail/AWSLogs/111111111111/CloudTrail/us-east-1/"},
		},
		{
			name:   "flat folder falls back to the prefix",
			prefix: "other/",
			f:      Filter{Since: day("2024-01-01")},
			want:   []string{"other/"},
		},
		{
			name:   "partial name that is not AWSLogs",
			prefix: "oth",
			want:   []string{"oth"},
		},
		{
			name:   "empty range",
			prefix: "AWSLogs/",
			f:      Filter{Since: day("2024-03-05"), Until: day("2024-03-05")},
			want:   nil,
		},
		{
			name:   "account filter matches nothing",
			prefix: "AWSLogs/",
			f:      Filter{Accounts: []string{"999999999999"}},
			want:   nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &memTree{keys: keys}
			got, err := plan(context.Background(), tc.prefix, tc.f, m.dirs)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("plan(%q) =\n%q\nwant\n%q", tc.prefix, got, tc.want)
			}
		})
	}
}

// A prefix that names every level needs no listing of the levels it names.
func TestPlanNamedLevelsNotListed(t *testing.T) {
	m := &memTree{keys: []string{"AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/01/f.json.gz"}}
	got, err := plan(context.Background(), "AWSLogs/111111111111/CloudTrail/us-east-1/", Filter{}, m.dirs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"AWSLogs/111111111111/CloudTrail/us-east-1/"}; !slices.Equal(got, want) {
		t.Errorf("plan = %q, want %q", got, want)
	}
	if len(m.asked) != 0 {
		t.Errorf("listed %q, want no listing", m.asked)
	}
}

func TestCoverDays(t *testing.T) {
	tests := []struct {
		lo, hi string
		want   []string
	}{
		{"2024-01-30", "2024-04-02", []string{"2024/01/30/", "2024/01/31/", "2024/02/", "2024/03/", "2024/04/01/"}},
		{"2023-12-31", "2025-01-02", []string{"2023/12/31/", "2024/", "2025/01/01/"}},
		{"2024-02-28", "2024-03-01", []string{"2024/02/28/", "2024/02/29/"}},
		{"2024-03-01", "2024-03-01", nil},
	}
	for _, tc := range tests {
		t.Run(tc.lo+"_"+tc.hi, func(t *testing.T) {
			if got := coverDays(day(tc.lo), day(tc.hi)); !slices.Equal(got, tc.want) {
				t.Errorf("coverDays = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseS3URI(t *testing.T) {
	tests := []struct {
		uri, bucket, prefix string
		wantErr             bool
	}{
		{uri: "s3://logs", bucket: "logs"},
		{uri: "s3://logs/", bucket: "logs"},
		{uri: "s3://logs/AWSLogs/o-abc/", bucket: "logs", prefix: "AWSLogs/o-abc/"},
		{uri: "s3://Legacy_Bucket/a b?c#d", bucket: "Legacy_Bucket", prefix: "a b?c#d"},
		{uri: "logs/AWSLogs/", wantErr: true},
		{uri: "s3:///AWSLogs/", wantErr: true},
		{uri: "s3://a/", wantErr: true},
		{uri: "s3://bad:name/", wantErr: true},
		{uri: "S3://logs/", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.uri, func(t *testing.T) {
			b, p, err := parseS3URI(tc.uri)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if b != tc.bucket || p != tc.prefix {
				t.Errorf("got (%q, %q), want (%q, %q)", b, p, tc.bucket, tc.prefix)
			}
		})
	}
}
