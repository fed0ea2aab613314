package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tailor-iam/tailor/deploy"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/miniotest"
	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/policy"
)

func TestMain(m *testing.M) { os.Exit(miniotest.Main(m)) }

// runtimeAPI is the Lambda Runtime API on 127.0.0.1, as the Lambda
// service serves it to a function's process: events go out through
// /invocation/next, answers come back to /response or /error.
type runtimeAPI struct {
	addr   string
	events chan invocation
	mu     sync.Mutex
	done   map[string]chan result
	initEr chan string
}

type invocation struct {
	id   string
	body []byte
}

type result struct {
	body  []byte
	error bool
}

func newRuntimeAPI(t *testing.T) *runtimeAPI {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &runtimeAPI{addr: ln.Addr().String(), events: make(chan invocation), done: map[string]chan result{}, initEr: make(chan string, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, req *http.Request) {
		select {
		case inv := <-r.events:
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(5*time.Minute).UnixMilli()))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:111122223333:function:tailor")
			w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
			w.Write(inv.body)
		case <-req.Context().Done():
		}
	})
	answer := func(isErr bool) http.HandlerFunc {
		return func(w http.ResponseWriter, req *http.Request) {
			body, _ := io.ReadAll(req.Body)
			r.mu.Lock()
			ch := r.done[req.PathValue("id")]
			r.mu.Unlock()
			if ch != nil {
				ch <- result{body: body, error: isErr}
			}
			w.WriteHeader(http.StatusAccepted)
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", answer(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", answer(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		select {
		case r.initEr <- string(body):
		default:
		}
		w.WriteHeader(http.StatusAccepted)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// invoke delivers one event and waits for the function's answer.
func (r *runtimeAPI) invoke(t *testing.T, id string, body string) result {
	t.Helper()
	ch := make(chan result, 1)
	r.mu.Lock()
	r.done[id] = ch
	r.mu.Unlock()
	select {
	case r.events <- invocation{id: id, body: []byte(body)}:
	case <-time.After(2 * time.Minute):
		t.Fatalf("invocation %s: the function never asked for it", id)
	}
	select {
	case res := <-ch:
		return res
	case <-time.After(5 * time.Minute):
		t.Fatalf("invocation %s: no answer", id)
	}
	return result{}
}

// buildBootstrap builds the function as it is deployed.
func buildBootstrap(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, "./cmd/tailor-lambda")
	cmd.Dir = testenv.ModuleRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build bootstrap: %v\n%s", err, b)
	}
	return out
}

// start runs the bootstrap against the Runtime API, with env.
// logBuffer is the function's output, written by the process's copier
// while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func start(t *testing.T, bin string, api *runtimeAPI, env map[string]string) (*exec.Cmd, *logBuffer) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = []string{"AWS_LAMBDA_RUNTIME_API=" + api.addr, "AWS_LAMBDA_FUNCTION_NAME=tailor", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var logs logBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, &logs
}

