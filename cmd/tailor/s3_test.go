package main

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog/cache"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/fixtures/envelopes"
	"github.com/tailor-iam/tailor/fixtures/parquetforms"
	"github.com/tailor-iam/tailor/internal/miniotest"
)

// TestMain points the catalog cache at an empty directory, so every test
// uses the embedded catalog whatever the machine has cached, and starts
// MinIO for the S3 tests.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tailor-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv(cache.DirEnv, dir)
	code := miniotest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestSuggestFromS3 uploads the demo trail to a real S3 server and checks
// that suggest over s3:// gives byte for byte what it gives locally.
func TestSuggestFromS3(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	ctx := context.Background()
	demo := fixtures.Demo()
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(demo, p)
		if err != nil {
			return err
		}
		return srv.Put(ctx, bucket, "trails/"+p, body)
	})
	if err != nil {
		t.Fatal(err)
	}
	useServer(t, srv)
	s3 := []string{"--source", "s3://" + bucket + "/trails/AWSLogs/", "--endpoint-url", srv.URL}
	tests := []struct {
		name   string
		args   []string
		golden string
		files  string
	}{
		{"whole trail", []string{"suggest", "--role", "checkout-api"}, "suggest-checkout-api.json", "files: 179 read"},
		{"one day", []string{"suggest", "--role", "checkout-api", "--since", "2026-11-02", "--until", "2026-11-03"}, "suggest-checkout-api-nov02.json", ""},
		{"staging only", []string{"suggest", "--role", "deployer", "--account", "444455556666"}, "suggest-deployer-staging.json", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, append(tc.args, s3...)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			golden(t, tc.golden, stdout)
			if tc.files != "" && !strings.Contains(stderr, tc.files) {
				t.Errorf("stderr lacks %q:\n%s", tc.files, stderr)
			}
		})
	}
}

// TestByContentFromS3: under an S3 prefix, objects whose names say nothing
// are read by what they hold: an Athena UNLOAD's Parquet files, a
// CloudWatch Logs export task's 000000.gz, Firehose's objects; the UNLOAD
// manifest beside them is skipped as not-log. Each gives what the demo
// trail's delivery files give.
func TestByContentFromS3(t *testing.T) {
	srv := miniotest.Get(t)
	bucket := srv.Bucket(t)
	ctx := context.Background()
	dir := t.TempDir()
	tables, err := parquetforms.WriteDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	envs, err := envelopes.WriteDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]string{
		"unload/20261101_093000_00012_abcde_5f1d9c1e-4a7b-4c2e-9f00-0a1b2c3d4e5f": tables[parquetforms.Athena],
		"exportedlogs/0f1e2d3c/cloudtrail-stream/000000.gz":                       envs[envelopes.CloudWatchExport],
		"firehose/2026/11/01/00/trail-stream-1-2026-11-01-00-00-00-6a0e":          envs[envelopes.FirehoseEventBridge],
	}
	for key, file := range objects {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Put(ctx, bucket, key, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Put(ctx, bucket, "unload/20261101_093000_00012_abcde-manifest.csv", []byte("s3://x/unload/20261101_093000_00012_abcde_5f1d9c1e\n")); err != nil {
		t.Fatal(err)
	}
	if err := srv.Put(ctx, bucket, "unload/manifest", []byte("s3://x/unload/20261101_093000_00012_abcde_5f1d9c1e\n")); err != nil {
		t.Fatal(err)
	}
	useServer(t, srv)
	want, _, code := run(t, "suggest", "--role", "checkout-api")
	if code != 0 {
		t.Fatal("suggest on the demo trail failed")
	}
	for _, prefix := range []string{"unload/", "exportedlogs/", "firehose/"} {
		t.Run(prefix, func(t *testing.T) {
			got, stderr, code := run(t, "suggest", "--role", "checkout-api", "--source", "s3://"+bucket+"/"+prefix, "--endpoint-url", srv.URL, "--strict")
			if code != 0 || got != want {
				t.Fatalf("exit %d, same policy as the demo's %v\n%s", code, got == want, stderr)
			}
			if prefix == "unload/" && !strings.Contains(stderr, "not-log 2") {
				t.Errorf("the manifests are not counted as skipped not-log:\n%s", stderr)
			}
		})
	}
}

// useServer points the AWS SDK at srv's credentials and region for the
// test, and away from the machine's own configuration.
func useServer(t *testing.T, srv *miniotest.Server) {
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	t.Setenv("AWS_REGION", srv.Region)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
}
