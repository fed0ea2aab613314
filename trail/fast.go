package trail

// The fast path of record decoding: one pass over an entry's bytes that
// fills a Record with only the fields tailor reads, skips every other value
// without keeping it, and hands requestParameters and responseElements on as
// slices of the entry. It takes the usual shape of a CloudTrail record and
// checks its grammar as it goes; anything else — a syntax error, a field of
// the wrong type, a key spelled in another case or escaped, a key given
// twice, deep nesting — makes it give up, and the entry is decoded again by
// the general decoder, whose answer (the record, a malformed entry, or a
// syntax error) stands. So the fast path changes how fast, never what.

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"unicode/utf8"
)

// fastDepth is how deep the fast path follows skipped values; deeper ones
// go to the general decoder.
const fastDepth = 64

// fast decodes one entry.
type fast struct {
	b      []byte
	i      int
	intern *interner
	spare  *spare
}

// spare holds a record's parts, reused from one record to the next as the
// Record itself is.
type spare struct {
	id   UserIdentity
	ctx  SessionContext
	iss  SessionIssuer
	attr SessionAttributes
	tls  TLSDetails
	res  []Resource
}

// errFallback says the fast path gave up: the general decoder decides.
type errFallback struct{}

func (errFallback) Error() string { return "not the usual shape" }

var giveUp error = errFallback{}

// decodeFast fills rec from raw, the whole text of one entry, or reports
// giveUp. rec must be zero. The raw parameter fields of rec alias raw.
func decodeFast(raw []byte, rec *Record, intern *interner, sp *spare) error {
	f := fast{b: raw, intern: intern, spare: sp}
	if err := f.record(rec); err != nil {
		return err
	}
	f.space()
	if f.i != len(f.b) {
		return giveUp
	}
	return nil
}

func (f *fast) space() {
	for f.i < len(f.b) {
		switch f.b[f.i] {
		case ' ', '\n', '\t', '\r':
			f.i++
		default:
			return
		}
	}
}

// peek returns the next byte that is not whitespace, 0 at the end.
func (f *fast) peek() byte {
	f.space()
	if f.i < len(f.b) {
		return f.b[f.i]
	}
	return 0
}

// fieldSet notes which keys of one object were seen, to give up on a
// repeated one (encoding/json merges repeated objects into one value).
type fieldSet uint64

func (s *fieldSet) first(n uint) bool {
	if *s&(1<<n) != 0 {
		return false
	}
	*s |= 1 << n
	return true
}

// object walks the members of the object at i, calling member with each
// key (as written, unescaped keys only) with i at its value.
func (f *fast) object(member func(key []byte) error) error { return f.walkObject(false, member) }

// walkObject is object; with unescape, an escaped or non-ASCII key is
// decoded as encoding/json decodes it rather than given up on.
func (f *fast) walkObject(unescape bool, member func(key []byte) error) error {
	if f.peek() != '{' {
		return giveUp
	}
	f.i++
	if f.peek() == '}' {
		f.i++
		return nil
	}
	for {
		if f.peek() != '"' {
			return giveUp
		}
		at := f.i
		key, plain := f.rawString()
		if !plain {
			// The general decoder matches such a key to a field.
			var s string
			if !unescape || f.i <= at || f.b[f.i-1] != '"' || json.Unmarshal(f.b[at:f.i], &s) != nil {
				return giveUp
			}
			key = []byte(s)
		}
		if f.peek() != ':' {
			return giveUp
		}
		f.i++
		if f.peek() == 0 {
			return giveUp
		}
		if err := member(key); err != nil {
			return err
		}
		switch f.peek() {
		case ',':
			f.i++
		case '}':
			f.i++
			return nil
		default:
			return giveUp
		}
	}
}

// rawString moves past the string at i and returns its content; plain is
// false when the content holds an escape, a byte outside printable ASCII,
// or the string does not end.
func (f *fast) rawString() (content []byte, plain bool) {
	start := f.i + 1
	j := stringStop(f.b, start)
	if j < len(f.b) && f.b[j] == '"' {
		f.i = j + 1
		return f.b[start:j], true
	}
	// An escape or an unusual byte: find the real end, for the caller
	// that decodes it.
	j = quoteOrBackslash(f.b, j)
	for j < len(f.b) {
		if f.b[j] == '"' {
			f.i = j + 1
			return f.b[start:j], false
		}
		j = quoteOrBackslash(f.b, min(j+2, len(f.b))) // past the escaped byte
	}
	f.i = len(f.b)
	return nil, false
}

