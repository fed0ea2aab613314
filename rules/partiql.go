package rules

import "strings"

// Names inside statements and qualified names: DynamoDB's PartiQL and
// Timestream's queries.

// partiQLTarget finds the verb of a statement and the name (and the
// qualified name) it reads or writes after FROM, INTO or UPDATE:
// `SELECT … FROM "orders"."by-customer"` gives SELECT, orders, by-customer.
func partiQLTarget(stmt string) (verb, name, sub string, ok bool) {
	fields := strings.Fields(stmt)
	if len(fields) == 0 {
		return "", "", "", false
	}
	verb = strings.ToUpper(fields[0])
	for i := 0; i+1 < len(fields); i++ {
		switch strings.ToUpper(fields[i]) {
		case "FROM", "INTO", "UPDATE":
			name, sub = splitQualified(fields[i+1])
			return verb, name, sub, name != ""
		}
	}
	return verb, "", "", false
}

// splitQualified splits `"a"."b"`, `a.b` or `"a"` into its parts.
func splitQualified(s string) (first, second string) {
	var parts []string
	for s != "" {
		var part string
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				part, s = s[1:], ""
			} else {
				part, s = s[1:end+1], s[end+2:]
			}
		} else {
			end := strings.IndexAny(s, ".;,()")
			if end < 0 {
				part, s = s, ""
			} else {
				part, s = s[:end], s[end:]
			}
		}
		parts = append(parts, part)
		if !strings.HasPrefix(s, ".") {
			break
		}
		s = s[1:]
	}
	if len(parts) == 0 {
		return "", ""
	}
	if len(parts) == 1 {
		return parts[0], ""
	}
	return parts[0], parts[1]
}
