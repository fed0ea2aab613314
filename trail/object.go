package trail

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// DecodeObject decodes raw, the text of a JSON object such as a record's
// requestParameters, into the map encoding/json would make of it: strings,
// float64 numbers, bools, nil, []any and map[string]any. It takes the usual
// shape only, checking the grammar as it goes; ok is false for anything
// else (not an object, a syntax error, deep nesting, a number float64
// cannot hold), and the caller decodes raw the general way. It is the
// parameters' part of the fast path, as decodeFast is the record's.
//
// The object's own members that are objects or arrays are not decoded: they
// are *Lazy values, checked but decoded on first use, since most of a
// large request (a policy, a list of tags, a configuration) is never read.
// A *Lazy aliases raw: it is for use while raw is.
func DecodeObject(raw []byte) (m map[string]any, ok bool) {
	f := fast{b: raw}
	if f.peek() != '{' {
		return nil, false
	}
	m = map[string]any{}
	err := f.members(func(key string) error {
		switch f.b[f.i] {
		case '{', '[':
			at := f.i
			if err := f.skipNumbersChecked(0); err != nil {
				return err
			}
			m[key] = &Lazy{raw: f.b[at:f.i:f.i]}
			return nil
		}
		v, err := f.value(1)
		m[key] = v
		return err
	})
	if err != nil {
		return nil, false
	}
	f.space()
	if f.i != len(f.b) {
		return nil, false
	}
	return m, true
}

// Lazy is an object or array inside an object DecodeObject read, decoded
// when first asked for.
type Lazy struct {
	raw  []byte
	v    any
	done bool
}

// Value returns the decoded value: a map[string]any or an []any, as
// encoding/json makes them.
func (l *Lazy) Value() any {
	if !l.done {
		f := fast{b: l.raw}
		v, err := f.value(1)
		if err != nil { // never: DecodeObject checked it
			v = nil
			json.Unmarshal(l.raw, &v)
		}
		l.v, l.done = v, true
	}
	return l.v
}

// EachString calls fn with each string element of an array, as bytes
// valid only during the call, without decoding the elements that are not
// strings; for an object it calls fn with nothing.
func (l *Lazy) EachString(fn func(s []byte)) {
	if l.done {
		if list, ok := l.v.([]any); ok {
			for _, e := range list {
				if s, ok := e.(string); ok {
					fn([]byte(s))
				}
			}
		}
		return
	}
	f := fast{b: l.raw}
	if f.peek() != '[' {
		return
	}
	f.array(func() error {
		if f.b[f.i] != '"' {
			return f.skip(1)
		}
		at := f.i
		s, plain := f.rawString()
		if plain {
			fn(s)
			return nil
		}
		var u string
		if json.Unmarshal(f.b[at:f.i], &u) == nil {
			fn([]byte(u))
		}
		return nil
	})
}

// skipNumbersChecked is skip for a value DecodeObject leaves lazy: it also
// refuses the numbers float64 cannot hold, as decoding them later would.
func (f *fast) skipNumbersChecked(depth int) error {
	if depth > fastDepth {
		return giveUp
	}
	switch c := f.peek(); {
	case c == '{':
		return f.object(func([]byte) error { return f.skipNumbersChecked(depth + 1) })
	case c == '[':
		return f.array(func() error { return f.skipNumbersChecked(depth + 1) })
	case c == '-' || c >= '0' && c <= '9':
		at := f.i
		if err := f.number(); err != nil {
			return err
		}
		if n := f.b[at:f.i]; len(n) > 15 || bytes.ContainsAny(n, "eE") {
			if _, err := strconv.ParseFloat(string(n), 64); err != nil {
				return giveUp
			}
		}
		return nil
	}
	return f.skip(depth)
}

// value decodes the value at i.
func (f *fast) value(depth int) (any, error) {
	if depth > fastDepth {
		return nil, giveUp
	}
	switch c := f.peek(); {
	case c == '{':
		m := map[string]any{}
		err := f.members(func(key string) error {
			v, err := f.value(depth + 1)
			m[key] = v
			return err
		})
		return m, err
	case c == '[':
		list := []any{}
		err := f.array(func() error {
			v, err := f.value(depth + 1)
			list = append(list, v)
			return err
		})
		return list, err
	case c == '"':
		var s string
		err := f.str(&s, noIntern)
		return s, err
	case c == 't':
		return true, f.word("true")
	case c == 'f':
		return false, f.word("false")
	case c == 'n':
		return nil, f.null()
	case c == '-' || c >= '0' && c <= '9':
		at := f.i
		if err := f.number(); err != nil {
			return nil, err
		}
		n, err := strconv.ParseFloat(string(f.b[at:f.i]), 64)
		if err != nil {
			return nil, giveUp // out of float64's range: encoding/json refuses it
		}
		return n, nil
	}
	return nil, giveUp
}

// members walks an object as object does, with each key decoded: escaped
// and non-ASCII keys are read as encoding/json reads them.
func (f *fast) members(member func(key string) error) error {
	return f.walkObject(true, func(key []byte) error { return member(string(key)) })
}
