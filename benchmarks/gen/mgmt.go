package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Management calls: reads of the control plane by people, monitoring and
// deployers, and the writes deployers and administrators make, some with
// the large request parameters real ones carry (policy documents, task
// definitions, tag lists, stack parameters).

// api is a management call whose IAM action is the event's name under the
// service's prefix.
func api(source, name, target string, params any) *call {
	host := strings.TrimSuffix(source, ".amazonaws.com")
	prefix := map[string]string{"monitoring": "cloudwatch", "tagging": "tag"}[host]
	if prefix == "" {
		prefix = host
	}
	return &call{source: source, name: name, readOnly: isRead(name), action: prefix + ":" + name,
		target: target, params: params}
}

func isRead(name string) bool {
	for _, p := range []string{"Get", "List", "Describe", "Lookup", "BatchGet", "BatchCheck", "Head", "Search", "Filter"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// global makes a call of a global service (IAM, Route 53, CloudFront,
// Organizations, Health), which CloudTrail logs in us-east-1 only; in other
// regions the principal describes instances instead.
func global(f opFunc) opFunc {
	return func(a *actor, region string, rng *rand.Rand) *call {
		if region != "us-east-1" {
			return ec2Describe(a, region, rng)
		}
		return f(a, region, rng)
	}
}

// tagList is n tags as EC2, IAM, ECS and CloudFormation take them; k and v
// name the fields ("key"/"value", "Key"/"Value").
func tagList(a *actor, rng *rand.Rand, n int, k, v string) []m {
	fixed := [][2]string{{"Name", a.res.name}, {"Environment", a.res.env}, {"Service", a.res.short},
		{"acme:cost-center", fmt.Sprintf("CC-%04d", rng.IntN(10000))}, {"acme:owner", "team-" + a.res.short + "@acme.example"},
		{"acme:data-classification", pick(rng, []string{"public", "internal", "confidential", "restricted"})},
		{"acme:backup-policy", pick(rng, []string{"daily-35d", "weekly-1y", "none"})},
		{"acme:repository", "https://github.com/acme/" + a.res.short}, {"acme:git-sha", randString(rng, 40, hexDigits)},
		{"terraform:module", "git::https://github.com/acme/terraform-modules.git//" + pick(rng, []string{"ecs-service", "lambda", "s3-bucket", "rds"}) + "?ref=v" + fmt.Sprint(1+rng.IntN(9)) + ".4.2"},
		{"compliance:pci", pick(rng, []string{"in-scope", "out-of-scope"})}, {"compliance:sox", "false"},
	}
	out := make([]m, 0, n)
	for i := 0; i < n; i++ {
		var kv [2]string
		if i < len(fixed) {
			kv = fixed[i]
		} else {
			kv = [2]string{fmt.Sprintf("acme:%s-%02d", pick(rng, []string{"label", "owner-team", "runbook", "alarm", "feature", "slo"}), i),
				randString(rng, 8+rng.IntN(40), mixedAlnum)}
		}
		out = append(out, m{k: kv[0], v: kv[1]})
	}
	return out
}

// Actions policy documents grant, by service.
var policyActions = [][]string{
	{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:AbortMultipartUpload"},
	{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"},
	{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"},
	{"kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"},
	{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
	{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
	{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"},
	{"sns:Publish"}, {"events:PutEvents"}, {"states:StartExecution", "states:DescribeExecution"},
	{"kinesis:PutRecord", "kinesis:PutRecords", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream"},
}

// policyDocument is an identity policy of several KB, as a JSON string,
// the way IAM's requestParameters carry it.
func policyDocument(a *actor, region string, rng *rand.Rand) string {
	type stmt struct {
		Sid       string   `json:"Sid"`
		Effect    string   `json:"Effect"`
		Action    []string `json:"Action"`
		Resource  []string `json:"Resource"`
		Condition any      `json:"Condition,omitempty"`
	}
	var doc struct {
		Version   string `json:"Version"`
		Statement []stmt `json:"Statement"`
	}
	doc.Version = "2012-10-17"
	for i := range 4 + rng.IntN(10) {
		acts := pick(rng, policyActions)
		n := 1 + rng.IntN(len(acts))
		s := stmt{Sid: fmt.Sprintf("Stmt%d%d", i, rng.IntN(1e9)), Effect: "Allow", Action: acts[:n]}
		for range 2 + rng.IntN(8) {
			s.Resource = append(s.Resource, pick(rng, []string{
				"arn:aws:s3:::" + pick(rng, a.res.buckets) + "/" + a.res.prefix + "*",
				"arn:aws:dynamodb:" + region + ":" + a.account + ":table/" + pick(rng, a.res.tables),
				"arn:aws:dynamodb:" + region + ":" + a.account + ":table/" + pick(rng, a.res.tables) + "/index/*",
				"arn:aws:sqs:" + region + ":" + a.account + ":" + pick(rng, a.res.queues),
				"arn:aws:kms:" + region + ":" + a.account + ":key/" + uuid(rng),
				"arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":*",
				"arn:aws:secretsmanager:" + region + ":" + a.account + ":secret:" + a.res.env + "/" + a.res.short + "/*",
				"arn:aws:ssm:" + region + ":" + a.account + ":parameter/" + a.res.env + "/" + a.res.short + "/*",
			}))
		}
		if rng.IntN(3) == 0 {
			s.Condition = m{"StringEquals": m{"aws:PrincipalOrgID": orgID, "aws:RequestedRegion": []string{"us-east-1", "eu-west-1", "us-west-2"}}}
		}
		doc.Statement = append(doc.Statement, s)
	}
	b, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

func ec2Call(a *actor, name string, params m) *call {
	c := api("ec2.amazonaws.com", name, "", params)
	return c
}

func ec2Describe(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeInstances", m{"instancesSet": m{}, "filterSet": m{"items": []m{{"name": "tag:Service",
		"valueSet": m{"items": []m{{"value": a.res.short}}}}, {"name": "instance-state-name",
		"valueSet": m{"items": []m{{"value": "running"}}}}}}})
}

func ec2DescribeSubnets(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeSubnets", m{"subnetSet": m{}, "filterSet": m{"items": []m{{"name": "vpc-id",
		"valueSet": m{"items": []m{{"value": a.res.vpcID}}}}}}})
}

