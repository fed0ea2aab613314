package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/tailor-iam/tailor/catalog"
)

// maxNamed is how many missing services or actions catalog.Compare names
// in a message before it says how many more.
const maxNamed = 20

// Updates and caches from a server or a disk that tailor cannot trust:
// each is refused before anything is installed, within bounded time and
// memory, and the old cache stays.

// memoryBound is what an update or a Load may hold on the heap at its
// peak, whatever it is fed.
const memoryBound = 256 << 20

// peakHeap runs f while sampling the heap, and returns the most it saw in
// use.
func peakHeap(f func()) uint64 {
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var most uint64
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			most = max(most, m.HeapAlloc)
			select {
			case <-stop:
				peak <- most
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	return <-peak
}

// checkCacheKept fails t unless dir holds exactly the cache old.
func checkCacheKept(t *testing.T, dir string, old []byte) {
	t.Helper()
	now, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil || !bytes.Equal(now, old) {
		t.Errorf("a refused update changed the cache (read: %v)", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("cache directory holds %d entries, want just the old cache", len(entries))
	}
}

// (a) A list of three services would replace the whole of AWS: refused
// before a single service file is fetched.
func TestUpdateRefusesTooFewServices(t *testing.T) {
	srv := newRefServer(t)
	dir := t.TempDir()
	old := writeTestCache(t, dir, "2001-02-03")
	_, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, nil)
	if err == nil || !strings.Contains(err.Error(), "names 3 services, fewer than") {
		t.Fatalf("err = %v, want a refusal of 3 services", err)
	}
	for _, p := range []string{"/v1/s3/s3.json", "/v1/sqs/sqs.json", "/v1/lambda/lambda.json"} {
		if n := srv.hitsOf(p); n != 0 {
			t.Errorf("%s fetched %d times after the list was refused", p, n)
		}
	}
	checkCacheKept(t, dir, old)
}

// (b) Service files too large, or holding too much, are refused while they
// are read: quickly, and without holding them.
func TestUpdateBoundsDownloads(t *testing.T) {
	const hostile = 62 << 20 // the size of the files that cost 4.3 GB
	long := `"` + strings.Repeat("a", 1000) + `",`
	conditionKey := `{"Name":"ec2:Attribute/${AttributeName}","Types":["String"]},`
	action := `{"Name":"GetThing","Annotations":{"Properties":{"IsWrite":false}},"Resources":[{"Name":"object"}]},`
	tests := []struct {
		name     string
		services int // how many services answer with the file
		file     func() (head, unit, tail string, size int64, withLength bool)
		errHas   string
	}{
		{"62 MB of condition keys", 1, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","ConditionKeys":[`, conditionKey, `{}]}`, hostile, false
		}, "response is larger than the limit of 16 MB"},
		{"62 MB declared up front", 1, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","ConditionKeys":[`, conditionKey, `{}]}`, hostile, true
		}, "response is larger than the limit of 16 MB"},
		{"a 62 MB string", 1, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","Version":"`, strings.Repeat("a", 1024), `"}`, hostile, false
		}, "response is larger than the limit of 16 MB"},
		{"62 MB of white space", 1, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2"`, strings.Repeat(" ", 1024), `}`, hostile, false
		}, "response is larger than the limit of 16 MB"},
		{"62 MB of actions", 1, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","Actions":[`, action, `{}]}`, hostile, false
		}, "more than 100000 entries"},
		{"twelve files of 62 MB", 12, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","Actions":[`, action, `{}]}`, hostile, false
		}, "service "},
		{"20 files of 15 MB", 20, func() (string, string, string, int64, bool) {
			return `{"Name":"ec2","ConditionKeys":[`, long, `""]}`, 15 << 20, false
		}, "service files together is larger than the limit of 256 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFullRef(t)
			for _, p := range []string{"ec2", "s3", "iam", "sts", "lambda", "sqs", "sns", "kms", "dynamodb", "logs",
				"cloudwatch", "ecs", "ecr", "glue", "athena", "states", "sagemaker", "connect", "bedrock", "rds"}[:tc.services] {
				srv.answer(p, stream(tc.file()))
			}
			dir := t.TempDir()
			old := writeTestCache(t, dir, "2001-02-03")
			var err error
			start := time.Now()
			peak := peakHeap(func() {
				_, err = Update(context.Background(), srv.Client(), srv.URL+"/", dir, nil)
			})
			elapsed := time.Since(start)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
			}
			t.Logf("refused in %v, heap peak %d MB: %v", elapsed.Round(time.Millisecond), peak>>20, err)
			if peak > memoryBound {
				t.Errorf("heap peaked at %d MB, over %d MB", peak>>20, memoryBound>>20)
			}
			if elapsed > 30*time.Second {
				t.Errorf("refusing took %v", elapsed)
			}
			checkCacheKept(t, dir, old)
		})
	}
}

