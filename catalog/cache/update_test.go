package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/catalog"
)

// refServer serves testdata/servicereference the way AWS lays it out: the
// service list at / and one file per service under /v1/<service>/. It can
// answer a path with error statuses before serving it normally.
type refServer struct {
	*httptest.Server
	dir      string
	relative bool // list relative URLs instead of absolute ones

	mu     sync.Mutex
	faults map[string][]int // path → statuses to answer first, in order
	hits   map[string]int
}

const refDir = "testdata/servicereference"

// sharedRefDir lays out one prefix, elasticloadbalancing, as two entries of
// the service list (elasticloadbalancing and elasticloadbalancingv2), the
// first of which also lists one action twice. TestUpdate counts the files
// in refDir, so these live apart.
const sharedRefDir = "testdata/sharedprefix"

func newRefServer(t *testing.T) *refServer { return newRefServerAt(t, refDir) }

func newRefServerAt(t *testing.T, dir string) *refServer {
	t.Helper()
	s := &refServer{dir: dir, faults: map[string][]int{}, hits: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		var status int
		if f := s.faults[r.URL.Path]; len(f) > 0 {
			status, s.faults[r.URL.Path] = f[0], f[1:]
		}
		s.mu.Unlock()
		switch {
		case status != 0:
			http.Error(w, http.StatusText(status), status)
		case r.URL.Path == "/":
			s.index(t, w)
		default:
			files.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *refServer) index(t *testing.T, w http.ResponseWriter) {
	paths, err := fs.Glob(os.DirFS(s.dir), "v1/*/*.json")
	if err != nil {
		t.Error(err)
	}
	var list []refIndexEntry
	for _, p := range paths {
		u := "/" + p
		if s.relative {
			u = p
		} else {
			u = s.URL + u
		}
		list = append(list, refIndexEntry{Service: filepath.Base(filepath.Dir(p)), URL: u})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

func (s *refServer) fail(path string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[path] = statuses
}

func (s *refServer) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// withoutBaseline lets one test update from a service reference much
// smaller than AWS's, such as the three services of refDir, by comparing
// it with an empty catalog instead of the embedded one.
func withoutBaseline(t *testing.T) {
	useBaseline(t, &catalog.Catalog{})
}

// useBaseline makes c the catalog updates and caches are compared with for
// one test.
func useBaseline(t *testing.T, c *catalog.Catalog) {
	old := baseline
	baseline = func() *catalog.Catalog { return c }
	t.Cleanup(func() { baseline = old })
}

// fastRetries makes the backoff between retries negligible for one test.
func fastRetries(t *testing.T) {
	old := retryBackoff
	retryBackoff = time.Millisecond
	t.Cleanup(func() { retryBackoff = old })
}

func TestUpdate(t *testing.T) {
	for _, relative := range []bool{false, true} {
		name := "absolute URLs"
		if relative {
			name = "relative URLs"
		}
		t.Run(name, func(t *testing.T) {
			withoutBaseline(t)
			srv := newRefServer(t)
			srv.relative = relative
			dir := filepath.Join(t.TempDir(), "cache")
			var progress bytes.Buffer
			before := time.Now().UTC().Format(time.DateOnly)
			info, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, &progress)
			after := time.Now().UTC().Format(time.DateOnly)
			if err != nil {
				t.Fatal(err)
			}
			want := catalog.Info{Source: catalog.SourceServiceReference, Version: "v1.3", Path: filepath.Join(dir, FileName),
				Services: 3, Actions: 15, ResourceTypes: 5, Operations: 5}
			got := info
			got.Date = ""
			if got != want {
				t.Errorf("info = %+v\nwant   %+v", got, want)
			}
			if info.Date != before && info.Date != after {
				t.Errorf("date = %q, want today (%s)", info.Date, before)
			}
			if !strings.Contains(progress.String(), "fetching 3 service files") {
				t.Errorf("progress lacks the file count:\n%s", progress.String())
			}
			c, err := catalog.Open(info.Path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Info() != info {
				t.Errorf("cache reads back as %+v, Update said %+v", c.Info(), info)
			}
		})
	}
}

// TestUpdateConversion checks what the cache says about actions, their
// resources and ARN templates, access levels and operations.
func TestUpdateConversion(t *testing.T) {
	withoutBaseline(t)
	srv := newRefServer(t)
	info, err := Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Open(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	actions := []struct {
		action    string
		level     string
		resources []string // resource type names, in the file's order
		arns      []string // their first ARN templates
	}{
		{"s3:GetObject", "Read", []string{"accesspointobject", "object"},
			[]string{"arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}", "arn:${Partition}:s3:::${BucketName}/${ObjectName}"}},
		{"S3:putobject", "Write", []string{"accesspointobject", "object"}, nil},
		{"s3:ListBucket", "List", []string{"bucket"}, []string{"arn:${Partition}:s3:::${BucketName}"}},
		{"s3:PutBucketPolicy", "Permissions management", []string{"bucket"}, nil},
		{"s3:PutObjectTagging", "Tagging", []string{"object"}, nil},
		{"s3:ListAllMyBuckets", "List", nil, nil},
		{"sqs:SendMessage", "Write", []string{"queue"}, []string{"arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"}},
		{"sqs:AddPermission", "Permissions management", []string{"queue"}, nil},
		{"lambda:InvokeFunction", "Write", []string{"function"}, []string{"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"}},
	}
	for _, tc := range actions {
		t.Run(tc.action, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if !ok {
				t.Fatalf("%s missing", tc.action)
			}
			if a.AccessLevel != tc.level {
				t.Errorf("access level %q, want %q", a.AccessLevel, tc.level)
			}
			// The reference has no required flag: Open takes the
			// embedded catalog's.
			want := map[string]bool{}
			if ea, ok := catalog.Embedded().Action(tc.action); ok {
				for _, r := range ea.Resources {
					want[r.Type] = r.Required
				}
			}
			var names []string
			for _, r := range a.Resources {
				names = append(names, r.Type)
				if r.Required != want[r.Type] {
					t.Errorf("%s required = %v, want %v as in the embedded catalog", r.Type, r.Required, want[r.Type])
				}
			}
			if !slices.Equal(names, tc.resources) {
				t.Errorf("resources %v, want %v", names, tc.resources)
			}
			if tc.arns != nil {
				var arns []string
				for _, rt := range c.ResourceTypes(a) {
					arns = append(arns, rt.ARN)
				}
				if !slices.Equal(arns, tc.arns) {
					t.Errorf("ARN templates %v, want %v", arns, tc.arns)
				}
			}
		})
	}
	if c.Exists("sqs:SelectObjectContent") || c.Exists("lambda:Invoke") {
		t.Error("an operation name became an action")
	}
	if rt, ok := c.ResourceType("lambda", "function"); !ok || len(rt.ARNs) != 2 || rt.ARNs[0] != rt.ARN {
		t.Errorf("lambda function should keep both ARN formats, ARN first: %+v", rt)
	}

	operations := []struct {
		service, operation string
		want               []string // nil: no mapping published
	}{
		{"s3", "CopyObject", []string{"s3:GetObject", "s3:PutObject"}},
		{"S3", "copyobject", []string{"s3:GetObject", "s3:PutObject"}},
		{"s3", "GetObject", []string{"s3:GetObject", "s3:GetObjectVersion"}},
		{"s3", "ListObjectsV2", []string{"s3:ListBucket"}},
		{"s3", "SelectObjectContent", nil}, // listed with SDK names only
		{"s3", "NoSuchOperation", nil},
		{"lambda", "Invoke", []string{"lambda:InvokeFunction"}},
		{"sqs", "SendMessage", nil}, // the service publishes no operations
		{"nosuchservice", "Get", nil},
	}
	for _, tc := range operations {
		got, ok := c.Operation(tc.service, tc.operation)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("Operation(%s, %s) = %v, %v; want %v", tc.service, tc.operation, got, ok, tc.want)
		}
	}
}

func TestUpdateFailures(t *testing.T) {
	fastRetries(t)
	tests := []struct {
		name     string
		path     string
		statuses []int
		attempts int      // requests the failing path should see
		errHas   []string // besides the server's URL
	}{
		{"service file 500", "/v1/sqs/sqs.json", []int{500, 500, 500, 500}, fetchAttempts,
			[]string{"service sqs", "/v1/sqs/sqs.json", "500", "gave up after 4 attempts"}},
		{"service file 404 is not retried", "/v1/lambda/lambda.json", []int{404}, 1,
			[]string{"service lambda", "/v1/lambda/lambda.json", "404"}},
		{"service list 503", "/", []int{503, 503, 503, 503}, fetchAttempts,
			[]string{"service list", "503"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			withoutBaseline(t)
			srv := newRefServer(t)
			srv.fail(tc.path, tc.statuses...)
			dir := t.TempDir()
			old := writeTestCache(t, dir, "2001-02-03")
			_, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, nil)
			if err == nil {
				t.Fatal("update succeeded")
			}
			for _, s := range append(tc.errHas, srv.URL) {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if n := srv.hitsOf(tc.path); n != tc.attempts {
				t.Errorf("%s requested %d times, want %d", tc.path, n, tc.attempts)
			}
			now, _ := os.ReadFile(filepath.Join(dir, FileName))
			if !bytes.Equal(now, old) {
				t.Error("a failed update changed the cache")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("cache directory holds %d entries, want just the old cache", len(entries))
			}
		})
	}
}

func TestUpdateNoPartialCache(t *testing.T) {
	fastRetries(t)
	withoutBaseline(t)
	srv := newRefServer(t)
	srv.fail("/v1/s3/s3.json", 500, 500, 500, 500)
	dir := filepath.Join(t.TempDir(), "new")
	if _, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, nil); err == nil {
		t.Fatal("update succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Errorf("a cache was written after a failed update (stat: %v)", err)
	}
}

func TestUpdateRetries429(t *testing.T) {
	fastRetries(t)
	withoutBaseline(t)
	srv := newRefServer(t)
	srv.fail("/v1/lambda/lambda.json", http.StatusTooManyRequests)
	info, err := Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.hitsOf("/v1/lambda/lambda.json"); n != 2 {
		t.Errorf("lambda.json requested %d times, want 2", n)
	}
	if info.Services != 3 {
		t.Errorf("services = %d, want 3", info.Services)
	}
}

func TestUpdateCancelled(t *testing.T) {
	srv := newRefServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, err := Update(ctx, srv.Client(), srv.URL+"/", dir, nil); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err = %v, want context canceled", err)
	}
}

func TestUpdateBadServiceList(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON": "<html>",
		"empty":    "[]",
		"no url":   `[{"service":"s3"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Write([]byte(body))
			}))
			defer srv.Close()
			if _, err := Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "service list") {
				t.Fatalf("err = %v, want one about the service list", err)
			}
		})
	}
}