// demoFiles are the demo trail's log files, by key.
func demoFiles(t *testing.T) map[string][]byte {
	t.Helper()
	demo := fixtures.Demo()
	out := map[string][]byte{}
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "/CloudTrail/") {
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

// redate moves a demo key to another day: the job partitions by the key's
// day, so the demo's files stand for today's deliveries.
func redate(key string, day time.Time) string {
	i := strings.Index(key, "/2026/11/")
	return key[:i+1] + day.Format("2006/01/02") + key[i+11:]
}

// TestBootstrap runs the built function as Lambda runs it, against MinIO:
// two scheduled invocations with new files delivered in between, one of
// them late, into a day the first run read; then a bad configuration.
func TestBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the function")
	}
	srv := miniotest.Get(t)
	trail, state := srv.Bucket(t), srv.Bucket(t)
	today := time.Now().UTC()
	yesterday := today.AddDate(0, 0, -1)
	// Two days of the demo, as yesterday's and today's deliveries; a few of
	// yesterday's arrive late.
	var keys []string
	files := demoFiles(t)
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var early, late []string
	upload := map[string][]byte{}
	for _, k := range keys {
		var nk string
		switch {
		case strings.Contains(k, "/2026/11/01/"):
			nk = redate(k, yesterday)
		case strings.Contains(k, "/2026/11/02/"):
			nk = redate(k, today)
		default:
			continue
		}
		upload[nk] = files[k]
		if strings.Contains(k, "/2026/11/01/") && len(late) < 3 && strings.Contains(k, "us-east-1") {
			late = append(late, nk)
		} else {
			early = append(early, nk)
		}
	}
	for _, k := range early {
		if err := srv.Put(t.Context(), trail, k, upload[k]); err != nil {
			t.Fatal(err)
		}
	}
	bin := buildBootstrap(t)
	api := newRuntimeAPI(t)
	rec := recordS3(t, srv.URL)
	env := map[string]string{
		"TAILOR_TRAIL_BUCKET": trail, "TAILOR_STATE_BUCKET": state, "TAILOR_FORMATS": "json,terraform",
		"TAILOR_S3_ENDPOINT": rec.url, "AWS_ACCESS_KEY_ID": srv.AccessKey, "AWS_SECRET_ACCESS_KEY": srv.SecretKey,
		"AWS_REGION": srv.Region, "LOG_LEVEL": "info",
	}
	_, logs := start(t, bin, api, env)
	first := api.invoke(t, "inv-1", `{"mode":"run"}`)
	if first.error {
		t.Fatalf("first invocation failed: %s\n%s", first.body, logs)
	}
	var res struct {
		Folded, Partitions int
		Published          bool
	}
	if err := json.Unmarshal(first.body, &res); err != nil || !res.Published || res.Folded != len(early) {
		t.Fatalf("first invocation: %s (%v); %d files delivered\n%s", first.body, err, len(early), logs)
	}
	summary := object(t, srv.Client, state, "tailor/out/summary.json")
	if !strings.Contains(summary, fmt.Sprintf(`"files": %d`, len(early))) {
		t.Errorf("summary after the first run:\n%s", summary)
	}
	for _, k := range []string{"tailor/out/denied.json", "tailor/out/changes.json", "tailor/out/policies/111122223333/checkout-api.json",
		"tailor/out/policies/111122223333/checkout-api.tf", "tailor/state/checkpoint.json"} {
		object(t, srv.Client, state, k)
	}
	for _, k := range late {
		if err := srv.Put(t.Context(), trail, k, upload[k]); err != nil {
			t.Fatal(err)
		}
	}
	// A scheduler's own event carries no mode: it is a run too.
	second := api.invoke(t, "inv-2", `{"version":"0","detail-type":"Scheduled Event","source":"aws.scheduler"}`)
	if second.error {
		t.Fatalf("second invocation failed: %s\n%s", second.body, logs)
	}
	if err := json.Unmarshal(second.body, &res); err != nil || !res.Published || res.Folded != len(late) {
		t.Fatalf("second invocation: %s (%v); %d late files\n%s", second.body, err, len(late), logs)
	}
	summary = object(t, srv.Client, state, "tailor/out/summary.json")
	if !strings.Contains(summary, fmt.Sprintf(`"files": %d`, len(early)+len(late))) {
		t.Errorf("summary after the late files:\n%s", summary)
	}
	// A third with nothing new publishes nothing and changes no state.
	before := object(t, srv.Client, state, "tailor/state/checkpoint.json")
	third := api.invoke(t, "inv-3", `{}`)
	if third.error || object(t, srv.Client, state, "tailor/state/checkpoint.json") != before {
		t.Errorf("a run with nothing new: %s", third.body)
	}
	bad := api.invoke(t, "inv-4", `{"mode":"sideways"}`)
	if !bad.error || !strings.Contains(string(bad.body), "sideways") {
		t.Errorf("an unknown mode: %s", bad.body)
	}
	// Every request the function made is one its execution role, as the
	// templates write it, allows: replayed through tailor's evaluator.
	role := deploy.ExecutionPolicy(deploy.Params{Partition: "aws", Region: srv.Region, TrailBucket: trail, TrailPrefix: "AWSLogs/",
		StateBucket: state, StatePrefix: "tailor/state/", OutputPrefix: "tailor/out/",
		LogGroupARN: "arn:aws:logs:" + srv.Region + ":111122223333:log-group:/tailor/tailor/function:*"})
	seen := map[string]int{}
	for _, req := range rec.requests(t) {
		seen[req.Action]++
		if d := role.Evaluate(req); !d.Allowed() {
			t.Errorf("the execution role denies %s on %s %v: %s", req.Action, req.Resource, req.Context, d.Reason)
		}
	}
	for _, a := range []string{"s3:ListBucket", "s3:GetObject", "s3:PutObject"} {
		if seen[a] == 0 {
			t.Errorf("the function made no %s request: %v", a, seen)
		}
	}
	t.Logf("requests replayed against the execution role: %v", seen)
	// The logs are JSON lines, one per step, with counts.
	steps := 0
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Errorf("a log line that is not JSON: %q", line)
			continue
		}
		if l["msg"] == "folded" || l["msg"] == "outputs written" {
			steps++
		}
	}
	if steps < 3 {
		t.Errorf("%d step lines in the logs:\n%s", steps, logs)
	}
}

