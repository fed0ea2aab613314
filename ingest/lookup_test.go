package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/internal/lookuptest"
	"github.com/tailor-iam/tailor/trail"
)

// lookupNow is the clock of these tests: the events below are from the
// day before.
var lookupNow = time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)

// lookupEvents are n events of a region, one a minute, ending an hour
// before lookupNow.
func lookupEvents(region string, n int) []lookuptest.Event {
	var out []lookuptest.Event
	for i := range n {
		at := lookupNow.Add(-time.Hour - time.Duration(i)*time.Minute)
		id := fmt.Sprintf("%s-%02d", region, i)
		rec := fmt.Sprintf(`{"eventVersion":"1.08","eventID":%q,"eventTime":%q,"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":%q,"eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}}`,
			id, at.Format(time.RFC3339), region)
		out = append(out, lookuptest.Event{ID: id, Name: "DescribeInstances", Source: "ec2.amazonaws.com", Time: at, Record: rec})
	}
	return out
}

// ids records the eventIDs a worker is handed.
type ids struct{ got []string }

func (h *ids) Record(r *trail.Record) { h.got = append(h.got, r.EventID) }

// newLookup is a source over srv, as cloudtrail:SPEC would be.
func newLookup(t *testing.T, srv *lookuptest.Server, c LookupConfig, specs ...string) *Lookup {
	t.Helper()
	c.EndpointURL = srv.URL
	if c.Now.IsZero() {
		c.Now = lookupNow
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 20 * time.Millisecond
	}
	l, err := NewLookup(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if err := l.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// readLookup reads l with workers and returns the eventIDs read, sorted,
// and the report.
func readLookup(t *testing.T, l *Lookup, workers int) ([]string, *Report) {
	t.Helper()
	hs, rep, err := Run(t.Context(), []Source{l}, Options{Workers: workers}, func() Handler { return &ids{} })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.(*ids).got...)
	}
	slices.Sort(got)
	return got, rep
}

func idsOf(evs ...[]lookuptest.Event) []string {
	var out []string
	for _, es := range evs {
		for _, e := range es {
			out = append(out, e.ID)
		}
	}
	slices.Sort(out)
	return out
}

// TestLookupPages reads two regions of several pages each, whose pages
// repeat an event at their boundary, and a region with no events.
func TestLookupPages(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	srv.PageSize, srv.Repeat = 4, true
	east, west := lookupEvents("us-east-1", 10), lookupEvents("eu-west-1", 7)
	srv.Add("us-east-1", east...)
	srv.Add("eu-west-1", west...)
	l := newLookup(t, srv, LookupConfig{}, "cloudtrail:us-east-1,eu-west-1", "cloudtrail:ap-south-1,us-east-1")
	got, rep := readLookup(t, l, 2)
	if want := idsOf(east, west); !slices.Equal(got, want) {
		t.Errorf("read %q,\nwant each event once: %q", got, want)
	}
	if rep.Files != 2 || rep.Records != 17 || rep.Skipped[SkipEmpty] != 1 || len(rep.Failed) != 0 {
		t.Errorf("report: %d files, %d records, skipped %v, failed %v; want 2 regions read, 17 records, ap-south-1 empty", rep.Files, rep.Records, rep.Skipped, rep.Failed)
	}
	w := l.Window()
	if want := lookupNow.Add(-LookupMaxAge); !w.Start.Equal(want) || !w.End.Equal(lookupNow) || !w.Asked.IsZero() {
		t.Errorf("window %+v, want the last 90 days to %s", w, lookupNow)
	}
	reqs := srv.Requests("us-east-1")
	var tokens []string
	for _, r := range reqs {
		tokens = append(tokens, r.NextToken)
		if !r.StartTime.Equal(w.Start) || !r.EndTime.Equal(w.End) || r.MaxResults != 50 {
			t.Errorf("request %+v: want StartTime %s, EndTime %s, MaxResults 50", r, w.Start, w.End)
		}
	}
	if want := []string{"", "page-3", "page-6"}; !slices.Equal(tokens, want) {
		t.Errorf("us-east-1 tokens %q, want %q", tokens, want)
	}
	if n := len(srv.Requests("ap-south-1")); n != 1 {
		t.Errorf("ap-south-1: %d requests, want 1", n)
	}
}