// (c) An update may lose a few of the embedded catalog's services and
// actions, each named in a warning; more is refused. So are names that
// would put a wildcard in a policy.
func TestUpdateChecksLosses(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *fullRef) (want []string)
		errHas string // "" when the update must pass, with the warnings want
	}{
		{"a service dropped", func(r *fullRef) []string {
			delete(r.files, "sqs")
			return []string{"lacks 1 service of the embedded catalog", "sqs"}
		}, ""},
		{"a few actions dropped", func(r *fullRef) []string {
			dropped := r.dropActions(100)
			slices.Sort(dropped)
			return []string{fmt.Sprintf("lacks %d actions of the embedded catalog", len(dropped)), dropped[0], dropped[maxNamed-1],
				fmt.Sprintf("and %d more", len(dropped)-maxNamed)}
		}, ""},
		{"40 services dropped", func(r *fullRef) []string {
			for _, p := range r.prefixes[:40] {
				delete(r.files, p)
			}
			return nil
		}, "lacks 40 of the embedded catalog's"},
		{"a fifteenth of the actions dropped", func(r *fullRef) []string {
			r.dropActions(15)
			return nil
		}, "actions the embedded catalog has for its services"},
		{"an action named *", func(r *fullRef) []string {
			r.files["s3"].Actions = append(r.files["s3"].Actions, refAction{Name: "*"})
			return nil
		}, `an action named "*", not an IAM action name`},
		{"an operation that authorizes s3:*", func(r *fullRef) []string {
			r.files["s3"].Operations = []refOperation{{Name: "GetObject", AuthorizedActions: []refAuthorizedAction{{Service: "s3", Name: "*"}}}}
			return nil
		}, `authorizes "s3:*"`},
		{"an ARN template that is two", func(r *fullRef) []string {
			r.files["s3"].Resources = append(r.files["s3"].Resources, refResource{Name: "x", ARNFormats: []string{"arn:aws:s3:::a *"}})
			return nil
		}, "not one ARN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFullRef(t)
			want := tc.change(srv)
			dir := t.TempDir()
			old := writeTestCache(t, dir, "2001-02-03")
			var progress bytes.Buffer
			info, err := Update(context.Background(), srv.Client(), srv.URL+"/", dir, &progress)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
				}
				checkCacheKept(t, dir, old)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var warning string
			for _, l := range strings.Split(progress.String(), "\n") {
				if strings.HasPrefix(l, "catalog: warning: ") {
					warning += l
				}
			}
			for _, w := range want {
				if !strings.Contains(warning, w) {
					t.Errorf("warnings lack %q:\n%s", w, warning)
				}
			}
			c, err := catalog.Open(info.Path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Info() != info || info.Services < catalog.Embedded().Info().Services-1 {
				t.Errorf("cache %+v, Update said %+v", c.Info(), info)
			}
		})
	}
}

