// HTTP GET with the few retries a public, rate-limited endpoint calls for.

package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

const (
	// fetchAttempts counts the first try: three retries after it.
	fetchAttempts = 4
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

// fetch GETs url and hands the body to read, which must consume what it
// needs and return. read sees at most limit bytes: one more fails its read
// with a *limits.SizeError, as does passing the limit the body shares with others
// through total (nil for none). Transient failures, including a body cut
// short, are retried with exponential backoff (or the server's
// Retry-After), read starting over on the new body; an error read returns
// for any other reason is final. Errors do not repeat the URL: callers name
// it with the service it belongs to.
func fetch(ctx context.Context, client *http.Client, url string, limit int64, total *atomic.Int64, read func(io.Reader) error) error {
	wait := retryBackoff
	var last error
	for attempt := 1; ; attempt++ {
		err := fetchOnce(ctx, client, url, limit, total, read)
		if err == nil {
			return nil
		}
		var fe *fetchError
		if !errors.As(err, &fe) || !fe.retry {
			return err
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
			return ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
	return fmt.Errorf("%w (gave up after %d attempts)", last, fetchAttempts)
}

func fetchOnce(ctx context.Context, client *http.Client, url string, limit int64, total *atomic.Int64, read func(io.Reader) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tailor-catalog-update")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &fetchError{err: err, retry: true}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		transient := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return &fetchError{
			err:        fmt.Errorf("HTTP %s", resp.Status),
			retry:      transient,
			retryAfter: retryAfter(resp.Header.Get("Retry-After")),
		}
	}
	// A body that says up front it is too long is refused unread.
	if resp.ContentLength > limit {
		return &limits.SizeError{What: "response", Limit: limit}
	}
	body := &bodyReader{r: resp.Body}
	capped := limits.NewReader(body, "response", limit)
	if total != nil {
		capped = capped.Sharing(total, limits.UpdateSize)
	}
	if err := read(capped); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *limits.SizeError
		if body.err != nil && !errors.As(err, &se) {
			// The connection failed mid-body: worth another try.
			return &fetchError{err: fmt.Errorf("read body: %w", body.err), retry: true}
		}
		return err
	}
	return nil
}

// bodyReader remembers the error, other than io.EOF, that reading a
// response body ended with: a cut connection, as opposed to bad content.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
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
