package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The synthetic organization: two accounts and about 300 principals (role
// sessions, IAM users, IAM Identity Center sessions, and AWS services
// assuming roles), each with its own resources and a workload profile that
// says which calls it makes how often. A few dozen named services carry
// most of the traffic; a long tail of generated ones carries the rest, as
// in a real organization.

const (
	prodAccount    = "111122223333"
	stagingAccount = "444455556666"
	orgID          = "o-a1b2c3d4e5"
)

// actor is one principal and how it calls AWS.
type actor struct {
	account  string
	weight   int // share of the account's records
	sessions []identity
	vpc      string // gateway endpoint for S3 and DynamoDB data calls
	private  bool   // calls from inside the VPC
	agentFmt string // user agent; %s is the service
	ops      []weighted
	opTotal  int
	deny     int // denied calls per 1,000
	res      resources
}

type opFunc func(a *actor, region string, rng *rand.Rand) *call

type weighted struct {
	w int
	f opFunc
}

func (a *actor) pickOp(rng *rand.Rand) opFunc {
	n := rng.IntN(a.opTotal)
	for _, o := range a.ops {
		if n < o.w {
			return o.f
		}
		n -= o.w
	}
	return a.ops[len(a.ops)-1].f
}

func (a *actor) identity(rng *rand.Rand) identity {
	return a.sessions[rng.IntN(len(a.sessions))]
}

func (a *actor) agent(svc string) string {
	if strings.Contains(a.agentFmt, "%s") {
		return fmt.Sprintf(a.agentFmt, svc)
	}
	return a.agentFmt
}

func (a *actor) ip(rng *rand.Rand) string {
	if a.private {
		return fmt.Sprintf("10.%d.%d.%d", 40+rng.IntN(8), rng.IntN(256), 1+rng.IntN(254))
	}
	first := []int{3, 18, 34, 52, 54}[rng.IntN(5)]
	return fmt.Sprintf("%d.%d.%d.%d", first, rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
}

// resources are the names an actor's calls touch; ARNs get the region at
// render time.
type resources struct {
	name, short, env string
	buckets          []string
	prefix           string
	tables           []string
	queues           []string
	topics           []string
	streams          []string
	firehose         string
	keyID            string
	functions        []string
	params           []string // SSM parameter names
	secret           string
	logGroup         string
	roles            []string // role ARNs it may assume or pass
	repos            []string // ECR repositories
	cluster, service string   // ECS
	stateMachines    []string
	bus              string
	glueDB           string
	glueTables       []string
	workGroup        string
	queries          []string // Athena query execution IDs its starts return and its reads name
	stack            string
	project          string // CodeBuild
	pipeline         string
	distribution     string // CloudFront
	zone             string // Route 53 hosted zone ID
	instances        []string
	vpcID            string
	subnets          []string
}

// Profiles: the calls each kind of workload makes, by weight.
var profiles = map[string][]weighted{
	"api": {{12, s3Get}, {4, s3Put}, {20, ddbGet}, {10, ddbPut}, {12, ddbQuery}, {6, ddbUpdate},
		{8, sqsSend}, {14, kmsDecrypt}, {4, kmsGenerateDataKey}, {3, lambdaInvoke}, {2, ssmGet},
		{1, ssmGetParameters}, {2, secretGet}, {1, stsCallerIdentity}, {1, logsCreateStream},
		{3, logsPutEvents}, {1, ecrToken}, {1, ecrBatchGetImage}, {2, ecrLayer}, {4, snsPublish},
		{3, eventsPut}, {3, cwPutMetricData}},
	"worker": {{10, sqsReceive}, {8, sqsDelete}, {20, s3Get}, {12, s3Put}, {15, kmsDecrypt},
		{8, kmsGenerateDataKey}, {8, ddbUpdate}, {5, ddbPut}, {2, ddbDelete}, {3, lambdaInvoke},
		{1, ecrToken}, {1, ecrBatchGetImage}, {2, ecrLayer}, {1, logsCreateStream}, {3, logsPutEvents},
		{1, stsCallerIdentity}, {3, snsPublish}, {2, sqsGetAttributes}, {2, cwPutMetricData}, {1, s3Delete}},
	"stream": {{16, kinesisGetRecords}, {4, kinesisShardIterator}, {12, kinesisPutRecords}, {6, kinesisPutRecord},
		{8, firehosePutBatch}, {8, ddbPut}, {6, ddbUpdate}, {8, kmsDecrypt}, {4, kmsGenerateDataKey},
		{4, s3Put}, {4, cwPutMetricData}, {2, logsPutEvents}, {1, stsCallerIdentity}},
	"etl": {{34, s3Get}, {18, s3Put}, {8, s3List}, {8, s3Head}, {16, kmsDecrypt},
		{8, kmsGenerateDataKey}, {3, ddbQuery}, {2, ddbScan}, {1, stsAssume}, {1, stsCallerIdentity},
		{1, secretGet}, {4, glueGetTable}, {3, glueGetPartitions}, {1, glueGetDatabase}, {2, s3Delete},
		{1, s3GetBucketLocation}},
	"analyst": {{10, athenaStart}, {14, athenaGetExecution}, {8, athenaGetResults}, {8, glueGetTable},
		{4, glueGetPartitions}, {3, glueGetDatabase}, {12, s3Get}, {6, s3Put}, {6, s3List},
		{4, s3GetBucketLocation}, {8, kmsDecrypt}, {3, kmsGenerateDataKey}, {1, stsCallerIdentity}},
	"lambda": {{15, ddbGet}, {8, ddbPut}, {20, s3Get}, {10, s3Put}, {10, sqsSend}, {15, kmsDecrypt},
		{3, secretGet}, {3, ssmGet}, {2, logsCreateStream}, {4, logsPutEvents}, {3, lambdaInvoke},
		{4, snsPublish}, {4, eventsPut}, {2, statesStart}, {1, sesSend}, {1, kmsEncrypt}},
	"orchestrator": {{14, statesStart}, {10, statesDescribe}, {8, eventsPut}, {8, lambdaInvoke},
		{8, sqsSend}, {6, sqsReceive}, {6, sqsDelete}, {8, ddbGet}, {6, ddbUpdate}, {6, kmsDecrypt},
		{3, snsPublish}, {2, ssmGet}, {2, cwPutMetricData}, {1, stsCallerIdentity}},
	"ml": {{14, bedrockInvoke}, {12, ddbGet}, {6, ddbQuery}, {10, s3Get}, {3, s3Put}, {6, kmsDecrypt},
		{2, secretGet}, {2, cwPutMetricData}, {3, logsPutEvents}, {1, stsCallerIdentity}},
	"deployer": {{10, s3Put}, {5, s3Get}, {10, cfnDescribe}, {4, cfnEvents}, {2, cfnUpdate}, {8, ecrToken},
		{3, ecrBatchCheck}, {2, ecrPutImage}, {6, global(iamGetRole)}, {1, global(iamPutRolePolicy)},
		{1, global(iamCreatePolicyVersion)}, {1, global(iamTagRole)}, {5, stsAssume}, {6, ec2Describe},
		{2, ec2DescribeSubnets}, {2, ec2DescribeSecurityGroups}, {1, ec2CreateTags}, {4, lambdaUpdateCode},
		{2, lambdaUpdateConfig}, {2, lambdaGetFunction}, {4, stsCallerIdentity}, {3, ssmGet},
		{2, s3ListBuckets}, {1, s3PutBucketTagging}, {3, ecsDescribeServices}, {2, ecsUpdateService},
		{1, ecsRegisterTaskDefinition}, {2, codebuildStart}, {2, codebuildBatchGet},
		{2, codepipelineState}, {1, global(cloudfrontInvalidate)}, {1, global(route53Change)},
		{2, elbTargetHealth}},
	"human": {{12, ec2Describe}, {3, ec2DescribeSubnets}, {3, ec2DescribeSecurityGroups}, {2, ec2DescribeVpcs},
		{2, ec2DescribeImages}, {2, ec2DescribeVolumes}, {6, global(iamGetRole)}, {3, global(iamListRoles)},
		{2, global(iamListAttachedRolePolicies)}, {2, global(iamGetPolicyVersion)}, {8, cfnDescribe},
		{2, cfnEvents}, {6, s3ListBuckets}, {6, s3Get}, {4, s3List}, {8, logsFilter}, {4, ddbDescribe},
		{4, stsCallerIdentity}, {1, consoleLogin}, {3, kmsDecrypt}, {3, cwGetMetricData}, {2, cwDescribeAlarms},
		{2, lambdaGetFunction}, {2, ecsDescribeServices}, {2, ecsDescribeTasks}, {2, rdsDescribeInstances},
		{1, rdsDescribeClusters}, {1, elasticacheDescribe}, {1, eksDescribe}, {2, elbDescribe},
		{1, elbTargetHealth}, {1, asgDescribe}, {1, acmDescribe}, {2, cloudtrailLookup},
		{1, tagGetResources}, {1, global(healthDescribe)}, {1, global(orgDescribe)}, {1, configDescribeRules},
		{1, global(route53ListRecords)}, {1, secretDescribe}, {1, ssmGetByPath}, {1, athenaStart},
		{1, athenaGetExecution}, {1, sqsGetAttributes}},
	// admin is a human with write access to IAM and the stacks.
	"admin": {{8, ec2Describe}, {4, global(iamGetRole)}, {2, global(iamListRoles)}, {3, global(iamPutRolePolicy)},
		{2, global(iamCreatePolicyVersion)}, {2, global(iamGetPolicyVersion)}, {1, global(iamTagRole)},
		{6, cfnDescribe}, {2, cfnUpdate}, {3, s3ListBuckets}, {2, s3PutBucketTagging}, {2, ec2CreateTags},
		{4, logsFilter}, {2, stsCallerIdentity}, {1, consoleLogin}, {2, cloudtrailLookup}, {2, cwGetMetricData},
		{1, global(orgDescribe)}, {1, configDescribeRules}, {1, tagGetResources}, {1, secretDescribe}},
	// monitor is a third-party monitoring integration: reads only.
	"monitor": {{12, cwGetMetricData}, {6, cwDescribeAlarms}, {6, ec2Describe}, {3, ec2DescribeVolumes},
		{3, rdsDescribeInstances}, {2, elasticacheDescribe}, {3, elbDescribe}, {2, asgDescribe},
		{3, tagGetResources}, {2, ecsDescribeServices}, {2, lambdaGetFunction}, {1, global(healthDescribe)},
		{2, cloudtrailLookup}, {1, ddbDescribe}},
	"service": {{1, serviceAssume}},
}

// agents are user agents by runtime, as SDKs write them.
var agents = map[string][]string{
	"api": {
		"aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard",
		"aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.4 m/E",
		"aws-sdk-js/3.614.0 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 lang/js md/nodejs#20.15.0 exec-env/AWS_ECS_FARGATE api/%s#3.614.0",
	},
	"worker": {
		"aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.4 m/E,F",
		"aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/async http/NettyNio cfg/retry-mode/legacy",
	},
	"stream": {
		"aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/async http/NettyNio cfg/retry-mode/standard ft/kinesis-client-library/2.6.0",
	},
	"etl": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131",
		"aws-sdk-java/1.12.701 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/17.0.11 scala/2.12.18 vendor/Amazon.com_Inc. cfg/retry-mode/legacy EMRFS/2.64.0 Hadoop/3.3.6-amzn-4",
	},
	"analyst": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131 awswrangler/3.9.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	},
	"lambda": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.131",
		"aws-sdk-js/3.614.0 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 lang/js md/nodejs#20.15.0 exec-env/AWS_Lambda_nodejs20.x api/%s#3.614.0",
	},
	"orchestrator": {
		"aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.4 m/E",
	},
	"ml": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE cfg/retry-mode#adaptive Botocore/1.34.131",
	},
	"deployer": {
		"APN/1.0 HashiCorp/1.0 Terraform/1.9.2 (+https://www.terraform.io) terraform-provider-aws/5.57.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.1 ua/2.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64 api/%s#1.168.0",
		"aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1023-azure md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#%s",
	},
	"human": {
		"aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#%s",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"AWS Internal",
	},
	"monitor": {
		"aws-sdk-go/1.54.19 (go1.22.5; linux; amd64) datadog-aws-integration",
	},
}