// TestBadConfiguration: a wrong setting stops the function at start, before
// any S3 call, with an init error naming the variable.
func TestBadConfiguration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the function")
	}
	bin := buildBootstrap(t)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TAILOR_STATE_BUCKET": "s"}, "TAILOR_TRAIL_BUCKET"},
		{map[string]string{"TAILOR_TRAIL_BUCKET": "t", "TAILOR_STATE_BUCKET": "s", "TAILOR_LOOKBACK_DAYS": "week"}, "TAILOR_LOOKBACK_DAYS"},
		{map[string]string{"TAILOR_TRAIL_BUCKET": "t", "TAILOR_STATE_BUCKET": "s", "TAILOR_MAX_SIZE": "huge"}, "TAILOR_MAX_SIZE"},
		{map[string]string{"TAILOR_TRAIL_BUCKET": "t", "TAILOR_STATE_BUCKET": "s", "TAILOR_FORMATS": "json,xml"}, "TAILOR_FORMATS"},
	} {
		api := newRuntimeAPI(t)
		// No S3 endpoint that answers: a call would hang or fail otherwise.
		tc.env["TAILOR_S3_ENDPOINT"] = "http://127.0.0.1:9"
		cmd, logs := start(t, bin, api, tc.env)
		select {
		case body := <-api.initEr:
			if !strings.Contains(body, tc.want) {
				t.Errorf("init error %s, want one naming %s", body, tc.want)
			}
		case <-time.After(time.Minute):
			t.Fatalf("no init error for %s\n%s", tc.want, logs)
		}
		if err := cmd.Wait(); err == nil {
			t.Errorf("%s: the process exited 0", tc.want)
		}
	}
}

// TestModes: the handler answers every mode the templates invoke it with.
func TestModes(t *testing.T) {
	h := &handler{cfg: nil}
	for _, m := range deploy.HandlerModes {
		if !slices.Contains([]string{"run", "map", "reduce"}, m) {
			t.Errorf("the templates invoke mode %q, which the handler does not know", m)
		}
	}
	if _, err := h.handle(context.Background(), json.RawMessage(`{"mode":"nope"}`)); err == nil {
		t.Error("an unknown mode is accepted")
	}
}

// TestEnvironment: every variable the templates set is read, with the
// templates' default.
func TestEnvironment(t *testing.T) {
	env := map[string]string{"TAILOR_TRAIL_BUCKET": "t", "TAILOR_STATE_BUCKET": "s"}
	cfg, _, err := configFrom(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TrailPrefix != "AWSLogs/" || cfg.LookbackDays != 7 || cfg.LateDays != 2 || cfg.StatePrefix != "tailor/state/" ||
		cfg.OutputPrefix != "tailor/out/" || !slices.Equal(cfg.Formats, []string{"json"}) || cfg.Inline || cfg.Principals != nil {
		t.Errorf("defaults: %+v", cfg)
	}
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range deploy.Environment {
		if e.Name != "LOG_LEVEL" && !strings.Contains(string(src), `"`+e.Name+`"`) {
			t.Errorf("%s is set by the templates but never read", e.Name)
		}
	}
}

func object(t *testing.T, client *s3.Client, bucket, key string) string {
	t.Helper()
	out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, _ := io.ReadAll(out.Body)
	return string(b)
}

// recorder is a reverse proxy in front of the S3 server that notes every
// request the function makes.
type recorder struct {
	url string
	mu  sync.Mutex
	log []*http.Request
}

func recordS3(t *testing.T, target string) *recorder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.log = append(r.log, req.Clone(context.Background()))
		r.mu.Unlock()
		proxy.ServeHTTP(w, req)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	r.url = "http://" + ln.Addr().String()
	return r
}

// requests are the IAM requests the noted S3 calls are (path-style).
func (r *recorder) requests(t *testing.T) []policy.Request {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []policy.Request
	for _, req := range r.log {
		bucket, key, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
		q := req.URL.Query()
		switch {
		case key == "" && req.Method == http.MethodGet && q.Has("list-type"):
			out = append(out, policy.Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::" + bucket,
				Context: map[string][]string{"s3:prefix": {q.Get("prefix")}}})
		case key != "" && (req.Method == http.MethodGet || req.Method == http.MethodHead):
			out = append(out, policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::" + bucket + "/" + key})
		case key != "" && req.Method == http.MethodPut:
			out = append(out, policy.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::" + bucket + "/" + key})
		default:
			t.Errorf("an S3 request the test cannot name as an IAM action: %s %s", req.Method, req.URL)
		}
	}
	return out
}

// TestCrossBuild: the function builds for the other architecture the
// templates offer, without cgo, as deploy/README.md says to build it.
func TestCrossBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the function")
	}
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", filepath.Join(t.TempDir(), "bootstrap"), "./cmd/tailor-lambda")
	cmd.Dir = testenv.ModuleRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build for linux/arm64: %v\n%s", err, b)
	}
}
