package main

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog/cache"
	"github.com/tailor-iam/tailor/fixtures"
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
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	t.Setenv("AWS_REGION", srv.Region)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
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
