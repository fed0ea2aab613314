package ingest

// Unit tests of the S3 read path that need no server: resuming bodies
// against a scripted fake, classifying errors for retry, the read-progress
// deadline, and the client configuration. The same faults against MinIO are
// in s3_fault_test.go.

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// flakyS3 serves one object; answer decides how each GET (numbered from 1)
// goes.
type flakyS3 struct {
	S3API
	data   []byte
	etag   string
	gets   []*s3.GetObjectInput
	answer func(n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error)
}

func (f *flakyS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	f.gets = append(f.gets, in)
	return f.answer(len(f.gets), in)
}

// serve answers in as S3 would, with the body cut after cut bytes (-1: whole).
func (f *flakyS3) serve(in *s3.GetObjectInput, cut int, err error) *s3.GetObjectOutput {
	start := 0
	out := &s3.GetObjectOutput{ETag: aws.String(f.etag)}
	if r := aws.ToString(in.Range); r != "" {
		fmt.Sscanf(r, "bytes=%d-", &start)
		out.ContentRange = aws.String(fmt.Sprintf("bytes %d-%d/%d", start, len(f.data)-1, len(f.data)))
	}
	body := f.data[start:]
	out.ContentLength = aws.Int64(int64(len(body)))
	if cut >= 0 && cut < len(body) {
		out.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:cut]), errReader{err}))
	} else {
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	return out
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func testSource(t *testing.T, client S3API, attempts int) *S3 {
	t.Helper()
	s, err := NewS3(client, "s3://bucket/", Filter{})
	if err != nil {
		t.Fatal(err)
	}
	s.retry = newRetryer(S3Config{MaxAttempts: attempts, MaxBackoff: time.Millisecond}.withDefaults())
	return s
}

func TestObjectReaderResumes(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100)
	stall := &stallError{idle: time.Second, err: errors.New("i/o timeout")}
	tests := []struct {
		name    string
		answer  func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error)
		wantErr string // "" for the whole object
		gets    int
	}{
		{
			name: "cut once, resumed from the offset",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.ErrUnexpectedEOF), nil
				}
				return f.serve(in, -1, nil), nil
			},
			gets: 2,
		},
		{
			name: "EOF short of the length is a cut",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.EOF), nil
				}
				return f.serve(in, -1, nil), nil
			},
			gets: 2,
		},
		{
			name: "cut twice at different places",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n < 3 {
					return f.serve(in, 100*n, stall), nil
				}
				return f.serve(in, -1, nil), nil
			},
			gets: 3,
		},
		{
			name: "range ignored: the whole object again, the delivered part skipped",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.ErrUnexpectedEOF), nil
				}
				return f.serve(&s3.GetObjectInput{}, -1, nil), nil
			},
			gets: 2,
		},
		{
			name: "the wrong range",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.ErrUnexpectedEOF), nil
				}
				return f.serve(&s3.GetObjectInput{Range: aws.String("bytes=10-")}, -1, nil), nil
			},
			wantErr: `read s3://bucket/k: stopped at byte 300 of 1000, resuming failed: asked for bytes 300-, got Content-Range "bytes 10-999/1000"`,
			gets:    2,
		},
		{
			name: "changed between attempts",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.ErrUnexpectedEOF), nil
				}
				return nil, &smithy.GenericAPIError{Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
			},
			wantErr: "read s3://bucket/k: stopped at byte 300 of 1000, the object changed while it was read: api error PreconditionFailed",
			gets:    2,
		},
		{
			name: "cut every time",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				return f.serve(in, 100, stall), nil
			},
			wantErr: "read s3://bucket/k: stopped at byte 300 of 1000, 3 attempts failed: stalled: no data for 1s",
			gets:    3,
		},
		{
			name: "resumption refused after the client's retries",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				if n == 1 {
					return f.serve(in, 300, io.ErrUnexpectedEOF), nil
				}
				return nil, errors.New("exceeded maximum number of attempts")
			},
			wantErr: "read s3://bucket/k: stopped at byte 300 of 1000, resuming failed: exceeded maximum number of attempts",
			gets:    2,
		},
		{
			name: "no ETag, no stitching",
			answer: func(f *flakyS3, n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
				out := f.serve(in, 300, io.ErrUnexpectedEOF)
				out.ETag = nil
				return out, nil
			},
			wantErr: "read s3://bucket/k: stopped at byte 300 of 1000, cannot resume without an ETag: unexpected EOF",
			gets:    1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &flakyS3{data: data, etag: `"abc"`}
			f.answer = func(n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) { return tc.answer(f, n, in) }
			s := testSource(t, f, 3)
			rc, err := s.Open(t.Context(), Object{Key: "k"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if tc.wantErr == "" {
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("read %d bytes, err %v; want all %d", len(got), err, len(data))
				}
			} else {
				var re *S3ReadError
				if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want an *S3ReadError starting %q", err, tc.wantErr)
				}
				if !bytes.Equal(got, data[:len(got)]) {
					t.Errorf("delivered bytes that are not the object's")
				}
			}
			if len(f.gets) != tc.gets {
				t.Errorf("%d GETs, want %d", len(f.gets), tc.gets)
			}
			for _, in := range f.gets[1:] {
				if aws.ToString(in.IfMatch) != `"abc"` || !strings.HasPrefix(aws.ToString(in.Range), "bytes=") {
					t.Errorf("resumed with Range %q If-Match %q", aws.ToString(in.Range), aws.ToString(in.IfMatch))
				}
			}
		})
	}
}

