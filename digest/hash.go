package digest

// CloudTrail hashes a log file's uncompressed content, and signs a digest
// over the SHA-256 of its uncompressed content. A reader that inflates
// every gzip member in turn (as Go's gzip.Reader does by default) would
// hash bytes appended after the first member as if CloudTrail had written
// them; one that stops at the first member (as a zlib stream does) would
// let them through unnoticed, to be read later by a decoder that does
// read them. So the first member is hashed and anything after it is a
// change in its own right.

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// errTrailing marks an object with bytes after its first gzip member.
var errTrailing = errors.New("data after the first gzip member: the object was changed after delivery")

// inflated is what reading one gzip object gave.
type inflated struct {
	Sum [sha256.Size]byte // of the first member's uncompressed bytes
	// Body is the uncompressed content when it was kept (digests).
	Body []byte
	// Trailing is set when bytes follow the first member.
	Trailing bool
}

// inflate hashes the first gzip member of r. With keep > 0 the content is
// returned too, and content longer than keep is an error.
// An error reading r is a *readError; any other is the content's.
func inflate(r io.Reader, keep int64) (inflated, error) {
	var out inflated
	br := bufio.NewReader(tagReader{r})
	zr, err := gzip.NewReader(br)
	if err != nil {
		if isRead(err) {
			return out, err
		}
		return out, fmt.Errorf("not gzip: %w", err)
	}
	zr.Multistream(false)
	h := sha256.New()
	var w io.Writer = h
	var body limitedBuffer
	if keep > 0 {
		body.max = keep
		w = io.MultiWriter(h, &body)
	}
	if _, err := io.Copy(w, zr); err != nil {
		if isRead(err) || errors.Is(err, errTooLarge) {
			return out, err
		}
		return out, fmt.Errorf("damaged gzip: %w", err)
	}
	h.Sum(out.Sum[:0])
	out.Body = body.b
	// zr reads br byte by byte where the member ends (br is an
	// io.ByteReader), so br stands right after the member's trailer.
	if _, err := br.ReadByte(); err == nil {
		out.Trailing = true
	} else if err != io.EOF {
		return out, err
	}
	return out, nil
}

// readError is an error from the reader under the gzip stream: the file
// could not be read, which says nothing of its content.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

func isRead(err error) bool {
	var re *readError
	return errors.As(err, &re)
}

// tagReader marks the errors of the reader it wraps.
type tagReader struct{ r io.Reader }

func (t tagReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

var errTooLarge = errors.New("larger uncompressed than a digest can be")

// limitedBuffer keeps up to max bytes and fails past them.
type limitedBuffer struct {
	b   []byte
	max int64
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if int64(len(l.b)+len(p)) > l.max {
		return 0, fmt.Errorf("%w (%d bytes)", errTooLarge, l.max)
	}
	l.b = append(l.b, p...)
	return len(p), nil
}
