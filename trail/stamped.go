package trail

import (
	"bufio"
	"bytes"
	"io"
)

// CloudWatch Logs' export task (CreateExportTask) writes a log group's
// events to S3 as lines of text, one event a line: the event's time in
// RFC 3339 with milliseconds, in UTC, a space, and the message. For
// CloudTrail's log group the message is a record as one line of JSON:
//
//	2026-11-01T00:00:03.123Z {"eventVersion":"1.09",...}
//
// StampedRecord reports whether a stream starts that way, and Unstamp turns
// such a stream back into JSON lines that Decode reads.

// maxStamp is the longest time prefix Unstamp removes: nanoseconds and the
// space.
const maxStamp = len("2006-01-02T15:04:05.999999999Z ")

// StampedRecord reports whether head, the first bytes of a stream, starts
// with a CloudWatch Logs export line's time and space followed by a JSON
// object: a record, as CloudTrail's log group holds. Another log group's
// lines (START RequestId: …) are not.
func StampedRecord(head []byte) bool {
	n := stampLen(head)
	return n > 0 && n < len(head) && head[n] == '{'
}

// stampLen is the length of the time prefix and its space at the start of
// b, or 0 when b does not start with one: YYYY-MM-DDTHH:MM:SS, an optional
// fraction of 1 to 9 digits, Z, and one space.
func stampLen(b []byte) int {
	const shape = "dddd-dd-ddTdd:dd:dd"
	if len(b) < len(shape)+2 {
		return 0
	}
	for i := 0; i < len(shape); i++ {
		c := b[i]
		if shape[i] == 'd' {
			if c < '0' || c > '9' {
				return 0
			}
		} else if c != shape[i] {
			return 0
		}
	}
	i := len(shape)
	if b[i] == '.' {
		j := i + 1
		for j < len(b) && j-i-1 < 9 && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	}
	if i+1 >= len(b) || b[i] != 'Z' || b[i+1] != ' ' {
		return 0
	}
	return i + 2
}

// Unstamp returns a reader of r's bytes without the time prefix of each
// line that has one; other lines pass as they are (a line that is not a
// record then shows as malformed, or as a syntax error, where Decode
// reads it). It holds at most one bufio buffer, whatever a line's length.
func Unstamp(r io.Reader) io.Reader {
	return &unstamper{r: bufio.NewReaderSize(r, 64<<10), start: true}
}

type unstamper struct {
	r     *bufio.Reader
	start bool // at the start of a line
}

func (u *unstamper) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if u.start {
		head, err := u.r.Peek(maxStamp)
		if n := stampLen(head); n > 0 {
			u.r.Discard(n)
		} else if err != nil && (err != io.EOF || len(head) == 0) {
			// A read that failed before the line's start could be
			// judged (a cut gzip stream) fails here, not as a syntax
			// error in what came before the cut.
			return 0, err
		}
		u.start = false
	}
	if u.r.Buffered() == 0 {
		if _, err := u.r.Peek(1); err != nil {
			return 0, err
		}
	}
	buf, _ := u.r.Peek(u.r.Buffered())
	if len(buf) > len(p) {
		buf = buf[:len(p)]
	}
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i+1]
		u.start = true
	}
	n := copy(p, buf)
	u.r.Discard(n)
	return n, nil
}