// TestLookupStreams: a region's reader asks for a page only when the one
// before is read, so memory holds one page, never the region.
func TestLookupStreams(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	srv.PageSize = 2
	srv.Add("us-east-1", lookupEvents("us-east-1", 6)...)
	l := newLookup(t, srv, LookupConfig{}, "cloudtrail:")
	rc, err := l.Open(t.Context(), Object{Key: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	lines := bufio.NewScanner(rc)
	for i := 1; lines.Scan(); i++ {
		if want := (i + 1) / 2; len(srv.Requests("us-east-1")) != want {
			t.Fatalf("after line %d: %d requests, want %d", i, len(srv.Requests("us-east-1")), want)
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestLookupFaults: a throttle is retried with backoff; one that outlasts
// the attempts, an expired token and a denial are errors of that region
// that say what to do, and the other region is read.
func TestLookupFaults(t *testing.T) {
	tests := []struct {
		name     string
		fault    func(n int) *lookuptest.Fault
		requests int
		want     string // in the error; "" for none
	}{
		{"throttled then served", func(n int) *lookuptest.Fault {
			if n == 2 {
				return lookuptest.Throttled
			}
			return nil
		}, 3, ""},
		{"throttled throughout", func(int) *lookuptest.Fault { return lookuptest.Throttled }, 3,
			"LookupEvents in us-east-1 still throttled after 3 attempts with backoff (ThrottlingException: Rate exceeded): the API allows 2 requests per second per account and region"},
		{"expired token", func(int) *lookuptest.Fault { return lookuptest.ExpiredToken }, 1,
			"the AWS credentials have expired (ExpiredTokenException: The security token included in the request is expired); refresh them"},
		{"access denied", func(int) *lookuptest.Fault { return lookuptest.AccessDenied }, 1,
			"access denied: these credentials may not call cloudtrail:LookupEvents in us-east-1; allow cloudtrail:LookupEvents in their policy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookuptest.Credentials(t, "us-east-1")
			srv := lookuptest.Start(t)
			srv.PageSize = 3
			east, west := lookupEvents("us-east-1", 5), lookupEvents("eu-west-1", 2)
			srv.Add("us-east-1", east...)
			srv.Add("eu-west-1", west...)
			srv.Fault = func(region string, n int) *lookuptest.Fault {
				if region != "us-east-1" {
					return nil
				}
				return tc.fault(n)
			}
			l := newLookup(t, srv, LookupConfig{MaxAttempts: 3}, "cloudtrail:us-east-1,eu-west-1")
			got, rep := readLookup(t, l, 2)
			if n := len(srv.Requests("us-east-1")); n != tc.requests {
				t.Errorf("us-east-1: %d requests, want %d", n, tc.requests)
			}
			if tc.want == "" {
				if want := idsOf(east, west); !slices.Equal(got, want) || len(rep.Failed) > 0 {
					t.Errorf("read %q (failed %v), want %q", got, rep.Failed, want)
				}
				return
			}
			if len(rep.Failed) != 1 || rep.Failed[0].Name != "cloudtrail:us-east-1/events.jsonl" || !strings.Contains(rep.Failed[0].Err.Error(), tc.want) {
				t.Fatalf("failed %v, want cloudtrail:us-east-1: …%s…", rep.Failed, tc.want)
			}
			if !slices.Equal(got, idsOf(west)) {
				t.Errorf("read %q, want eu-west-1's events", got)
			}
		})
	}
}

// TestLookupRate: each region's requests, retries included, arrive at the
// server no more than 2 in any second, while two regions are read at once.
func TestLookupRate(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	srv.PageSize = 1
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		srv.Add(r, lookupEvents(r, 4)...)
	}
	srv.Fault = func(region string, n int) *lookuptest.Fault {
		if region == "us-east-1" && n == 2 {
			return lookuptest.Throttled // retried at once but for the pace
		}
		return nil
	}
	l := newLookup(t, srv, LookupConfig{MaxBackoff: time.Millisecond}, "cloudtrail:us-east-1,eu-west-1")
	start := time.Now()
	if got, _ := readLookup(t, l, 2); len(got) != 8 {
		t.Fatalf("read %d events, want 8", len(got))
	}
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		reqs := srv.Requests(r)
		if most := lookuptest.MaxPerSecond(reqs); most > 2 {
			t.Errorf("%s: %d requests within a second, want at most 2", r, most)
		}
		for i := 1; i < len(reqs); i++ {
			if gap := reqs[i].At.Sub(reqs[i-1].At); gap < LookupInterval {
				t.Errorf("%s: requests %d and %d %s apart", r, i, i+1, gap)
			}
		}
	}
	// Each region is paced on its own, so the regions are read at the same
	// time: each one's first request comes before the other's last (read
	// one after the other, one region's would all come first). This holds
	// however slow the machine, unlike a bound on the time taken.
	us, eu := srv.Requests("us-east-1"), srv.Requests("eu-west-1")
	if !eu[0].At.Before(us[len(us)-1].At) || !us[0].At.Before(eu[len(eu)-1].At) {
		t.Errorf("the regions were read one after the other: us-east-1 %s to %s, eu-west-1 %s to %s",
			us[0].At.Sub(start), us[len(us)-1].At.Sub(start), eu[0].At.Sub(start), eu[len(eu)-1].At.Sub(start))
	}
}

// TestLookupWindow: the range sent is at most the last 90 days, never
// past now; one wholly older, or after now, is a usage error.
func TestLookupWindow(t *testing.T) {
	now := lookupNow
	day := 24 * time.Hour
	tests := []struct {
		name         string
		since, until time.Time
		want         LookupWindow
		err          string
	}{
		{"no range", time.Time{}, time.Time{}, LookupWindow{Start: now.Add(-90 * day), End: now}, ""},
		{"inside", now.Add(-10 * day), now.Add(-day), LookupWindow{Start: now.Add(-10 * day), End: now.Add(-day)}, ""},
		{"since clipped", now.Add(-200 * day), time.Time{}, LookupWindow{Start: now.Add(-90 * day), End: now, Asked: now.Add(-200 * day)}, ""},
		{"until in the future", now.Add(-day), now.Add(day), LookupWindow{Start: now.Add(-day), End: now}, ""},
		{"all too old", now.Add(-200 * day), now.Add(-100 * day), LookupWindow{}, "--until 2026-07-28T12:00:00Z is more than 90 days ago, and LookupEvents keeps only the last 90 days"},
		{"until too old", time.Time{}, now.Add(-91 * day), LookupWindow{}, "--until 2026-08-06T12:00:00Z is more than 90 days ago"},
		{"since in the future", now.Add(day), time.Time{}, LookupWindow{}, "--since 2026-11-06T12:00:00Z is not before now (2026-11-05T12:00:00Z): LookupEvents has no events there yet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lookupWindow(tc.since, tc.until, now.Add(300*time.Millisecond))
			if tc.err != "" {
				if !errors.As(err, new(*LookupArgsError)) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want …%s…", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("window %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// TestLookupWindowEnd: the window's end is exclusive, like --until: an
// event at EndTime, which the API returns, is left to the next window.
func TestLookupWindowEnd(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	evs := lookupEvents("us-east-1", 3)
	srv.Add("us-east-1", evs...)
	// evs[0] is at until: left out; evs[1], a minute before, read.
	l := newLookup(t, srv, LookupConfig{Until: evs[0].Time}, "cloudtrail:")
	got, _ := readLookup(t, l, 1)
	if want := idsOf(evs[1:]); !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
}

// TestLookupSpec: which regions a cloudtrail: source reads.
func TestLookupSpec(t *testing.T) {
	srv := lookuptest.Start(t)
	tests := []struct {
		name     string
		profile  string   // AWS_REGION
		fallback []string // --region
		specs    []string
		want     []string
		err      string
	}{
		{"profile's region", "eu-central-1", nil, []string{"cloudtrail:"}, []string{"eu-central-1"}, ""},
		{"--region", "eu-central-1", []string{"us-west-2", "us-east-1"}, []string{"cloudtrail:"}, []string{"us-west-2", "us-east-1"}, ""},
		{"named, each once", "eu-central-1", nil, []string{"cloudtrail:us-east-1,eu-west-1,us-east-1", "cloudtrail:eu-west-1,us-gov-west-1"}, []string{"us-east-1", "eu-west-1", "us-gov-west-1"}, ""},
		{"no region", "", nil, []string{"cloudtrail:"}, nil, "no region: name one (cloudtrail:us-east-1)"},
		{"not a region", "", nil, []string{"cloudtrail://us-east-1"}, nil, `"//us-east-1" is not a region name`},
		{"empty name", "", nil, []string{"cloudtrail:us-east-1,"}, nil, `"" is not a region name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookuptest.Credentials(t, tc.profile)
			l := newLookup(t, srv, LookupConfig{Regions: tc.fallback})
			var err error
			for _, s := range tc.specs {
				if err = l.Add(s); err != nil {
					break
				}
			}
			if tc.err != "" {
				if !errors.As(err, new(*LookupArgsError)) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want …%s…", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			l.List(t.Context(), func(o Object) error {
				got = append(got, o.Key)
				if o.Name != "cloudtrail:"+o.Key+"/events.jsonl" {
					t.Errorf("object named %q", o.Name)
				}
				return nil
			})
			if !slices.Equal(got, tc.want) {
				t.Errorf("regions %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLookupMaxAttemptsEnv: AWS_MAX_ATTEMPTS sets how often a throttled
// request is tried, as in the AWS CLI.
func TestLookupMaxAttemptsEnv(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	srv := lookuptest.Start(t)
	srv.Add("us-east-1", lookupEvents("us-east-1", 1)...)
	srv.Fault = func(string, int) *lookuptest.Fault { return lookuptest.Throttled }
	l := newLookup(t, srv, LookupConfig{}, "cloudtrail:")
	_, rep := readLookup(t, l, 1)
	if n := len(srv.Requests("us-east-1")); n != 2 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Err.Error(), "still throttled after 2 attempts") {
		t.Errorf("%d requests, failed %v; want 2 attempts, then the region failed", n, rep.Failed)
	}
}