type world struct {
	rng       *rand.Rand
	byAccount map[string][]*actor
}

// workload is one principal of the organization: a role (path set) or an
// IAM user (path empty).
type workload struct {
	name, path, profile string
	weight              int
}

// The named workloads carry most of the traffic (weights are relative
// within an account); generated ones (tail) add the long tail.
var prodWorkloads = []workload{
	{"checkout-api", "/service/", "api", 48}, {"orders-worker", "/service/", "worker", 40},
	{"payments", "/service/", "api", 32}, {"inventory-sync", "/service/", "worker", 24},
	{"search-indexer", "/service/", "etl", 24}, {"image-resizer", "/service/", "lambda", 24},
	{"report-builder", "/service/", "etl", 20}, {"notifications", "/service/", "lambda", 20},
	{"ledger", "/service/", "api", 20}, {"fraud-scoring", "/service/", "ml", 16},
	{"etl-nightly", "/data/", "etl", 32}, {"data-lake-loader", "/data/", "etl", 32},
	{"session-store", "/service/", "api", 16}, {"cart", "/service/", "api", 20},
	{"pricing", "/service/", "api", 12}, {"recommendations", "/service/", "ml", 12},
	{"audit-export", "/security/", "etl", 8}, {"backup-agent", "/ops/", "worker", 8},
	{"clickstream-ingest", "/data/", "stream", 24}, {"order-events", "/data/", "stream", 16},
	{"order-saga", "/service/", "orchestrator", 12}, {"bi-analysts", "/data/", "analyst", 8},
	{"ci-deployer", "/ci/", "deployer", 8}, {"github-actions-deploy", "/", "deployer", 4},
	{"alice", "", "human", 2}, {"bob", "", "human", 2}, {"carol", "", "human", 2}, {"dave", "", "human", 2},
	{"ivan", "", "human", 1}, {"judy", "", "human", 1}, {"ken", "", "human", 1}, {"leo", "", "human", 1},
	{"mia", "", "human", 1}, {"nina", "", "analyst", 1}, {"oscar", "", "human", 1}, {"peggy", "", "admin", 1},
	{"terraform", "", "deployer", 4}, {"legacy-batch", "", "etl", 16}, {"jenkins", "", "deployer", 4},
	{"backup-user", "", "worker", 4}, {"svc-datadog", "", "monitor", 6}, {"svc-splunk", "", "monitor", 3},
}

