// Package lookuptest is a CloudTrail LookupEvents server on 127.0.0.1 for
// tests. It speaks the API's JSON protocol (POST, X-Amz-Target,
// application/x-amz-json-1.1), serves each region's events in pages with a
// NextToken, answers faults it is told to as the API does ({"__type",
// "message"} with an HTTP status), and records every request: its region
// (from the signature's scope), arrival time, window and token.
package lookuptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Targets are the X-Amz-Target values of a LookupEvents request: the
// service's full name, which the AWS CLI sends, and the short form the Go
// SDK sends; AWS accepts both.
var Targets = []string{
	"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
	"CloudTrail_20131101.LookupEvents",
}

// Event is one event the server holds: the summary fields LookupEvents
// returns and the record itself, as CloudTrailEvent carries it.
type Event struct {
	ID, Name, Source string
	Time             time.Time
	Record           string
}

// Fault is an error answer: {"__type": Type, "message": Message} with
// Status.
type Fault struct {
	Status  int
	Type    string
	Message string
}

// Common faults, as the API answers them.
var (
	Throttled    = &Fault{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"}
	ExpiredToken = &Fault{http.StatusBadRequest, "ExpiredTokenException", "The security token included in the request is expired"}
	AccessDenied = &Fault{http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:sts::111122223333:assumed-role/reader/s is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action"}
)

// Request is one request as the server received it.
type Request struct {
	Region     string
	At         time.Time
	StartTime  time.Time
	EndTime    time.Time
	MaxResults int
	NextToken  string
}

// Server is a running LookupEvents server. Set its fields before the
// requests start.
type Server struct {
	URL string
	// PageSize is the most events a page holds; 0 means 50, as the API.
	// Tests make it larger to read a trail in a handful of pages.
	PageSize int
	// Repeat starts each page with the last event of the page before, as
	// the API may at a page boundary.
	Repeat bool
	// Fault, when set, is asked before the n-th request (from 1) of a
	// region is answered; a Fault it returns is the answer instead.
	Fault func(region string, n int) *Fault

	mu       sync.Mutex
	events   map[string][]Event
	requests []Request
	count    map[string]int
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{events: map[string][]Event{}, count: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Add gives a region events; pages serve them newest first, as the API.
func (s *Server) Add(region string, events ...Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	evs := append(s.events[region], events...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.After(evs[j].Time) })
	s.events[region] = evs
}

// Requests are the requests a region received, in order.
func (s *Server) Requests(region string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Region == region {
			out = append(out, r)
		}
	}
	return out
}

// MaxPerSecond is the most requests that arrived within any second
// (a half-open window [t, t+1s)).
func MaxPerSecond(reqs []Request) int {
	most := 0
	for i := range reqs {
		n := 0
		for _, r := range reqs[i:] {
			if r.At.Sub(reqs[i].At) < time.Second {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

var scope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/cloudtrail/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	if r.Method != http.MethodPost || !slices.Contains(Targets, r.Header.Get("X-Amz-Target")) ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		answer(w, &Fault{http.StatusBadRequest, "UnknownOperationException", fmt.Sprintf("%s %s %q %q", r.Method, r.URL.Path, r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"))})
		return
	}
	m := scope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		answer(w, &Fault{http.StatusBadRequest, "MissingAuthenticationTokenException", "no SigV4 signature for cloudtrail"})
		return
	}
	region := m[1]
	var in struct {
		StartTime, EndTime *float64
		MaxResults         int
		NextToken          string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		answer(w, &Fault{http.StatusBadRequest, "SerializationException", err.Error()})
		return
	}
	req := Request{Region: region, At: at, StartTime: epoch(in.StartTime), EndTime: epoch(in.EndTime), MaxResults: in.MaxResults, NextToken: in.NextToken}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.count[region]++
	n := s.count[region]
	evs := s.events[region]
	s.mu.Unlock()
	if s.Fault != nil {
		if f := s.Fault(region, n); f != nil {
			answer(w, f)
			return
		}
	}
	from := 0
	if in.NextToken != "" {
		off, err := strconv.Atoi(strings.TrimPrefix(in.NextToken, "page-"))
		if err != nil || off < 0 || off > len(evs) {
			answer(w, &Fault{http.StatusBadRequest, "InvalidNextTokenException", "invalid token " + in.NextToken})
			return
		}
		from = off
	}
	size := s.PageSize
	if size <= 0 {
		size = 50
	}
	to := min(from+size, len(evs))
	type event struct {
		EventId, EventName, EventSource string
		EventTime                       float64
		CloudTrailEvent                 string
	}
	out := struct {
		Events    []event
		NextToken string `json:",omitempty"`
	}{Events: []event{}}
	for _, e := range evs[from:to] {
		out.Events = append(out.Events, event{e.ID, e.Name, e.Source, float64(e.Time.UnixMilli()) / 1000, e.Record})
	}
	if to < len(evs) {
		next := to
		if s.Repeat && to-1 > from {
			next = to - 1
		}
		out.NextToken = "page-" + strconv.Itoa(next)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

func epoch(f *float64) time.Time {
	if f == nil {
		return time.Time{}
	}
	sec, frac := math.Modf(*f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func answer(w http.ResponseWriter, f *Fault) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(f.Status)
	json.NewEncoder(w).Encode(map[string]string{"__type": f.Type, "message": f.Message})
}

// Records reads the CloudTrail delivery files ({"Records":[...]}, plain or
// gzip) of fsys, digest files left out, and returns their records as
// events by region (awsRegion).
func Records(t testing.TB, fsys fs.FS) map[string][]Event {
	t.Helper()
	out := map[string][]Event{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "CloudTrail-Digest") || !strings.Contains(p, ".json") {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		var file struct{ Records []json.RawMessage }
		if err := json.Unmarshal(body, &file); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for _, raw := range file.Records {
			var rec struct {
				EventID, EventName, EventSource, AwsRegion string
				EventTime                                  time.Time
			}
			if err := json.Unmarshal(raw, &rec); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				return err
			}
			out[rec.AwsRegion] = append(out[rec.AwsRegion], Event{ID: rec.EventID, Name: rec.EventName, Source: rec.EventSource, Time: rec.EventTime, Record: b.String()})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Credentials gives the test static credentials and a default region, and
// hides the machine's AWS configuration from it.
func Credentials(t testing.TB, region string) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "AKIDLOOKUPTEST",
		"AWS_SECRET_ACCESS_KEY":       "lookuptest-secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  region,
		"AWS_DEFAULT_REGION":          "",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_ENDPOINT_URL":            "",
		"AWS_MAX_ATTEMPTS":            "",
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
}
