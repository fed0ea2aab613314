package pipeline

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/lookuptest"
	"github.com/tailor-iam/tailor/partial"
)

// TestLookupFacts: the demo trail's records, served by the LookupEvents
// API region by region in several pages, give the same partial aggregate,
// byte for byte, and the same policies as the demo's files.
func TestLookupFacts(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	srv.PageSize, srv.Repeat = 500, true
	byRegion := lookuptest.Records(t, fixtures.Demo())
	regions := slices.Sorted(maps.Keys(byRegion))
	for _, r := range regions {
		srv.Add(r, byRegion[r]...)
	}
	want := runOf(t)
	var got tableRun
	// Two sources naming the regions, one twice: each is read once.
	res, err := Run(t.Context(), Config{
		Sources: []string{"cloudtrail:" + strings.Join(regions, ","), "cloudtrail:" + regions[0]},
		S3:      S3Options{EndpointURL: srv.URL},
		Partial: func(p *partial.Aggregate) error {
			q := *p
			q.Header.Inputs = nil
			var b bytes.Buffer
			if err := partial.Write(&b, &q); err != nil {
				return err
			}
			got.partial = b.Bytes()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got.agg, got.rep = res.Aggregate, res.Report
	if !bytes.Equal(got.partial, want.partial) {
		t.Errorf("the partial aggregate differs from the demo files':\n%s", aggDiff(got.agg, want.agg))
	}
	for _, p := range tablePrincipals {
		if g, w := suggested(t, got.agg, p), suggested(t, want.agg, p); g != w {
			t.Errorf("%s: policy\n%s\nwant\n%s", p, g, w)
		}
	}
	rep := got.rep
	if rep.Files != len(regions) || rep.Records != want.rep.Records || len(rep.Failed) > 0 {
		t.Errorf("report: %d regions read, %d records, failed %v; want %d, %d", rep.Files, rep.Records, rep.Failed, len(regions), want.rep.Records)
	}
	for _, r := range regions {
		// Each page after the first repeats one event. A request retried
		// (a busy machine can time one out) asks for a page again: count
		// the pages asked for, not the requests.
		tokens := map[string]bool{}
		for _, req := range srv.Requests(r) {
			tokens[req.NextToken] = true
		}
		if n, pages := len(tokens), (len(byRegion[r])-1+498)/499; n != pages {
			t.Errorf("%s: %d pages asked for %d events, want %d", r, n, len(byRegion[r]), pages)
		}
	}
	w := rep.Lookup
	if w == nil || time.Since(w.End) > time.Minute || w.End.Sub(w.Start) != 90*24*time.Hour || !w.Asked.IsZero() {
		t.Errorf("report's window %+v, want the last 90 days", w)
	}
	if want.rep.Lookup != nil {
		t.Errorf("a run over files reports a window: %+v", want.rep.Lookup)
	}
}

// TestLookupClipped: a --since further back than 90 days is moved up to
// what the API keeps, and the report says what was asked.
func TestLookupClipped(t *testing.T) {
	lookuptest.Credentials(t, "us-east-1")
	srv := lookuptest.Start(t)
	since := time.Now().UTC().Add(-200 * 24 * time.Hour).Truncate(time.Second)
	res, err := Run(t.Context(), Config{Sources: []string{"cloudtrail:"}, Since: since, S3: S3Options{EndpointURL: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	w := res.Report.Lookup
	if w == nil || !w.Asked.Equal(since) || time.Since(w.Start) > 90*24*time.Hour+time.Minute || time.Since(w.Start) < 90*24*time.Hour {
		t.Fatalf("window %+v, want the last 90 days, asked from %s", w, since)
	}
	reqs := srv.Requests("us-east-1")
	if len(reqs) != 1 || !reqs[0].StartTime.Equal(w.Start) || !reqs[0].EndTime.Equal(w.End) {
		t.Errorf("requests %+v, want one from %s to %s", reqs, w.Start, w.End)
	}
}

// TestLookupUsage: a cloudtrail: source that cannot be read as given is a
// usage error that says why.
func TestLookupUsage(t *testing.T) {
	srv := lookuptest.Start(t)
	old := time.Now().Add(-100 * 24 * time.Hour)
	tests := []struct {
		name   string
		region string // AWS_REGION
		source string
		until  time.Time
		want   string
	}{
		{"no region", "", "cloudtrail:", time.Time{}, "source cloudtrail:: no region: name one (cloudtrail:us-east-1), or set one in your AWS profile or AWS_REGION"},
		{"bad region", "us-east-1", "cloudtrail:us-east-1,us east", time.Time{}, `source cloudtrail:us-east-1,us east: "us east" is not a region name`},
		{"too old", "us-east-1", "cloudtrail:", old, "is more than 90 days ago, and LookupEvents keeps only the last 90 days; read the trail's files in S3 instead"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookuptest.Credentials(t, tc.region)
			_, err := Run(t.Context(), Config{Sources: []string{tc.source}, Until: tc.until, S3: S3Options{EndpointURL: srv.URL}})
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want a usage error …%s…", err, tc.want)
			}
		})
	}
}
