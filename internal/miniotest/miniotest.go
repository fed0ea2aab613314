// Package miniotest runs a MinIO server on 127.0.0.1 for tests that need a
// real S3 API.
//
// MinIO is AGPL: it runs only as an external binary, built into a cache
// outside the repository by scripts/minio.sh, and is never imported.
//
// A package's TestMain calls Main; each test that needs S3 calls Get. The
// server starts at the first Get, so tests that do not need it pay nothing,
// and Main stops it when the tests end. Without the binary, Get skips the
// test and says how to build it; under CI (CI=true) it fails instead.
package miniotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Server is a running MinIO.
type Server struct {
	URL       string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Region    string
	Client    *s3.Client // path-style, static credentials

	cmd  *exec.Cmd
	dir  string
	logs *syncBuffer
	done chan struct{} // closed when the process exits
}

var (
	once    sync.Once
	current *Server
	errNone error // why there is no server
	skipped atomic.Bool
)

// Main runs the tests and stops the server if one was started. Use it as
// os.Exit(miniotest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if current != nil {
		current.stop()
	}
	if skipped.Load() {
		// go test hides t.Skip messages without -v; say it once more.
		fmt.Fprintf(os.Stderr, "miniotest: S3 tests skipped: %v\n", errNone)
	}
	return code
}

// Get returns the shared server, starting it on first use. It skips t when
// the MinIO binary is missing, and fails t when it is missing under CI or
// the server does not start.
func Get(t testing.TB) *Server {
	t.Helper()
	once.Do(func() { current, errNone = start() })
	if current != nil {
		return current
	}
	var missing *missingError
	if errors.As(errNone, &missing) && os.Getenv("CI") != "true" {
		skipped.Store(true)
		t.Skip(errNone)
	}
	t.Fatal(errNone)
	return nil
}

type missingError struct{ path string }

func (e *missingError) Error() string {
	return fmt.Sprintf("MinIO binary not found at %s: S3 tests need it; build it with `bash scripts/minio.sh` (or set TAILOR_MINIO)", e.path)
}

// Binary returns where the MinIO binary is looked for: $TAILOR_MINIO, else
// $HOME/.cache/tailor/minio-bin/minio.
func Binary() string {
	if p := os.Getenv("TAILOR_MINIO"); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".cache", "tailor", "minio-bin", "minio")
	}
	return filepath.Join(home, ".cache", "tailor", "minio-bin", "minio")
}

func start() (*Server, error) {
	bin := Binary()
	if _, err := os.Stat(bin); err != nil {
		return nil, &missingError{bin}
	}
	// A free port can be taken between our probe and MinIO's bind; try again.
	var err error
	for range 3 {
		var s *Server
		if s, err = startOnce(bin); err == nil {
			return s, nil
		}
	}
	return nil, err
}

func startOnce(bin string) (*Server, error) {
	api, err := freeAddr()
	if err != nil {
		return nil, err
	}
	console, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tailor-minio-")
	if err != nil {
		return nil, fmt.Errorf("minio data dir: %w", err)
	}
	s := &Server{
		URL:       "http://" + api,
		AccessKey: "tailortest",
		SecretKey: "tailortest-secret",
		Region:    "us-east-1",
		dir:       dir,
		logs:      &syncBuffer{},
		done:      make(chan struct{}),
	}
	s.cmd = exec.Command(bin, "server", filepath.Join(dir, "data"),
		"--address", api, "--console-address", console,
		"--certs-dir", filepath.Join(dir, "certs"), "--quiet")
	s.cmd.Env = append(environ(),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_REGION="+s.Region,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	setParentDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(30 * time.Second); err != nil {
		s.stop()
		return nil, fmt.Errorf("minio on %s: %w\n%s", api, err, s.logs.String())
	}
	s.Client = s3.New(s3.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	})
	return s, nil
}

// environ is the parent's environment without MINIO_ settings, which would
// change how the server behaves.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MINIO_") {
			env = append(env, kv)
		}
	}
	return env
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (s *Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		// ready, not live: a live server may still answer S3 calls with
		// XMinioServerNotInitialized for a while.
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/minio/health/ready", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("exited: %v", s.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s", limit)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
		<-s.done
	}
	os.RemoveAll(s.dir)
}

// CreateBucket makes a bucket.
// A server still initializing is given a few seconds more.
func (s *Server) CreateBucket(ctx context.Context, name string) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := s.Client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
		if err == nil {
			return nil
		}
		if !strings.Contains(err.Error(), "XMinioServerNotInitialized") || time.Now().After(deadline) {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("create bucket %s: %w", name, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Put writes an object.
func (s *Server) Put(ctx context.Context, bucket, key string, body []byte) error {
	_, err := s.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
	})
	if err != nil {
		return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

var unsafeBucketChars = regexp.MustCompile(`[^a-z0-9-]+`)

// Bucket creates a bucket of its own for t, named after the test, and
// fails t if it cannot.
func (s *Server) Bucket(t testing.TB) string {
	t.Helper()
	name := strings.Trim(unsafeBucketChars.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	name = fmt.Sprintf("t%d-%s", time.Now().UnixNano()%1e9, name)
	if len(name) > 63 {
		name = strings.TrimRight(name[:63], "-")
	}
	if err := s.CreateBucket(t.Context(), name); err != nil {
		t.Fatal(err)
	}
	return name
}

// syncBuffer collects the server's output for error messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
