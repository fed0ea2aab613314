package ingest

// Reading one S3 object to its end through network faults. The SDK retries
// a request until its headers arrive, but a body is streamed to the caller
// after that, so a connection that stalls, resets or closes midway reaches
// the reader as an error, and a gzip stream cut short looks like a corrupt
// file. objectReader turns such an error into another request, a ranged
// GET from the byte it stopped at, made only if the object is still the one
// it started reading (If-Match on its ETag): the decoder above sees one
// unbroken stream, or an error naming the object once the retries are
// spent.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

type objectReader struct {
	ctx  context.Context
	src  *S3
	key  string
	etag string
	size int64 // the object's length; -1 when S3 did not say
	off  int64 // bytes delivered to the caller

	// fails counts the attempts that failed, whether or not they delivered
	// bytes first, so a server that sends a little on each connection and
	// stalls cannot hold a worker for longer than MaxAttempts stalls.
	fails   int
	body    io.ReadCloser // nil between a failure and the next request
	lastErr error         // why the last attempt failed
	err     error         // sticky: the reader gave up
}

func newObjectReader(ctx context.Context, src *S3, key string, out *s3.GetObjectOutput) *objectReader {
	size := int64(-1)
	if out.ContentLength != nil {
		size = *out.ContentLength
	}
	return &objectReader{ctx: ctx, src: src, key: key, etag: aws.ToString(out.ETag), size: size, body: out.Body}
}

func (r *objectReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	for {
		if r.body == nil {
			if err := r.resume(); err != nil {
				r.err = err
				return 0, err
			}
		}
		n, err := r.body.Read(p)
		r.off += int64(n)
		if err == nil {
			return n, nil
		}
		if err == io.EOF {
			if r.size < 0 || r.off == r.size {
				return n, io.EOF
			}
			err = fmt.Errorf("body ended at byte %d of %d: %w", r.off, r.size, io.ErrUnexpectedEOF)
		}
		r.body.Close()
		r.body = nil
		if err := r.failed(err); err != nil {
			r.err = err
			return n, err
		}
		if n > 0 {
			return n, nil // the next Read resumes
		}
	}
}

// failed counts a failed attempt and returns the error to give up with, or
// nil to try again.
func (r *objectReader) failed(err error) error {
	if cerr := r.ctx.Err(); cerr != nil {
		return fmt.Errorf("read %s: %w", r.src.name(r.key), cerr)
	}
	r.fails++
	r.lastErr = err
	switch {
	case r.etag == "":
		// Without an ETag the rest could come from another version.
		return r.giveUp("cannot resume without an ETag", err)
	case r.fails >= r.src.retry.MaxAttempts():
		return r.giveUp(fmt.Sprintf("%d attempts failed", r.fails), err)
	}
	return nil
}

// S3ReadError is an object whose body could not be read to its end, after
// the retries: a fault of the network or of S3, not of the file, even when
// it reaches the caller through a gzip or JSON decoder.
type S3ReadError struct {
	Name   string // s3://bucket/key
	Offset int64  // bytes read before giving up
	Size   int64  // the object's length, -1 when unknown
	Why    string
	Err    error // the last attempt's error
}

func (e *S3ReadError) Error() string {
	return fmt.Sprintf("read %s: stopped at byte %d of %d, %s: %v", e.Name, e.Offset, e.Size, e.Why, e.Err)
}

func (e *S3ReadError) Unwrap() error { return e.Err }

func (r *objectReader) giveUp(why string, err error) error {
	return &S3ReadError{Name: r.src.name(r.key), Offset: r.off, Size: r.size, Why: why, Err: err}
}

// resume waits out the backoff, then asks for the rest of the object.
func (r *objectReader) resume() error {
	delay, err := r.src.retry.RetryDelay(r.fails, r.lastErr)
	if err != nil {
		return r.giveUp("no retry delay", err)
	}
	t := time.NewTimer(delay)
	select {
	case <-r.ctx.Done():
		t.Stop()
		return fmt.Errorf("read %s: %w", r.src.name(r.key), r.ctx.Err())
	case <-t.C:
	}
	out, err := r.src.client.GetObject(r.ctx, &s3.GetObjectInput{
		Bucket:  aws.String(r.src.bucket),
		Key:     aws.String(r.key),
		Range:   aws.String(fmt.Sprintf("bytes=%d-", r.off)),
		IfMatch: aws.String(r.etag),
	}, func(o *s3.Options) {
		// A part carries no checksum of the whole object to check.
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	var api smithy.APIError
	switch {
	case errors.As(err, &api) && api.ErrorCode() == "PreconditionFailed":
		return r.giveUp("the object changed while it was read", err)
	case err != nil:
		// The client has retried this request already.
		return r.giveUp("resuming failed", err)
	}
	body := out.Body
	if out.ContentRange == nil {
		// The whole object came back: skip what was delivered.
		if _, err := io.CopyN(io.Discard, body, r.off); err != nil {
			body.Close()
			return r.giveUp("resuming failed", err)
		}
	} else if start, ok := rangeStart(*out.ContentRange); !ok || start != r.off {
		body.Close()
		return r.giveUp("resuming failed", fmt.Errorf("asked for bytes %d-, got Content-Range %q", r.off, *out.ContentRange))
	}
	r.body = body
	return nil
}

// rangeStart reads the first byte's offset from "bytes 100-199/200".
func rangeStart(cr string) (int64, bool) {
	var start, end, total int64
	if _, err := fmt.Sscanf(cr, "bytes %d-%d/%d", &start, &end, &total); err != nil {
		if _, err := fmt.Sscanf(cr, "bytes %d-%d/*", &start, &end); err != nil {
			return 0, false
		}
	}
	return start, true
}

func (r *objectReader) Close() error {
	r.err = errors.New("read after close")
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}
