package analyze

import (
	"sort"
	"strings"
)

// Select finds the principals of the given kinds that a user's query names:
// a full ARN, a bare name, "path/name" or "/path/name". Several matches mean
// the query is ambiguous; the caller lists them.
func (a *Aggregate) Select(query string, kinds ...string) []string {
	var out []string
	for arn, p := range a.Principals {
		if !kindIn(p.Kind, kinds) {
			continue
		}
		if matchPrincipal(arn, query) {
			out = append(out, arn)
		}
	}
	sort.Strings(out)
	return out
}

func kindIn(k string, kinds []string) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// MayMatch reports whether a principal's ARN could be the one a --role,
// --user or --principal query names, whatever its kind: a reading command
// keeps only such principals' facts.
func MayMatch(arn, query string) bool { return matchPrincipal(arn, query) }

func matchPrincipal(arn, query string) bool {
	if arn == query {
		return true // any principal by its full name, a federated one included
	}
	if strings.HasPrefix(query, "arn:") {
		return false
	}
	// arn:aws:iam::1:role/path/name → "path/name"
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 {
		return false
	}
	_, rest, ok := strings.Cut(parts[5], "/") // drop "role" or "user"
	if !ok {
		return false
	}
	q := strings.TrimPrefix(query, "/")
	if strings.Contains(q, "/") {
		return rest == q
	}
	i := strings.LastIndexByte(rest, '/')
	return rest[i+1:] == q
}