var stagingWorkloads = []workload{
	{"checkout-api", "/service/", "api", 16}, {"orders-worker", "/service/", "worker", 12},
	{"payments", "/service/", "api", 8}, {"inventory-sync", "/service/", "worker", 8},
	{"image-resizer", "/service/", "lambda", 8}, {"report-builder", "/service/", "etl", 8},
	{"notifications", "/service/", "lambda", 8}, {"cart", "/service/", "api", 8},
	{"pricing", "/service/", "api", 4}, {"etl-nightly", "/data/", "etl", 12},
	{"clickstream-ingest", "/data/", "stream", 6}, {"order-saga", "/service/", "orchestrator", 4},
	{"ci-deployer", "/ci/", "deployer", 8}, {"load-tester", "/test/", "api", 12},
	{"chaos-runner", "/test/", "human", 4},
	{"erin", "", "human", 2}, {"frank", "", "human", 2}, {"grace", "", "human", 2},
	{"heidi", "", "deployer", 2}, {"mallory", "", "human", 2}, {"trent", "", "human", 1},
	{"victor", "", "human", 1}, {"walter", "", "admin", 1}, {"svc-loadgen", "", "api", 4},
	{"svc-datadog", "", "monitor", 3},
}

// IAM Identity Center permission sets, by account: the role's suffix is
// the permission set's hash.
var ssoSets = map[string][]workload{
	prodAccount: {
		{"AWSReservedSSO_AdministratorAccess_3f2a9c1b7d4e6f80", "/aws-reserved/sso.amazonaws.com/", "admin", 3},
		{"AWSReservedSSO_ReadOnlyAccess_0a1b2c3d4e5f6789", "/aws-reserved/sso.amazonaws.com/", "human", 4},
		{"AWSReservedSSO_DeveloperAccess_5d4c3b2a19087f6e", "/aws-reserved/sso.amazonaws.com/", "human", 6},
		{"AWSReservedSSO_DataScientist_8e7f6a5b4c3d2e1f", "/aws-reserved/sso.amazonaws.com/", "analyst", 4},
		{"AWSReservedSSO_SecurityAudit_1f2e3d4c5b6a7980", "/aws-reserved/sso.amazonaws.com/", "monitor", 2},
		{"AWSReservedSSO_Billing_9a8b7c6d5e4f3a2b", "/aws-reserved/sso.amazonaws.com/", "human", 1},
	},
	stagingAccount: {
		{"AWSReservedSSO_AdministratorAccess_6b5a4c3d2e1f0a9b", "/aws-reserved/sso.amazonaws.com/", "admin", 2},
		{"AWSReservedSSO_DeveloperAccess_7c6b5a4d3e2f1a09", "/aws-reserved/sso.amazonaws.com/", "human", 6},
		{"AWSReservedSSO_ReadOnlyAccess_2d3e4f5a6b7c8d9e", "/aws-reserved/sso.amazonaws.com/", "human", 2},
	},
}

