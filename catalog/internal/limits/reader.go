// The reader that holds a body or a file to its byte limit as it is read.

package limits

import (
	"fmt"
	"io"
	"sync/atomic"
)

// SizeError says that a body or file holds more bytes than its limit.
type SizeError struct {
	What  string // "response", "file", "catalog's JSON", ...
	Limit int64
}

func (e *SizeError) Error() string {
	if e.Limit >= 1<<20 && e.Limit%(1<<20) == 0 {
		return fmt.Sprintf("%s is larger than the limit of %d MB", e.What, e.Limit>>20)
	}
	return fmt.Sprintf("%s is larger than the limit of %d bytes", e.What, e.Limit)
}

// Reader reads r and fails with a *SizeError once it has seen more than
// limit bytes, or once the bytes of every reader sharing a total pass that
// total's limit. Unlike io.LimitReader it never lets an over-limit body
// pass for a short one, and the caller never holds more than limit bytes
// of it.
type Reader struct {
	r          io.Reader
	what       string
	n, limit   int64
	total      *atomic.Int64 // nil: no shared limit
	totalLimit int64
}

// NewReader reads r up to limit bytes; what names r in a *SizeError.
func NewReader(r io.Reader, what string, limit int64) *Reader {
	return &Reader{r: r, what: what, limit: limit}
}

// Sharing makes c also count its bytes in total, which every reader
// sharing it holds to limit, and returns c.
func (c *Reader) Sharing(total *atomic.Int64, limit int64) *Reader {
	c.total, c.totalLimit = total, limit
	return c
}

func (c *Reader) Read(p []byte) (int, error) {
	// Ask for one byte more than the limit allows, so that a body of
	// exactly limit bytes passes and a longer one is seen to be longer.
	if left := c.limit + 1 - c.n; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, &SizeError{What: c.what, Limit: c.limit}
	}
	if c.total != nil && c.total.Add(int64(n)) > c.totalLimit {
		return n, &SizeError{What: "service files together", Limit: c.totalLimit}
	}
	return n, err
}
