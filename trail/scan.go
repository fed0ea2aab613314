package trail

// The decoder reads its input through a window: it finds where each value
// ends itself and keeps only the value it is about to decode, so what lies
// between values (whitespace, however much) is never buffered, and no value
// is buffered past MaxRecordBytes.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

const (
	chunkSize = 64 << 10 // the window's usual size and the most one read asks for
	// idleSize is the window size above which it is given back once the long
	// value that made it grow is decoded.
	idleSize = 1 << 20
	// maxDepth is how deep objects and arrays may nest, as in encoding/json.
	maxDepth = 10000
)

// errLong is returned by the fast scans when the value being kept grows past
// the limit. The caller rewinds to the value's start and skips it.
var errLong = errors.New("value longer than the limit")

// input is a window on the reader: buf[pos:end] has been read and not yet
// consumed. While keep >= 0, buf[keep:] stays in the window too (the value
// being kept), up to limit bytes.
type input struct {
	r     io.Reader
	buf   []byte
	pos   int
	end   int
	keep  int
	base  int64 // input offset of buf[0]
	limit int
	err   error // what the reader returned last; io.EOF at the end
}

// offset is the input offset of buf[pos].
func (in *input) offset() int64 { return in.base + int64(in.pos) }

// more makes sure the window holds the byte at pos. It returns nil when it
// does, errLong when the kept value has reached the limit, io.EOF at the end
// of input, or the reader's error.
func (in *input) more() error {
	if in.pos < in.end {
		return nil
	}
	return in.read()
}

// read reads on into the window, keeping buf[pos:] and buf[keep:]: it
// returns nil once at least one more byte is there.
func (in *input) read() error {
	if in.err != nil {
		return in.err
	}
	from := in.pos
	if in.keep >= 0 {
		if in.end-in.keep >= in.limit {
			return errLong
		}
		from = min(from, in.keep)
	}
	idle := in.keep < 0 && len(in.buf) > idleSize && in.end-from <= chunkSize
	if from > 0 || idle {
		buf := in.buf
		if idle {
			buf = make([]byte, chunkSize) // the long value is gone
		}
		n := copy(buf, in.buf[from:in.end])
		in.buf = buf
		in.base += int64(from)
		in.pos -= from
		in.end = n
		if in.keep >= 0 {
			in.keep -= from
		}
	}
	if in.end == len(in.buf) {
		// Only a kept value fills the window: grow it, up to the limit and
		// one more read.
		buf := make([]byte, max(min(2*len(in.buf), in.limit+chunkSize), in.end+chunkSize))
		copy(buf, in.buf[:in.end])
		in.buf = buf
	}
	for range 100 {
		n, err := in.r.Read(in.buf[in.end:min(len(in.buf), in.end+chunkSize)])
		in.end += n
		if err != nil {
			in.err = err
		}
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	in.err = io.ErrNoProgress
	return in.err
}

// nonSpace skips whitespace and returns the next byte, leaving it unread. At
// the end of input it returns io.EOF, or the reader's error.
func (in *input) nonSpace() (byte, error) {
	for {
		b := in.buf[in.pos:in.end]
		i := skipSpace(b)
		in.pos += i
		if i < len(b) {
			return b[i], nil
		}
		if err := in.more(); err != nil {
			return 0, err
		}
	}
}

// skipSpace returns the index of the first byte of b that is not
// whitespace, or len(b).
func skipSpace(b []byte) int {
	const ones = 0x0101010101010101
	i := 0
	for i < len(b) {
		switch c := b[i]; c {
		case ' ', '\n', '\t', '\r':
			// A run of one character, as padding is, goes eight at a time.
			i++
			for run := ones * uint64(c); i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:]) == run; {
				i += 8
			}
		default:
			return i
		}
	}
	return i
}

// scanFast moves past the value at pos, which the caller keeps and decodes
// afterwards: in a string, object or array, it only finds where the value
// ends, following strings and brackets, and leaves checking the grammar to
// the decoding. At the end of input it returns a truncation error.
func (d *decoder) scanFast() error {
	in := &d.in
	depth := 0
	inString, escaped := false, false
	switch c := in.buf[in.pos]; {
	case c == '"':
		inString = true
	case c == '{' || c == '[':
		depth = 1
	case c == '-' || c >= '0' && c <= '9':
		return d.skipNumber() // short: no need for speed
	case c == 't' || c == 'f' || c == 'n':
		return d.skipWord()
	default:
		return d.syntaxErr(fmt.Sprintf("invalid character %s looking for beginning of value", quoteByte(c)))
	}
	in.pos++
	for {
		b := in.buf[in.pos:in.end]
		i := 0
		for i < len(b) {
			if inString {
				if escaped {
					escaped = false
					i++
					continue
				}
				if i = quoteOrBackslash(b, i); i == len(b) {
					break
				}
				if b[i] == '\\' {
					escaped = true
					i++
					continue
				}
				i++
				inString = false
				if depth == 0 {
					in.pos += i
					return nil
				}
				continue
			}
			switch b[i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					in.pos += i + 1
					return nil
				}
			}
			i++
		}
		in.pos += len(b)
		if err := in.more(); err != nil {
			return d.endErr(err)
		}
	}
}

// quoteOrBackslash returns the index of the first '"' or '\\' in b at or
// after i, or len(b). It looks at eight bytes at a time: most of a record is
// strings, so this loop is most of the scan.
func quoteOrBackslash(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, bs := w^(ones*'"'), w^(ones*'\\')
		// The lowest high bit set marks the first zero byte of q or bs
		// exactly; bits above it may be false, and are not looked at.
		if m := ((q-ones)&^q | (bs-ones)&^bs) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' {
			return i
		}
	}
	return len(b)
}