// A full update passes with no warning, and Load then uses it.
func TestUpdateFull(t *testing.T) {
	srv := newFullRef(t)
	dir := t.TempDir()
	t.Setenv(DirEnv, dir)
	var progress bytes.Buffer
	var info catalog.Info
	var err error
	peak := peakHeap(func() { info, err = Update(context.Background(), srv.Client(), srv.URL+"/", dir, &progress) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("full update: heap peak %d MB", peak>>20)
	if strings.Contains(progress.String(), "warning") {
		t.Errorf("warnings for a full update:\n%s", progress.String())
	}
	emb := catalog.Embedded().Info()
	if info.Services != emb.Services || info.Actions != emb.Actions {
		t.Errorf("update holds %d services and %d actions, want the embedded catalog's %d and %d", info.Services, info.Actions, emb.Services, emb.Actions)
	}
	c, err := Load(ChoiceAuto)
	if err != nil || c.Info().Path != info.Path {
		t.Fatalf("Load = %+v, %v; want the new cache", c.Info(), err)
	}
}

// (d) A cache that was cut short or tampered with is never used: Load
// falls back to the embedded catalog and says why, quickly and within
// bounded memory, whatever the file holds.
func TestLoadRejectsTamperedCache(t *testing.T) {
	tests := []struct {
		name   string
		write  func(t *testing.T, dir, path string)
		errHas string
	}{
		{"cut short", func(t *testing.T, dir, path string) {
			b := writeTestCache(t, dir, "2999-12-31")
			if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
				t.Fatal(err)
			}
		}, "unexpected EOF"},
		{"not gzip", func(t *testing.T, _, path string) {
			if err := os.WriteFile(path, []byte("\x00\x01 not a catalog"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "gzip"},
		{"three services", func(t *testing.T, dir, _ string) {
			writeTestFile(t, dir, &file{Source: catalog.SourceServiceReference, Date: "2999-12-31", Services: []fileService{
				{Prefix: "s3", Actions: []fileAction{{Name: "GetObject", Level: "Read"}}},
				{Prefix: "sqs", Actions: []fileAction{{Name: "SendMessage", Level: "Write"}}},
				{Prefix: "lambda", Actions: []fileAction{{Name: "InvokeFunction", Level: "Write"}}},
			}})
		}, "it holds 3 services, fewer than"},
		{"a wildcard action", func(t *testing.T, _, path string) {
			f := embeddedFile(t)
			f.Date = "2999-12-31"
			f.Services[0].Actions = append(f.Services[0].Actions, fileAction{Name: "*", Level: "Write"})
			writeRaw(t, path, f)
		}, `an action named "*"`},
		{"300,000 actions", func(t *testing.T, _, path string) {
			f := embeddedFile(t)
			f.Date = "2999-12-31"
			for i := range 300_000 {
				f.Services[0].Actions = append(f.Services[0].Actions, fileAction{Name: fmt.Sprintf("GetThing%07d", i), Level: "Read"})
			}
			writeRaw(t, path, f)
		}, "more than the limit of 250000"},
		{"a 100 MB file", func(t *testing.T, _, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, 100<<20); err != nil { // sparse: nothing to read
				t.Fatal(err)
			}
		}, "file is larger than the limit of 8 MB"},
		{"a gzip bomb", func(t *testing.T, _, path string) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(`{"services":[`))
			spaces := bytes.Repeat([]byte(" "), 1<<20)
			for range 64 {
				zw.Write(spaces)
			}
			zw.Write([]byte(`]}`))
			zw.Close()
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "catalog's JSON is larger than the limit of 32 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(DirEnv, dir)
			path := filepath.Join(dir, FileName)
			tc.write(t, dir, path)
			var c *catalog.Catalog
			var err error
			start := time.Now()
			peak := peakHeap(func() { c, err = Load(ChoiceAuto) })
			elapsed := time.Since(start)
			t.Logf("rejected in %v, heap peak %d MB: %v", elapsed.Round(time.Millisecond), peak>>20, err)
			if c != catalog.Embedded() {
				t.Errorf("Load used the tampered cache: %+v", c.Info())
			}
			if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("err = %v, want ErrRejected naming %s and containing %q", err, path, tc.errHas)
			}
			if peak > memoryBound {
				t.Errorf("heap peaked at %d MB, over %d MB", peak>>20, memoryBound>>20)
			}
			if elapsed > 10*time.Second {
				t.Errorf("rejecting took %v", elapsed)
			}
		})
	}
}

// writeRaw writes f as a gzip'd catalog file without any of writeCache's
// checks, as a hand that tampers with the cache would.
func writeRaw(t *testing.T, path string, f *file) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
