package ingest

// The CloudTrail client as a Lookup reads with it: the standard AWS
// configuration, a pace per region that keeps within LookupEvents' limit,
// retries with jittered backoff on throttling, and errors that say what to
// do about them.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// Defaults for the LookupConfig fields left zero.
const (
	// Throttling is what LookupEvents answers most often: the limit is
	// shared with every other caller in the account and region (the
	// console's event history among them), so a request is tried more
	// often than an S3 one.
	DefaultLookupMaxAttempts    = 8
	DefaultLookupMaxBackoff     = 20 * time.Second
	DefaultLookupRequestTimeout = 30 * time.Second
)

// LookupInterval is how long a region's next request waits after the
// answer to the one before, retries included. LookupEvents allows 2
// requests per second per account and region, counted as they arrive at
// AWS; a request has arrived by the time its answer is back, and the next
// one cannot arrive before it leaves, so however the network delays
// either, no three arrive within a second. (Pacing by departure alone is
// not enough: a first request slowed by its connection's setup arrives
// close to the second.)
const LookupInterval = 500 * time.Millisecond

// LookupConfig is how a run reads the CloudTrail API: the standard AWS
// configuration with the user's overrides, as in the AWS CLI, and the run's
// time range. Zero fields take the defaults.
type LookupConfig struct {
	Profile     string // shared config profile; "" for the default chain
	EndpointURL string // another endpoint for the API (a test server)
	// Since and Until are the run's range (--since inclusive, --until
	// exclusive); zero means no limit. The window read is at most the last
	// LookupMaxAge of it (see LookupWindow).
	Since, Until time.Time
	// Regions are read when a cloudtrail: source names none (--region);
	// without them, the profile's region is.
	Regions []string
	Now     time.Time // the run's clock; zero for time.Now()

	// MaxAttempts is how often a request is tried before its region is
	// reported as failed; AWS_MAX_ATTEMPTS or the profile's max_attempts
	// stands in when it is zero, then DefaultLookupMaxAttempts.
	MaxAttempts int
	// MaxBackoff caps the jittered exponential wait between attempts.
	MaxBackoff time.Duration
}

// NewLookup loads the AWS configuration and returns a source with no
// region yet: Add names them.
func NewLookup(ctx context.Context, c LookupConfig) (*Lookup, error) {
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	w, err := lookupWindow(c.Since, c.Until, now)
	if err != nil {
		return nil, err
	}
	// stderr carries the user's summary: the SDK must not write to it.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = cfg.RetryMaxAttempts
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultLookupMaxAttempts
	}
	cfg.RetryMaxAttempts = 0 // folded in above, so the SDK keeps the retryer below
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultLookupMaxBackoff
	}
	// Keep what the shared config put in the client (a CA bundle).
	httpClient, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		httpClient = awshttp.NewBuildableClient()
	}
	httpClient = httpClient.
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = DefaultLookupRequestTimeout }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = DefaultLookupRequestTimeout
			tr.ResponseHeaderTimeout = DefaultLookupRequestTimeout
		})
	// One retryer for every region: it keeps no state between requests
	// (the client-side retry quota is off, as for S3: a burst of
	// throttles must not fail the requests that follow on their first).
	retryer := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = c.MaxAttempts
		o.MaxBackoff = c.MaxBackoff
		o.RateLimiter = ratelimit.None
	})
	l := &Lookup{
		window:        w,
		clients:       map[string]LookupAPI{},
		defaultRegion: cfg.Region,
		fallback:      c.Regions,
		attempts:      c.MaxAttempts,
	}
	l.newClient = func(region string) LookupAPI {
		return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) {
			o.Region = region
			o.Logger = logging.Nop{}
			o.ClientLogMode = 0
			o.Retryer = retryer
			// Every attempt of the region's requests waits its turn, so a
			// retry cannot break the pace either.
			o.HTTPClient = newPacer(httpClient)
			if c.EndpointURL != "" {
				o.BaseEndpoint = aws.String(c.EndpointURL)
			}
		})
	}
	return l, nil
}

// pacer sends one region's requests one at a time, each LookupInterval
// after the answer to the one before.
type pacer struct {
	turn  chan struct{} // holds the one right to send
	ready time.Time     // when the next request may leave; kept by turn's holder
	next  aws.HTTPClient
}

func newPacer(next aws.HTTPClient) *pacer {
	p := &pacer{turn: make(chan struct{}, 1), next: next}
	p.turn <- struct{}{}
	return p
}

func (p *pacer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	select {
	case <-p.turn:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.turn <- struct{}{} }()
	if wait := time.Until(p.ready); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
	resp, err := p.next.Do(req)
	// Failed or not, the request may have reached AWS.
	p.ready = time.Now().Add(LookupInterval)
	return resp, err
}

// lookupErr says what a failed LookupEvents request means for the user:
// which permission is missing, that the credentials need refreshing, or
// that the API stayed throttled through every attempt.
func lookupErr(region string, attempts int, err error) error {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return fmt.Errorf("LookupEvents in %s: %w", region, err)
	}
	msg := ae.ErrorMessage()
	switch code := ae.ErrorCode(); code {
	case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
		return fmt.Errorf("access denied: these credentials may not call cloudtrail:LookupEvents in %s; allow cloudtrail:LookupEvents in their policy (an SCP or permissions boundary may deny it too): %s: %s", region, code, msg)
	case "ExpiredTokenException", "ExpiredToken":
		return fmt.Errorf("the AWS credentials have expired (%s: %s); refresh them (aws sso login, or new session credentials) and run again", code, msg)
	case "UnrecognizedClientException", "InvalidClientTokenId", "CloudTrailInvalidClientTokenIdException", "InvalidSignatureException", "SignatureDoesNotMatch":
		return fmt.Errorf("AWS does not accept these credentials (%s: %s); check the profile or refresh them", code, msg)
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		var me *retry.MaxAttemptsError
		if errors.As(err, &me) {
			attempts = me.Attempt
		}
		return fmt.Errorf("LookupEvents in %s still throttled after %d attempts with backoff (%s: %s): the API allows 2 requests per second per account and region, shared with every other caller there (the console's event history, other tools); run again later, or set AWS_MAX_ATTEMPTS higher", region, attempts, ae.ErrorCode(), msg)
	}
	return fmt.Errorf("LookupEvents in %s: %w", region, err)
}
