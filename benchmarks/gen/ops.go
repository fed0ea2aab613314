package main

import (
	"fmt"
	"math/rand/v2"
)

// The calls the synthetic trail's principals make, shaped as CloudTrail logs
// them: request parameters, response elements, additionalEventData and
// resources[] as the real services write them, with secrets redacted the way
// CloudTrail redacts them.

const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

func objectKey(a *actor, rng *rand.Rand) string {
	return fmt.Sprintf("%s2026/11/%02d/%s.json.gz", a.res.prefix, 1+rng.IntN(28), uuid(rng))
}

func keyARN(a *actor, region string) string {
	return "arn:aws:kms:" + region + ":" + a.account + ":key/" + a.res.keyID
}

func s3Call(a *actor, region, name, action string, rng *rand.Rand, withKey bool) *call {
	b := pick(rng, a.res.buckets)
	host := b + ".s3." + region + ".amazonaws.com"
	c := &call{
		source: "s3.amazonaws.com", name: name, data: true, readOnly: true, host: host,
		requestID: randString(rng, 16, upperAlnum), action: action, target: "arn:aws:s3:::" + b,
		params: m{"bucketName": b, "Host": host},
		extra: m{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
			"AuthenticationMethod": "AuthHeader", "x-amz-id-2": randString(rng, 76, base64Set), "bytesTransferredOut": 0},
		resources: []resource{{AccountID: a.account, Type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::" + b}},
	}
	if withKey {
		k := objectKey(a, rng)
		c.params.(m)["key"] = k
		c.target = "arn:aws:s3:::" + b + "/" + k
		c.resources = append([]resource{{Type: "AWS::S3::Object", ARN: c.target}}, c.resources...)
	}
	return c
}

func s3Get(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "GetObject", "s3:GetObject", rng, true)
	c.extra.(m)["bytesTransferredOut"] = 200 + rng.IntN(4_000_000)
	c.extra.(m)["SSEApplied"] = "SSE_KMS"
	return c
}

func s3Head(a *actor, region string, rng *rand.Rand) *call {
	return s3Call(a, region, "HeadObject", "s3:GetObject", rng, true)
}

func s3Put(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "PutObject", "s3:PutObject", rng, true)
	c.readOnly = false
	p := c.params.(m)
	p["x-amz-server-side-encryption"] = "aws:kms"
	p["x-amz-server-side-encryption-aws-kms-key-id"] = keyARN(a, region)
	c.resp = m{"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": keyARN(a, region),
		"x-amz-server-side-encryption-bucket-key-enabled": "true", "x-amz-version-id": randString(rng, 32, mixedAlnum)}
	c.extra.(m)["bytesTransferredIn"] = 200 + rng.IntN(2_000_000)
	c.extra.(m)["SSEApplied"] = "SSE_KMS"
	return c
}

func s3List(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "ListObjects", "s3:ListBucket", rng, false)
	p := c.params.(m)
	p["list-type"], p["prefix"], p["max-keys"], p["encoding-type"] = "2", a.res.prefix, "1000", "url"
	c.extra.(m)["bytesTransferredOut"] = 3000 + rng.IntN(300_000)
	return c
}

func s3ListBuckets(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "s3.amazonaws.com", name: "ListBuckets", readOnly: true, host: "s3.amazonaws.com",
		requestID: randString(rng, 16, upperAlnum), action: "s3:ListAllMyBuckets",
		params: m{"Host": "s3.amazonaws.com"},
		extra: m{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
			"AuthenticationMethod": "AuthHeader", "x-amz-id-2": randString(rng, 76, base64Set), "bytesTransferredOut": 4812}}
}

func ddbCall(a *actor, region, name string, readOnly bool, params m, rng *rand.Rand) *call {
	t := pick(rng, a.res.tables)
	arn := "arn:aws:dynamodb:" + region + ":" + a.account + ":table/" + t
	params["tableName"] = t
	return &call{source: "dynamodb.amazonaws.com", name: name, version: "1.09", data: true, readOnly: readOnly,
		requestID: randString(rng, 52, upperAlnum), action: "dynamodb:" + name, target: arn, params: params,
		resources: []resource{{AccountID: a.account, Type: "AWS::DynamoDB::Table", ARN: arn}}}
}

func ddbGet(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "GetItem", true, m{"key": m{"pk": hidden, "sk": hidden}, "consistentRead": rng.IntN(4) == 0,
		"projectionExpression": "#s, updated_at, total", "expressionAttributeNames": m{"#s": "status"}}, rng)
}

func ddbPut(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "PutItem", false, m{"item": hidden, "conditionExpression": "attribute_not_exists(pk)",
		"returnValues": "NONE"}, rng)
}

