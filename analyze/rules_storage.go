package analyze

// Derivation rules for storage, data and analytics services: S3, DynamoDB,
// Glue, Athena, Kinesis, Firehose, Timestream, RDS and ElastiCache.

var storageRules = map[string]map[string]varRule{
	"s3": {
		"BucketName": {paths: []string{"bucketName", "Bucket"}},
		"ObjectName": {paths: []string{"key", "Key"}, transform: iamLiteral},
	},
	"s3express": {
		"BucketName": {paths: []string{"bucketName", "Bucket"}},
	},
	"dynamodb": {
		"TableName": {paths: []string{"tableName", "requestItems.{}", "transactItems.put.tableName", "transactItems.update.tableName",
			"transactItems.delete.tableName", "transactItems.conditionCheck.tableName", "transactItems.get.tableName",
			"statement", "statements.statement", "transactStatements.statement"}, transform: dynamoTable},
		"IndexName": {paths: []string{"indexName", "statement", "statements.statement", "transactStatements.statement"}, transform: dynamoIndex},
		// A shard iterator starts with its stream's ARN.
		"StreamLabel": {paths: []string{"shardIterator"}, transform: dynamoStream},
	},
	"glue": {
		"DatabaseName": {paths: []string{"databaseName", "dbName", "name", "databaseInput.name"}},
		"TableName":    {paths: []string{"tableName", "name", "tableInput.name", "tablesToDelete"}},
		"CrawlerName":  {paths: []string{"crawlerName", "name"}},
		"JobName":      {paths: []string{"jobName", "name"}},
	},
	"athena": {
		"WorkGroupName":   {paths: []string{"workGroup", "response.queryExecution.workGroup", "response.queryExecutions.workGroup"}},
		"DataCatalogName": {paths: []string{"catalogName", "name"}},
	},
	"kinesis": {
		"StreamName": {paths: []string{"streamName"}},
	},
	"timestream": {
		"DatabaseName": {paths: []string{"databaseName", "queryString"}, transform: timestreamDatabase},
		"TableName":    {paths: []string{"tableName", "queryString"}, transform: timestreamTable},
	},
	"rds": {
		"DbInstanceName":            {paths: []string{"dBInstanceIdentifier"}, transform: lower},
		"DbClusterInstanceName":     {paths: []string{"dBClusterIdentifier"}, transform: lower},
		"SubnetGroupName":           {paths: []string{"dBSubnetGroupName", "response.dBSubnetGroup.dBSubnetGroupName"}, transform: lower},
		"ParameterGroupName":        {paths: []string{"dBParameterGroupName", "response.dBParameterGroups.dBParameterGroupName"}, transform: lower},
		"ClusterParameterGroupName": {paths: []string{"dBClusterParameterGroupName", "response.dBClusterParameterGroup"}, transform: lower},
		"OptionGroupName":           {paths: []string{"optionGroupName", "response.optionGroupMemberships.optionGroupName"}, transform: lower},
		"SecurityGroupName":         {paths: []string{"dBSecurityGroupName", "dBSecurityGroups"}},
		"SnapshotName":              {paths: []string{"dBSnapshotIdentifier"}, transform: lower},
		"ClusterSnapshotName":       {paths: []string{"dBClusterSnapshotIdentifier"}, transform: lower},
	},
	"rds-data": {
		"DbClusterInstanceName": {paths: []string{"resourceArn"}},
	},
	"elasticache": {
		"CacheClusterId":           {paths: []string{"cacheClusterId"}, transform: lower},
		"ReplicationGroupId":       {paths: []string{"replicationGroupId"}, transform: lower},
		"CacheParameterGroupName":  {paths: []string{"cacheParameterGroupName"}, transform: lower},
		"CacheSubnetGroupName":     {paths: []string{"cacheSubnetGroupName"}, transform: lower},
		"SnapshotName":             {paths: []string{"snapshotName"}},
		"ServerlessCacheName":      {paths: []string{"serverlessCacheName"}},
		"UserGroupId":              {paths: []string{"userGroupIds", "userGroupId", "userGroupIdsToAdd"}},
		"UserId":                   {paths: []string{"userId", "userIds"}},
		"GlobalReplicationGroupId": {paths: []string{"globalReplicationGroupId"}},
	},
}

var storageActionRules = map[string]map[string]varRule{
	"athena:CreateWorkGroup": {"WorkGroupName": {paths: []string{"name"}}},
	// Athena runs in the primary workgroup when the request names none.
	"athena:StartQueryExecution": {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:CreateNamedQuery":    {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:ListNamedQueries":    {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:ListQueryExecutions": {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	// Glue authorizes listing calls against every table (or database) they
	// could return.
	"glue:GetTables":    {"TableName": {fallback: "*"}},
	"glue:GetDatabases": {"DatabaseName": {fallback: "*"}},
}