func ec2DescribeSecurityGroups(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeSecurityGroups", m{"securityGroupSet": m{}, "securityGroupIdSet": m{},
		"filterSet": m{"items": []m{{"name": "vpc-id", "valueSet": m{"items": []m{{"value": a.res.vpcID}}}}}}})
}

func ec2DescribeVpcs(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeVpcs", m{"vpcSet": m{"items": []m{{"vpcId": a.res.vpcID}}}, "filterSet": m{}})
}

func ec2DescribeImages(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeImages", m{"executableBySet": m{}, "imagesSet": m{}, "ownersSet": m{"items": []m{{"owner": "amazon"}}},
		"filterSet": m{"items": []m{{"name": "name", "valueSet": m{"items": []m{{"value": "al2023-ami-2023.*-x86_64"}}}}}}})
}

func ec2DescribeVolumes(a *actor, region string, rng *rand.Rand) *call {
	return ec2Call(a, "DescribeVolumes", m{"volumeSet": m{}, "filterSet": m{"items": []m{{"name": "attachment.instance-id",
		"valueSet": m{"items": []m{{"value": pick(rng, a.res.instances)}}}}}}, "maxResults": 500})
}

// ec2CreateTags tags a batch of instances and subnets with a long list.
func ec2CreateTags(a *actor, region string, rng *rand.Rand) *call {
	var ids []m
	for _, i := range a.res.instances {
		ids = append(ids, m{"resourceId": i})
	}
	for _, s := range a.res.subnets {
		ids = append(ids, m{"resourceId": s})
	}
	c := ec2Call(a, "CreateTags", m{"resourcesSet": m{"items": ids},
		"tagSet": m{"items": tagList(a, rng, 20+rng.IntN(30), "key", "value")}})
	c.target = "arn:aws:ec2:" + region + ":" + a.account + ":instance/" + a.res.instances[0]
	c.resp = m{"requestId": uuid(rng), "_return": true}
	return c
}

func iamCall(name, target string, params m) *call {
	c := api("iam.amazonaws.com", name, target, params)
	c.version, c.host = "1.11", "iam.amazonaws.com"
	return c
}

func iamGetRole(a *actor, region string, rng *rand.Rand) *call {
	role := pick(rng, a.res.roles)
	return iamCall("GetRole", role, m{"roleName": lastSegment(role)})
}

func iamListRoles(a *actor, region string, rng *rand.Rand) *call {
	return iamCall("ListRoles", "arn:aws:iam::"+a.account+":role/", m{"maxItems": 1000, "pathPrefix": pick(rng, []string{"/", "/service/", "/data/"})})
}

func iamListAttachedRolePolicies(a *actor, region string, rng *rand.Rand) *call {
	role := pick(rng, a.res.roles)
	return iamCall("ListAttachedRolePolicies", role, m{"roleName": lastSegment(role)})
}

