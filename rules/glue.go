package rules

// AWS Glue.
func init() {
	register(&Service{
		Prefix: "glue",
		Vars: map[string]VarRule{
			"DatabaseName": {Paths: []string{"databaseName", "dbName", "name", "databaseInput.name"}},
			"TableName":    {Paths: []string{"tableName", "name", "tableInput.name", "tablesToDelete"}},
			"CrawlerName":  {Paths: []string{"crawlerName", "name"}},
			"JobName":      {Paths: []string{"jobName", "name"}},
		},
		// Glue authorizes listing calls against every table (or database)
		// they could return.
		ActionVars: map[string]map[string]VarRule{
			"GetTables":    {"TableName": {Fallback: "*"}},
			"GetDatabases": {"DatabaseName": {Fallback: "*"}},
		},
		AccountFields: []string{"catalogId"},
		Renamed: map[string][]Act{
			"BatchUpdatePartition":               Acts("glue:UpdatePartition"),
			"CreatePartitionIndex":               Acts("glue:UpdateTable"),
			"DeletePartitionIndex":               Acts("glue:UpdateTable"),
			"DeleteColumnStatisticsForTable":     Acts("glue:UpdateTable"),
			"GetColumnStatisticsForTable":        Acts("glue:GetTable"),
			"GetPartitionIndexes":                Acts("glue:GetTable"),
			"GetColumnStatisticsForPartition":    Acts("glue:GetPartition"),
			"DeleteColumnStatisticsForPartition": Acts("glue:UpdatePartition"),
		},
		PassRoles: map[string][]PassRule{
			"CreateJob":         {{Paths: []string{"role"}, Service: "glue.amazonaws.com", Names: true}},
			"UpdateJob":         {{Paths: []string{"jobUpdate.role"}, Service: "glue.amazonaws.com", Names: true}},
			"CreateCrawler":     {{Paths: []string{"role"}, Service: "glue.amazonaws.com", Names: true}},
			"UpdateCrawler":     {{Paths: []string{"role"}, Service: "glue.amazonaws.com", Names: true}},
			"CreateDevEndpoint": {{Paths: []string{"roleArn"}, Service: "glue.amazonaws.com"}},
			"CreateSession":     {{Paths: []string{"role"}, Service: "glue.amazonaws.com", Names: true}},
			"CreateMLTransform": {{Paths: []string{"role"}, Service: "glue.amazonaws.com", Names: true}},
		},
	})
}
