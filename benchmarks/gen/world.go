package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The synthetic organization: two accounts, about 50 principals (role
// sessions, IAM users, and AWS services assuming roles), each with its own
// resources and a workload profile that says which calls it makes how often.

const (
	prodAccount    = "111122223333"
	stagingAccount = "444455556666"
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
	name      string
	buckets   []string
	prefix    string
	tables    []string
	queues    []string
	keyID     string
	functions []string
	param     string
	secret    string
	logGroup  string
	roles     []string // role ARNs it may assume
}

// Profiles: the calls each kind of workload makes, by weight.
var profiles = map[string][]weighted{
	"api": {{12, s3Get}, {4, s3Put}, {20, ddbGet}, {10, ddbPut}, {12, ddbQuery}, {6, ddbUpdate},
		{8, sqsSend}, {14, kmsDecrypt}, {4, kmsGenerateDataKey}, {3, lambdaInvoke}, {2, ssmGet},
		{2, secretGet}, {1, stsCallerIdentity}, {1, logsCreateStream}, {1, ecrToken}},
	"worker": {{10, sqsReceive}, {8, sqsDelete}, {20, s3Get}, {12, s3Put}, {15, kmsDecrypt},
		{8, kmsGenerateDataKey}, {8, ddbUpdate}, {5, ddbPut}, {2, ddbDelete}, {3, lambdaInvoke},
		{1, ecrToken}, {1, logsCreateStream}, {1, stsCallerIdentity}},
	"etl": {{34, s3Get}, {18, s3Put}, {8, s3List}, {8, s3Head}, {16, kmsDecrypt},
		{8, kmsGenerateDataKey}, {3, ddbQuery}, {1, stsAssume}, {1, stsCallerIdentity}, {1, secretGet}},
	"lambda": {{15, ddbGet}, {8, ddbPut}, {20, s3Get}, {10, s3Put}, {10, sqsSend}, {15, kmsDecrypt},
		{3, secretGet}, {3, ssmGet}, {2, logsCreateStream}, {3, lambdaInvoke}},
	"deployer": {{10, s3Put}, {5, s3Get}, {10, cfnDescribe}, {8, ecrToken}, {6, iamGetRole},
		{5, stsAssume}, {6, ec2Describe}, {4, lambdaUpdateCode}, {4, stsCallerIdentity}, {3, ssmGet},
		{2, s3ListBuckets}},
	"human": {{12, ec2Describe}, {6, iamGetRole}, {8, cfnDescribe}, {6, s3ListBuckets}, {6, s3Get},
		{4, s3List}, {8, logsFilter}, {4, ddbDescribe}, {4, stsCallerIdentity}, {1, consoleLogin},
		{3, kmsDecrypt}},
	"service": {{1, serviceAssume}},
}

// agents are user agents by runtime, as SDKs write them.
var agents = map[string][]string{
	"api": {
		"aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard",
		"aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.4 m/E",
	},
	"worker": {
		"aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/%s#1.34.4 m/E,F",
		"aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/async http/NettyNio cfg/retry-mode/legacy",
	},
	"etl": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.131",
		"aws-sdk-java/1.12.701 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/17.0.11 scala/2.12.18 vendor/Amazon.com_Inc. cfg/retry-mode/legacy EMRFS/2.64.0 Hadoop/3.3.6-amzn-4",
	},
	"lambda": {
		"Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.131",
		"aws-sdk-js/3.614.0 ua/2.0 os/linux#5.10.219-229.866.amzn2.x86_64 lang/js md/nodejs#20.15.0 exec-env/AWS_Lambda_nodejs20.x api/%s#3.614.0",
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

var prodWorkloads = []workload{
	{"checkout-api", "/service/", "api", 12}, {"orders-worker", "/service/", "worker", 10},
	{"payments", "/service/", "api", 8}, {"inventory-sync", "/service/", "worker", 6},
	{"search-indexer", "/service/", "etl", 6}, {"image-resizer", "/service/", "lambda", 6},
	{"report-builder", "/service/", "etl", 5}, {"notifications", "/service/", "lambda", 5},
	{"ledger", "/service/", "api", 5}, {"fraud-scoring", "/service/", "api", 4},
	{"etl-nightly", "/data/", "etl", 8}, {"data-lake-loader", "/data/", "etl", 8},
	{"session-store", "/service/", "api", 4}, {"cart", "/service/", "api", 5},
	{"pricing", "/service/", "api", 3}, {"recommendations", "/service/", "lambda", 3},
	{"audit-export", "/security/", "etl", 2}, {"backup-agent", "/ops/", "worker", 2},
	{"ci-deployer", "/ci/", "deployer", 2}, {"github-actions-deploy", "/", "deployer", 1},
	{"AWSReservedSSO_AdministratorAccess_3f2a9c1b7d4e6f80", "/aws-reserved/sso.amazonaws.com/", "human", 1},
	{"AWSReservedSSO_ReadOnlyAccess_0a1b2c3d4e5f6789", "/aws-reserved/sso.amazonaws.com/", "human", 1},
	{"alice", "", "human", 1}, {"bob", "", "human", 1}, {"carol", "", "human", 1}, {"dave", "", "human", 1},
	{"terraform", "", "deployer", 1}, {"legacy-batch", "", "etl", 4}, {"jenkins", "", "deployer", 1},
	{"backup-user", "", "worker", 1},
}

var stagingWorkloads = []workload{
	{"checkout-api", "/service/", "api", 4}, {"orders-worker", "/service/", "worker", 3},
	{"payments", "/service/", "api", 2}, {"inventory-sync", "/service/", "worker", 2},
	{"image-resizer", "/service/", "lambda", 2}, {"report-builder", "/service/", "etl", 2},
	{"notifications", "/service/", "lambda", 2}, {"cart", "/service/", "api", 2},
	{"pricing", "/service/", "api", 1}, {"etl-nightly", "/data/", "etl", 3},
	{"ci-deployer", "/ci/", "deployer", 2}, {"load-tester", "/test/", "api", 3},
	{"chaos-runner", "/test/", "human", 1},
	{"AWSReservedSSO_DeveloperAccess_7c6b5a4d3e2f1a09", "/aws-reserved/sso.amazonaws.com/", "human", 1},
	{"erin", "", "human", 1}, {"frank", "", "human", 1}, {"grace", "", "human", 1},
	{"heidi", "", "deployer", 1}, {"mallory", "", "human", 1},
}

func newWorld(rng *rand.Rand) *world {
	w := &world{rng: rng, byAccount: map[string][]*actor{}}
	for _, acct := range []struct {
		id        string
		workloads []workload
	}{{prodAccount, prodWorkloads}, {stagingAccount, stagingWorkloads}} {
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
		for _, svc := range []string{"ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com"} {
			a := &actor{account: acct.id, weight: 1, ops: profiles["service"], opTotal: 1,
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
	a.agentFmt = choices[rng.IntN(len(choices))]
	a.private = wl.profile == "api" || wl.profile == "worker" || wl.profile == "etl"
	if a.private {
		a.vpc = "vpce-0" + randString(rng, 16, hexDigits)
	}
	short := shortName(wl.name)
	base := "acme-" + env + "-" + short
	a.res = resources{
		name:     wl.name,
		buckets:  []string{base + "-data", "acme-" + env + "-shared-artifacts"},
		prefix:   []string{"orders/", "exports/daily/", "images/original/", "events/year=2026/", "reports/"}[rng.IntN(5)],
		tables:   []string{short, short + "-events"},
		queues:   []string{short + "-jobs", "acme-" + env + "-events"},
		keyID:    uuid(rng),
		param:    "/" + env + "/" + short + "/config",
		secret:   env + "/" + short + "/db-credentials-" + randString(rng, 6, mixedAlnum),
		logGroup: "/ecs/" + env + "/" + short,
	}
	for range 3 {
		a.res.functions = append(a.res.functions, functions[rng.IntN(len(functions))])
		a.res.roles = append(a.res.roles, roles[rng.IntN(len(roles))])
	}
	if wl.profile == "etl" { // readers of everyone's data
		for range 4 {
			other := prodWorkloads[rng.IntN(20)] // a service, not a person
			a.res.buckets = append(a.res.buckets, "acme-"+env+"-"+shortName(other.name)+"-data")
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
	for s := range 4 {
		var name string
		switch wl.profile {
		case "api", "worker":
			name = randString(rng, 32, hexDigits) // an ECS task ID
		case "etl":
			name = "i-0" + randString(rng, 16, hexDigits)
		case "lambda":
			name = wl.name + "-handler"
		case "deployer":
			name = fmt.Sprintf("GitHubActions-%d", 9876543210+rng.IntN(1e6))
		default:
			name = []string{"alice", "bob", "carol", "dave"}[s] + "@acme.example"
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

// shortName names a workload's resources: SSO roles share "sso".
func shortName(name string) string {
	if strings.HasPrefix(name, "AWSReservedSSO_") {
		return "sso"
	}
	return name
}