func iamGetPolicyVersion(a *actor, region string, rng *rand.Rand) *call {
	p := "arn:aws:iam::" + a.account + ":policy/" + a.res.short + "-access"
	return iamCall("GetPolicyVersion", p, m{"policyArn": p, "versionId": fmt.Sprintf("v%d", 1+rng.IntN(5))})
}

func iamPutRolePolicy(a *actor, region string, rng *rand.Rand) *call {
	role := pick(rng, a.res.roles)
	return iamCall("PutRolePolicy", role, m{"roleName": lastSegment(role), "policyName": a.res.short + "-inline",
		"policyDocument": policyDocument(a, "us-east-1", rng)})
}

func iamCreatePolicyVersion(a *actor, region string, rng *rand.Rand) *call {
	p := "arn:aws:iam::" + a.account + ":policy/" + a.res.short + "-access"
	c := iamCall("CreatePolicyVersion", p, m{"policyArn": p, "policyDocument": policyDocument(a, "us-east-1", rng), "setAsDefault": true})
	c.resp = m{"policyVersion": m{"versionId": fmt.Sprintf("v%d", 2+rng.IntN(4)), "isDefaultVersion": true,
		"createDate": "Nov 1, 2026, 10:15:42 AM"}}
	return c
}

func iamTagRole(a *actor, region string, rng *rand.Rand) *call {
	role := pick(rng, a.res.roles)
	return iamCall("TagRole", role, m{"roleName": lastSegment(role), "tags": tagList(a, rng, 15+rng.IntN(30), "key", "value")})
}

func stackARN(a *actor, region string) string {
	return "arn:aws:cloudformation:" + region + ":" + a.account + ":stack/" + a.res.stack + "/" + a.res.keyID
}

func cfnDescribe(a *actor, region string, rng *rand.Rand) *call {
	stack := stackARN(a, region)
	c := api("cloudformation.amazonaws.com", "DescribeStacks", stack, m{"stackName": stack})
	c.version = "1.11"
	return c
}

func cfnEvents(a *actor, region string, rng *rand.Rand) *call {
	stack := stackARN(a, region)
	c := api("cloudformation.amazonaws.com", "DescribeStackEvents", stack, m{"stackName": a.res.stack})
	c.version = "1.11"
	return c
}

// cfnUpdate updates a stack with many parameters and tags.
func cfnUpdate(a *actor, region string, rng *rand.Rand) *call {
	stack := stackARN(a, region)
	var params []m
	for i := range 10 + rng.IntN(25) {
		params = append(params, m{"parameterKey": fmt.Sprintf("%sParam%02d", pick(rng, []string{"Image", "Desired", "Subnet", "Alarm", "Feature", "Memory", "Cpu"}), i),
			"parameterValue": randString(rng, 6+rng.IntN(60), mixedAlnum)})
	}
	c := api("cloudformation.amazonaws.com", "UpdateStack", stack, m{"stackName": a.res.stack,
		"templateURL": "https://acme-" + a.res.env + "-shared-artifacts.s3.amazonaws.com/cfn/" + a.res.short + "/" + randString(rng, 40, hexDigits) + ".yaml",
		"parameters":  params, "capabilities": []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"},
		"tags": tagList(a, rng, 12+rng.IntN(30), "key", "value"), "clientRequestToken": uuid(rng)})
	c.version = "1.11"
	c.resp = m{"stackId": stack}
	return c
}

func lambdaUpdateCode(a *actor, region string, rng *rand.Rand) *call {
	name := pick(rng, a.res.functions)
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + name
	key := "lambda/" + name + "/" + randString(rng, 40, hexDigits) + ".zip"
	return &call{source: "lambda.amazonaws.com", name: "UpdateFunctionCode20150331v2", version: "1.08",
		action: "lambda:UpdateFunctionCode", target: fn,
		params: m{"functionName": name, "s3Bucket": a.res.buckets[1], "s3Key": key, "publish": true, "dryRun": false},
		resp:   lambdaConfig(a, region, name, rng)}
}

func lambdaConfig(a *actor, region, name string, rng *rand.Rand) m {
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + name
	return m{"functionName": name, "functionArn": fn, "runtime": "python3.12", "role": pick(rng, a.res.roles),
		"handler": "app.handler", "codeSize": 1_000_000 + rng.IntN(9_000_000), "description": "", "timeout": 30,
		"memorySize": 512, "lastModified": "2026-11-01T10:15:42.000+0000", "codeSha256": randString(rng, 44, base64Set),
		"version": "$LATEST", "tracingConfig": m{"mode": "PassThrough"}, "revisionId": uuid(rng),
		"state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": []string{"arm64"},
		"ephemeralStorage": m{"size": 512}, "loggingConfig": m{"logFormat": "Text", "logGroup": "/aws/lambda/" + name}}
}

