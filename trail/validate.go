package trail

// The decoder's checking reader: it consumes a value byte by byte, checking
// it against the JSON grammar, and keeps nothing of it. It reads what the
// fast scan of scan.go does not: values longer than the limit, and files
// that hold no trail, which are skipped only when they are valid JSON.

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// skipValue consumes the value at pos, checking it against the JSON grammar,
// without keeping it: memory stays bounded whatever the value's length. It
// reads long values that are dropped and input that holds no trail. Its
// nesting counts from d.depth, the containers the value is in.
func (d *decoder) skipValue() error {
	in := &d.in
	stack := d.stack[:0]
	defer func() { d.stack = stack[:0] }()
	for {
		// A value is expected.
		c, err := in.nonSpace()
		if err != nil {
			return d.endErr(err)
		}
		switch {
		case c == '{' || c == '[':
			if len(stack)+d.depth >= maxDepth {
				return d.syntaxErr(fmt.Sprintf("nested deeper than %d", maxDepth))
			}
			in.pos++
			stack = append(stack, c)
			if c, err = in.nonSpace(); err != nil {
				return d.endErr(err)
			}
			if c == stack[len(stack)-1]+2 { // empty: '{'+2 is '}', '['+2 is ']'
				in.pos++
				stack = stack[:len(stack)-1]
				break
			}
			if stack[len(stack)-1] == '{' {
				if err := d.skipKey(); err != nil {
					return err
				}
			}
			continue
		case c == '"':
			if err := d.skipString(nil); err != nil {
				return err
			}
		case c == 't' || c == 'f' || c == 'n':
			if err := d.skipWord(); err != nil {
				return err
			}
		case c == '-' || c >= '0' && c <= '9':
			if err := d.skipNumber(); err != nil {
				return err
			}
		default:
			return d.syntaxErr(fmt.Sprintf("invalid character %s looking for beginning of value", quoteByte(c)))
		}
		// After a value: close what it ended, or go on to the next element.
		for {
			if len(stack) == 0 {
				return nil
			}
			c, err := in.nonSpace()
			if err != nil {
				return d.endErr(err)
			}
			open := stack[len(stack)-1]
			if c == ',' {
				in.pos++
				if open == '{' {
					if _, err := in.nonSpace(); err != nil {
						return d.endErr(err)
					}
					if err := d.skipKey(); err != nil {
						return err
					}
				}
				break
			}
			if c != open+2 {
				what := "array element"
				if open == '{' {
					what = "object key:value pair"
				}
				return d.syntaxErr(fmt.Sprintf("invalid character %s after %s", quoteByte(c), what))
			}
			in.pos++
			stack = stack[:len(stack)-1]
		}
	}
}

// skipKey consumes an object key and its colon.
func (d *decoder) skipKey() error {
	in := &d.in
	if in.buf[in.pos] != '"' {
		return d.syntaxErr(fmt.Sprintf("invalid character %s looking for beginning of object key string", quoteByte(in.buf[in.pos])))
	}
	if err := d.skipString(nil); err != nil {
		return err
	}
	c, err := in.nonSpace()
	if err != nil {
		return d.endErr(err)
	}
	if c != ':' {
		return d.syntaxErr(fmt.Sprintf("invalid character %s after object key", quoteByte(c)))
	}
	in.pos++
	return nil
}

// skipString consumes the string at pos, checking its escapes and that it
// holds no control character. With capture set, it appends the string's
// first bytes (as written, escapes and all) to *capture, up to cap(*capture).
func (d *decoder) skipString(capture *[]byte) error {
	in := &d.in
	in.pos++ // the opening quote
	for {
		for in.pos < in.end {
			c := in.buf[in.pos]
			if !stringSpecial[c] {
				if capture == nil {
					in.pos = stringSpecialAt(in.buf[:in.end], in.pos)
					continue
				}
				if len(*capture) < cap(*capture) {
					*capture = append(*capture, c)
				}
				in.pos++
				continue
			}
			switch {
			case c == '"':
				in.pos++
				return nil
			case c < 0x20:
				return d.syntaxErr(fmt.Sprintf("invalid character %s in string literal", quoteByte(c)))
			}
			// A backslash: read the escape whole.
			esc, err := d.peekN(2)
			if err != nil {
				return err
			}
			n := 2
			switch esc[1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				n = 6
				if esc, err = d.peekN(6); err != nil {
					return err
				}
				for _, h := range esc[2:] {
					if !isHex(h) {
						return d.syntaxErr(fmt.Sprintf("invalid character %s in \\u hexadecimal character escape", quoteByte(h)))
					}
				}
			default:
				return d.syntaxErr(fmt.Sprintf("invalid character %s in string escape code", quoteByte(esc[1])))
			}
			if capture != nil && len(*capture)+n <= cap(*capture) {
				*capture = append(*capture, esc...)
			} else if capture != nil {
				*capture = (*capture)[:cap(*capture)] // too long to matter
			}
			in.pos += n
		}
		if err := in.more(); err != nil {
			return d.endErr(err)
		}
	}
}

