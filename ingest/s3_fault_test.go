package ingest_test

// Network faults between tailor and S3, injected by internal/faultproxy in
// front of MinIO: stalls, resets, cut bodies, cut listings and 503s. The
// demo trail is read through the proxy with short timeouts; what a fault
// may change is how long a run takes, never what it reads, and a fault that
// outlasts the retries names the object (or listing) it hit.

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/ingest"
	"github.com/tailor-iam/tailor/internal/faultproxy"
	"github.com/tailor-iam/tailor/internal/miniotest"
	"github.com/tailor-iam/tailor/trail"
)

// fastS3 is what the fault tests wait: about a second per stall. As in the
// defaults, the wait for headers is the shorter one; were the two equal,
// the idle deadline could fire first on a reused connection, and Go's
// transport would replay the GET once on a fresh one (harmless, but an
// attempt more than MaxAttempts).
var fastS3 = ingest.S3Config{
	RequestTimeout: 500 * time.Millisecond,
	IdleTimeout:    time.Second,
	MaxAttempts:    3,
	MaxBackoff:     50 * time.Millisecond,
}

var (
	demoOnce   sync.Once
	demoBucket string
	demoErr    error
)

// faultEnv is MinIO holding the demo trail, a proxy in front of it, and the
// clean read of the trail to compare with.
type faultEnv struct {
	srv    *miniotest.Server
	proxy  *faultproxy.Proxy
	bucket string
	clean  []string // the demo's records, decoded locally, sorted
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	srv := miniotest.Get(t)
	demoOnce.Do(func() {
		// The tests only read it: one upload serves them all.
		demoBucket = srv.Bucket(t)
		g, ctx := errgroup.WithContext(context.Background())
		g.SetLimit(16)
		demoErr = fs.WalkDir(fixtures.Demo(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := fs.ReadFile(fixtures.Demo(), p)
			g.Go(func() error { return srv.Put(ctx, demoBucket, p, body) })
			return err
		})
		if err := g.Wait(); demoErr == nil {
			demoErr = err
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	if demoBucket == "" {
		t.Fatal("the demo trail's upload failed in an earlier test")
	}
	p, err := faultproxy.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           srv.AccessKey,
		"AWS_SECRET_ACCESS_KEY":       srv.SecretKey,
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  srv.Region,
		"AWS_PROFILE":                 "",
		"AWS_MAX_ATTEMPTS":            "",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
	clean, rep, err := readAll(t.Context(), ingest.FS{FS: fixtures.Demo(), Root: "."})
	if err != nil || len(rep.Failed) != 0 {
		t.Fatalf("clean local read: %v %v", err, rep.Failed)
	}
	return &faultEnv{srv: srv, proxy: p, bucket: demoBucket, clean: clean}
}

// source is the demo trail in S3, through the proxy.
func (e *faultEnv) source(t *testing.T, c ingest.S3Config) ingest.Source {
	t.Helper()
	c.EndpointURL = e.proxy.URL
	src, err := ingest.OpenS3Source(t.Context(), "s3://"+e.bucket+"/AWSLogs/", c, ingest.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// recordLines collects each record as a JSON line.
type recordLines struct{ lines []string }

func (h *recordLines) Record(r *trail.Record) {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	h.lines = append(h.lines, string(b))
}

// readAll runs src and returns every record decoded, as sorted JSON lines:
// the workers interleave files, and sorting makes two runs comparable.
func readAll(ctx context.Context, src ingest.Source) ([]string, *ingest.Report, error) {
	hs, rep, err := ingest.Run(ctx, []ingest.Source{src}, ingest.Options{Workers: 4}, func() ingest.Handler { return &recordLines{} })
	var all []string
	for _, h := range hs {
		all = append(all, h.(*recordLines).lines...)
	}
	slices.Sort(all)
	return all, rep, err
}

// captureStderr runs fn with os.Stderr going to a pipe and returns what was
// written: the SDK's default logger writes there.
func captureStderr(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() {
		os.Stderr = old
		w.Close()
	}()
	fn()
	os.Stderr = old
	w.Close()
	return <-done
}

// some picks a deterministic share of keys, about pct percent.
func some(key string, pct uint32) bool {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32()%100 < pct
}

// cutPoint spreads the cuts over the body: 10% to 90% of it.
func cutPoint(key string) float64 {
	h := fnv.New32a()
	h.Write([]byte("cut:" + key))
	return 0.1 + 0.8*float64(h.Sum32()%1000)/1000
}

// Transient faults: each is retried or resumed, and the run reads exactly
// what a clean local read of the trail gives, with nothing on stderr.
func TestS3TransientFaults(t *testing.T) {
	e := newFaultEnv(t)
	once := func(match func(faultproxy.Request) bool, f func(faultproxy.Request) faultproxy.Fault) faultproxy.Script {
		return func(r faultproxy.Request) faultproxy.Fault {
			if r.Attempt == 1 && match(r) {
				return f(r)
			}
			return faultproxy.Fault{}
		}
	}
	objects30 := func(r faultproxy.Request) bool { return r.IsGetObject() && some(r.Key(), 30) }
	objects5 := func(r faultproxy.Request) bool { return r.IsGetObject() && some(r.Key(), 5) }
	tests := []struct {
		name   string
		script faultproxy.Script
		kind   faultproxy.Kind
		min    int // faults the script must have injected
	}{
		{"cut bodies, 30% of objects once", once(objects30, func(r faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.CutBody, Fraction: cutPoint(r.Key())}
		}), faultproxy.CutBody, 40},
		{"bodies reset midway, 30% of objects once", once(objects30, func(r faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.ResetBody, Fraction: cutPoint(r.Key())}
		}), faultproxy.ResetBody, 40},
		{"connections reset before the answer, 30% of objects once", once(objects30, func(faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.Reset}
		}), faultproxy.Reset, 40},
		{"bodies stalled midway, 5% of objects once", once(objects5, func(r faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.StallBody, Fraction: cutPoint(r.Key())}
		}), faultproxy.StallBody, 3},
		{"headers stalled, 5% of objects once", once(objects5, func(faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.StallHeaders}
		}), faultproxy.StallHeaders, 3},
		{"every listing page cut mid-XML once", once(faultproxy.Request.IsList, func(faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.CutBody, Fraction: 0.5}
		}), faultproxy.CutBody, 5},
		{"a listing page stalled mid-XML once", once(func(r faultproxy.Request) bool {
			return r.IsList() && r.Query.Get("prefix") == "AWSLogs/111122223333/CloudTrail/us-east-1/"
		}, func(faultproxy.Request) faultproxy.Fault {
			return faultproxy.Fault{Kind: faultproxy.StallBody, Fraction: 0.5}
		}), faultproxy.StallBody, 1},
		{"every request answered 503 SlowDown twice", func(r faultproxy.Request) faultproxy.Fault {
			if r.Attempt <= 2 {
				return faultproxy.Fault{Kind: faultproxy.SlowDown}
			}
			return faultproxy.Fault{}
		}, faultproxy.SlowDown, 2 * 179},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var (
				got []string
				rep *ingest.Report
				err error
			)
			start := time.Now()
			stderr := captureStderr(t, func() {
				src := e.source(t, fastS3)
				e.proxy.SetScript(tc.script)
				got, rep, err = readAll(t.Context(), src)
			})
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			faults, resumed := 0, 0
			for _, en := range e.proxy.Log() {
				if en.Fault.Kind == tc.kind {
					faults++
				}
				if rg := en.Header.Get("Range"); rg != "" {
					resumed++
					if en.Header.Get("If-Match") == "" {
						t.Errorf("resumed %s with %s but no If-Match", en.Key(), rg)
					}
				}
			}
			if faults < tc.min {
				t.Fatalf("the proxy injected %d faults, want at least %d", faults, tc.min)
			}
			if len(rep.Failed) != 0 || rep.Files != 179 {
				t.Errorf("files %d, failed %v; want 179 files read, none failed", rep.Files, rep.Failed)
			}
			if !slices.Equal(got, e.clean) {
				t.Errorf("read %d records, want the clean read's %d, byte for byte", len(got), len(e.clean))
			}
			if stderr != "" {
				t.Errorf("stderr: %q, want nothing", stderr)
			}
			t.Logf("%d faults, %d ranged resumes, %d/%d records, %s", faults, resumed, len(got), len(e.clean), elapsed.Round(time.Millisecond))
		})
	}
}