func lambdaUpdateConfig(a *actor, region string, rng *rand.Rand) *call {
	name := pick(rng, a.res.functions)
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + name
	return &call{source: "lambda.amazonaws.com", name: "UpdateFunctionConfiguration20150331v2", version: "1.08",
		action: "lambda:UpdateFunctionConfiguration", target: fn,
		params: m{"functionName": name, "timeout": 30 + 30*rng.IntN(4), "memorySize": 256 << rng.IntN(4), "environment": m{},
			"layers": []string{"arn:aws:lambda:" + region + ":" + a.account + ":layer:acme-common:" + fmt.Sprint(10+rng.IntN(40))}},
		resp: lambdaConfig(a, region, name, rng)}
}

func lambdaGetFunction(a *actor, region string, rng *rand.Rand) *call {
	name := pick(rng, a.res.functions)
	return &call{source: "lambda.amazonaws.com", name: "GetFunction20150331v2", version: "1.08", readOnly: true,
		action: "lambda:GetFunction", target: "arn:aws:lambda:" + region + ":" + a.account + ":function:" + name,
		params: m{"functionName": name}}
}

func ssmGet(a *actor, region string, rng *rand.Rand) *call {
	p := pick(rng, a.res.params)
	c := api("ssm.amazonaws.com", "GetParameter", "arn:aws:ssm:"+region+":"+a.account+":parameter"+p,
		m{"name": p, "withDecryption": true})
	c.version = "1.08"
	c.failure = failure{"ThrottlingException", "Rate exceeded"}
	return c
}

func ssmGetParameters(a *actor, region string, rng *rand.Rand) *call {
	c := api("ssm.amazonaws.com", "GetParameters", "arn:aws:ssm:"+region+":"+a.account+":parameter"+a.res.params[0],
		m{"names": a.res.params, "withDecryption": true})
	c.version = "1.08"
	return c
}

func ssmGetByPath(a *actor, region string, rng *rand.Rand) *call {
	path := "/" + a.res.env + "/" + a.res.short
	c := api("ssm.amazonaws.com", "GetParametersByPath", "arn:aws:ssm:"+region+":"+a.account+":parameter"+path,
		m{"path": path, "recursive": true, "withDecryption": true})
	c.version = "1.08"
	return c
}

func secretARN(a *actor, region string) string {
	return "arn:aws:secretsmanager:" + region + ":" + a.account + ":secret:" + a.res.secret
}

func secretGet(a *actor, region string, rng *rand.Rand) *call {
	arn := secretARN(a, region)
	c := api("secretsmanager.amazonaws.com", "GetSecretValue", arn, m{"secretId": arn})
	c.version = "1.08"
	return c
}

func secretDescribe(a *actor, region string, rng *rand.Rand) *call {
	arn := secretARN(a, region)
	c := api("secretsmanager.amazonaws.com", "DescribeSecret", arn, m{"secretId": arn})
	c.version = "1.08"
	return c
}

func stsCallerIdentity(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "sts.amazonaws.com", name: "GetCallerIdentity", version: "1.08", readOnly: true}
}

// assumeRole is an AssumeRole of one of a's roles; its response carries
// the session's credentials, which makes these records long.
func assumeRole(a *actor, rng *rand.Rand, session string) *call {
	role := pick(rng, a.res.roles)
	name := role[len(role)-len(lastSegment(role)):]
	return &call{source: "sts.amazonaws.com", name: "AssumeRole", version: "1.08", readOnly: true,
		action: "sts:AssumeRole", target: role,
		params: m{"roleArn": role, "roleSessionName": session, "durationSeconds": 3600},
		resp: m{"credentials": m{"accessKeyId": "ASIA" + randString(rng, 16, upperAlnum),
			"sessionToken": "IQoJb3JpZ2luX2VjE" + randString(rng, 700, base64Set),
			"expiration":   "Nov 1, 2026, 1:00:00 PM"},
			"assumedRoleUser": m{"assumedRoleId": "AROA" + randString(rng, 17, upperAlnum) + ":" + session,
				"arn": "arn:aws:sts::" + a.account + ":assumed-role/" + name + "/" + session}},
		resources: []resource{{AccountID: a.account, Type: "AWS::IAM::Role", ARN: role}}}
}

