package ingest_test

// Integration tests of the S3 source against a real MinIO on 127.0.0.1
// (internal/miniotest). Without the binary they skip; build it with
// `bash scripts/minio.sh`.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/tailor-iam/tailor/ingest"
	"github.com/tailor-iam/tailor/internal/miniotest"
	"github.com/tailor-iam/tailor/trail"
)

func TestMain(m *testing.M) { os.Exit(miniotest.Main(m)) }

// recorder wraps a client to record listings and fail chosen GETs.
type recorder struct {
	ingest.S3API
	mu      sync.Mutex
	lists   []listCall
	failGet map[string]bool
}

type listCall struct{ prefix, delimiter string }

func (r *recorder) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	r.mu.Lock()
	r.lists = append(r.lists, listCall{aws.ToString(in.Prefix), aws.ToString(in.Delimiter)})
	r.mu.Unlock()
	return r.S3API.ListObjectsV2(ctx, in, opts...)
}

func (r *recorder) GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	if r.failGet[aws.ToString(in.Key)] {
		return nil, errors.New("injected failure")
	}
	return r.S3API.GetObject(ctx, in, opts...)
}

// trailFile is a gzip'd delivery file of n records at t.
func trailFile(t testing.TB, n int, at time.Time) []byte {
	t.Helper()
	recs := make([]map[string]any, n)
	for i := range recs {
		recs[i] = map[string]any{
			"eventVersion": "1.09",
			"eventTime":    at.UTC().Format(time.RFC3339),
			"eventSource":  "s3.amazonaws.com",
			"eventName":    "GetObject",
			"eventType":    "AwsApiCall",
			"eventID":      fmt.Sprintf("id-%d", i),
			"awsRegion":    "us-east-1",
			"userIdentity": map[string]any{"type": "IAMUser", "arn": "arn:aws:iam::111111111111:user/alice"},
		}
	}
	doc, err := json.Marshal(map[string]any{"Records": recs})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(doc)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// putAll uploads objects with a bounded number of requests in flight.
func putAll(t testing.TB, srv *miniotest.Server, bucket string, objs map[string][]byte) {
	t.Helper()
	g, ctx := errgroup.WithContext(t.Context())
	g.SetLimit(32)
	for k, v := range objs {
		g.Go(func() error { return srv.Put(ctx, bucket, k, v) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func listNames(t testing.TB, src ingest.Source) []string {
	t.Helper()
	var names []string
	err := src.List(t.Context(), func(o ingest.Object) error {
		names = append(names, o.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

type counter struct{ n int }

func (c *counter) Record(*trail.Record) { c.n++ }

func run(t testing.TB, src ingest.Source, opts ingest.Options) (int, *ingest.Report, error) {
	t.Helper()
	hs, rep, err := ingest.Run(t.Context(), []ingest.Source{src}, opts, func() ingest.Handler { return &counter{} })
	n := 0
	for _, h := range hs {
		n += h.(*counter).n
	}
	return n, rep, err
}

func TestS3LayoutPruning(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	accounts := map[string]string{ // account -> its folder
		"111111111111": "AWSLogs/111111111111/",
		"222222222222": "AWSLogs/o-abc1234567/222222222222/",
		"333333333333": "AWSLogs/o-abc1234567/333333333333/",
	}
	regions := []string{"us-east-1", "eu-west-1", "ap-south-1"}
	first := time.Date(2024, 2, 25, 0, 0, 0, 0, time.UTC)
	objs := map[string][]byte{"AWSLogs/readme.txt": []byte("not a log")}
	for acct, dir := range accounts {
		for _, r := range regions {
			for d := range 15 {
				day := first.AddDate(0, 0, d)
				path := day.Format("2006/01/02/")
				name := fmt.Sprintf("%s_CloudTrail_%s_%s.json.gz", acct, r, day.Format("20060102T1504Z"))
				objs[dir+"CloudTrail/"+r+"/"+path+name] = trailFile(t, 2, day)
				objs[dir+"CloudTrail-Digest/"+r+"/"+path+"digest.json.gz"] = trailFile(t, 1, day)
			}
		}
	}
	putAll(t, srv, bucket, objs)

	f := ingest.Filter{
		Since:    time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC),
		Until:    time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC),
		Accounts: []string{"111111111111", "222222222222"},
		Regions:  []string{"us-east-1", "eu-west-1"},
	}
	var want []string // one day wider on each side: 2024-03-02 to 2024-03-06
	for k := range objs {
		if !strings.Contains(k, "/CloudTrail/") || strings.Contains(k, "333333333333") || strings.Contains(k, "ap-south-1") {
			continue
		}
		if day := k[strings.Index(k, "/2024/")+1:][:10]; day >= "2024/03/02" && day <= "2024/03/06" {
			want = append(want, "s3://"+bucket+"/"+k)
		}
	}
	slices.Sort(want)
	if len(want) != 2*2*5 {
		t.Fatalf("test setup: %d keys in range, want 20", len(want))
	}

	for _, prefix := range []string{"", "AWSLogs/", "AWSLogs/o-abc1234567/", "AWSLogs/111111111111/"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			rec := &recorder{S3API: srv.Client}
			src, err := ingest.NewS3(rec, "s3://"+bucket+"/"+prefix, f)
			if err != nil {
				t.Fatal(err)
			}
			wantHere := slices.DeleteFunc(slices.Clone(want), func(n string) bool {
				return !strings.HasPrefix(n, "s3://"+bucket+"/"+prefix)
			})
			if got := listNames(t, src); !slices.Equal(got, wantHere) {
				t.Errorf("listed %d keys:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(wantHere), strings.Join(wantHere, "\n"))
			}
			// Every request must lead only to wanted keys: no out-of-range
			// day, filtered account or region, or digest folder is listed.
			for _, c := range rec.lists {
				if !slices.ContainsFunc(want, func(n string) bool { return strings.HasPrefix(n, "s3://"+bucket+"/"+c.prefix) }) {
					t.Errorf("listed prefix %q (delimiter %q), which holds no wanted key", c.prefix, c.delimiter)
				}
			}
		})
	}

	t.Run("run", func(t *testing.T) {
		src, err := ingest.NewS3(srv.Client, "s3://"+bucket+"/", f)
		if err != nil {
			t.Fatal(err)
		}
		n, rep, err := run(t, src, ingest.Options{Workers: 4})
		if err != nil {
			t.Fatal(err)
		}
		if n != 40 || rep.Files != 20 || rep.Listed != 20 || len(rep.Failed) != 0 {
			t.Errorf("records %d, report %+v; want 40 records from 20 files", n, rep)
		}
	})

	t.Run("no filter reads everything", func(t *testing.T) {
		src, err := ingest.NewS3(srv.Client, "s3://"+bucket+"/AWSLogs/", ingest.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(listNames(t, src)); got != 3*3*15 {
			t.Errorf("listed %d keys, want %d (digests and readme left out)", got, 3*3*15)
		}
	})
}

func TestS3Pagination(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	const files, perFile = 1050, 3
	dir := "AWSLogs/444444444444/CloudTrail/us-east-1/2024/05/01/"
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	body := trailFile(t, perFile, at)
	objs := map[string][]byte{}
	for i := range files {
		objs[fmt.Sprintf("%s444444444444_CloudTrail_us-east-1_20240501T1200Z_%04d.json.gz", dir, i)] = body
	}
	putAll(t, srv, bucket, objs)

	rec := &recorder{S3API: srv.Client}
	src, err := ingest.NewS3(rec, "s3://"+bucket+"/", ingest.Filter{Since: at, Until: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	n, rep, err := run(t, src, ingest.Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if n != files*perFile || rep.Records != files*perFile || rep.Files != files || rep.Listed != files {
		t.Errorf("records %d, report %+v; want %d records from %d files", n, rep, files*perFile, files)
	}
	pages := 0
	for _, c := range rec.lists {
		if c.prefix == dir && c.delimiter == "" {
			pages++
		}
	}
	if pages < 2 {
		t.Errorf("listed %s in %d pages, want more than one", dir, pages)
	}
	names := listNames(t, src)
	if !slices.IsSorted(names) || len(names) != files {
		t.Errorf("listing of %d names is not the sorted key list", len(names))
	}
}

func TestS3Problems(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	good := trailFile(t, 2, time.Now())
	putAll(t, srv, bucket, map[string][]byte{
		"flat/good.json.gz":                      good,
		"flat/corrupt.json.gz":                   append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, "not deflate at all"...),
		"flat/truncated.json":                    []byte(`{"Records":[{"eventName":"GetObject","eventSource":"s3.amazonaws.com"},{"eventNa`),
		"flat/empty.json.gz":                     nil,
		"flat/CloudTrail-Digest/digest.json.gz":  good,
		"flat/notes.txt":                         []byte("hello"),
		"flat/gone.json.gz":                      good,
		"flat/sub/":                              nil, // a console folder marker
		"flat/sub/nested.json.gz":                good,
		"elsewhere/not-under-the-prefix.json.gz": good,
	})
	rec := &recorder{S3API: srv.Client, failGet: map[string]bool{"flat/gone.json.gz": true}}
	src, err := ingest.NewS3(rec, "s3://"+bucket+"/flat/", ingest.Filter{Since: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}

	n, rep, err := run(t, src, ingest.Options{Workers: 2})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The truncated file's first record was decoded before the error: 2+2+1.
	if n != 5 || rep.Files != 2 || rep.Listed != 8 {
		t.Errorf("records %d, files %d, listed %d; want 5, 2, 8", n, rep.Files, rep.Listed)
	}
	var failed []string
	for _, p := range rep.Failed {
		failed = append(failed, p.Name)
	}
	wantFailed := []string{
		"s3://" + bucket + "/flat/corrupt.json.gz",
		"s3://" + bucket + "/flat/gone.json.gz",
		"s3://" + bucket + "/flat/truncated.json",
	}
	if !slices.Equal(failed, wantFailed) {
		t.Errorf("failed = %q, want %q", failed, wantFailed)
	}
	if msg := rep.Failed[1].Err.Error(); !strings.Contains(msg, "get s3://"+bucket+"/flat/gone.json.gz") {
		t.Errorf("open error %q does not name the object", msg)
	}
	wantSkipped := map[ingest.SkipReason]int{ingest.SkipDigest: 1, ingest.SkipNotLog: 1, ingest.SkipEmpty: 1}
	for why, c := range wantSkipped {
		if rep.Skipped[why] != c {
			t.Errorf("skipped %s = %d, want %d (all: %v)", why, rep.Skipped[why], c, rep.Skipped)
		}
	}

	_, _, err = run(t, src, ingest.Options{Workers: 2, Strict: true})
	var se *ingest.StrictError
	if !errors.As(err, &se) {
		t.Fatalf("strict Run: err = %v, want *StrictError", err)
	}
	if !slices.Contains(wantFailed, se.Problem.Name) {
		t.Errorf("strict Run stopped at %q, want one of %q", se.Problem.Name, wantFailed)
	}
}

func TestS3Errors(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	if err := srv.Put(t.Context(), bucket, "AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/01/f.json.gz", trailFile(t, 1, time.Now())); err != nil {
		t.Fatal(err)
	}
	// A fresh key ID: the signer caches signing keys by key ID, so a client
	// sharing srv.Client's signer with only a wrong secret would still sign.
	denied := s3.New(srv.Client.Options(), func(o *s3.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider("nobody", "wrong-secret", "")
	})
	tests := []struct {
		name   string
		client ingest.S3API
		uri    string
		code   string // the S3 error code
	}{
		{"missing bucket", srv.Client, "s3://no-such-bucket-tailor/AWSLogs/", "NoSuchBucket"},
		{"unknown credentials", denied, "s3://" + bucket + "/", "InvalidAccessKeyId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := ingest.NewS3(tc.client, tc.uri, ingest.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = run(t, src, ingest.Options{})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tc.code {
				t.Fatalf("Run: err = %v, want S3 error %s", err, tc.code)
			}
			if name := strings.TrimSuffix(tc.uri, "AWSLogs/"); !strings.Contains(err.Error(), "list "+name) {
				t.Errorf("error %q does not name %s", err, name)
			}
		})
	}

	t.Run("missing key", func(t *testing.T) {
		src, _ := ingest.NewS3(srv.Client, "s3://"+bucket+"/", ingest.Filter{})
		_, err := src.Open(t.Context(), ingest.Object{Key: "nope.json"})
		if err == nil || !strings.Contains(err.Error(), "get s3://"+bucket+"/nope.json: ") {
			t.Errorf("Open: err = %v, want one naming the object", err)
		}
	})

	t.Run("bad uri", func(t *testing.T) {
		if _, err := ingest.NewS3(srv.Client, "https://"+bucket+"/", ingest.Filter{}); err == nil {
			t.Error("NewS3 accepted a non-s3 URI")
		}
	})
}

// OpenS3Source goes through the standard AWS configuration: a profile in a
// shared credentials file, and an endpoint override.
func TestOpenS3Source(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	key := "AWSLogs/111111111111/CloudTrail/us-east-1/2024/01/01/f.json.gz"
	if err := srv.Put(t.Context(), bucket, key, trailFile(t, 1, time.Now())); err != nil {
		t.Fatal(err)
	}

	region, err := ingest.BucketRegion(t.Context(), srv.Client, bucket)
	if err != nil || region != srv.Region {
		t.Errorf("BucketRegion = %q, %v; want %q", region, err, srv.Region)
	}
	if _, err := ingest.BucketRegion(t.Context(), srv.Client, "no-such-bucket-tailor"); err == nil || !strings.Contains(err.Error(), "no-such-bucket-tailor") {
		t.Errorf("BucketRegion of a missing bucket: err = %v, want one naming it", err)
	}

	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	profile := fmt.Sprintf("[minio]\naws_access_key_id = %s\naws_secret_access_key = %s\n", srv.AccessKey, srv.SecretKey)
	if err := os.WriteFile(creds, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_SHARED_CREDENTIALS_FILE": creds,
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_ACCESS_KEY_ID":           "",
		"AWS_SECRET_ACCESS_KEY":       "",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_ENDPOINT_URL":            "",
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
	src, err := ingest.OpenS3Source(t.Context(), "s3://"+bucket+"/AWSLogs/", ingest.S3Config{Profile: "minio", EndpointURL: srv.URL}, ingest.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := listNames(t, src), []string{"s3://" + bucket + "/" + key}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
}