// Faults that outlast the retries name what they hit, in bounded time, and
// the rest of the run goes on.
func TestS3PersistentFaults(t *testing.T) {
	e := newFaultEnv(t)
	victim := "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/01/111122223333_CloudTrail_eu-west-1_20261101T0014Z_K6p8Ku9veWf7SQiw.json.gz"
	body, err := fs.ReadFile(fixtures.Demo(), victim)
	if err != nil {
		t.Fatal(err)
	}
	victimRecords, _, _ := readAll(t.Context(), ingest.FS{FS: fstest.MapFS{victim: {Data: body}}, Root: "."})
	// Each of MaxAttempts attempts waits IdleTimeout; allow for backoff and
	// a slow machine, but not for a second round of attempts.
	limit := time.Duration(fastS3.MaxAttempts)*fastS3.IdleTimeout + 2*time.Second
	tests := []struct {
		name  string
		fault faultproxy.Fault
		want  string // in the error
	}{
		{"headers never come", faultproxy.Fault{Kind: faultproxy.StallHeaders}, "get s3://"},
		{"body stalls at the same byte every time", faultproxy.Fault{Kind: faultproxy.StallBody, After: 200}, "stalled: no data for 1s"},
		{"body stalls halfway through every answer", faultproxy.Fault{Kind: faultproxy.StallBody, Fraction: 0.5}, "3 attempts failed"},
		{"body cut every time", faultproxy.Fault{Kind: faultproxy.CutBody, After: 200}, "unexpected EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var (
				got []string
				rep *ingest.Report
				err error
			)
			start := time.Now()
			stderr := captureStderr(t, func() {
				src := e.source(t, fastS3)
				e.proxy.SetScript(func(r faultproxy.Request) faultproxy.Fault {
					if r.IsGetObject() && r.Key() == victim {
						return tc.fault
					}
					return faultproxy.Fault{}
				})
				got, rep, err = readAll(t.Context(), src)
			})
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(rep.Failed) != 1 || rep.Failed[0].Name != "s3://"+e.bucket+"/"+victim {
				t.Fatalf("failed = %v, want only s3://%s/%s", rep.Failed, e.bucket, victim)
			}
			msg := rep.Failed[0].Err.Error()
			if !strings.Contains(msg, "s3://"+e.bucket+"/"+victim) || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not name the object and say %q", msg, tc.want)
			}
			if elapsed > limit {
				t.Errorf("took %s, want under %s", elapsed, limit)
			}
			attempts := 0
			for _, en := range e.proxy.Log() {
				if en.Key() == victim {
					attempts++
				}
			}
			if attempts != fastS3.MaxAttempts {
				t.Errorf("the object was asked for %d times, want %d", attempts, fastS3.MaxAttempts)
			}
			// Every other file is read in full. A body that failed midway
			// has handed some records on already, as a corrupt file would.
			if rep.Files != 178 || len(got) < len(e.clean)-len(victimRecords) {
				t.Errorf("read %d files, %d records; want 178 files and at least %d records", rep.Files, len(got), len(e.clean)-len(victimRecords))
			}
			if stderr != "" {
				t.Errorf("stderr: %q, want nothing", stderr)
			}
			t.Logf("named failed after %s, %d attempts: %s", elapsed.Round(time.Millisecond), attempts, msg)
		})
	}

	t.Run("listing cut every time", func(t *testing.T) {
		start := time.Now()
		var err error
		stderr := captureStderr(t, func() {
			src := e.source(t, fastS3)
			e.proxy.SetScript(func(r faultproxy.Request) faultproxy.Fault {
				if r.IsList() && r.Query.Get("delimiter") == "" {
					return faultproxy.Fault{Kind: faultproxy.CutBody, Fraction: 0.5}
				}
				return faultproxy.Fault{}
			})
			_, _, err = readAll(t.Context(), src)
		})
		elapsed := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "list s3://"+e.bucket+"/AWSLogs/") || !strings.Contains(err.Error(), "exceeded maximum number of attempts, 3") {
			t.Errorf("Run: err = %v, want the listing named after 3 attempts", err)
		}
		if stderr != "" {
			t.Errorf("stderr: %q, want nothing", stderr)
		}
		t.Logf("failed after %s: %v", elapsed.Round(time.Millisecond), err)
	})
}