func lastSegment(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

func stsAssume(a *actor, region string, rng *rand.Rand) *call {
	return assumeRole(a, rng, fmt.Sprintf("%s-%d", a.res.name, 1730419200+rng.IntN(2_000_000)))
}

// serviceAssume is an AWS service assuming a role on a task's, function's
// or instance's behalf: the service, not the role, is the actor.
func serviceAssume(a *actor, region string, rng *rand.Rand) *call {
	c := assumeRole(a, rng, randString(rng, 32, hexDigits))
	c.action = ""
	return c
}

func repoARN(a *actor, region, repo string) string {
	return "arn:aws:ecr:" + region + ":" + a.account + ":repository/" + repo
}

func ecrToken(a *actor, region string, rng *rand.Rand) *call {
	c := api("ecr.amazonaws.com", "GetAuthorizationToken", "", nil)
	c.version = "1.08"
	return c
}

func ecrBatchGetImage(a *actor, region string, rng *rand.Rand) *call {
	repo := pick(rng, a.res.repos)
	c := api("ecr.amazonaws.com", "BatchGetImage", repoARN(a, region, repo), m{"registryId": a.account, "repositoryName": repo,
		"imageIds": []m{{"imageTag": fmt.Sprintf("v1.%d.%d", rng.IntN(40), rng.IntN(20))}},
		"acceptedMediaTypes": []string{"application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
			"application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"}})
	c.version = "1.08"
	return c
}

func ecrLayer(a *actor, region string, rng *rand.Rand) *call {
	repo := pick(rng, a.res.repos)
	c := api("ecr.amazonaws.com", "GetDownloadUrlForLayer", repoARN(a, region, repo), m{"registryId": a.account,
		"repositoryName": repo, "layerDigest": "sha256:" + randString(rng, 64, hexDigits)})
	c.version = "1.08"
	return c
}

func ecrBatchCheck(a *actor, region string, rng *rand.Rand) *call {
	repo := pick(rng, a.res.repos)
	var digests []string
	for range 3 + rng.IntN(8) {
		digests = append(digests, "sha256:"+randString(rng, 64, hexDigits))
	}
	c := api("ecr.amazonaws.com", "BatchCheckLayerAvailability", repoARN(a, region, repo), m{"registryId": a.account,
		"repositoryName": repo, "layerDigests": digests})
	c.version = "1.08"
	return c
}

func ecrPutImage(a *actor, region string, rng *rand.Rand) *call {
	repo := a.res.repos[0]
	c := api("ecr.amazonaws.com", "PutImage", repoARN(a, region, repo), m{"registryId": a.account, "repositoryName": repo,
		"imageTag": fmt.Sprintf("v1.%d.%d", rng.IntN(40), rng.IntN(20)), "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
		"imageManifest": hidden})
	c.version = "1.08"
	return c
}

func logsFilter(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "logs.amazonaws.com", name: "FilterLogEvents", version: "1.08", readOnly: true,
		action: "logs:FilterLogEvents",
		target: "arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":*",
		params: m{"logGroupName": a.res.logGroup, "startTime": 1730419200000 + rng.IntN(1e9), "filterPattern": "ERROR",
			"interleaved": true, "limit": 10000}}
}

func consoleLogin(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "signin.amazonaws.com", name: "ConsoleLogin", version: "1.09", eventType: "AwsConsoleSignIn",
		host: "signin.aws.amazon.com", resp: m{"ConsoleLogin": "Success"},
		extra: m{"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
			"MobileVersion": "No", "MFAUsed": "Yes"}}
}

// s3PutBucketTagging is S3's XML tag set, as CloudTrail logs it.
func s3PutBucketTagging(a *actor, region string, rng *rand.Rand) *call {
	b := a.res.buckets[0]
	host := b + ".s3." + region + ".amazonaws.com"
	return &call{source: "s3.amazonaws.com", name: "PutBucketTagging", host: host, requestID: randString(rng, 16, upperAlnum),
		action: "s3:PutBucketTagging", target: "arn:aws:s3:::" + b,
		params: m{"bucketName": b, "Host": host, "tagging": "", "Tagging": m{"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
			"TagSet": m{"Tag": tagList(a, rng, 10+rng.IntN(40), "Key", "Value")}}},
		extra: m{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 2000 + rng.IntN(3000),
			"AuthenticationMethod": "AuthHeader", "x-amz-id-2": randString(rng, 76, base64Set), "bytesTransferredOut": 0},
		resources: []resource{{AccountID: a.account, Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + b}}}
}

func ecsCluster(a *actor, region string) string {
	return "arn:aws:ecs:" + region + ":" + a.account + ":cluster/" + a.res.cluster
}