func ddbUpdate(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "UpdateItem", false, m{"key": m{"pk": hidden, "sk": hidden},
		"updateExpression": "SET #s = :s, updated_at = :u ADD attempts :one", "expressionAttributeNames": m{"#s": "status"},
		"expressionAttributeValues": hidden, "returnValues": "UPDATED_NEW"}, rng)
}

func ddbDelete(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "DeleteItem", false, m{"key": m{"pk": hidden, "sk": hidden}}, rng)
}

func ddbQuery(a *actor, region string, rng *rand.Rand) *call {
	c := ddbCall(a, region, "Query", true, m{"keyConditionExpression": "#pk = :pk AND begins_with(sk, :prefix)",
		"expressionAttributeNames": m{"#pk": "customer_id"}, "expressionAttributeValues": hidden,
		"limit": 50, "scanIndexForward": false, "select": "ALL_ATTRIBUTES"}, rng)
	if rng.IntN(2) == 0 {
		c.params.(m)["indexName"] = "by-customer"
		c.target += "/index/by-customer"
	}
	return c
}

func ddbDescribe(a *actor, region string, rng *rand.Rand) *call {
	c := ddbCall(a, region, "DescribeTable", true, m{}, rng)
	c.data, c.version, c.resources = false, "1.10", nil
	return c
}

func sqsCall(a *actor, region, name string, params m, rng *rand.Rand) *call {
	q := pick(rng, a.res.queues)
	arn := "arn:aws:sqs:" + region + ":" + a.account + ":" + q
	params["queueUrl"] = "https://sqs." + region + ".amazonaws.com/" + a.account + "/" + q
	return &call{source: "sqs.amazonaws.com", name: name, version: "1.09", data: true, action: "sqs:" + name,
		target: arn, params: params, resources: []resource{{AccountID: a.account, Type: "AWS::SQS::Queue", ARN: arn}}}
}

func sqsSend(a *actor, region string, rng *rand.Rand) *call {
	c := sqsCall(a, region, "SendMessage", m{"messageBody": hidden, "messageAttributes": hidden}, rng)
	c.resp = m{"mD5OfMessageBody": randString(rng, 32, hexDigits), "mD5OfMessageAttributes": randString(rng, 32, hexDigits),
		"messageId": uuid(rng)}
	return c
}

func sqsReceive(a *actor, region string, rng *rand.Rand) *call {
	c := sqsCall(a, region, "ReceiveMessage", m{"maxNumberOfMessages": 10, "waitTimeSeconds": 20,
		"attributeNames": []string{"All"}, "messageAttributeNames": []string{"All"}, "visibilityTimeout": 60}, rng)
	c.readOnly = true
	return c
}

func sqsDelete(a *actor, region string, rng *rand.Rand) *call {
	return sqsCall(a, region, "DeleteMessage", m{"receiptHandle": hidden}, rng)
}

func kmsCall(a *actor, region, name string, params m) *call {
	k := keyARN(a, region)
	return &call{source: "kms.amazonaws.com", name: name, version: "1.09", readOnly: true, action: "kms:" + name,
		target: k, params: params, resources: []resource{{AccountID: a.account, Type: "AWS::KMS::Key", ARN: k}}}
}

