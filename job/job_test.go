package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/miniotest"
)

func TestMain(m *testing.M) { os.Exit(miniotest.Main(m)) }

// now is the demo trail's last day, noon.
var now = time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)

// demoFiles are the demo trail's files, by key.
func demoFiles(t *testing.T) map[string][]byte {
	t.Helper()
	demo := fixtures.Demo()
	out := map[string][]byte{}
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(demo, p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// world is a trail bucket and a state bucket on the test's MinIO.
type world struct {
	srv          *miniotest.Server
	trail, state string
}

func newWorld(t *testing.T) *world {
	srv := miniotest.Get(t)
	return &world{srv: srv, trail: srv.Bucket(t), state: srv.Bucket(t)}
}

// sharing is a world on w's trail with a state of its own: partials name
// the trail's files, so only runs over one trail bucket compare byte for
// byte.
func (w *world) sharing(t *testing.T) *world {
	return &world{srv: w.srv, trail: w.trail, state: w.srv.Bucket(t)}
}

func (w *world) upload(t *testing.T, files map[string][]byte, keep func(key string) bool) {
	t.Helper()
	for k, b := range files {
		if keep == nil || keep(k) {
			if err := w.srv.Put(t.Context(), w.trail, k, b); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (w *world) config() *Config {
	return &Config{TrailBucket: w.trail, StateBucket: w.state, LookbackDays: 7, LateDays: 2, MaxFiles: 7,
		Now: func() time.Time { return now }}
}

// contents reads every object of the state bucket (outputs included).
func (w *world) contents(t *testing.T) map[string]string {
	t.Helper()
	objs, _, err := list(t.Context(), w.srv.Client, w.state, "", false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range objs {
		body, _, err := get(t.Context(), w.srv.Client, w.state, o.Key)
		if err != nil {
			t.Fatal(err)
		}
		out[o.Key] = string(body)
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// sameContents compares two buckets' contents; the partials written on
// the way may differ (a retry may skip writing one), the rest may not.
func sameContents(t *testing.T, what string, got, want map[string]string, partialsToo bool) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !partialsToo && strings.Contains(k, "/partials/") {
			continue
		}
		if got[k] != want[k] {
			g, w := got[k], want[k]
			t.Errorf("%s: %s differs (%d bytes, want %d):\n%.300s\nwant\n%.300s", what, k, len(g), len(w), g, w)
		}
	}
}

// reference is the state and outputs of one uninterrupted run over all
// the files.
func reference(t *testing.T, w *world) map[string]string {
	t.Helper()
	res, err := Run(t.Context(), w.srv.Client, w.config(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Published || res.Stopped {
		t.Fatalf("reference run: %+v", res)
	}
	return w.contents(t)
}

// TestIncremental: a first run, then late files, one in a day already
// folded: the second run folds only the new files, and the state and
// outputs end as one run over all of them.
func TestIncremental(t *testing.T) {
	files := demoFiles(t)
	all := newWorld(t)
	all.upload(t, files, nil)
	want := reference(t, all)
	w := newWorld(t)
	// Late: the last day's files, and the first three of a day the
	// first run reads whole.
	var day3 []string
	for k := range files {
		if strings.Contains(k, "/CloudTrail/us-east-1/2026/11/03/") {
			day3 = append(day3, k)
		}
	}
	sort.Strings(day3)
	late := func(k string) bool {
		return strings.Contains(k, "/2026/11/05/") || slices.Contains(day3[:3], k)
	}
	w.upload(t, files, func(k string) bool { return !late(k) })
	c := w.config()
	first, err := Run(t.Context(), w.srv.Client, c, quiet)
	if err != nil || !first.Published {
		t.Fatalf("first run: %+v, %v", first, err)
	}
	if changes := w.contents(t)["tailor/out/changes.json"]; !strings.Contains(changes, "addedActions") {
		t.Errorf("changes.json of the first run names no change:\n%s", changes)
	}
	w.upload(t, files, late)
	second, err := Run(t.Context(), w.srv.Client, c, quiet)
	if err != nil || !second.Published {
		t.Fatalf("second run: %+v, %v", second, err)
	}
	nLate := 0
	for k := range files {
		if late(k) && strings.Contains(k, "/CloudTrail/") {
			nLate++
		}
	}
	if second.Folded != nLate || nLate < 2 {
		t.Errorf("the second run folded %d files; %d were new", second.Folded, nLate)
	}
	third, err := Run(t.Context(), w.srv.Client, c, quiet)
	if err != nil || third.Folded != 0 || third.Published {
		t.Errorf("a third run with nothing new: %+v, %v", third, err)
	}
	got := w.contents(t)
	for _, k := range []string{"tailor/out/summary.json", "tailor/out/denied.json", "tailor/out/changes.json",
		"tailor/out/policies/111122223333/checkout-api.json"} {
		if got[k] == "" {
			t.Errorf("no %s", k)
		}
	}

	// The outputs are those of one run; the changes and generations are
	// this history's own.
	for k := range want {
		if strings.HasPrefix(k, "tailor/out/") && !strings.HasSuffix(k, "changes.json") && !strings.HasSuffix(k, "summary.json") {
			if got[k] != want[k] {
				t.Errorf("%s differs from one run over all files", k)
			}
		}
	}
}

// errCrash stands for the process dying at a step.
var errCrash = errors.New("crash")

// TestCrashThenRetry: a run that dies at any step boundary, then a retry,
// ends with the same state and outputs as a run that never died.
func TestCrashThenRetry(t *testing.T) {
	trail := newWorld(t)
	trail.upload(t, demoFiles(t), nil)
	want := reference(t, trail)
	for _, step := range Steps {
		for _, nth := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s#%d", step, nth), func(t *testing.T) {
				w := trail.sharing(t)
				c := w.config()
				seen := 0
				c.Fault = func(s string) error {
					if s == step {
						if seen++; seen == nth {
							return errCrash
						}
					}
					return nil
				}
				_, err := Run(t.Context(), w.srv.Client, c, quiet)
				if !errors.Is(err, errCrash) {
					if seen < nth {
						t.Skipf("a run passes %s only %d times", step, seen)
					}
					t.Fatalf("the run did not stop at %s: %v", step, err)
				}
				c.Fault = nil
				if _, err := Run(t.Context(), w.srv.Client, c, quiet); err != nil {
					t.Fatalf("retry: %v", err)
				}
				sameContents(t, "after a crash at "+step, w.contents(t), want, true)
			})
		}
	}
}

// TestConcurrentRuns: two runs at once on the same state end with a
// consistent checkpoint and the outputs of one run: nothing counted twice.
func TestConcurrentRuns(t *testing.T) {
	trail := newWorld(t)
	trail.upload(t, demoFiles(t), nil)
	want := reference(t, trail)
	w := trail.sharing(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(t.Context(), w.srv.Client, w.config(), quiet)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := w.contents(t)
	for k := range want {
		if strings.HasPrefix(k, "tailor/out/") && !strings.HasSuffix(k, "summary.json") && !strings.HasSuffix(k, "changes.json") {
			if got[k] != want[k] {
				t.Errorf("%s differs from one run's", k)
			}
		}
	}
	// The same files and events as one run, whatever the generations.
	for _, field := range []string{`"files"`, `"events"`, `"partitions"`} {
		if line(got["tailor/out/summary.json"], field) != line(want["tailor/out/summary.json"], field) {
			t.Errorf("summary %s: %s, want %s", field, line(got["tailor/out/summary.json"], field), line(want["tailor/out/summary.json"], field))
		}
	}
}

func line(s, field string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, field) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// TestMapReduce: the demo's partitions mapped in 7 batches, then reduced,
// give the outputs of one scheduled run.
func TestMapReduce(t *testing.T) {
	trail := newWorld(t)
	trail.upload(t, demoFiles(t), nil)
	want := reference(t, trail)
	w := trail.sharing(t)
	c := w.config()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	parts, err := c.plan(t.Context(), w.srv.Client, &checkpoint{Partitions: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	var prefixes []Prefix
	for _, p := range parts {
		prefixes = append(prefixes, Prefix{Account: p.Account, Region: p.Region, Day: strings.ReplaceAll(p.Day, "/", "-")})
	}
	for i := 0; i < 7; i++ {
		var batch []Prefix
		for j := i; j < len(prefixes); j += 7 {
			batch = append(batch, prefixes[j])
		}
		if _, err := Map(t.Context(), w.srv.Client, w.config(), batch, quiet); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Reduce(t.Context(), w.srv.Client, w.config(), quiet); err != nil {
		t.Fatal(err)
	}
	got := w.contents(t)
	for k := range want {
		if strings.HasPrefix(k, "tailor/out/") && !strings.HasSuffix(k, "summary.json") {
			if got[k] != want[k] {
				t.Errorf("%s differs from one run's", k)
			}
		}
	}
	for _, field := range []string{`"files"`, `"events"`, `"partitions"`, `"policies"`} {
		if line(got["tailor/out/summary.json"], field) != line(want["tailor/out/summary.json"], field) {
			t.Errorf("summary %s: %s, want %s", field, line(got["tailor/out/summary.json"], field), line(want["tailor/out/summary.json"], field))
		}
	}
}

// TestDeadline: a run with too little time left stops at a file boundary,
// commits, and the next run finishes the work.
func TestDeadline(t *testing.T) {
	trail := newWorld(t)
	trail.upload(t, demoFiles(t), nil)
	want := reference(t, trail)
	w := trail.sharing(t)
	c := w.config()
	c.Margin = time.Hour
	// The deadline reaches the margin once the first fold is checkpointed
	// (the fault hook waits for it, so the run's speed does not matter):
	// a fold, then a stop at a file boundary.
	dl := time.Now().Add(c.Margin + 2*time.Second)
	ctx, cancel := context.WithDeadline(t.Context(), dl)
	defer cancel()
	var once sync.Once
	c.Fault = func(step string) error {
		if step == "after-checkpoint" {
			once.Do(func() { time.Sleep(time.Until(dl.Add(-c.Margin))) })
		}
		return nil
	}
	res, err := Run(ctx, w.srv.Client, c, quiet)
	if err != nil || !res.Stopped || res.Folded == 0 {
		t.Fatalf("a run without time: %+v, %v; want a fold, then a stop", res, err)
	}
	c2 := w.config()
	if _, err := Run(t.Context(), w.srv.Client, c2, quiet); err != nil {
		t.Fatal(err)
	}
	sameContents(t, "after a stop for the deadline", w.contents(t), want, true)
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{StateBucket: "s"}, "TAILOR_TRAIL_BUCKET"},
		{Config{TrailBucket: "t"}, "TAILOR_STATE_BUCKET"},
		{Config{TrailBucket: "t", StateBucket: "s", LookbackDays: 400}, "TAILOR_LOOKBACK_DAYS"},
		{Config{TrailBucket: "t", StateBucket: "s", Accounts: []string{"12"}}, "TAILOR_ACCOUNTS"},
		{Config{TrailBucket: "t", StateBucket: "s", Formats: []string{"xml"}}, "TAILOR_FORMATS"},
		{Config{TrailBucket: "t", StateBucket: "s", OutputPrefix: "tailor/state/x/"}, "TAILOR_OUTPUT_PREFIX"},
		{Config{TrailBucket: "t", StateBucket: "s", Principals: []string{"a[b"}}, "TAILOR_PRINCIPALS"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error naming %s", tc.c, err, tc.want)
		}
	}
	ok := Config{TrailBucket: "t", StateBucket: "s"}
	if err := ok.Validate(); err != nil || ok.TrailPrefix != "AWSLogs/" || ok.OutputBucket != "s" {
		t.Errorf("defaults: %+v, %v", ok, err)
	}
}

// TestFailedFilesRetried: a file that cannot be read is named in the
// summary, its day stays open past the late window, and a later run folds
// it once it can be read.
func TestFailedFilesRetried(t *testing.T) {
	files := demoFiles(t)
	w := newWorld(t)
	var bad string
	for k := range files {
		if strings.Contains(k, "/CloudTrail/us-east-1/2026/11/01/") && (bad == "" || k < bad) {
			bad = k
		}
	}
	w.upload(t, files, func(k string) bool { return k != bad })
	if err := w.srv.Put(t.Context(), w.trail, bad, []byte("\x1f\x8bnot gzip")); err != nil {
		t.Fatal(err)
	}
	c := w.config()
	if _, err := Run(t.Context(), w.srv.Client, c, quiet); err != nil {
		t.Fatal(err)
	}
	if sum := w.contents(t)["tailor/out/summary.json"]; !strings.Contains(sum, bad) {
		t.Fatalf("the summary does not name %s:\n%s", bad, sum)
	}
	// A week later, the file is readable.
	w.upload(t, files, func(k string) bool { return k == bad })
	later := w.config()
	later.Now = func() time.Time { return now.AddDate(0, 0, 7) }
	res, err := Run(t.Context(), w.srv.Client, later, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if res.Folded != 1 {
		t.Errorf("a week later, %d files folded; want the one that failed", res.Folded)
	}
	if sum := w.contents(t)["tailor/out/summary.json"]; strings.Contains(sum, bad) {
		t.Errorf("the summary still names %s:\n%s", bad, sum)
	}
}