func ecsDescribeServices(a *actor, region string, rng *rand.Rand) *call {
	c := api("ecs.amazonaws.com", "DescribeServices", "arn:aws:ecs:"+region+":"+a.account+":service/"+a.res.cluster+"/"+a.res.service,
		m{"cluster": a.res.cluster, "services": []string{a.res.service}, "include": []string{"TAGS"}})
	c.version = "1.08"
	return c
}

func ecsDescribeTasks(a *actor, region string, rng *rand.Rand) *call {
	var tasks []string
	for range 1 + rng.IntN(4) {
		tasks = append(tasks, "arn:aws:ecs:"+region+":"+a.account+":task/"+a.res.cluster+"/"+randString(rng, 32, hexDigits))
	}
	c := api("ecs.amazonaws.com", "DescribeTasks", tasks[0], m{"cluster": ecsCluster(a, region), "tasks": tasks})
	c.version = "1.08"
	return c
}

func ecsUpdateService(a *actor, region string, rng *rand.Rand) *call {
	c := api("ecs.amazonaws.com", "UpdateService", "arn:aws:ecs:"+region+":"+a.account+":service/"+a.res.cluster+"/"+a.res.service,
		m{"cluster": a.res.cluster, "service": a.res.service, "taskDefinition": fmt.Sprintf("%s:%d", a.res.short, 100+rng.IntN(400)),
			"desiredCount": 2 + rng.IntN(10), "forceNewDeployment": true})
	c.version = "1.08"
	return c
}

