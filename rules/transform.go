package rules

import "strings"

// Value transforms and rules several services share: each transform turns
// a raw request or response value into an ARN segment, or reports that
// the value does not fit.

// created is the rule of an id the service makes as it creates the
// resource: IAM checks "TYPE/*", since the id does not exist yet when it
// authorizes the call (a denied RunInstances names "instance/*").
var created = VarRule{Fallback: "*"}

func afterSlash(v string) (string, bool) {
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func lastColonSegment(v string) (string, bool) {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

// idWithPrefix accepts only ids of one kind, by their prefix: an EC2
// CreateTags lists instances, volumes and groups in one resourcesSet.
func idWithPrefix(prefix string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		return v, strings.HasPrefix(v, prefix) && len(v) > len(prefix)
	}
}

// lower: RDS and ElastiCache store identifiers in lower case, and their
// ARNs carry the stored form.
func lower(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return strings.ToLower(v), v != ""
}

// urlHost strips a URL's scheme: an OIDC provider's ARN names its issuer's
// host and path.
func urlHost(v string) (string, bool) {
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	return v, v != ""
}

// absent is a When predicate: the variable is known only if the request
// lacks field (Lex V2 names bots by id: botName then is not the V1 name).
func absent(field string) func(Request) bool {
	return func(req Request) bool { return !req.Has(field) }
}

// IAMLiteral escapes the characters an IAM policy reads specially, so a
// name holding them matches only itself: "$" as ${$}, "*" as ${*}, "?" as
// ${?}.
func IAMLiteral(v string) (string, bool) {
	if !strings.ContainsAny(v, "$*?") {
		return v, v != ""
	}
	var b strings.Builder
	for _, r := range v {
		switch r {
		case '$', '*', '?':
			b.WriteString("${")
			b.WriteRune(r)
			b.WriteString("}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
