package digest

import (
	"testing"
	"time"
)

func TestLocate(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		path string
		ok   bool
		want place
	}{
		{"p/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T0929Z_abcdefGHIJ012345.json.gz", true,
			place{account: "111122223333", region: "us-east-1", day: day, at: time.Date(2026, 11, 2, 9, 29, 0, 0, time.UTC),
				ref: "111122223333/CloudTrail/us-east-1/2026/11/02/111122223333_CloudTrail_us-east-1_20261102T0929Z_abcdefGHIJ012345.json.gz",
				dir: "p/AWSLogs/111122223333/CloudTrail/us-east-1/"}},
		{"AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2026/11/02/notes.txt", true,
			place{account: "111122223333", region: "eu-west-1", day: day, ref: "111122223333/CloudTrail/eu-west-1/2026/11/02/notes.txt",
				dir: "AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/"}},
		{"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_my_org_trail_eu-west-1_20261102T101742Z_backfill.json.gz", true,
			place{digest: true, account: "111122223333", region: "us-east-1", day: day, at: time.Date(2026, 11, 2, 10, 17, 42, 0, time.UTC),
				ref: "111122223333/CloudTrail-Digest/us-east-1/2026/11/02/111122223333_CloudTrail-Digest_us-east-1_my_org_trail_eu-west-1_20261102T101742Z_backfill.json.gz",
				dir: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/", trail: "my_org_trail", home: "eu-west-1", backfill: true}},
		{"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/readme.json.gz", false, place{}},
		{"AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/02/x.json.gz", false, place{}},
		{"AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/02/x.json.gz", false, place{}},
		{"111122223333/CloudTrail/us-east-1/2026/11/02/", false, place{}},
		{"CloudTrail/us-east-1/2026/11/02/x.json.gz", false, place{}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, ok := locate(tc.path)
			if ok != tc.ok || got != tc.want {
				t.Errorf("got %+v, %v\nwant %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2026, 11, 2, n, 0, 0, 0, time.UTC) }
	w := Window{Since: h(2), Until: h(4)}
	for _, tc := range []struct {
		at           time.Time
		logs, digest bool
	}{
		{h(1), false, false},
		{h(2), true, true},
		{h(4), false, true},
		{h(5).Add(59 * time.Minute), false, true},
		{h(6), false, false},
	} {
		if w.logs(tc.at) != tc.logs || w.digests(tc.at) != tc.digest {
			t.Errorf("%s: logs %v digests %v, want %v %v", tc.at, w.logs(tc.at), w.digests(tc.at), tc.logs, tc.digest)
		}
	}
	if (Window{}).logs(h(1)) != true {
		t.Error("an open window holds everything")
	}
}