// ecsRegisterTaskDefinition carries a container definition with a long
// environment, secrets and log settings: several KB.
func ecsRegisterTaskDefinition(a *actor, region string, rng *rand.Rand) *call {
	var env, secrets []m
	for i := range 15 + rng.IntN(30) {
		env = append(env, m{"name": fmt.Sprintf("%s_%02d", pick(rng, []string{"FEATURE", "ENDPOINT", "TIMEOUT", "POOL_SIZE", "LOG_LEVEL", "QUEUE_URL", "TABLE"}), i),
			"value": randString(rng, 4+rng.IntN(60), mixedAlnum)})
	}
	for i := range 3 + rng.IntN(8) {
		secrets = append(secrets, m{"name": fmt.Sprintf("SECRET_%02d", i), "valueFrom": secretARN(a, region)})
	}
	image := a.account + ".dkr.ecr." + region + ".amazonaws.com/" + a.res.repos[0] + ":v1." + fmt.Sprint(rng.IntN(40)) + ".0"
	containers := []m{{"name": a.res.short, "image": image, "cpu": 0, "essential": true,
		"portMappings": []m{{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}},
		"environment":  env, "secrets": secrets, "mountPoints": []m{}, "volumesFrom": []m{},
		"logConfiguration": m{"logDriver": "awslogs", "options": m{"awslogs-group": a.res.logGroup, "awslogs-region": region,
			"awslogs-stream-prefix": "ecs"}},
		"healthCheck": m{"command": []string{"CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"}, "interval": 30, "timeout": 5, "retries": 3}}}
	role := pick(rng, a.res.roles)
	c := api("ecs.amazonaws.com", "RegisterTaskDefinition", "*", m{"family": a.res.short, "taskRoleArn": role,
		"executionRoleArn": role, "networkMode": "awsvpc", "containerDefinitions": containers,
		"requiresCompatibilities": []string{"FARGATE"}, "cpu": "1024", "memory": "2048",
		"runtimePlatform": m{"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
		"tags":            tagList(a, rng, 8+rng.IntN(12), "key", "value")})
	c.version = "1.08"
	return c
}

func codebuildStart(a *actor, region string, rng *rand.Rand) *call {
	p := "arn:aws:codebuild:" + region + ":" + a.account + ":project/" + a.res.project
	c := api("codebuild.amazonaws.com", "StartBuild", p, m{"projectName": a.res.project, "sourceVersion": randString(rng, 40, hexDigits),
		"environmentVariablesOverride": hidden})
	c.resp = m{"build": m{"id": a.res.project + ":" + uuid(rng), "arn": p, "buildNumber": 1000 + rng.IntN(9000), "buildStatus": "IN_PROGRESS"}}
	return c
}

func codebuildBatchGet(a *actor, region string, rng *rand.Rand) *call {
	return api("codebuild.amazonaws.com", "BatchGetBuilds", "arn:aws:codebuild:"+region+":"+a.account+":project/"+a.res.project,
		m{"ids": []string{a.res.project + ":" + uuid(rng)}})
}

func codepipelineState(a *actor, region string, rng *rand.Rand) *call {
	return api("codepipeline.amazonaws.com", "GetPipelineState", "arn:aws:codepipeline:"+region+":"+a.account+":"+a.res.pipeline,
		m{"name": a.res.pipeline})
}

func cloudfrontInvalidate(a *actor, region string, rng *rand.Rand) *call {
	return api("cloudfront.amazonaws.com", "CreateInvalidation", "arn:aws:cloudfront::"+a.account+":distribution/"+a.res.distribution,
		m{"distributionId": a.res.distribution, "invalidationBatch": m{"paths": m{"quantity": 2, "items": []string{"/index.html", "/static/*"}},
			"callerReference": uuid(rng)}})
}

func route53Change(a *actor, region string, rng *rand.Rand) *call {
	name := a.res.short + "." + a.res.env + ".acme.example."
	return api("route53.amazonaws.com", "ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/"+a.res.zone,
		m{"hostedZoneId": a.res.zone, "changeBatch": m{"changes": []m{{"action": "UPSERT", "resourceRecordSet": m{"name": name,
			"type": "CNAME", "tTL": 60, "resourceRecords": []m{{"value": "lb-" + randString(rng, 12, hexDigits) + "." + region + ".elb.amazonaws.com"}}}}}}})
}

func route53ListRecords(a *actor, region string, rng *rand.Rand) *call {
	return api("route53.amazonaws.com", "ListResourceRecordSets", "arn:aws:route53:::hostedzone/"+a.res.zone,
		m{"hostedZoneId": a.res.zone, "maxItems": "300"})
}

func targetGroupARN(a *actor, region string) string {
	return "arn:aws:elasticloadbalancing:" + region + ":" + a.account + ":targetgroup/" + a.res.short + "-tg/" + a.res.keyID[:8] + a.res.keyID[9:13] + a.res.keyID[14:18]
}

func elbTargetHealth(a *actor, region string, rng *rand.Rand) *call {
	tg := targetGroupARN(a, region)
	return api("elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", tg, m{"targetGroupArn": tg})
}

func elbDescribe(a *actor, region string, rng *rand.Rand) *call {
	return api("elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", "", m{"pageSize": 400})
}

func asgDescribe(a *actor, region string, rng *rand.Rand) *call {
	return api("autoscaling.amazonaws.com", "DescribeAutoScalingGroups", "", m{"maxRecords": 100})
}

func rdsDescribeInstances(a *actor, region string, rng *rand.Rand) *call {
	id := "acme-" + a.res.env + "-" + a.res.short + "-db"
	return api("rds.amazonaws.com", "DescribeDBInstances", "arn:aws:rds:"+region+":"+a.account+":db:"+id,
		m{"dBInstanceIdentifier": id})
}

func rdsDescribeClusters(a *actor, region string, rng *rand.Rand) *call {
	return api("rds.amazonaws.com", "DescribeDBClusters", "", m{"maxRecords": 100, "includeShared": false})
}

func elasticacheDescribe(a *actor, region string, rng *rand.Rand) *call {
	id := "acme-" + a.res.env + "-" + pick(rng, []string{"sessions", "cache", "rate-limits"})
	return api("elasticache.amazonaws.com", "DescribeReplicationGroups", "arn:aws:elasticache:"+region+":"+a.account+":replicationgroup:"+id,
		m{"replicationGroupId": id})
}

func eksDescribe(a *actor, region string, rng *rand.Rand) *call {
	name := "acme-" + a.res.env
	return api("eks.amazonaws.com", "DescribeCluster", "arn:aws:eks:"+region+":"+a.account+":cluster/"+name, m{"name": name})
}

func acmDescribe(a *actor, region string, rng *rand.Rand) *call {
	arn := "arn:aws:acm:" + region + ":" + a.account + ":certificate/" + a.res.keyID
	return api("acm.amazonaws.com", "DescribeCertificate", arn, m{"certificateArn": arn})
}

func cloudtrailLookup(a *actor, region string, rng *rand.Rand) *call {
	return api("cloudtrail.amazonaws.com", "LookupEvents", "", m{"lookupAttributes": []m{{"attributeKey": "EventName",
		"attributeValue": pick(rng, []string{"ConsoleLogin", "DeleteBucket", "PutRolePolicy", "RunInstances"})}},
		"startTime": "Oct 31, 2026, 12:00:00 AM", "endTime": "Nov 1, 2026, 12:00:00 AM", "maxResults": 50})
}

func tagGetResources(a *actor, region string, rng *rand.Rand) *call {
	return api("tagging.amazonaws.com", "GetResources", "", m{"tagFilters": []m{{"key": "Service", "values": []string{a.res.short}}},
		"resourcesPerPage": 100, "includeComplianceDetails": false})
}

func healthDescribe(a *actor, region string, rng *rand.Rand) *call {
	return api("health.amazonaws.com", "DescribeEvents", "", m{"filter": m{"eventStatusCodes": []string{"open", "upcoming"}}, "maxResults": 100})
}

func orgDescribe(a *actor, region string, rng *rand.Rand) *call {
	return api("organizations.amazonaws.com", "DescribeOrganization", "", nil)
}

func configDescribeRules(a *actor, region string, rng *rand.Rand) *call {
	return api("config.amazonaws.com", "DescribeConfigRules", "", m{})
}

func cwGetMetricData(a *actor, region string, rng *rand.Rand) *call {
	var queries []m
	for i := range 1 + rng.IntN(10) {
		queries = append(queries, m{"id": fmt.Sprintf("m%d", i), "metricStat": m{"metric": m{"namespace": "AWS/" + pick(rng, []string{"EC2", "RDS", "ApplicationELB", "Lambda", "SQS"}),
			"metricName": pick(rng, []string{"CPUUtilization", "Duration", "Errors", "ApproximateAgeOfOldestMessage"})}, "period": 300, "stat": "Average"}})
	}
	return api("monitoring.amazonaws.com", "GetMetricData", "", m{"metricDataQueries": queries,
		"startTime": "Nov 1, 2026, 9:00:00 AM", "endTime": "Nov 1, 2026, 10:00:00 AM"})
}

func cwDescribeAlarms(a *actor, region string, rng *rand.Rand) *call {
	return api("monitoring.amazonaws.com", "DescribeAlarms", "", m{"alarmNamePrefix": a.res.short, "maxRecords": 100})
}

func glueGetTable(a *actor, region string, rng *rand.Rand) *call {
	t := pick(rng, a.res.glueTables)
	return api("glue.amazonaws.com", "GetTable", "arn:aws:glue:"+region+":"+a.account+":table/"+a.res.glueDB+"/"+t,
		m{"databaseName": a.res.glueDB, "name": t})
}

func glueGetPartitions(a *actor, region string, rng *rand.Rand) *call {
	t := pick(rng, a.res.glueTables)
	return api("glue.amazonaws.com", "GetPartitions", "arn:aws:glue:"+region+":"+a.account+":table/"+a.res.glueDB+"/"+t,
		m{"databaseName": a.res.glueDB, "tableName": t, "expression": fmt.Sprintf("dt >= '2026-10-%02d'", 1+rng.IntN(30)), "maxResults": 1000})
}

func glueGetDatabase(a *actor, region string, rng *rand.Rand) *call {
	return api("glue.amazonaws.com", "GetDatabase", "arn:aws:glue:"+region+":"+a.account+":database/"+a.res.glueDB,
		m{"name": a.res.glueDB})
}

func workGroupARN(a *actor, region string) string {
	return "arn:aws:athena:" + region + ":" + a.account + ":workgroup/" + a.res.workGroup
}

func athenaStart(a *actor, region string, rng *rand.Rand) *call {
	t := pick(rng, a.res.glueTables)
	q := fmt.Sprintf("SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(total) AS revenue FROM %s.%s WHERE dt >= '2026-10-%02d' GROUP BY 1 ORDER BY 1",
		a.res.glueDB, t, 1+rng.IntN(30))
	c := api("athena.amazonaws.com", "StartQueryExecution", workGroupARN(a, region), m{"queryString": q,
		"clientRequestToken": uuid(rng), "queryExecutionContext": m{"database": a.res.glueDB, "catalog": "AwsDataCatalog"},
		"resultConfiguration": m{"outputLocation": "s3://acme-" + a.res.env + "-athena-results/" + a.res.workGroup + "/"},
		"workGroup":           a.res.workGroup})
	c.resp = m{"queryExecutionId": pick(rng, a.res.queries)}
	return c
}

func athenaGetExecution(a *actor, region string, rng *rand.Rand) *call {
	return api("athena.amazonaws.com", "GetQueryExecution", workGroupARN(a, region), m{"queryExecutionId": pick(rng, a.res.queries)})
}

func athenaGetResults(a *actor, region string, rng *rand.Rand) *call {
	return api("athena.amazonaws.com", "GetQueryResults", workGroupARN(a, region), m{"queryExecutionId": pick(rng, a.res.queries), "maxResults": 1000})
}