// An object replaced between a cut and its resumption is not stitched from
// two versions: the If-Match fails and the object is named.
func TestS3ObjectChangedMidRead(t *testing.T) {
	e := newFaultEnv(t)
	bucket := e.srv.Bucket(t)
	key := "AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/01/f.json.gz"
	if err := e.srv.Put(t.Context(), bucket, key, trailFile(t, 50, time.Now())); err != nil {
		t.Fatal(err)
	}
	e.proxy.SetScript(func(r faultproxy.Request) faultproxy.Fault {
		switch {
		case !r.IsGetObject():
		case r.Attempt == 1:
			return faultproxy.Fault{Kind: faultproxy.CutBody, Fraction: 0.5}
		case r.Attempt == 2:
			// Replace the object before the resumption reaches MinIO.
			if err := e.srv.Put(context.Background(), bucket, key, trailFile(t, 60, time.Now())); err != nil {
				t.Error(err)
			}
		}
		return faultproxy.Fault{}
	})
	c := fastS3
	c.EndpointURL = e.proxy.URL
	src, err := ingest.OpenS3Source(t.Context(), "s3://"+bucket+"/", c, ingest.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	_, rep, err := readAll(t.Context(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Err.Error(), "changed while it was read") ||
		!strings.Contains(rep.Failed[0].Err.Error(), "s3://"+bucket+"/"+key) {
		t.Errorf("failed = %v, want the object named as changed", rep.Failed)
	}
}

// Cancelling the run (SIGINT) ends it at once, even with every connection
// stalled and long timeouts.
func TestS3CancelDuringStalls(t *testing.T) {
	e := newFaultEnv(t)
	for _, kind := range []faultproxy.Kind{faultproxy.StallHeaders, faultproxy.StallBody} {
		t.Run(kind.String(), func(t *testing.T) {
			src := e.source(t, ingest.S3Config{IdleTimeout: time.Minute, RequestTimeout: time.Minute})
			e.proxy.SetScript(func(r faultproxy.Request) faultproxy.Fault {
				if r.IsGetObject() {
					return faultproxy.Fault{Kind: kind, Fraction: 0.5}
				}
				return faultproxy.Fault{}
			})
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				_, _, err := readAll(ctx, src)
				done <- err
			}()
			time.Sleep(300 * time.Millisecond)
			cancel()
			start := time.Now()
			select {
			case err := <-done:
				if d := time.Since(start); d > 200*time.Millisecond {
					t.Errorf("Run returned %s after the cancel, want under 200ms", d)
				}
				if err == nil {
					t.Error("Run: nil error after cancel")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run still going 5s after the cancel")
			}
		})
	}
}