// peekN returns the next n bytes without consuming them; the end of input is
// a truncation.
func (d *decoder) peekN(n int) ([]byte, error) {
	in := &d.in
	for in.end-in.pos < n {
		if err := in.read(); err != nil {
			return nil, d.endErr(err)
		}
	}
	return in.buf[in.pos : in.pos+n], nil
}

var stringSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// stringSpecialAt returns the index of the first byte of b at or after i
// that stringSpecial marks, or len(b), eight bytes at a time: a long string
// is read as fast as the fast scan reads one.
func stringSpecialAt(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, bs := w^(ones*'"'), w^(ones*'\\')
		// As in quoteOrBackslash, with the bytes below 0x20 too: the
		// lowest high bit set is exact.
		if m := ((q-ones)&^q | (bs-ones)&^bs | (w-ones*0x20)&^w) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b) && !stringSpecial[b[i]]; i++ {
	}
	return i
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipWord consumes true, false or null.
func (d *decoder) skipWord() error {
	in := &d.in
	var word string
	switch in.buf[in.pos] {
	case 't':
		word = "true"
	case 'f':
		word = "false"
	default:
		word = "null"
	}
	for i := 0; i < len(word); i++ {
		if err := in.more(); err != nil {
			return d.endErr(err)
		}
		if c := in.buf[in.pos]; c != word[i] {
			return d.syntaxErr(fmt.Sprintf("invalid character %s in literal %s (expecting %s)", quoteByte(c), word, quoteByte(word[i])))
		}
		in.pos++
	}
	return nil
}

// skipNumber consumes a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) skipNumber() error {
	in := &d.in
	// peek returns the next byte, or 0 at the end of input.
	peek := func() (byte, error) {
		if err := in.more(); err == io.EOF {
			return 0, nil
		} else if err != nil {
			return 0, d.endErr(err)
		}
		return in.buf[in.pos], nil
	}
	digits := func(what string) error {
		c, err := peek()
		if err != nil {
			return err
		}
		if c < '0' || c > '9' {
			if c == 0 && in.err == io.EOF {
				return d.endErr(io.EOF)
			}
			return d.syntaxErr(fmt.Sprintf("invalid character %s %s", quoteByte(c), what))
		}
		for c >= '0' && c <= '9' {
			in.pos++
			if c, err = peek(); err != nil {
				return err
			}
		}
		return nil
	}
	c, _ := peek()
	if c == '-' {
		in.pos++
		if c, _ = peek(); c == 0 {
			return d.endErr(io.EOF)
		}
	}
	if c == '0' {
		in.pos++
	} else if err := digits("in numeric literal"); err != nil {
		return err
	}
	c, err := peek()
	if err != nil {
		return err
	}
	if c == '.' {
		in.pos++
		if err := digits("after decimal point in numeric literal"); err != nil {
			return err
		}
		if c, err = peek(); err != nil {
			return err
		}
	}
	if c == 'e' || c == 'E' {
		in.pos++
		if c, err = peek(); err != nil {
			return err
		}
		if c == '+' || c == '-' {
			in.pos++
		}
		if err := digits("in exponent of numeric literal"); err != nil {
			return err
		}
	}
	return nil
}

func quoteByte(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	if c >= 0x20 && c < 0x7f {
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

// syntaxErr is an invalid-JSON error at the current offset.
func (d *decoder) syntaxErr(msg string) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", d.in.offset(), msg)
}

// endErr turns the end of input in the middle of a value into a truncation
// error; any other error (such as a corrupt gzip stream below) is returned
// as is.
func (d *decoder) endErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("truncated JSON at byte %d: %w", d.in.offset(), io.ErrUnexpectedEOF)
	}
	return err
}
