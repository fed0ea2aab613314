package analyze

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// params is a decoded requestParameters or responseElements object, read
// with case-insensitive keys (services spell the same field differently).
type params map[string]any

func parseParams(raw json.RawMessage) params {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	if m, ok := trail.DecodeObject(raw); ok {
		return m
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

// lookup finds key in m, exactly first and then ignoring case, decoding
// a lazy value.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return resolved(v), true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return resolved(v), true
		}
	}
	return nil, false
}

// resolved is v, decoded if it is a member trail.DecodeObject left lazy.
func resolved(v any) any {
	if l, ok := v.(*trail.Lazy); ok {
		return l.Value()
	}
	return v
}

// strings returns the string values at a dotted path; numbers count, as
// their decimal text (a Lambda layer's versionNumber). Arrays met on the
// way are walked element by element; a segment "{}" yields the keys of the
// map it reaches (DynamoDB's requestItems are keyed by table name), and a
// segment "*" walks each of its values in key order (a Cognito identity
// pool's roles, keyed by kind).
func (p params) strings(path string) []string { return p.stringsOr(path, "") }

// stringsOr is strings, where an object reached one segment before the end
// that lacks the last field yields def instead, if def is not empty: a
// PutEvents entry without eventBusName goes to the default bus.
func (p params) stringsOr(path, def string) []string {
	if p == nil {
		return nil
	}
	// The common case, one top-level field holding a string, without
	// splitting the path or building the walker.
	if !strings.Contains(path, ".") && path != "{}" {
		v, ok := lookup(p, path)
		if !ok {
			if def != "" {
				return []string{def}
			}
			return nil
		}
		if t, isString := v.(string); isString {
			if t == "" {
				return nil
			}
			return []string{t}
		}
	}
	var out []string
	var walk func(v any, segs []string)
	walk = func(v any, segs []string) {
		if len(out) > maxValues {
			return
		}
		switch t := resolved(v).(type) {
		case []any:
			for _, e := range t {
				walk(e, segs)
			}
			return
		case string:
			if len(segs) == 0 && t != "" {
				out = append(out, t)
			}
			return
		case float64:
			if len(segs) == 0 {
				out = append(out, strconv.FormatFloat(t, 'f', -1, 64))
			}
			return
		case map[string]any:
			if len(segs) == 0 {
				return
			}
			if segs[0] == "{}" {
				for k := range t {
					if len(segs) == 1 {
						out = append(out, k)
					}
				}
				return
			}
			if segs[0] == "*" { // every value of the map, in key order
				for _, k := range slices.Sorted(maps.Keys(t)) {
					walk(t[k], segs[1:])
				}
				return
			}
			if next, ok := lookup(t, segs[0]); ok {
				walk(next, segs[1:])
			} else if len(segs) == 1 && def != "" {
				out = append(out, def)
			}
		}
	}
	walk(map[string]any(p), strings.Split(path, "."))
	return out
}

// first returns the first string at path, or "".
func (p params) first(path string) string {
	if v := p.strings(path); len(v) > 0 {
		return v[0]
	}
	return ""
}

// has reports whether path holds a non-empty string.
func (p params) has(path string) bool { return p.first(path) != "" }

// arnValues collects the ARNs a request names as its own fields: string
// values at the top level or in a top-level list, plus SQS queue URLs
// turned into queue ARNs. ARNs nested deeper sit in configuration bodies
// (a replication rule's destination bucket, a bucket policy's statements)
// and name other resources than the one acted on.
//
// Past maxValues the rest are dropped. Which ones must not depend on map
// order, so a request that reaches the cap is walked again in key order;
// below it, order does not matter (callers match each ARN on its own) and
// the common request, a few fields, pays for no sort.
func (p params) arnValues(out []string) []string {
	start := len(out)
	for _, v := range p {
		out = appendARNs(out, v)
		if len(out) > maxValues {
			return p.arnValuesSorted(out[:start])
		}
	}
	return out
}

// appendARNs appends the ARNs of a request's field: a string, or the
// strings of a list, without decoding what else the list holds.
func appendARNs(out []string, v any) []string {
	switch t := v.(type) {
	case string:
		out = appendARN(out, t)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				if out = appendARN(out, s); len(out) > maxValues {
					break
				}
			}
		}
	case *trail.Lazy:
		t.EachString(func(b []byte) {
			if len(out) <= maxValues && mayBeARN(b) {
				out = appendARN(out, string(b))
			}
		})
	}
	return out
}

// mayBeARN reports whether appendARN could take s: an ARN or a URL, the
// only strings worth making of a list's bytes.
func mayBeARN(b []byte) bool {
	return bytes.HasPrefix(b, []byte("arn:")) || bytes.Contains(b, []byte("://"))
}

// arnValuesSorted is arnValues walking the fields in key order, for a
// request that reaches the cap.
func (p params) arnValuesSorted(out []string) []string {
	for _, k := range slices.Sorted(maps.Keys(p)) {
		if out = appendARNs(out, p[k]); len(out) > maxValues {
			break
		}
	}
	return out
}

func appendARN(out []string, s string) []string {
	if strings.HasPrefix(s, "arn:") {
		return append(out, s)
	}
	if a, ok := rules.URLToARN(s); ok {
		return append(out, a)
	}
	return out
}

// allARNs collects every string value that looks like an ARN, anywhere in
// the object, plus queue URLs: what a response names. Like arnValues, a
// response that reaches the cap is walked again with map keys in order.
func (p params) allARNs(out []string) []string {
	if p == nil {
		return out
	}
	start := len(out)
	out, full := walkARNs(out, map[string]any(p), 0, false)
	if full {
		out, _ = walkARNs(out[:start], map[string]any(p), 0, true)
	}
	return out
}

// walkARNs appends the ARNs under v, eight levels deep at most, and reports
// when out has gone past maxValues; sorted walks maps in key order.
func walkARNs(out []string, v any, depth int, sorted bool) ([]string, bool) {
	if depth > 8 {
		return out, false
	}
	full := false
	switch t := resolved(v).(type) {
	case string:
		out = appendARN(out, t)
	case []any:
		for _, e := range t {
			if out, full = walkARNs(out, e, depth+1, sorted); full {
				return out, true
			}
		}
	case map[string]any:
		if sorted {
			for _, k := range slices.Sorted(maps.Keys(t)) {
				if out, full = walkARNs(out, t[k], depth+1, sorted); full {
					return out, true
				}
			}
			break
		}
		for _, e := range t {
			if out, full = walkARNs(out, e, depth+1, sorted); full {
				return out, true
			}
		}
	}
	return out, len(out) > maxValues
}

// maxValues bounds what one record can contribute, so a huge batch request
// cannot blow up memory.
const maxValues = 1000

// The methods rules.Request names, through which the rules read requests.

func (p params) Strings(path string) []string { return p.strings(path) }
func (p params) First(path string) string     { return p.first(path) }
func (p params) Has(path string) bool         { return p.has(path) }

// Objects returns the objects at path, arrays walked element by element.
func (p params) Objects(path string) []rules.Request {
	var out []rules.Request
	var walk func(v any, segs []string)
	walk = func(v any, segs []string) {
		switch t := resolved(v).(type) {
		case []any:
			for _, e := range t {
				walk(e, segs)
			}
		case map[string]any:
			if len(segs) == 0 {
				out = append(out, params(t))
			} else if next, ok := lookup(t, segs[0]); ok {
				walk(next, segs[1:])
			}
		}
	}
	if p != nil {
		walk(map[string]any(p), strings.Split(path, "."))
	}
	return out
}