// The long tail: services named domain-kind, drawn from these.
var (
	tailDomains = []string{"billing", "catalog", "shipping", "returns", "invoicing", "tax", "loyalty",
		"coupons", "reviews", "wishlist", "subscriptions", "refunds", "identity", "profiles", "addresses",
		"geo", "fulfillment", "warehouse", "procurement", "suppliers", "forecast", "ads", "email", "sms",
		"push", "media", "thumbnails", "transcode", "pdf-render", "feature-flags", "settings", "compliance",
		"kyc", "risk", "chargebacks", "settlement", "payouts", "fx-rates", "quotes", "booking", "calendar",
		"chat", "support", "tickets", "crm", "partners", "affiliates", "marketplace", "sellers", "listings",
		"stock", "rma", "labels", "carriers", "tracking", "routing", "dispatch", "gift-cards", "bundles",
		"promotions", "store-locator", "translations", "sitemap", "seo", "webhooks", "exports", "imports",
		"reconciliation", "dunning", "metering", "usage", "quota", "captcha", "consent", "gdpr", "archive",
		"dedupe", "enrichment"}
	tailKinds = []struct{ suffix, path, profile string }{
		{"-api", "/service/", "api"}, {"-api", "/service/", "api"}, {"-worker", "/service/", "worker"},
		{"-worker", "/service/", "worker"}, {"-fn", "/service/", "lambda"}, {"-fn", "/service/", "lambda"},
		{"-etl", "/data/", "etl"}, {"-stream", "/data/", "stream"}, {"-jobs", "/service/", "orchestrator"},
		{"-reports", "/data/", "analyst"}, {"-ml", "/service/", "ml"},
	}
	// people who sign in through IAM Identity Center
	people = []string{"alice", "bob", "carol", "dave", "ivan", "judy", "ken", "leo", "mia", "nina",
		"oscar", "peggy", "erin", "frank", "grace", "rupert", "sybil", "trudy", "uma", "wendy"}
	// AWS services that assume the organization's roles
	servicePrincipals = []string{"ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com",
		"states.amazonaws.com", "events.amazonaws.com", "cloudformation.amazonaws.com",
		"codebuild.amazonaws.com", "glue.amazonaws.com", "firehose.amazonaws.com", "scheduler.amazonaws.com"}
)

