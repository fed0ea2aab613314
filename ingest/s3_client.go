package ingest

// The S3 client as tailor configures it for reading trails over networks
// that stall, reset and cut: a bound on every wait, retries that do not
// starve each other, and an SDK that never writes to the user's stderr.

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// Defaults for the S3Config fields left zero.
const (
	DefaultS3RequestTimeout = 10 * time.Second
	DefaultS3IdleTimeout    = 30 * time.Second
	DefaultS3MaxAttempts    = 5
	DefaultS3MaxBackoff     = 20 * time.Second
)

// S3Config is the standard AWS configuration a user can override, as in the
// AWS CLI, and how long tailor waits on S3. Zero fields take the defaults
// above.
type S3Config struct {
	Profile     string // shared config profile; "" for the default chain
	Region      string // client region; "" for the configured one
	EndpointURL string // an S3-compatible server; path-style addressing

	// RequestTimeout bounds each attempt's wait for a connection and then
	// for the response headers.
	RequestTimeout time.Duration
	// IdleTimeout aborts an attempt when no byte arrives for this long,
	// before the headers or in the middle of a body: a stalled connection
	// is retried, never waited on.
	IdleTimeout time.Duration
	// MaxAttempts is how often a request is tried, and how many attempts
	// at an object's body may fail (each resumed where the last stopped),
	// before the listing or the object is reported as failed.
	MaxAttempts int
	// MaxBackoff caps the jittered exponential wait between attempts.
	MaxBackoff time.Duration
}

func (c S3Config) withDefaults() S3Config {
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = DefaultS3RequestTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultS3IdleTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultS3MaxAttempts
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultS3MaxBackoff
	}
	return c
}

// NewS3Client builds a client from the default credential chain and shared
// config, with c's timeouts and retries. An error that outlasts the retries
// surfaces from List or Open.
func NewS3Client(ctx context.Context, c S3Config) (*s3.Client, error) {
	// stderr carries the user's summary: the SDK must not write to it (it
	// would print "WARN failed to discard..." for every cut listing).
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		// Requests must be signed for some region; the bucket's own region
		// is found later when it differs.
		cfg.Region = "us-east-1"
	}
	// max_attempts from the shared config or AWS_MAX_ATTEMPTS stands in for
	// a MaxAttempts left zero, as in the AWS CLI; it is folded in here so
	// that the SDK does not wrap the retryer built below.
	if c.MaxAttempts == 0 {
		c.MaxAttempts = cfg.RetryMaxAttempts
	}
	cfg.RetryMaxAttempts = 0
	c = c.withDefaults()
	// Keep what the shared config put in the client (a CA bundle).
	httpClient, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		httpClient = awshttp.NewBuildableClient()
	}
	httpClient = httpClient.
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = c.RequestTimeout }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = c.RequestTimeout
			tr.ResponseHeaderTimeout = c.RequestTimeout
			dial := tr.DialContext
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				conn, err := dial(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return &idleConn{Conn: conn, idle: c.IdleTimeout}, nil
			}
		})
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.Logger = logging.Nop{}
		o.ClientLogMode = 0
		o.DisableLogOutputChecksumValidationSkipped = true
		o.HTTPClient = httpClient
		o.Retryer = newRetryer(c)
		if c.EndpointURL != "" {
			o.BaseEndpoint = aws.String(c.EndpointURL)
			o.UsePathStyle = true
		}
	}), nil
}

// newRetryer is the SDK's standard retryer with c's attempts and backoff,
// two changes made for reading a trail:
//   - No client-side retry quota. It is one token bucket for the whole
//     client, so a burst of 503s across the workers empties it and every
//     object after that fails on its first error, retried or not.
//   - A response whose body was cut short is retried: a listing page that
//     ends mid-XML is a network fault, not an answer.
func newRetryer(c S3Config) *retry.Standard {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = c.MaxAttempts
		o.MaxBackoff = c.MaxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append(o.Retryables, retry.IsErrorRetryableFunc(retryCutBody))
	})
}

func retryCutBody(err error) aws.Ternary {
	var de *smithy.DeserializationError
	if !errors.As(err, &de) {
		return aws.UnknownTernary
	}
	var se *xml.SyntaxError
	if errors.Is(de, io.ErrUnexpectedEOF) || errors.As(de, &se) && se.Msg == "unexpected EOF" {
		return aws.TrueTernary
	}
	return aws.UnknownTernary
}

// idleConn fails a read when no byte arrives for idle: the read-progress
// deadline. The clock restarts on each read and on each write, so a request
// that takes long to send is not a stall, and a connection idle in the pool
// dies after idle, which the transport handles by dialing again. (The SDK's
// own read timeout, BuildableClient.WithReadTimeout, restarts only on reads;
// S3 is exempt from it for that reason.)
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	n, err := c.Conn.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = &stallError{idle: c.idle, err: err}
	}
	return n, err
}

func (c *idleConn) Write(p []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	return c.Conn.Write(p)
}

// stallError is a read that waited IdleTimeout for a byte. It is a timeout,
// which the SDK retries.
type stallError struct {
	idle time.Duration
	err  error
}

func (e *stallError) Error() string   { return fmt.Sprintf("stalled: no data for %s", e.idle) }
func (e *stallError) Unwrap() error   { return e.err }
func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

// BucketRegion asks S3 where bucket lives. S3 names the region in the
// x-amz-bucket-region header even when it refuses the request (a 301 from
// the wrong region, or a 403), so this works without s3:ListBucket. A
// missing bucket is an error, whatever the headers say.
func BucketRegion(ctx context.Context, client s3.HeadBucketAPIClient, bucket string) (string, error) {
	out, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil && aws.ToString(out.BucketRegion) != "" {
		return aws.ToString(out.BucketRegion), nil
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() != http.StatusNotFound {
		if r := re.Response.Header.Get("X-Amz-Bucket-Region"); r != "" {
			return r, nil
		}
	}
	if err == nil {
		err = errors.New("no x-amz-bucket-region in the response")
	}
	return "", fmt.Errorf("find region of bucket %s: %w", bucket, err)
}
