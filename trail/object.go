package trail

import (
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
func DecodeObject(raw []byte) (m map[string]any, ok bool) {
	f := fast{b: raw}
	if f.peek() != '{' {
		return nil, false
	}
	v, err := f.value(0)
	if err != nil {
		return nil, false
	}
	f.space()
	if f.i != len(f.b) {
		return nil, false
	}
	return v.(map[string]any), true
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
		raw, plain := f.rawString()
		var key string
		if plain {
			key = string(raw)
		} else if f.i <= at || f.b[f.i-1] != '"' || json.Unmarshal(f.b[at:f.i], &key) != nil {
			return giveUp
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