func kmsDecrypt(a *actor, region string, rng *rand.Rand) *call {
	ctx := m{"aws:s3:arn": "arn:aws:s3:::" + pick(rng, a.res.buckets) + "/" + objectKey(a, rng)}
	return kmsCall(a, region, "Decrypt", m{"encryptionContext": ctx, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"})
}

func kmsGenerateDataKey(a *actor, region string, rng *rand.Rand) *call {
	ctx := m{"aws:s3:arn": "arn:aws:s3:::" + pick(rng, a.res.buckets)}
	return kmsCall(a, region, "GenerateDataKey", m{"keyId": keyARN(a, region), "encryptionContext": ctx, "keySpec": "AES_256"})
}

func lambdaInvoke(a *actor, region string, rng *rand.Rand) *call {
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + pick(rng, a.res.functions)
	return &call{source: "lambda.amazonaws.com", name: "Invoke", version: "1.08", data: true,
		action: "lambda:InvokeFunction", target: fn,
		params:    m{"functionName": fn, "invocationType": pick(rng, []string{"RequestResponse", "Event"})},
		extra:     m{"functionVersion": fn + ":$LATEST"},
		resources: []resource{{AccountID: a.account, Type: "AWS::Lambda::Function", ARN: fn}}}
}

func lambdaUpdateCode(a *actor, region string, rng *rand.Rand) *call {
	name := pick(rng, a.res.functions)
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + name
	key := "lambda/" + name + "/" + randString(rng, 40, hexDigits) + ".zip"
	return &call{source: "lambda.amazonaws.com", name: "UpdateFunctionCode20150331v2", version: "1.08",
		action: "lambda:UpdateFunctionCode", target: fn,
		params: m{"functionName": name, "s3Bucket": a.res.buckets[1], "s3Key": key, "publish": true, "dryRun": false},
		resp: m{"functionName": name, "functionArn": fn, "runtime": "python3.12", "role": pick(rng, a.res.roles),
			"handler": "app.handler", "codeSize": 1_000_000 + rng.IntN(9_000_000), "description": "", "timeout": 30,
			"memorySize": 512, "lastModified": "2026-11-01T10:15:42.000+0000", "codeSha256": randString(rng, 44, base64Set),
			"version": "$LATEST", "tracingConfig": m{"mode": "PassThrough"}, "revisionId": uuid(rng),
			"state": "Active", "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": []string{"arm64"},
			"ephemeralStorage": m{"size": 512}, "loggingConfig": m{"logFormat": "Text", "logGroup": "/aws/lambda/" + name}}}
}

func ssmGet(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "ssm.amazonaws.com", name: "GetParameter", version: "1.08", readOnly: true,
		action: "ssm:GetParameter", target: "arn:aws:ssm:" + region + ":" + a.account + ":parameter" + a.res.param,
		params: m{"name": a.res.param, "withDecryption": true}}
}

func secretGet(a *actor, region string, rng *rand.Rand) *call {
	arn := "arn:aws:secretsmanager:" + region + ":" + a.account + ":secret:" + a.res.secret
	return &call{source: "secretsmanager.amazonaws.com", name: "GetSecretValue", version: "1.08", readOnly: true,
		action: "secretsmanager:GetSecretValue", target: arn, params: m{"secretId": arn}}
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

func ecrToken(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "ecr.amazonaws.com", name: "GetAuthorizationToken", version: "1.08", readOnly: true,
		action: "ecr:GetAuthorizationToken"}
}

func logsCreateStream(a *actor, region string, rng *rand.Rand) *call {
	stream := "ecs/" + a.res.name + "/" + randString(rng, 32, hexDigits)
	return &call{source: "logs.amazonaws.com", name: "CreateLogStream", version: "1.08",
		action: "logs:CreateLogStream",
		target: "arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":log-stream:" + stream,
		params: m{"logGroupName": a.res.logGroup, "logStreamName": stream}}
}

func logsFilter(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "logs.amazonaws.com", name: "FilterLogEvents", version: "1.08", readOnly: true,
		action: "logs:FilterLogEvents",
		target: "arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":*",
		params: m{"logGroupName": a.res.logGroup, "startTime": 1730419200000 + rng.IntN(1e9), "filterPattern": "ERROR",
			"interleaved": true, "limit": 10000}}
}

func ec2Describe(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "ec2.amazonaws.com", name: "DescribeInstances", readOnly: true,
		action: "ec2:DescribeInstances",
		params: m{"instancesSet": m{}, "filterSet": m{"items": []m{{"name": "tag:Service",
			"valueSet": m{"items": []m{{"value": a.res.tables[0]}}}}, {"name": "instance-state-name",
			"valueSet": m{"items": []m{{"value": "running"}}}}}}}}
}

func iamGetRole(a *actor, region string, rng *rand.Rand) *call {
	if region != "us-east-1" { // IAM logs in us-east-1 only
		return ec2Describe(a, region, rng)
	}
	role := pick(rng, a.res.roles)
	return &call{source: "iam.amazonaws.com", name: "GetRole", version: "1.11", readOnly: true, host: "iam.amazonaws.com",
		action: "iam:GetRole", target: role, params: m{"roleName": lastSegment(role)}}
}

func cfnDescribe(a *actor, region string, rng *rand.Rand) *call {
	stack := "arn:aws:cloudformation:" + region + ":" + a.account + ":stack/" + a.res.tables[0] + "-stack/" + a.res.keyID
	return &call{source: "cloudformation.amazonaws.com", name: "DescribeStacks", version: "1.11", readOnly: true,
		action: "cloudformation:DescribeStacks", target: stack, params: m{"stackName": stack}}
}

func consoleLogin(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "signin.amazonaws.com", name: "ConsoleLogin", version: "1.09", eventType: "AwsConsoleSignIn",
		host: "signin.aws.amazon.com", resp: m{"ConsoleLogin": "Success"},
		extra: m{"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
			"MobileVersion": "No", "MFAUsed": "Yes"}}
}
