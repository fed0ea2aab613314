package analyze

import (
	"regexp"
	"strings"
)

// varRule says where a template variable's value comes from in the request
// (or, for paths starting "response.", the response), and how to turn the
// raw value into the ARN segment. A raw value that is itself an ARN of the
// template's resource type is used whole, so it keeps its own account and
// region.
type varRule struct {
	paths     []string
	transform func(v string) (string, bool) // nil keeps v as is
	// qualifier names a request field whose value, when present, is
	// appended as ":value" to a value that has none (Lambda's Qualifier).
	qualifier string
	// fallback is the value the service uses when the request names none
	// (the ECS "default" cluster, the Athena "primary" workgroup).
	fallback string
	// generalized names the generalization a transform applied, for the
	// stderr report; "" when the value is exact.
	generalized string
}

// serviceRules holds, per service prefix, the request fields that fill each
// template variable. A variable with no rule is looked up under its own name
// in lowerCamel case (TableName → tableName). A new service is mostly a row
// here and a test case.
var serviceRules = map[string]map[string]varRule{
	"s3": {
		"BucketName": {paths: []string{"bucketName", "Bucket"}},
		"ObjectName": {paths: []string{"key", "Key"}},
	},
	"dynamodb": {
		"TableName": {paths: []string{"tableName", "requestItems.{}", "transactItems.put.tableName", "transactItems.update.tableName",
			"transactItems.delete.tableName", "transactItems.conditionCheck.tableName", "transactItems.get.tableName",
			"statement", "statements.statement", "transactStatements.statement"}, transform: dynamoTable},
		"IndexName": {paths: []string{"indexName", "statement", "statements.statement", "transactStatements.statement"}, transform: dynamoIndex},
	},
	"sqs": {
		"QueueName": {paths: []string{"queueName"}},
	},
	"sns": {
		"TopicName": {paths: []string{"name"}},
	},
	"lambda": {
		"FunctionName": {paths: []string{"functionName"}, transform: lambdaFunctionName, qualifier: "qualifier"},
		"LayerName":    {paths: []string{"layerName"}, transform: lastColonSegment},
	},
	"kms": {
		"KeyId": {paths: []string{"keyId", "targetKeyId"}, transform: kmsKeyID},
		"Alias": {paths: []string{"aliasName"}, transform: kmsAlias},
	},
	"secretsmanager": {
		"SecretId": {paths: []string{"secretId", "name", "secretIdList"}, transform: secretWildcard, generalized: secretNote},
	},
	"ssm": {
		"ParameterNameWithoutLeadingSlash": {paths: []string{"name", "names", "path", "parameterName"}, transform: ssmParameterName},
		"DocumentName":                     {paths: []string{"documentName", "name"}},
	},
	"ecr": {
		"RepositoryName": {paths: []string{"repositoryName"}},
	},
	"ecs": {
		"ClusterName":                  {paths: []string{"cluster", "clusters", "clusterName"}, transform: afterSlash, fallback: "default"},
		"ServiceName":                  {paths: []string{"service", "services", "serviceName"}, transform: afterSlash},
		"TaskId":                       {paths: []string{"task", "tasks"}, transform: afterSlash},
		"TaskDefinitionFamilyName":     {paths: []string{"taskDefinition", "family"}, transform: taskDefFamily},
		"TaskDefinitionRevisionNumber": {paths: []string{"taskDefinition"}, transform: taskDefRevision},
	},
	"states": {
		// "name" is the execution's name in StartExecution; only
		// CreateStateMachine uses it for the state machine (actionRules).
		"StateMachineName": {paths: []string{"stateMachineName"}},
	},
	"athena": {
		"WorkGroupName": {paths: []string{"workGroup", "response.queryExecution.workGroup", "response.queryExecutions.workGroup"}},
	},
	"glue": {
		"DatabaseName": {paths: []string{"databaseName", "dbName", "name", "databaseInput.name"}},
		"TableName":    {paths: []string{"tableName", "name", "tableInput.name", "tablesToDelete"}},
	},
	"logs": {
		"LogGroupName":  {paths: []string{"logGroupName", "logGroupIdentifier"}},
		"LogStreamName": {paths: []string{"logStreamName"}},
	},
	"cloudwatch": {
		"AlarmName": {paths: []string{"alarmName", "alarmNames"}},
	},
	"ec2": {
		"InstanceId": {paths: []string{"instanceId", "instancesSet.items.instanceId", "instanceIds"}},
	},
	"cloudfront": {
		"DistributionId": {paths: []string{"id", "distributionId"}},
	},
	"cloudtrail": {
		"TrailName": {paths: []string{"name", "trailName"}},
	},
	"cloudformation": {
		"StackName": {paths: []string{"stackName"}, transform: afterStackPrefix},
	},
	"rds": {
		"DbInstanceName":            {paths: []string{"dBInstanceIdentifier"}},
		"DbClusterInstanceName":     {paths: []string{"dBClusterIdentifier"}},
		"SubnetGroupName":           {paths: []string{"dBSubnetGroupName"}},
		"ParameterGroupName":        {paths: []string{"dBParameterGroupName"}},
		"ClusterParameterGroupName": {paths: []string{"dBClusterParameterGroupName"}},
		"OptionGroupName":           {paths: []string{"optionGroupName"}},
		"SecurityGroupName":         {paths: []string{"dBSecurityGroupName", "dBSecurityGroups"}},
		"SnapshotName":              {paths: []string{"dBSnapshotIdentifier"}},
		"ClusterSnapshotName":       {paths: []string{"dBClusterSnapshotIdentifier"}},
	},
}