const (
	prodTail    = 170
	stagingTail = 60
)

// tail returns n generated workloads, all distinct, none named like a
// named one.
func tail(rng *rand.Rand, n int, named []workload) []workload {
	var all []workload
	for _, d := range tailDomains {
		for _, k := range tailKinds {
			all = append(all, workload{name: d + k.suffix, path: k.path, profile: k.profile})
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	seen := map[string]bool{}
	for _, wl := range named {
		seen[wl.name] = true
	}
	var out []workload
	for _, wl := range all {
		if len(out) == n {
			break
		}
		if seen[wl.name] {
			continue
		}
		seen[wl.name] = true
		// Mostly quiet, a few busy: 1–3, and one in eight 4–12.
		wl.weight = 1 + rng.IntN(3)
		if rng.IntN(8) == 0 {
			wl.weight = 4 + rng.IntN(9)
		}
		out = append(out, wl)
	}
	return out
}

func newWorld(rng *rand.Rand) *world {
	w := &world{rng: rng, byAccount: map[string][]*actor{}}
	prodTailWl := tail(rng, prodTail, prodWorkloads)
	// Staging runs a subset of production's services.
	stagingTailWl := slices.Clone(prodTailWl)
	rng.Shuffle(len(stagingTailWl), func(i, j int) { stagingTailWl[i], stagingTailWl[j] = stagingTailWl[j], stagingTailWl[i] })
	stagingTailWl = stagingTailWl[:stagingTail]
	for _, acct := range []struct {
		id        string
		workloads []workload
	}{
		{prodAccount, slices.Concat(prodWorkloads, ssoSets[prodAccount], prodTailWl)},
		{stagingAccount, slices.Concat(stagingWorkloads, ssoSets[stagingAccount], stagingTailWl)},
	} {
		var roles []string
		for _, wl := range acct.workloads {
			if wl.path != "" {
				roles = append(roles, "arn:aws:iam::"+acct.id+":role"+wl.path+wl.name)
			}
		}
		var functions []string
		for _, wl := range acct.workloads {
			if wl.profile == "lambda" || wl.profile == "api" {
				functions = append(functions, wl.name+"-handler")
			}
		}
		for _, wl := range acct.workloads {
			a := w.actor(acct.id, wl, roles, functions)
			w.byAccount[acct.id] = append(w.byAccount[acct.id], a)
		}
		for _, svc := range servicePrincipals {
			a := &actor{account: acct.id, weight: 2, ops: profiles["service"], opTotal: 1,
				sessions: []identity{{Type: "AWSService", InvokedBy: svc}}}
			a.res.roles = roles
			w.byAccount[acct.id] = append(w.byAccount[acct.id], a)
		}
	}
	return w
}

func (w *world) actor(account string, wl workload, roles, functions []string) *actor {
	rng := w.rng
	env := "prod"
	if account == stagingAccount {
		env = "staging"
	}
	a := &actor{account: account, weight: wl.weight, ops: profiles[wl.profile]}
	for _, o := range a.ops {
		a.opTotal += o.w
	}
	choices := agents[wl.profile]
	if choices == nil {
		choices = agents["human"]
	}
	a.agentFmt = choices[rng.IntN(len(choices))]
	switch wl.profile {
	case "api", "worker", "etl", "stream", "orchestrator", "ml":
		a.private = true
		a.vpc = "vpce-0" + randString(rng, 16, hexDigits)
	}
	// Denied calls per 1,000: most principals are well configured, some
	// are missing a permission or two, a few are badly off.
	switch n := rng.IntN(10); {
	case n < 6:
		a.deny = 10 + rng.IntN(20)
	case n < 9:
		a.deny = 20 + rng.IntN(30)
	default:
		a.deny = 60 + rng.IntN(70)
	}
	short := shortName(wl.name)
	base := "acme-" + env + "-" + short
	a.res = resources{
		name:          wl.name,
		short:         short,
		env:           env,
		buckets:       []string{base + "-data", "acme-" + env + "-shared-artifacts"},
		prefix:        pick(rng, []string{"orders/", "exports/daily/", "images/original/", "events/year=2026/", "reports/", "uploads/", "invoices/", "raw/", "tmp/"}),
		tables:        []string{short, short + "-events"},
		queues:        []string{short + "-jobs", "acme-" + env + "-events", short + "-dlq"},
		topics:        []string{base + "-events", "acme-" + env + "-alerts"},
		streams:       []string{base + "-stream", "acme-" + env + "-clickstream"},
		firehose:      base + "-to-s3",
		keyID:         uuid(rng),
		params:        []string{"/" + env + "/" + short + "/config", "/" + env + "/" + short + "/feature-flags", "/" + env + "/shared/endpoints"},
		secret:        env + "/" + short + "/db-credentials-" + randString(rng, 6, mixedAlnum),
		logGroup:      "/ecs/" + env + "/" + short,
		repos:         []string{short, "base-images/" + pick(rng, []string{"java21", "python312", "node20", "go122"})},
		cluster:       "acme-" + env + "-" + pick(rng, []string{"core", "data", "edge", "internal"}),
		service:       short,
		stateMachines: []string{short + "-flow", "acme-" + env + "-order-fulfillment"},
		bus:           "acme-" + env + "-bus",
		glueDB:        "acme_" + env + "_" + pick(rng, []string{"lake", "curated", "raw", "marts"}),
		workGroup:     pick(rng, []string{"primary", "analysts", "etl", "reporting"}),
		stack:         base,
		project:       short + "-build",
		pipeline:      short + "-pipeline",
		distribution:  "E" + randString(rng, 13, upperAlnum),
		zone:          "Z0" + randString(rng, 19, upperAlnum),
		vpcID:         "vpc-0" + randString(rng, 16, hexDigits),
	}
	for range 4 {
		a.res.glueTables = append(a.res.glueTables, pick(rng, []string{"orders", "order_items", "customers", "clicks", "sessions", "payments", "refunds", "inventory", "shipments", "events"}))
		a.res.instances = append(a.res.instances, "i-0"+randString(rng, 16, hexDigits))
		a.res.subnets = append(a.res.subnets, "subnet-0"+randString(rng, 16, hexDigits))
	}
	for range 12 {
		a.res.queries = append(a.res.queries, uuid(rng))
	}
	for range 3 {
		a.res.functions = append(a.res.functions, functions[rng.IntN(len(functions))])
		a.res.roles = append(a.res.roles, roles[rng.IntN(len(roles))])
	}
	switch wl.profile {
	case "etl", "analyst", "monitor": // readers of everyone's data
		for range 4 {
			other := prodWorkloads[rng.IntN(24)] // a service, not a person
			a.res.buckets = append(a.res.buckets, "acme-"+env+"-"+shortName(other.name)+"-data")
			a.res.tables = append(a.res.tables, shortName(other.name))
		}
	}

	if wl.path == "" { // an IAM user with a long-term access key
		id := identity{
			Type: "IAMUser", PrincipalID: "AIDA" + randString(rng, 17, upperAlnum),
			ARN: "arn:aws:iam::" + account + ":user/" + wl.name, AccountID: account,
			AccessKeyID: "AKIA" + randString(rng, 16, upperAlnum), UserName: wl.name,
		}
		a.sessions = []identity{id}
		return a
	}
	roleID := "AROA" + randString(rng, 17, upperAlnum)
	iss := &issuer{Type: "Role", PrincipalID: roleID, ARN: "arn:aws:iam::" + account + ":role" + wl.path + wl.name,
		AccountID: account, UserName: wl.name}
	sessions := 4
	if strings.HasPrefix(wl.name, "AWSReservedSSO_") {
		sessions = 4 + rng.IntN(6)
	}
	for s := range sessions {
		var name string
		switch wl.profile {
		case "api", "worker", "stream", "orchestrator", "ml":
			name = randString(rng, 32, hexDigits) // an ECS task ID
		case "etl":
			name = "i-0" + randString(rng, 16, hexDigits)
		case "lambda":
			name = wl.name + "-handler"
		case "deployer":
			name = fmt.Sprintf("GitHubActions-%d", 9876543210+rng.IntN(1e6))
		default:
			name = people[(s+rng.IntN(len(people)))%len(people)] + "@acme.example"
		}
		sc := &sessionContext{SessionIssuer: iss, WebIDFederationData: &struct{}{}}
		sc.Attributes.CreationDate = fmt.Sprintf("2026-10-31T%02d:%02d:%02dZ", rng.IntN(24), rng.IntN(60), rng.IntN(60))
		sc.Attributes.MFAAuthenticated = "false"
		a.sessions = append(a.sessions, identity{
			Type: "AssumedRole", PrincipalID: roleID + ":" + name,
			ARN:       "arn:aws:sts::" + account + ":assumed-role/" + wl.name + "/" + name,
			AccountID: account, AccessKeyID: "ASIA" + randString(rng, 16, upperAlnum), SessionContext: sc,
		})
	}
	return a
}

// shortName names a workload's resources: Identity Center roles share
// "sso".
func shortName(name string) string {
	if strings.HasPrefix(name, "AWSReservedSSO_") {
		return "sso"
	}
	return name
}
