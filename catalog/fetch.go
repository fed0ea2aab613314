// HTTP GET with the few retries a public, rate-limited endpoint calls for.

package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	// fetchAttempts counts the first try: three retries after it.
	fetchAttempts = 4
	// maxFileSize bounds one response; the largest service file is a few MB.
	maxFileSize = 64 << 20
	// maxRetryAfter caps how long a Retry-After header can make us wait.
	maxRetryAfter = 30 * time.Second
)

// retryBackoff is the wait before the first retry; it doubles after each.
// A variable so that tests can shorten it.
var retryBackoff = 500 * time.Millisecond

// fetchError is a failed GET. Retry says whether trying again may help: a
// 429, a 5xx or a broken connection may pass; a 404 will not.
type fetchError struct {
	err        error
	retry      bool
	retryAfter time.Duration
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// fetch GETs url and returns the body, retrying transient failures with
// exponential backoff (or the server's Retry-After). Errors do not repeat
// the URL: callers name it with the service it belongs to.
func fetch(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	wait := retryBackoff
	var last error
	for attempt := 1; ; attempt++ {
		body, err := fetchOnce(ctx, client, url)
		if err == nil {
			return body, nil
		}
		var fe *fetchError
		if !errors.As(err, &fe) || !fe.retry {
			return nil, err
		}
		last = err
		if attempt == fetchAttempts {
			break
		}
		d := wait
		if fe.retryAfter > 0 {
			d = min(fe.retryAfter, maxRetryAfter)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
	return nil, fmt.Errorf("%w (gave up after %d attempts)", last, fetchAttempts)
}

func fetchOnce(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tailor-catalog-update")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &fetchError{err: err, retry: true}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		transient := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return nil, &fetchError{
			err:        fmt.Errorf("HTTP %s", resp.Status),
			retry:      transient,
			retryAfter: retryAfter(resp.Header.Get("Retry-After")),
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFileSize+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &fetchError{err: fmt.Errorf("read body: %w", err), retry: true}
	}
	if len(body) > maxFileSize {
		return nil, fmt.Errorf("response is larger than %d bytes", maxFileSize)
	}
	return body, nil
}

// retryAfter reads a Retry-After header given in seconds; the HTTP-date form
// is rare enough to fall back to our own backoff.
func retryAfter(h string) time.Duration {
	s, err := strconv.Atoi(h)
	if err != nil || s <= 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}