// actionRules override serviceRules for one action, where a field means
// something else than in the rest of the service, or where IAM checks a
// resource the request does not name.
var actionRules = map[string]map[string]varRule{
	"states:CreateStateMachine": {"StateMachineName": {paths: []string{"name"}}},
	"athena:CreateWorkGroup":    {"WorkGroupName": {paths: []string{"name"}}},
	// Athena runs in the primary workgroup when the request names none.
	"athena:StartQueryExecution": {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:CreateNamedQuery":    {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:ListNamedQueries":    {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	"athena:ListQueryExecutions": {"WorkGroupName": {paths: []string{"workGroup"}, fallback: "primary"}},
	// The re-encryption's source key: the request may name it, the
	// response does.
	"kms:ReEncryptFrom": {"KeyId": {paths: []string{"sourceKeyId", "response.sourceKeyId"}, transform: kmsKeyID}},
	// Glue authorizes listing calls against every table (or database) they
	// could return.
	"glue:GetTables":    {"TableName": {fallback: "*"}},
	"glue:GetDatabases": {"DatabaseName": {fallback: "*"}},
}

// roleRule describes the second resource of an event that needs different
// actions on two resources (the source of a copy, the destination key of a
// re-encryption, each item kind of a DynamoDB transaction). Its vars say how
// to fill the resource; actions are those that take the role when a denial
// names one of them alone.
type roleRule struct {
	marker  []string // request fields present only in such events
	vars    map[string]varRule
	actions []string
}

// roleRules are keyed "prefix@role", the role as mapping.go names it.
var roleRules = map[string]roleRule{
	"s3@source": {
		marker: []string{"x-amz-copy-source", "copySource"},
		vars: map[string]varRule{
			"BucketName": {paths: []string{"x-amz-copy-source", "copySource"}, transform: copySourceBucket},
			"ObjectName": {paths: []string{"x-amz-copy-source", "copySource"}, transform: copySourceKey},
		},
		actions: []string{"s3:GetObject", "s3:GetObjectVersion"},
	},
	"kms@destination": {
		marker:  []string{"destinationKeyId"},
		vars:    map[string]varRule{"KeyId": {paths: []string{"destinationKeyId", "response.keyId"}, transform: kmsKeyID}},
		actions: []string{"kms:ReEncryptTo"},
	},
	"dynamodb@put": {
		marker:  []string{"transactItems.put.tableName"},
		vars:    map[string]varRule{"TableName": {paths: []string{"transactItems.put.tableName"}, transform: dynamoTable}},
		actions: []string{"dynamodb:PutItem"},
	},
	"dynamodb@update": {
		marker:  []string{"transactItems.update.tableName"},
		vars:    map[string]varRule{"TableName": {paths: []string{"transactItems.update.tableName"}, transform: dynamoTable}},
		actions: []string{"dynamodb:UpdateItem"},
	},
	"dynamodb@delete": {
		marker:  []string{"transactItems.delete.tableName"},
		vars:    map[string]varRule{"TableName": {paths: []string{"transactItems.delete.tableName"}, transform: dynamoTable}},
		actions: []string{"dynamodb:DeleteItem"},
	},
	"dynamodb@conditionCheck": {
		marker:  []string{"transactItems.conditionCheck.tableName"},
		vars:    map[string]varRule{"TableName": {paths: []string{"transactItems.conditionCheck.tableName"}, transform: dynamoTable}},
		actions: []string{"dynamodb:ConditionCheckItem"},
	},
}

// accountFields names request fields that say which account owns the
// resource, where it can differ from the caller's.
var accountFields = map[string][]string{
	"ecr":  {"registryId"},
	"glue": {"catalogId"},
}

// wildcardVars are template variables that name a server-made id the
// request never carries (a CloudFormation stack's UUID). They are filled
// with "*" so the rest of the ARN stays exact.
var wildcardVars = map[string]map[string]bool{
	"cloudformation": {"Id": true},
}

// noFallback lists "service:var" pairs whose generic lowerCamel fallback
// would mislead, such as IAM names that lack the entity's path.
var noFallback = map[string]bool{
	"iam:RoleNameWithPath":   true,
	"iam:UserNameWithPath":   true,
	"iam:PolicyNameWithPath": true,
	"iam:GroupNameWithPath":  true,
}

// arnForms gives, per "prefix:resource type", every form of a derived ARN a
// policy must list. CloudWatch Logs checks many log-group actions against
// "log-group:NAME:*" (the group's ARN as DescribeLogGroups prints it) and
// newer ones against the bare ARN, so both are needed.
var arnForms = map[string]func(arn string) []string{
	"logs:log-group": func(arn string) []string {
		bare := strings.TrimSuffix(arn, ":*")
		return []string{bare, bare + ":*"}
	},
}

// arnFixes rewrite an ARN a request names into the form IAM matches, per
// service; note is non-empty when the result is a generalization.
var arnFixes = map[string]func(arn string) (fixed, note string){
	// Secrets Manager accepts a partial ARN, without the secret's random
	// suffix; IAM sees the full one.
	"secretsmanager": func(arn string) (string, string) {
		i := strings.Index(arn, ":secret:")
		if i < 0 || secretSuffix.MatchString(arn) || strings.ContainsAny(arn[i:], "*?") {
			return arn, ""
		}
		return arn + "-??????", secretNote
	},
}

const secretNote = "secret named without its random suffix"

var secretSuffix = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

func lambdaFunctionName(v string) (string, bool) {
	// A name, name:qualifier, or a partial ARN ACCOUNT:function:NAME[:Q].
	// Full ARNs matching the template are used whole before this runs.
	if i := strings.Index(v, ":function:"); i >= 0 {
		v = v[i+len(":function:"):]
	}
	return v, v != "" && !strings.HasPrefix(v, ":")
}

func lastColonSegment(v string) (string, bool) {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func kmsKeyID(v string) (string, bool) {
	if strings.HasPrefix(v, "alias/") || strings.HasPrefix(v, "arn:") {
		return "", false // an alias names no key; key ARNs are used whole
	}
	return v, v != ""
}

// kmsAlias strips "alias/": the template already has it.
func kmsAlias(v string) (string, bool) {
	name, ok := strings.CutPrefix(v, "alias/")
	return name, ok && name != ""
}

// secretWildcard: a secret named without its 6-character random suffix is
// matched by IAM only with "name-??????".
func secretWildcard(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return v + "-??????", v != ""
}

// ssmParameterName drops the leading slash and a ":version" or ":label"
// selector, which IAM does not see.
func ssmParameterName(v string) (string, bool) {
	v = strings.TrimPrefix(v, "/")
	v, _, _ = strings.Cut(v, ":")
	return v, v != ""
}

func afterSlash(v string) (string, bool) {
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func taskDefFamily(v string) (string, bool) {
	v, _ = afterSlash(v)
	fam, _, _ := strings.Cut(v, ":")
	return fam, fam != ""
}

func taskDefRevision(v string) (string, bool) {
	v, _ = afterSlash(v)
	_, rev, ok := strings.Cut(v, ":")
	return rev, ok && rev != ""
}

func afterStackPrefix(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		parts := strings.Split(v, "/")
		if len(parts) >= 2 {
			return parts[1], true
		}
		return "", false
	}
	return v, v != ""
}

// copySourceBucket and copySourceKey read a CopyObject or UploadPartCopy
// source: "bucket/key", optionally with a leading slash, URL-escaped, and
// with "?versionId=".
func copySourceBucket(v string) (string, bool) {
	b, _, ok := splitCopySource(v)
	return b, ok
}

func copySourceKey(v string) (string, bool) {
	_, k, ok := splitCopySource(v)
	return k, ok
}

func splitCopySource(v string) (bucket, key string, ok bool) {
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "/"), "?")
	bucket, key, ok = strings.Cut(v, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", false
	}
	return unescapePath(bucket), unescapePath(key), true
}

// partiQLTarget finds the table (and index) a PartiQL statement reads or
// writes: FROM "table"."index", INTO table, UPDATE table.
var partiQLTarget = regexp.MustCompile(`(?i)\b(?:FROM|INTO|UPDATE)\s+("[^"]+"|[A-Za-z0-9_-]+)(?:\.("[^"]+"|[A-Za-z0-9_-]+))?`)

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
		m := partiQLTarget.FindStringSubmatch(v)
		if m == nil {
			return "", false
		}
		return strings.Trim(m[1], `"`), true
	}
	return v, v != ""
}

// dynamoIndex reads an index name, or the index a PartiQL statement names.
func dynamoIndex(v string) (string, bool) {
	if strings.ContainsAny(v, " \t\n") {
		m := partiQLTarget.FindStringSubmatch(v)
		if m == nil || m[2] == "" {
			return "", false
		}
		return strings.Trim(m[2], `"`), true
	}
	return v, v != ""
}
