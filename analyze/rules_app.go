package analyze

import "strings"

// Derivation rules for application integration, delivery and operations:
// SQS, SNS, EventBridge, Step Functions, API Gateway, SES, CloudFront,
// Route 53, Lex, Budgets, CloudWatch, CloudWatch Logs, CloudFormation,
// CloudTrail and smaller services.

var appRules = map[string]map[string]varRule{
	// A build's id is "project:uuid": its calls are authorized on the
	// project.
	"codebuild": {
		"ProjectName": {paths: []string{"projectName", "ids", "id"}, transform: buildProject},
	},
	// EMR's older calls name the cluster as a job flow.
	"elasticmapreduce": {
		"ClusterId": {paths: []string{"clusterId", "jobFlowId", "jobFlowIds"}},
	},
	"sqs": {
		"QueueName": {paths: []string{"queueName"}},
	},
	"sns": {
		// A subscription's calls are authorized on its topic.
		"TopicName": {paths: []string{"name", "subscriptionArn"}, transform: subscriptionTopic},
	},
	"events": {
		"RuleName":     {paths: []string{"name", "rule"}},
		"EventBusName": {paths: []string{"eventBusName"}, transform: busName, fallback: "default"},
	},
	"states": {
		// "name" is the execution's name in StartExecution; only
		// CreateStateMachine uses it for the state machine (action rules).
		"StateMachineName": {paths: []string{"stateMachineName"}},
	},
	"apigateway": {
		"ApiKeyId":              {paths: []string{"apiKey", "apiKeyId"}},
		"HttpMethodType":        {paths: []string{"httpMethod"}},
		"UrlEncodedResourceARN": {paths: []string{"resourceArn"}, transform: urlEscaped},
		// A REST API's resource (a path node) is its resourceId; an SDK
		// type is its id.
		"ResourceId": {paths: []string{"resourceId"}},
		"Id":         {paths: []string{"id"}},
	},
	"wafv2": {
		"Scope": {paths: []string{"scope"}, transform: wafScope},
		"Name":  {paths: []string{"name"}},
		"Id":    {paths: []string{"id"}},
	},
	"ses": {
		"IdentityName":         {paths: []string{"emailIdentity", "identity"}},
		"ConfigurationSetName": {paths: []string{"configurationSetName", "configurationSet.name"}},
		"TemplateName":         {paths: []string{"templateName", "content.template.templateName", "template"}},
	},
	"cloudfront": {
		// GetInvalidation's "id" is the invalidation's.
		"DistributionId": {paths: []string{"distributionId", "id"}},
		"Name":           {paths: []string{"name"}},
	},
	"route53": {
		"Id": {paths: []string{"id", "hostedZoneId", "resourceId"}, transform: route53ID},
	},
	"lex": {
		// Lex V2 names a bot by id; its botName is then not a V1 bot.
		"BotName": {paths: []string{"botName"}, when: absent("botId")},
	},
	"budgets": {
		"BudgetName": {paths: []string{"budgetName", "budget.budgetName", "newBudget.budgetName"}},
	},
	"mobiletargeting": {
		"AppId": {paths: []string{"applicationId"}},
	},
	"logs": {
		// A log group identifier is its name or its ARN; a log stream's
		// template needs the name either way.
		"LogGroupName":  {paths: []string{"logGroupName", "logGroupIdentifier", "logGroupNames", "logGroupIdentifiers"}, transform: logGroupName},
		"LogStreamName": {paths: []string{"logStreamName"}},
	},
	"cloudwatch": {
		"AlarmName": {paths: []string{"alarmName", "alarmNames"}},
	},
	"cloudformation": {
		"StackName": {paths: []string{"stackName"}, transform: afterStackPrefix},
		// The id CloudFormation appends to a stack's ARN is its own.
		"Id": {fallback: "*"},
	},
	"cloudtrail": {
		"TrailName": {paths: []string{"name", "trailName"}},
	},
	"config": {
		"RecorderName": {paths: []string{"configurationRecorderName", "configurationRecorder.name", "configurationRecorderNames"}},
		// The id AWS Config appends to a recorder's ARN is its own.
		"RecorderId": {fallback: "*"},
	},
}

// newResource is the rule of an id the service makes as it creates the
// resource: IAM checks "TYPE/*".
var newResource = varRule{fallback: "*"}

// sesSender fills an identity from the sender of a message.
var sesSender = map[string]varRule{
	"IdentityName": {paths: []string{"fromEmailAddressIdentityArn", "sourceArn", "fromEmailAddress", "source"}, expand: sesSenderIdentities},
}

var appActionRules = map[string]map[string]varRule{
	// Lex V2 makes a new bot's id, and its test alias's, as it creates
	// them: any bot and alias. Its botName names no V1 bot.
	"lex:CreateBot":             {"BotId": newResource, "BotAliasId": newResource, "BotName": {}, "BotAlias": {}},
	"states:CreateStateMachine": {"StateMachineName": {paths: []string{"name"}}},
	"states:CreateActivity":     {"ActivityName": {paths: []string{"name"}}},
	"events:DescribeEventBus":   {"EventBusName": {paths: []string{"name"}, transform: busName, fallback: "default"}},
	"events:DeleteEventBus":     {"EventBusName": {paths: []string{"name"}}},
	// Each entry goes to its bus, the default one when it names none.
	"events:PutEvents":           {"EventBusName": {paths: []string{"entries.eventBusName"}, transform: busName, fallback: "default", fallbackEach: true}},
	"events:CreateEventBus":      {"EventBusName": {paths: []string{"name"}}},
	"events:CreateConnection":    {"ConnectionName": {paths: []string{"name"}}},
	"events:CreateArchive":       {"EventBusName": {paths: []string{"eventSourceArn"}, transform: busName}},
	"ses:SendEmail":              sesSender,
	"ses:SendRawEmail":           sesSender,
	"ses:SendTemplatedEmail":     sesSender,
	"ses:SendBulkEmail":          sesSender,
	"ses:SendBulkTemplatedEmail": sesSender,
}

// logGroupName reads a log group's name from its name or its ARN
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME, with or without ":*"); the
// ARN's account and region stay with the name.
func logGroupName(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return v, v != ""
	}
	_, name, ok := strings.Cut(v, ":log-group:")
	name = strings.TrimSuffix(name, ":*")
	return name, ok && name != "" && !strings.Contains(name, ":")
}
