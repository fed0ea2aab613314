package policy

import (
	"encoding/json"
	"fmt"
)

// value is a JSON value that keeps object members in order and repeated
// names, which encoding/json's maps would silently merge.
type value struct {
	kind kind
	str  string // a string, or a number's text
	b    bool
	arr  []value
	obj  []member
}

type member struct {
	key string
	val value
}

type kind uint8

const (
	kindNull kind = iota
	kindString
	kindNumber
	kindBool
	kindArray
	kindObject
)

// describe names the value's kind for error messages.
func (v value) describe() string {
	switch v.kind {
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindBool:
		return "a boolean"
	case kindArray:
		return "an array"
	case kindObject:
		return "an object"
	}
	return "null"
}

// scalar returns a string, number or boolean as a string.
func (v value) scalar() (string, bool) {
	switch v.kind {
	case kindString, kindNumber:
		return v.str, true
	case kindBool:
		if v.b {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// readValue reads one value from a decoder with UseNumber set. The input
// has already been checked to be valid JSON, which also bounds its depth.
func readValue(dec *json.Decoder) (value, error) {
	tok, err := dec.Token()
	if err != nil {
		return value{}, err
	}
	switch t := tok.(type) {
	case string:
		return value{kind: kindString, str: t}, nil
	case json.Number:
		return value{kind: kindNumber, str: t.String()}, nil
	case bool:
		return value{kind: kindBool, b: t}, nil
	case nil:
		return value{kind: kindNull}, nil
	case json.Delim:
		v := value{kind: kindArray}
		if t == '{' {
			v.kind = kindObject
		}
		for dec.More() {
			if v.kind == kindArray {
				e, err := readValue(dec)
				if err != nil {
					return value{}, err
				}
				v.arr = append(v.arr, e)
				continue
			}
			tok, err := dec.Token()
			if err != nil {
				return value{}, err
			}
			key, ok := tok.(string)
			if !ok {
				return value{}, fmt.Errorf("object key %v is not a string", tok)
			}
			e, err := readValue(dec)
			if err != nil {
				return value{}, err
			}
			v.obj = append(v.obj, member{key: key, val: e})
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return value{}, err
		}
		return v, nil
	}
	return value{}, fmt.Errorf("unexpected token %v", tok)
}
