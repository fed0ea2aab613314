package analyze

import (
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
)

// params is a decoded requestParameters or responseElements object, read
// with case-insensitive keys (services spell the same field differently).
type params map[string]any

func parseParams(raw json.RawMessage) params {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

// lookup finds key in m, exactly first and then ignoring case.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// strings returns the string values at a dotted path; numbers count, as
// their decimal text (a Lambda layer's versionNumber). Arrays met on the
// way are walked element by element; a segment "{}" yields the keys of the
// map it reaches (DynamoDB's requestItems are keyed by table name).
func (p params) strings(path string) []string { return p.stringsOr(path, "") }

// stringsOr is strings, where an object reached one segment before the end
// that lacks the last field yields def instead, if def is not empty: a
// PutEvents entry without eventBusName goes to the default bus.
func (p params) stringsOr(path, def string) []string {
	if p == nil {
		return nil
	}
	var out []string
	var walk func(v any, segs []string)
	walk = func(v any, segs []string) {
		if len(out) > maxValues {
			return
		}
		switch t := v.(type) {
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
func (p params) arnValues(out []string) []string {
	for _, v := range p {
		switch t := v.(type) {
		case string:
			out = appendARN(out, t)
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok {
					out = appendARN(out, s)
				}
			}
		}
		if len(out) > maxValues {
			break
		}
	}
	return out
}

func appendARN(out []string, s string) []string {
	if strings.HasPrefix(s, "arn:") {
		return append(out, s)
	}
	if a, ok := queueURLToARN(s); ok {
		return append(out, a)
	}
	return out
}

// allARNs collects every string value that looks like an ARN, anywhere in
// the object, plus queue URLs: what a response names.
func (p params) allARNs(out []string) []string {
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 8 || len(out) > maxValues {
			return
		}
		switch t := v.(type) {
		case string:
			out = appendARN(out, t)
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		case map[string]any:
			for _, e := range t {
				walk(e, depth+1)
			}
		}
	}
	if p != nil {
		walk(map[string]any(p), 0)
	}
	return out
}

// maxValues bounds what one record can contribute, so a huge batch request
// cannot blow up memory.
const maxValues = 1000

// queueURLToARN turns https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or the
// legacy REGION.queue.amazonaws.com form) into the queue's ARN.
func queueURLToARN(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(u, "http://")
		if !ok {
			return "", false
		}
	}
	host, path, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	var region, partition string
	switch {
	case strings.HasPrefix(host, "sqs.") && strings.HasSuffix(host, ".amazonaws.com"):
		region = strings.TrimSuffix(strings.TrimPrefix(host, "sqs."), ".amazonaws.com")
		partition = "aws"
	case strings.HasPrefix(host, "sqs.") && strings.HasSuffix(host, ".amazonaws.com.cn"):
		region = strings.TrimSuffix(strings.TrimPrefix(host, "sqs."), ".amazonaws.com.cn")
		partition = "aws-cn"
	case host == "queue.amazonaws.com": // the legacy us-east-1 endpoint
		region, partition = "us-east-1", "aws"
	case strings.HasSuffix(host, ".queue.amazonaws.com"):
		region = strings.TrimSuffix(host, ".queue.amazonaws.com")
		partition = "aws"
	default:
		return "", false
	}
	if strings.HasPrefix(region, "us-gov-") {
		partition = "aws-us-gov"
	}
	acct, name, ok := strings.Cut(path, "/")
	if !ok || acct == "" || name == "" || strings.Contains(name, "/") || region == "" {
		return "", false
	}
	return "arn:" + partition + ":sqs:" + region + ":" + acct + ":" + name, true
}