// stringStop returns the index of the first byte of b at or after i that
// ends a plain run of a string: '"', '\\', a control character or a byte
// outside ASCII; len(b) when there is none. Eight bytes at a time, as
// quoteOrBackslash.
func stringStop(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, bs := w^(ones*'"'), w^(ones*'\\')
		if m := ((q-ones)&^q | (bs-ones)&^bs | (w - ones*0x20) | w) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
			return i
		}
	}
	return len(b)
}

// str reads the string value at i into *dst. null leaves *dst as it is;
// any other kind of value gives up.
func (f *fast) str(dst *string, slot int) error {
	switch f.b[f.i] {
	case '"':
	case 'n':
		return f.null()
	default:
		return giveUp
	}
	at := f.i
	s, plain := f.rawString()
	if plain {
		if slot != noIntern {
			*dst = f.intern.get(slot, s)
		} else {
			*dst = string(s)
		}
		return nil
	}
	// Escapes and non-ASCII bytes decode as encoding/json decodes them.
	if f.i <= at || f.b[f.i-1] != '"' {
		return giveUp
	}
	if err := json.Unmarshal(f.b[at:f.i], dst); err != nil {
		return giveUp
	}
	if !utf8.ValidString(*dst) { // never: Unmarshal replaces invalid bytes
		return giveUp
	}
	return nil
}

func (f *fast) null() error {
	if len(f.b)-f.i >= 4 && string(f.b[f.i:f.i+4]) == "null" {
		f.i += 4
		return nil
	}
	return giveUp
}

// skip moves past the value at i, checking its grammar.
func (f *fast) skip(depth int) error {
	if depth > fastDepth {
		return giveUp
	}
	switch c := f.peek(); {
	case c == '"':
		at := f.i
		if _, plain := f.rawString(); !plain {
			return f.checkString(at)
		}
		return nil
	case c == '{':
		return f.object(func([]byte) error { return f.skip(depth + 1) })
	case c == '[':
		return f.array(func() error { return f.skip(depth + 1) })
	case c == 't':
		return f.word("true")
	case c == 'f':
		return f.word("false")
	case c == 'n':
		return f.null()
	case c == '-' || c >= '0' && c <= '9':
		return f.number()
	}
	return giveUp
}

// checkString checks the string that started at at and ended before i:
// its escapes and that it holds no control character.
func (f *fast) checkString(at int) error {
	if f.i <= at+1 || f.b[f.i-1] != '"' {
		return giveUp
	}
	s := f.b[at+1 : f.i-1]
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case c < 0x20:
			return giveUp
		case c == '\\':
			k++
			if k == len(s) {
				return giveUp
			}
			switch s[k] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if k+5 > len(s) {
					return giveUp
				}
				for _, h := range s[k+1 : k+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return giveUp
					}
				}
				k += 4
			default:
				return giveUp
			}
		}
	}
	return nil
}

func (f *fast) word(w string) error {
	if len(f.b)-f.i >= len(w) && string(f.b[f.i:f.i+len(w)]) == w {
		f.i += len(w)
		return nil
	}
	return giveUp
}

// number moves past a number, checking JSON's grammar for it.
func (f *fast) number() error {
	b, i := f.b, f.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return giveUp
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return giveUp
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return giveUp
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	f.i = i
	return nil
}

// array walks the elements of the array at i.
func (f *fast) array(elem func() error) error {
	if f.peek() != '[' {
		return giveUp
	}
	f.i++
	if f.peek() == ']' {
		f.i++
		return nil
	}
	for {
		if f.peek() == 0 {
			return giveUp
		}
		if err := elem(); err != nil {
			return err
		}
		switch f.peek() {
		case ',':
			f.i++
		case ']':
			f.i++
			return nil
		default:
			return giveUp
		}
	}
}

// raw reads the value at i as its text; null reads as "null", as
// json.RawMessage does.
func (f *fast) raw(dst *json.RawMessage) error {
	at := f.i
	if err := f.skip(0); err != nil {
		return err
	}
	*dst = f.b[at:f.i:f.i]
	return nil
}
