package analyze

import "strings"

// Transforms for names inside statements and qualified names: DynamoDB
// tables and indexes (PartiQL included) and Timestream tables.

// dynamoTable reads a table name from a name, a table ARN (one that did not
// match the template whole, as when filling an index ARN), or a PartiQL
// statement.
func dynamoTable(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		_, rest, ok := strings.Cut(v, ":table/")
		name, _, _ := strings.Cut(rest, "/")
		return name, ok && name != ""
	}
	if strings.ContainsAny(v, " \t\n") {
		_, table, _, ok := partiQLTarget(v)
		return table, ok
	}
	return v, v != ""
}

// dynamoIndex reads an index name, or the index a PartiQL statement names.
func dynamoIndex(v string) (string, bool) {
	if strings.ContainsAny(v, " \t\n") {
		_, _, index, ok := partiQLTarget(v)
		return index, ok && index != ""
	}
	return v, v != ""
}

// partiQLTableOf and partiQLIndexOf read the table or index of a PartiQL
// statement only when the statement's verb is verb.
func partiQLTableOf(verb string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		got, table, _, ok := partiQLTarget(v)
		return table, ok && got == verb
	}
}

func partiQLIndexOf(verb string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		got, _, index, ok := partiQLTarget(v)
		return index, ok && got == verb && index != ""
	}
}

// dynamoStream reads the stream ARN a DynamoDB Streams shard iterator
// starts with: "arn:…:table/T/stream/LABEL|1|AAAA…".
func dynamoStream(v string) (string, bool) {
	arn, _, ok := strings.Cut(v, "|")
	return arn, ok && strings.HasPrefix(arn, "arn:")
}

// timestreamDatabase and timestreamTable read a database or table name, or
// the table a Timestream query selects from: FROM "database"."table".
func timestreamDatabase(v string) (string, bool) {
	if !strings.ContainsAny(v, " \t\n") {
		return v, v != ""
	}
	_, db, table, ok := partiQLTarget(v)
	return db, ok && table != ""
}

func timestreamTable(v string) (string, bool) {
	if !strings.ContainsAny(v, " \t\n") {
		return v, v != ""
	}
	_, _, table, ok := partiQLTarget(v)
	return table, ok && table != ""
}

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
