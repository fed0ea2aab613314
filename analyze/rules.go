package analyze

import (
	"fmt"
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// The ARN derivation rules are data: per service, where each variable of
// the catalog's ARN templates comes from in the request or the response.
// This file holds their types and the tables that cut across services;
// the rows live by service family in rules_storage.go, rules_compute.go,
// rules_app.go and rules_security.go, and the value transforms in
// rules_transform.go.

// varRule says where a template variable's value comes from in the request
// (or, for paths starting "response.", the response), and how to turn the
// raw value into the ARN segment. A raw value that is itself an ARN of the
// template's resource type is used whole, so it keeps its own account and
// region. The first path that yields a usable value wins.
type varRule struct {
	paths     []string
	transform func(v string) (string, bool) // nil keeps v as is; an ARN result stands whole
	// expand replaces transform where one raw value stands for several
	// segments (an SES sender is its address's identity or its domain's).
	expand func(v string) []string
	// qualifier names a request field whose value, when present, is
	// appended as ":value" to a value that has none (Lambda's Qualifier).
	qualifier string
	// iamPath names the request field holding a new IAM entity's path,
	// which goes before its name; without one the entity is at "/".
	iamPath string
	// fallback is the value the service uses when the request names none
	// (the ECS "default" cluster, the Athena "primary" workgroup), or "*"
	// for an id the service makes (a new instance is "instance/*").
	fallback string
	// fallbackEach applies fallback to each list element that lacks the
	// field (a PutEvents entry without eventBusName).
	fallbackEach bool
	// fallbackNote, when set, is the generalization the fallback is: used
	// also when the request names a value the rule cannot use (a family
	// without a revision), and listed on stderr.
	fallbackNote string
	// when, if set, must hold for the variable to be known: the same
	// request fields fill different resource types depending on others.
	when func(req params) bool
	// generalized names the generalization the rule makes, for the
	// stderr report; "" when the value is exact.
	generalized string
}

// serviceRules holds, per service prefix, the request fields that fill each
// template variable. A variable with no rule is looked up under its own name
// in lowerCamel case (TableName → tableName). A new service is mostly a row
// in one of the rules_*.go files and a case in testdata/regress.
var serviceRules = mergeRules(storageRules, computeRules, appRules, securityRules)

// mergeRules joins the per-family tables of rules, keyed by service or by
// action; a key defined twice is a mistake caught at start-up.
func mergeRules(parts ...map[string]map[string]varRule) map[string]map[string]varRule {
	out := map[string]map[string]varRule{}
	for _, part := range parts {
		for svc, vars := range part {
			if _, dup := out[svc]; dup {
				panic(fmt.Sprintf("analyze: rules for %q are defined twice", svc)) // a service or an action
			}
			out[svc] = vars
		}
	}
	return out
}

// actionRules override serviceRules for one action, where a field means
// something else than in the rest of the service, or where IAM checks a
// resource the request does not name.
var actionRules = mergeRules(storageActionRules, computeActionRules, appActionRules, securityActionRules)

// typeRules override serviceRules for one resource type, keyed
// "prefix:type", where two types share a variable name but not its source
// (an SSM target "i-…" is an EC2 instance, "mi-…" a managed instance).
var typeRules = map[string]map[string]varRule{
	"ssm:instance":         {"InstanceId": {paths: ssmTargets, transform: idWithPrefix("i-")}},
	"ssm:managed-instance": {"InstanceId": {paths: ssmTargets, transform: idWithPrefix("mi-")}},
	// A rule on the default bus has no bus in its ARN; one on a custom
	// bus has it.
	"events:rule-on-default-event-bus": {"RuleName": {paths: []string{"name", "rule"}, when: onDefaultBus}},
	"events:rule-on-custom-event-bus":  {"EventBusName": {paths: []string{"eventBusName"}, transform: customBusName}},
	// Route 53 names a tagged resource by type and id.
	"route53:hostedzone":  {"Id": {paths: []string{"hostedZoneId", "id", "resourceId"}, transform: route53ID, when: route53Type("hostedzone")}},
	"route53:healthcheck": {"Id": {paths: []string{"healthCheckId", "resourceId"}, when: route53Type("healthcheck")}},
	// A Bedrock model id names a foundation model, or with a geography
	// prefix ("us.", "eu.") a cross-region inference profile.
	"bedrock:foundation-model":  {"ResourceId": {paths: []string{"modelId"}, transform: bedrockFoundationModel}},
	"bedrock:inference-profile": {"ResourceId": {paths: []string{"modelId"}, transform: bedrockInferenceProfile}},
	// EKS resources whose UUID the request does carry.
	"eks:podidentityassociation":    {"UUID": {paths: []string{"associationId"}}},
	"eks:eks-anywhere-subscription": {"UUID": {paths: []string{"id"}}},
}

// alternativeTypes are resource types an action lists as one of several
// kinds of resource its request may name (bedrock:InvokeModel lists every
// kind of model). A template without variables among them would always
// fill, so it is only matched to ARNs the event names.
var alternativeTypes = map[string]bool{
	"bedrock:bedrock-marketplace-model-endpoint": true,
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
	// orDirect lets resources[] stand in when the role's fields name
	// nothing: KMS lists both keys of a ReEncrypt there, and a destination
	// named by alias is otherwise unknown. resources[] does not say which
	// key is which, so the counterpart's own fields (the source key named
	// by id) take theirs out; when neither side is named, both sides get
	// both keys, reported as a generalization.
	orDirect    bool
	counterpart string // the action on the event's other side
}

// bothSides is the generalization noted when resources[] cannot be split
// between the two sides of an event.
const bothSides = "the event's resources[] lists both sides' resources without saying which is which; each side is granted both"

// roleRules are keyed "prefix@role", the role as mapping.go names it.
var roleRules = map[string]roleRule{
	"s3@source": {
		marker: []string{"x-amz-copy-source", "copySource"},
		vars: map[string]varRule{
			"BucketName": {paths: []string{"x-amz-copy-source", "copySource"}, transform: copySourceBucket},
			"ObjectName": {paths: []string{"x-amz-copy-source", "copySource"}, transform: copySourceKey},
		},
		actions: []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"},
	},
	// DeleteObjects logs no keys: the bucket's objects, all of them.
	"s3@objects": {
		vars: map[string]varRule{
			"BucketName": {paths: []string{"bucketName", "Bucket"}},
			"ObjectName": {fallback: "*", generalized: "DeleteObjects does not log the keys it deletes"},
		},
	},
	"kms@destination": {
		marker:      []string{"destinationKeyId"},
		vars:        map[string]varRule{"KeyId": {paths: []string{"destinationKeyId", "response.keyId"}, transform: kmsKeyID}},
		actions:     []string{"kms:ReEncryptTo"},
		orDirect:    true,
		counterpart: "kms:ReEncryptFrom",
	},
	"dynamodb@put":            transactRole("put", "dynamodb:PutItem"),
	"dynamodb@update":         transactRole("update", "dynamodb:UpdateItem"),
	"dynamodb@delete":         transactRole("delete", "dynamodb:DeleteItem"),
	"dynamodb@conditionCheck": transactRole("conditionCheck", "dynamodb:ConditionCheckItem"),
	"dynamodb@partiql-select": partiQLRole("SELECT"),
	"dynamodb@partiql-insert": partiQLRole("INSERT"),
	"dynamodb@partiql-update": partiQLRole("UPDATE"),
	"dynamodb@partiql-delete": partiQLRole("DELETE"),
	// The layer versions a function is given (implied.go usedResources),
	// each named by its ARN and used whole.
	"lambda@layers": {vars: map[string]varRule{"LayerName": {paths: []string{"layers"}}}},
	// The instance an alarm's EC2 action acts on: its InstanceId dimension.
	"ec2@alarm-instance": {vars: map[string]varRule{"InstanceId": {paths: []string{"dimensions.value"}, transform: idWithPrefix("i-")}}},
}

// transactRole: the tables of one item kind of a TransactWriteItems.
func transactRole(kind, action string) roleRule {
	path := "transactItems." + kind + ".tableName"
	return roleRule{
		marker:  []string{path},
		vars:    map[string]varRule{"TableName": {paths: []string{path}, transform: dynamoTable}},
		actions: []string{action},
	}
}

// partiQLRole: the tables (and indexes) of the statements with one verb,
// so each PartiQL action is scoped to what its own statements touch.
func partiQLRole(verb string) roleRule {
	return roleRule{vars: map[string]varRule{
		"TableName": {paths: partiQLPaths, transform: partiQLTableOf(verb)},
		"IndexName": {paths: partiQLPaths, transform: partiQLIndexOf(verb)},
	}}
}

var partiQLPaths = []string{"statement", "statements.statement", "transactStatements.statement"}

// accountFields names request fields that say which account owns the
// resource, where it can differ from the caller's.
var accountFields = map[string][]string{
	"ecr":     {"registryId"},
	"glue":    {"catalogId"},
	"sqs":     {"queueOwnerAWSAccountId"},
	"budgets": {"accountId"},
}

// noFallback lists "service:var" pairs whose generic lowerCamel fallback
// would mislead, such as IAM names that lack the entity's path.
var noFallback = map[string]bool{
	"iam:RoleNameWithPath":            true,
	"iam:UserNameWithPath":            true,
	"iam:PolicyNameWithPath":          true,
	"iam:GroupNameWithPath":           true,
	"iam:InstanceProfileNameWithPath": true,
	"sts:RoleNameWithPath":            true,
}

// arnForms gives, per "prefix:resource type", every form of a derived ARN a
// policy must list.
var arnForms = map[string]func(arn string) []string{
	// CloudWatch Logs checks many log-group actions against
	// "log-group:NAME:*" (the group's ARN as DescribeLogGroups prints it)
	// and newer ones against the bare ARN, so both are needed.
	"logs:log-group": func(arn string) []string {
		bare := strings.TrimSuffix(arn, ":*")
		return []string{bare, bare + ":*"}
	},
	// A secret's ARN whose name ends in "-" and six characters may be a
	// partial ARN whose name happens to end so: Secrets Manager's docs call
	// this ambiguous. When the six do not look random, both readings stand.
	"secretsmanager:Secret": secretARNForms,
	// An SSM document AWS owns (its name starts with a prefix reserved to
	// AWS) has no account in its ARN: arn:aws:ssm:REGION::document/AWS-….
	"ssm:document": func(arn string) []string { return []string{ssmDocumentARN(arn)} },
}

// arnFixes rewrite an ARN a request names into the form IAM matches, per
// service; note is non-empty when the result is a generalization.
// unqualified gives the ARN IAM authorizes a qualified ARN on, for actions
// whose resource types take no qualifier: a Step Functions version or alias
// ARN (stateMachine:NAME:QUALIFIER) is authorized on the state machine's
// (Step Functions guide, "Authorization for versions and aliases").
var unqualified = map[string]func(arn string) string{
	"states": func(arn string) string {
		parts := strings.SplitN(arn, ":", 8)
		if len(parts) == 8 && parts[5] == "stateMachine" {
			return strings.Join(parts[:7], ":")
		}
		return arn
	},
}

var arnFixes = map[string]func(arn string) (fixed, note string){
	// An object key may hold "*", "?" or "$", which a policy would read
	// as wildcards or a variable.
	"s3": func(s string) (string, string) {
		a, ok := arn.Parse(s)
		if !ok || a.Region != "" || a.Account != "" {
			return s, ""
		}
		bucket, key, ok := strings.Cut(a.Resource, "/")
		if !ok {
			return s, ""
		}
		lit, _ := iamLiteral(key)
		return a.Head() + bucket + "/" + lit, ""
	},
	// Secrets Manager accepts a partial ARN, without the secret's random
	// suffix; IAM sees the full one.
	"secretsmanager": func(arn string) (string, string) {
		i := strings.Index(arn, ":secret:")
		if i < 0 || hasSecretSuffix(arn) || strings.ContainsAny(arn[i:], "*?") {
			return arn, ""
		}
		return arn + "-??????", secretNote
	},
}

const secretNote = "secret named without its random suffix"
