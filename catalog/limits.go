// Limits on what an update downloads and what a catalog file may hold, and
// the reader that enforces the byte limits while the bytes arrive.
//
// The figures come from the data the embedded catalog is built from (the
// iam-data package, itself built from AWS's reference): 456 service
// prefixes and 22,091 actions; the largest service, ec2, has 826 actions
// and takes 690 KB there, and the whole package 10.9 MB; the catalog built
// from it decodes from 1.9 MB of JSON. AWS's service reference files add
// condition keys, SDK method names and operations to that, which puts the
// largest at a few MB and all of them at some tens of MB (an estimate: the
// reference cannot be fetched where tailor is built and tested). Every
// limit leaves several times that room, so that AWS can grow for years
// without tailor refusing its data, while a broken or hostile server or
// cache costs at most some hundred MB and seconds, never gigabytes.

package catalog

import (
	"fmt"
	"io"
	"sync/atomic"
)

const (
	// maxIndexSize bounds the service list: some 450 entries of ~90 bytes.
	maxIndexSize = 1 << 20
	// maxServiceFileSize bounds one service file, a few MB at most today.
	maxServiceFileSize = 16 << 20
	// maxUpdateSize bounds the bytes of all service files together: the
	// real ones add up to tens of MB.
	maxUpdateSize = 256 << 20
	// maxServices bounds the entries of the service list and the prefixes
	// of a catalog (456 today).
	maxServices = 4096
	// maxEntries bounds the list entries an update keeps over all its
	// files: actions, their resource types, resource types, ARN formats,
	// operations and the actions each authorizes. The embedded catalog's
	// actions and resource types make 46,000 such entries; AWS's operations
	// perhaps as many again. It, not the byte limits, bounds what an update
	// holds in memory: a dense file of tiny entries decodes to several
	// times its size.
	maxEntries = 1_000_000
	// maxActions bounds a catalog's actions (22,091 today).
	maxActions = 250_000
	// maxNameLen bounds a prefix, action, resource type or operation name;
	// the longest real one has 63 characters.
	maxNameLen = 256
	// maxARNLen bounds an ARN template; the longest real one has 222.
	maxARNLen = 2048
	// maxActionResources bounds the resource types of one action (106 at
	// most today), maxARNFormats the templates of one resource type (a
	// few), and maxOperationActions the actions one operation authorizes
	// (a few dozen). They bound the work each entry can cost, as when
	// entries that share a name are merged.
	maxActionResources  = 512
	maxARNFormats       = 64
	maxOperationActions = 512

	// maxCacheFileSize bounds a catalog file on disk, checked before it is
	// read: the embedded catalog takes 210 KB compressed, a cache with
	// AWS's operation mappings about twice that.
	maxCacheFileSize = 8 << 20
	// maxCacheJSONSize bounds a catalog file's JSON once decompressed, which
	// a gzip bomb would otherwise make as large as it likes: 1.9 MB for the
	// embedded catalog, some 3 MB for a cache.
	maxCacheJSONSize = 32 << 20
)

// sizeError says that a body or file holds more bytes than its limit.
type sizeError struct {
	what  string // "response", "file", "catalog's JSON", ...
	limit int64
}

func (e *sizeError) Error() string {
	if e.limit >= 1<<20 && e.limit%(1<<20) == 0 {
		return fmt.Sprintf("%s is larger than the limit of %d MB", e.what, e.limit>>20)
	}
	return fmt.Sprintf("%s is larger than the limit of %d bytes", e.what, e.limit)
}

// cappedReader reads r and fails with a *sizeError once it has seen more
// than limit bytes, or once the bytes of every reader sharing total pass
// totalLimit. Unlike io.LimitReader it never lets an over-limit body pass
// for a short one, and the caller never holds more than limit bytes of it.
type cappedReader struct {
	r          io.Reader
	what       string
	n, limit   int64
	total      *atomic.Int64 // nil: no shared limit
	totalLimit int64
}

func newCappedReader(r io.Reader, what string, limit int64) *cappedReader {
	return &cappedReader{r: r, what: what, limit: limit}
}

// sharing makes c count its bytes against a limit shared with others.
func (c *cappedReader) sharing(total *atomic.Int64, limit int64) *cappedReader {
	c.total, c.totalLimit = total, limit
	return c
}

func (c *cappedReader) Read(p []byte) (int, error) {
	// Ask for one byte more than the limit allows, so that a body of
	// exactly limit bytes passes and a longer one is seen to be longer.
	if left := c.limit + 1 - c.n; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, &sizeError{what: c.what, limit: c.limit}
	}
	if c.total != nil && c.total.Add(int64(n)) > c.totalLimit {
		return n, &sizeError{what: "service files together", limit: c.totalLimit}
	}
	return n, err
}
