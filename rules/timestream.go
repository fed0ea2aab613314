package rules

import "strings"

// Amazon Timestream.
func init() {
	register(&Service{
		Prefix: "timestream",
		Vars: map[string]VarRule{
			"DatabaseName": {Paths: []string{"databaseName", "queryString"}, Transform: timestreamDatabase},
			"TableName":    {Paths: []string{"tableName", "queryString"}, Transform: timestreamTable},
		},
		Renamed: map[string][]Act{"Query": Acts("timestream:Select")},
	})
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
