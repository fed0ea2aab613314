package trail

// Records held in JSON strings (a CloudWatch Logs message, lookup-events'
// CloudTrailEvent): only the string is kept, up to the limit; it is
// unescaped and decoded as a record of a file is.

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// stringEntry reads the string at pos, which holds the record of the entry
// at input offset off, and decodes the record. A string longer than the
// limit is read through, checked, and counted as malformed.
func (d *decoder) stringEntry(off int64, name string) error {
	in := &d.in
	at := in.offset()
	in.keep = in.pos
	err := d.scanFast()
	if err == nil && in.pos-in.keep > in.limit {
		err = errLong
	}
	if errors.Is(err, errLong) {
		in.pos, in.keep = in.keep, -1
		if err := d.skipString(nil); err != nil {
			return err
		}
		d.long(off)
		return nil
	}
	if err != nil {
		return err
	}
	raw := in.buf[in.keep+1 : in.pos-1]
	in.keep = -1
	return d.decodeString(raw, at+1, off, name)
}

// decodeString decodes the content of a JSON string, raw, at input offset
// at, as the record of the entry at off: unescaped, then decoded as a
// record of a file is. A string that breaks JSON's grammar is an error of
// the input; a record that is not one is malformed.
func (d *decoder) decodeString(raw []byte, at, off int64, name string) error {
	inner, err := unescape(d.inner[:0], raw)
	if err != nil {
		var se *stringError
		if errors.As(err, &se) {
			return fmt.Errorf("invalid JSON at byte %d: %s", at+int64(se.at), se.msg)
		}
		return err
	}
	d.inner = inner
	if cap(d.inner) > idleSize {
		defer func() { d.inner = nil }() // a long record is gone once decoded
	}
	if err := d.decodeRecord(inner); err != nil {
		d.malformed(off, fmt.Sprintf("%s holds no record: %v", name, err))
		return nil
	}
	return d.deliver(off, true)
}

// stringError is a fault in a JSON string, at its index in the content.
type stringError struct {
	at  int
	msg string
}

func (e *stringError) Error() string { return e.msg }

// unescape appends s, the content of a JSON string as written, to dst with
// its escapes undone, checking it as the grammar asks: no control
// character, only JSON's escapes, four hex digits after \u. A \u escape of
// half a surrogate pair becomes U+FFFD, as encoding/json makes it; bytes
// that are not UTF-8 are kept as they are, so that a record in a string
// decodes as it would in a file.
func unescape(dst, s []byte) ([]byte, error) {
	for i := 0; i < len(s); {
		j := stringSpecialAt(s, i)
		dst = append(dst, s[i:j]...)
		if j == len(s) {
			break
		}
		if c := s[j]; c != '\\' {
			// A quote cannot be here: the scan ended the string at it.
			return dst, &stringError{j, fmt.Sprintf("invalid character %s in string literal", quoteByte(c))}
		}
		if j+1 == len(s) {
			return dst, &stringError{j, "truncated escape"} // never: the scan ends no string in an escape
		}
		i = j + 2
		switch e := s[j+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, bad := hex4(s, i)
			if bad >= 0 {
				return dst, &stringError{bad, fmt.Sprintf("invalid character %s in \\u hexadecimal character escape", quoteByte(byteAt(s, bad)))}
			}
			i += 4
			if utf16.IsSurrogate(r) {
				low := rune(-1)
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if l, bad := hex4(s, i+2); bad < 0 {
						low = l
					}
				}
				if pair := utf16.DecodeRune(r, low); pair != unicode.ReplacementChar {
					r = pair
					i += 6
				} else {
					r = unicode.ReplacementChar
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, &stringError{j + 1, fmt.Sprintf("invalid character %s in string escape code", quoteByte(e))}
		}
	}
	return dst, nil
}

// hex4 reads four hex digits at s[i:]; bad is the index of the first that
// is not one (or of the end), -1 when all are.
func hex4(s []byte, i int) (r rune, bad int) {
	for k := i; k < i+4; k++ {
		if k >= len(s) || !isHex(s[k]) {
			return 0, k
		}
		c := s[k]
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r, -1
}

// byteAt is s[i], or 0 past its end.
func byteAt(s []byte, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
