package analyze

import "strings"

// varRule says where a template variable's value comes from in the request
// (or, for paths starting "response.", the response), and how to turn the
// raw value into the ARN segment.
type varRule struct {
	paths     []string
	transform func(v string) (string, bool) // nil keeps v as is
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
			"transactItems.delete.tableName", "transactItems.conditionCheck.tableName", "transactItems.get.tableName"}},
		"IndexName": {paths: []string{"indexName"}},
	},
	"sqs": {
		"QueueName": {paths: []string{"queueName"}},
	},
	"sns": {
		"TopicName": {paths: []string{"name"}},
	},
	"lambda": {
		"FunctionName": {paths: []string{"functionName"}, transform: lambdaFunctionName},
		"LayerName":    {paths: []string{"layerName"}, transform: lastColonSegment},
	},
	"kms": {
		"KeyId": {paths: []string{"keyId", "sourceKeyId"}, transform: kmsKeyID},
		"Alias": {paths: []string{"aliasName"}, transform: func(v string) (string, bool) { return v, strings.HasPrefix(v, "alias/") }},
	},
	"secretsmanager": {
		"SecretId": {paths: []string{"secretId", "name"}, transform: secretWildcard, generalized: "secret named without its random suffix"},
	},
	"ssm": {
		"ParameterNameWithoutLeadingSlash": {paths: []string{"name", "names", "path", "parameterName"}, transform: stripLeadingSlash},
		"DocumentName":                     {paths: []string{"documentName", "name"}},
	},
	"ecr": {
		"RepositoryName": {paths: []string{"repositoryName"}},
	},
	"ecs": {
		"ClusterName":                  {paths: []string{"cluster", "clusterName"}, transform: afterSlash},
		"ServiceName":                  {paths: []string{"service", "services", "serviceName"}, transform: afterSlash},
		"TaskDefinitionFamilyName":     {paths: []string{"taskDefinition", "family"}, transform: taskDefFamily},
		"TaskDefinitionRevisionNumber": {paths: []string{"taskDefinition"}, transform: taskDefRevision},
	},
	"states": {
		"StateMachineName": {paths: []string{"name"}},
	},
	"athena": {
		"WorkGroupName": {paths: []string{"workGroup", "name", "response.queryExecution.workGroup"}},
	},
	"glue": {
		"DatabaseName": {paths: []string{"databaseName", "dbName", "name"}},
		"TableName":    {paths: []string{"tableName", "name"}},
	},
	"logs": {
		"LogGroupName":  {paths: []string{"logGroupName"}},
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
	"cloudformation": {
		"StackName": {paths: []string{"stackName"}, transform: afterStackPrefix},
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

// noTemplateByDefault lists "service:var" pairs whose generic lowerCamel
// fallback would mislead, such as IAM names that lack the entity's path.
var noFallback = map[string]bool{
	"iam:RoleNameWithPath":   true,
	"iam:UserNameWithPath":   true,
	"iam:PolicyNameWithPath": true,
	"iam:GroupNameWithPath":  true,
}

func lambdaFunctionName(v string) (string, bool) {
	// A name, a name:qualifier, a partial ARN ACCOUNT:function:NAME, or a
	// full ARN (handled as a candidate ARN before this runs).
	if strings.HasPrefix(v, "arn:") {
		i := strings.Index(v, ":function:")
		if i < 0 {
			return "", false
		}
		v = v[i+len(":function:"):]
	} else if i := strings.Index(v, ":function:"); i >= 0 {
		v = v[i+len(":function:"):]
	}
	name, _, _ := strings.Cut(v, ":")
	return name, name != ""
}

func lastColonSegment(v string) (string, bool) {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func kmsKeyID(v string) (string, bool) {
	if strings.HasPrefix(v, "alias/") || strings.HasPrefix(v, "arn:") {
		return "", false // an alias names no key; ARNs are matched whole
	}
	return v, v != ""
}

// secretWildcard: a secret named without its 6-character random suffix is
// matched by IAM only with "name-??????".
func secretWildcard(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return v + "-??????", v != ""
}

func stripLeadingSlash(v string) (string, bool) {
	v = strings.TrimPrefix(v, "/")
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