// A cancel during the wait before a resumption ends the read at once.
func TestObjectReaderCancel(t *testing.T) {
	f := &flakyS3{data: make([]byte, 1000), etag: `"e"`}
	f.answer = func(n int, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
		return f.serve(in, 10, io.ErrUnexpectedEOF), nil
	}
	s := testSource(t, f, 3)
	s.retry = retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Hour, nil })
	})
	ctx, cancel := context.WithCancel(t.Context())
	rc, err := s.Open(ctx, Object{Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = io.ReadAll(rc)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned %s after the start, want soon after the cancel", d)
	}
}

func TestRetryCutBody(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want aws.Ternary
	}{
		{"listing cut with a Content-Length", &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", io.ErrUnexpectedEOF)}, aws.TrueTernary},
		{"listing cut without one", &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", &xml.SyntaxError{Msg: "unexpected EOF", Line: 3})}, aws.TrueTernary},
		{"malformed XML", &smithy.DeserializationError{Err: &xml.SyntaxError{Msg: "unexpected end element </Key>", Line: 3}}, aws.UnknownTernary},
		{"an API error", &smithy.GenericAPIError{Code: "NoSuchBucket"}, aws.UnknownTernary},
		{"EOF elsewhere", io.ErrUnexpectedEOF, aws.UnknownTernary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryCutBody(tc.err); got != tc.want {
				t.Errorf("retryCutBody = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRangeStart(t *testing.T) {
	tests := []struct {
		in    string
		start int64
		ok    bool
	}{
		{"bytes 100-199/200", 100, true},
		{"bytes 0-0/1", 0, true},
		{"bytes 5-9/*", 5, true},
		{"bytes */200", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		if start, ok := rangeStart(tc.in); start != tc.start || ok != tc.ok {
			t.Errorf("rangeStart(%q) = %d, %v; want %d, %v", tc.in, start, ok, tc.start, tc.ok)
		}
	}
}

// The read-progress deadline: a silent peer fails a read after idle, and a
// peer that keeps sending does not, however long it takes.
func TestIdleConn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	peer := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			peer <- c
		}
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	const idle = 400 * time.Millisecond
	c := &idleConn{Conn: raw, idle: idle}
	defer c.Close()
	srv := <-peer
	defer srv.Close()

	// A trickle that takes longer in all than idle, but is never silent
	// for idle.
	const trickle = 10
	go func() {
		for range trickle {
			time.Sleep(idle / 4)
			srv.Write([]byte("x"))
		}
	}()
	buf := make([]byte, 1)
	for i := range trickle {
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("read %d of a trickle: %v", i, err)
		}
	}
	start := time.Now()
	_, err = c.Read(buf)
	var se *stallError
	if !errors.As(err, &se) {
		t.Fatalf("read from a silent peer: err = %v, want a stall", err)
	}
	var timeout interface{ Timeout() bool }
	if !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Errorf("a stall is not a timeout to the SDK's retryer: %v", err)
	}
	if d := time.Since(start); d < idle || d > 5*idle {
		t.Errorf("stalled read failed after %s, want about %s", d, idle)
	}
}

func TestNewS3ClientConfig(t *testing.T) {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "id",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_REGION":                  "eu-west-1",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_MAX_ATTEMPTS":            "",
	} {
		t.Setenv(k, v)
	}
	tests := []struct {
		name    string
		env     string // AWS_MAX_ATTEMPTS
		c       S3Config
		retries int
	}{
		{"defaults", "", S3Config{}, DefaultS3MaxAttempts},
		{"AWS_MAX_ATTEMPTS stands in for a zero MaxAttempts", "7", S3Config{}, 7},
		{"MaxAttempts wins over AWS_MAX_ATTEMPTS", "7", S3Config{MaxAttempts: 2}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_MAX_ATTEMPTS", tc.env)
			client, err := NewS3Client(t.Context(), tc.c)
			if err != nil {
				t.Fatal(err)
			}
			o := client.Options()
			if got := o.Retryer.MaxAttempts(); got != tc.retries {
				t.Errorf("MaxAttempts = %d, want %d", got, tc.retries)
			}
			if _, ok := o.Logger.(logging.Nop); !ok || o.ClientLogMode != 0 {
				t.Errorf("logger %T, log mode %v: the SDK could write to stderr", o.Logger, o.ClientLogMode)
			}
		})
	}
}
