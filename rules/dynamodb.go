package rules

import (
	"slices"
	"strings"
)

// DynamoDB, its streams (logged as streams.dynamodb) and its PartiQL API.
func init() {
	register(&Service{
		Prefix: "dynamodb",
		// A stream's label is a timestamp: 2024-05-01T08:15:30.123.
		EndingVars: map[string]VarShape{"StreamLabel": Timestamp},
		Vars: map[string]VarRule{
			"TableName": {Paths: []string{"tableName", "requestItems.{}", "transactItems.put.tableName", "transactItems.update.tableName",
				"transactItems.delete.tableName", "transactItems.conditionCheck.tableName", "transactItems.get.tableName",
				"statement", "statements.statement", "transactStatements.statement"}, Transform: dynamoTable},
			"IndexName": {Paths: []string{"indexName", "statement", "statements.statement", "transactStatements.statement"}, Transform: dynamoIndex},
			// A shard iterator starts with its stream's ARN.
			"StreamLabel": {Paths: []string{"shardIterator"}, Transform: dynamoStream},
		},
		Sides: map[Side]SideRule{
			TransactPut:            transactSide("put", "dynamodb:PutItem"),
			TransactUpdate:         transactSide("update", "dynamodb:UpdateItem"),
			TransactDelete:         transactSide("delete", "dynamodb:DeleteItem"),
			TransactConditionCheck: transactSide("conditionCheck", "dynamodb:ConditionCheckItem"),
			PartiQLSelect:          partiQLSide("SELECT"),
			PartiQLInsert:          partiQLSide("INSERT"),
			PartiQLUpdate:          partiQLSide("UPDATE"),
			PartiQLDelete:          partiQLSide("DELETE"),
		},
		Renamed:        map[string][]Act{"TransactGetItems": Acts("dynamodb:GetItem")},
		Permissionless: map[string]bool{"DescribeEndpoints": true},
		// DynamoDB refuses a CreateTable with tags without
		// dynamodb:TagResource on the table.
		TagOnCreate: map[string]TagRule{"CreateTable": {Tagged: AnyTag, Action: "dynamodb:TagResource"}},
		// A Query on an index needs the index ARN, not the table's.
		Nested: map[string]string{"index": "table"},
		Hooks:  Hooks{Actions: dynamoActions},
	})
}

// transactKinds are the item kinds of a TransactWriteItems, each its own
// action on its own tables.
var transactKinds = []struct {
	key    string
	action string
	side   Side
}{
	{"put", "dynamodb:PutItem", TransactPut}, {"update", "dynamodb:UpdateItem", TransactUpdate},
	{"delete", "dynamodb:DeleteItem", TransactDelete}, {"conditionCheck", "dynamodb:ConditionCheckItem", TransactConditionCheck},
}

// transactSide: the tables of one item kind of a TransactWriteItems.
func transactSide(kind, action string) SideRule {
	path := "transactItems." + kind + ".tableName"
	return SideRule{
		Marker:  []string{path},
		Vars:    map[string]VarRule{"TableName": {Paths: []string{path}, Transform: dynamoTable}},
		Actions: []string{action},
	}
}

// partiQLSide: the tables (and indexes) of the statements with one verb,
// so each PartiQL action is scoped to what its own statements touch.
func partiQLSide(verb string) SideRule {
	return SideRule{Vars: map[string]VarRule{
		"TableName": {Paths: partiQLPaths, Transform: partiQLTableOf(verb)},
		"IndexName": {Paths: partiQLPaths, Transform: partiQLIndexOf(verb)},
	}}
}

var partiQLPaths = []string{"statement", "statements.statement", "transactStatements.statement"}

var partiQLSides = map[string]Side{"SELECT": PartiQLSelect, "INSERT": PartiQLInsert, "UPDATE": PartiQLUpdate, "DELETE": PartiQLDelete}

func dynamoActions(event string, req Request) []Act {
	switch event {
	case "ExecuteStatement":
		return partiQL(req.Strings("statement"))
	case "BatchExecuteStatement":
		return partiQL(req.Strings("statements.statement"))
	case "ExecuteTransaction":
		return partiQL(req.Strings("transactStatements.statement"))
	case "TransactWriteItems":
		var out []Act
		for _, kind := range transactKinds {
			if req.Has("transactItems." + kind.key + ".tableName") {
				out = append(out, Act{Action: kind.action, Side: kind.side})
			}
		}
		return out
	}
	return nil
}

// partiQL picks the PartiQL action from each statement's verb; its side
// scopes each action to its own statements' tables.
func partiQL(statements []string) []Act {
	var names []string
	for _, s := range statements {
		verb, _, _, _ := partiQLTarget(s)
		if _, ok := partiQLSides[verb]; ok {
			names = append(names, verb)
		}
	}
	if names == nil {
		return nil
	}
	slices.Sort(names)
	names = slices.Compact(names)
	out := make([]Act, len(names))
	for i, verb := range names {
		out[i] = Act{Action: "dynamodb:PartiQL" + verb[:1] + strings.ToLower(verb[1:]), Side: partiQLSides[verb]}
	}
	return out
}

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
