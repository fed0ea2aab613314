package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The data-plane calls the synthetic trail's principals make, shaped as
// CloudTrail logs them: request parameters, response elements,
// additionalEventData and resources[] as the real services write them, with
// secrets redacted the way CloudTrail redacts them. Management calls are in
// mgmt.go.
//
// Names written with fresh() are per copy: every record made from the
// template gets new ones (records.go), so S3 object keys, DynamoDB item
// keys and message IDs keep coming, as in a real trail.

const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// fresh is a placeholder of n characters that every copy of the record
// fills anew: lower-case hex, the same within a record for the same group
// (0–9), so an object key in requestParameters and resources[] agree. Group
// 'u' is a fresh UUID (n is 36).
func fresh(group byte, n int) string {
	if group == 'u' {
		n = 36
	}
	return "~" + string(group) + strings.Repeat("~", n-2)
}

// objectKey is a new key on every copy, except for one call in four,
// which reads or writes one of a few hot keys (a manifest, a config).
func objectKey(a *actor, rng *rand.Rand, group byte) string {
	if rng.IntN(4) == 0 {
		return a.res.prefix + pick(rng, []string{"_manifest.json", "config/current.json", "latest/index.html", "_SUCCESS"})
	}
	ext := pick(rng, []string{".json.gz", ".parquet", ".csv", ".jpg", ".pdf", ".avro"})
	return fmt.Sprintf("%s2026/11/%02d/%s%s", a.res.prefix, 1+rng.IntN(28), fresh(group, 32), ext)
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
		k := objectKey(a, rng, '0')
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
	c.failure = failure{"NoSuchKey", "The specified key does not exist."}
	return c
}

func s3Head(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "HeadObject", "s3:GetObject", rng, true)
	c.failure = failure{"NoSuchKey", "The specified key does not exist."}
	return c
}

func s3Put(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "PutObject", "s3:PutObject", rng, true)
	c.readOnly = false
	p := c.params.(m)
	p["x-amz-server-side-encryption"] = "aws:kms"
	p["x-amz-server-side-encryption-aws-kms-key-id"] = keyARN(a, region)
	c.resp = m{"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": keyARN(a, region),
		"x-amz-server-side-encryption-bucket-key-enabled": "true", "x-amz-version-id": fresh('1', 32)}
	c.extra.(m)["bytesTransferredIn"] = 200 + rng.IntN(2_000_000)
	c.extra.(m)["SSEApplied"] = "SSE_KMS"
	return c
}

func s3Delete(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "DeleteObject", "s3:DeleteObject", rng, true)
	c.readOnly = false
	return c
}

func s3List(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "ListObjects", "s3:ListBucket", rng, false)
	p := c.params.(m)
	p["list-type"], p["prefix"], p["max-keys"], p["encoding-type"] = "2", a.res.prefix, "1000", "url"
	c.extra.(m)["bytesTransferredOut"] = 3000 + rng.IntN(300_000)
	return c
}

func s3GetBucketLocation(a *actor, region string, rng *rand.Rand) *call {
	c := s3Call(a, region, "GetBucketLocation", "s3:GetBucketLocation", rng, false)
	c.data, c.resources = false, nil
	c.params.(m)["location"] = ""
	return c
}

func s3ListBuckets(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "s3.amazonaws.com", name: "ListBuckets", readOnly: true, host: "s3.amazonaws.com",
		requestID: randString(rng, 16, upperAlnum), action: "s3:ListAllMyBuckets",
		params: m{"Host": "s3.amazonaws.com"},
		extra: m{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
			"AuthenticationMethod": "AuthHeader", "x-amz-id-2": randString(rng, 76, base64Set), "bytesTransferredOut": 4812}}
}

// itemKey is a DynamoDB primary key: new on every copy. CloudTrail logs
// key attributes; other attributes are redacted.
func itemKey(a *actor) m {
	return m{"pk": "CUSTOMER#" + fresh('2', 12), "sk": "ORDER#2026-11#" + fresh('3', 10)}
}

func ddbCall(a *actor, region, name string, readOnly bool, params m, rng *rand.Rand) *call {
	t := pick(rng, a.res.tables)
	arn := "arn:aws:dynamodb:" + region + ":" + a.account + ":table/" + t
	params["tableName"] = t
	return &call{source: "dynamodb.amazonaws.com", name: name, version: "1.09", data: true, readOnly: readOnly,
		requestID: randString(rng, 52, upperAlnum), action: "dynamodb:" + name, target: arn, params: params,
		resources: []resource{{AccountID: a.account, Type: "AWS::DynamoDB::Table", ARN: arn}},
		failure:   failure{"ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."}}
}

func ddbGet(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "GetItem", true, m{"key": itemKey(a), "consistentRead": rng.IntN(4) == 0,
		"projectionExpression": "#s, updated_at, total", "expressionAttributeNames": m{"#s": "status"}}, rng)
}

func ddbPut(a *actor, region string, rng *rand.Rand) *call {
	item := itemKey(a)
	item["payload"] = hidden
	c := ddbCall(a, region, "PutItem", false, m{"item": item, "conditionExpression": "attribute_not_exists(pk)",
		"returnValues": "NONE"}, rng)
	c.failure = failure{"ConditionalCheckFailedException", "The conditional request failed"}
	return c
}

func ddbUpdate(a *actor, region string, rng *rand.Rand) *call {
	c := ddbCall(a, region, "UpdateItem", false, m{"key": itemKey(a),
		"updateExpression": "SET #s = :s, updated_at = :u ADD attempts :one", "expressionAttributeNames": m{"#s": "status"},
		"expressionAttributeValues": hidden, "conditionExpression": "#s <> :done", "returnValues": "UPDATED_NEW"}, rng)
	c.failure = failure{"ConditionalCheckFailedException", "The conditional request failed"}
	return c
}

func ddbDelete(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "DeleteItem", false, m{"key": itemKey(a)}, rng)
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

func ddbScan(a *actor, region string, rng *rand.Rand) *call {
	return ddbCall(a, region, "Scan", true, m{"limit": 1000, "segment": rng.IntN(8), "totalSegments": 8,
		"select": "ALL_ATTRIBUTES", "exclusiveStartKey": itemKey(a)}, rng)
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
	c.resp = m{"mD5OfMessageBody": fresh('4', 32), "mD5OfMessageAttributes": fresh('5', 32), "messageId": fresh('u', 36)}
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

func sqsGetAttributes(a *actor, region string, rng *rand.Rand) *call {
	c := sqsCall(a, region, "GetQueueAttributes", m{"attributeNames": []string{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}}, rng)
	c.data, c.readOnly, c.resources = false, true, nil
	return c
}

func snsPublish(a *actor, region string, rng *rand.Rand) *call {
	t := "arn:aws:sns:" + region + ":" + a.account + ":" + pick(rng, a.res.topics)
	return &call{source: "sns.amazonaws.com", name: "Publish", version: "1.09", data: true, action: "sns:Publish",
		target: t, params: m{"topicArn": t, "message": hidden, "messageAttributes": hidden},
		resp:      m{"messageId": fresh('u', 36)},
		resources: []resource{{AccountID: a.account, Type: "AWS::SNS::Topic", ARN: t}}}
}

func kmsCall(a *actor, region, name string, params m) *call {
	k := keyARN(a, region)
	return &call{source: "kms.amazonaws.com", name: name, version: "1.09", readOnly: true, action: "kms:" + name,
		target: k, params: params, resources: []resource{{AccountID: a.account, Type: "AWS::KMS::Key", ARN: k}}}
}

func kmsDecrypt(a *actor, region string, rng *rand.Rand) *call {
	ctx := m{"aws:s3:arn": "arn:aws:s3:::" + pick(rng, a.res.buckets) + "/" + objectKey(a, rng, '6')}
	return kmsCall(a, region, "Decrypt", m{"encryptionContext": ctx, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"})
}

func kmsGenerateDataKey(a *actor, region string, rng *rand.Rand) *call {
	ctx := m{"aws:s3:arn": "arn:aws:s3:::" + pick(rng, a.res.buckets)}
	return kmsCall(a, region, "GenerateDataKey", m{"keyId": keyARN(a, region), "encryptionContext": ctx, "keySpec": "AES_256"})
}

func kmsEncrypt(a *actor, region string, rng *rand.Rand) *call {
	return kmsCall(a, region, "Encrypt", m{"keyId": keyARN(a, region), "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
		"encryptionContext": m{"service": a.res.short}})
}

func lambdaInvoke(a *actor, region string, rng *rand.Rand) *call {
	fn := "arn:aws:lambda:" + region + ":" + a.account + ":function:" + pick(rng, a.res.functions)
	return &call{source: "lambda.amazonaws.com", name: "Invoke", version: "1.08", data: true,
		action: "lambda:InvokeFunction", target: fn,
		params:    m{"functionName": fn, "invocationType": pick(rng, []string{"RequestResponse", "Event"})},
		extra:     m{"functionVersion": fn + ":$LATEST"},
		resources: []resource{{AccountID: a.account, Type: "AWS::Lambda::Function", ARN: fn}},
		failure:   failure{"TooManyRequestsException", "Rate Exceeded."}}
}

func streamARN(a *actor, region, name string) string {
	return "arn:aws:kinesis:" + region + ":" + a.account + ":stream/" + name
}

func kinesisCall(a *actor, region, name string, params m, rng *rand.Rand) *call {
	s := pick(rng, a.res.streams)
	arn := streamARN(a, region, s)
	params["streamName"] = s
	return &call{source: "kinesis.amazonaws.com", name: name, version: "1.09", data: true, action: "kinesis:" + name,
		target: arn, params: params, resources: []resource{{AccountID: a.account, Type: "AWS::Kinesis::Stream", ARN: arn}},
		failure: failure{"ProvisionedThroughputExceededException", "Rate exceeded for shard shardId-00000000000" +
			fmt.Sprint(rng.IntN(8)) + " in stream " + s + " under account " + a.account + "."}}
}

func kinesisPutRecord(a *actor, region string, rng *rand.Rand) *call {
	c := kinesisCall(a, region, "PutRecord", m{"partitionKey": fresh('7', 16), "data": hidden}, rng)
	c.resp = m{"shardId": fmt.Sprintf("shardId-%012d", rng.IntN(8)), "sequenceNumber": "4965" + randString(rng, 52, "0123456789")}
	return c
}

func kinesisPutRecords(a *actor, region string, rng *rand.Rand) *call {
	return kinesisCall(a, region, "PutRecords", m{"records": hidden}, rng)
}

func kinesisGetRecords(a *actor, region string, rng *rand.Rand) *call {
	c := kinesisCall(a, region, "GetRecords", m{"shardIterator": hidden, "limit": 10000}, rng)
	c.params.(m)["streamARN"] = c.target
	delete(c.params.(m), "streamName")
	c.readOnly = true
	return c
}

func kinesisShardIterator(a *actor, region string, rng *rand.Rand) *call {
	c := kinesisCall(a, region, "GetShardIterator", m{"shardId": fmt.Sprintf("shardId-%012d", rng.IntN(8)),
		"shardIteratorType": "AFTER_SEQUENCE_NUMBER", "startingSequenceNumber": "4965" + randString(rng, 52, "0123456789")}, rng)
	c.readOnly = true
	return c
}

func firehosePutBatch(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "firehose.amazonaws.com", name: "PutRecordBatch", version: "1.09", data: true,
		action: "firehose:PutRecordBatch",
		target: "arn:aws:firehose:" + region + ":" + a.account + ":deliverystream/" + a.res.firehose,
		params: m{"deliveryStreamName": a.res.firehose, "records": hidden},
		resp:   m{"failedPutCount": 0, "encrypted": true}}
}

func logsCreateStream(a *actor, region string, rng *rand.Rand) *call {
	stream := "ecs/" + a.res.name + "/" + fresh('8', 32)
	return &call{source: "logs.amazonaws.com", name: "CreateLogStream", version: "1.08",
		action: "logs:CreateLogStream",
		target: "arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":log-stream:" + stream,
		params: m{"logGroupName": a.res.logGroup, "logStreamName": stream}}
}

func logsPutEvents(a *actor, region string, rng *rand.Rand) *call {
	stream := "ecs/" + a.res.name + "/" + randString(rng, 32, hexDigits)
	return &call{source: "logs.amazonaws.com", name: "PutLogEvents", version: "1.08", data: true,
		action: "logs:PutLogEvents",
		target: "arn:aws:logs:" + region + ":" + a.account + ":log-group:" + a.res.logGroup + ":log-stream:" + stream,
		params: m{"logGroupName": a.res.logGroup, "logStreamName": stream},
		resp:   m{"nextSequenceToken": "4962" + randString(rng, 52, "0123456789")}}
}

func eventsPut(a *actor, region string, rng *rand.Rand) *call {
	bus := "arn:aws:events:" + region + ":" + a.account + ":event-bus/" + a.res.bus
	n := 1 + rng.IntN(4)
	entries := make([]m, n)
	ids := make([]m, n)
	for i := range entries {
		entries[i] = m{"source": "acme." + a.res.short, "detailType": pick(rng, []string{"OrderPlaced", "OrderShipped", "PaymentCaptured", "StockChanged", "UserSignedUp"}),
			"detail": hidden, "eventBusName": bus}
		ids[i] = m{"eventId": uuid(rng)}
	}
	return &call{source: "events.amazonaws.com", name: "PutEvents", version: "1.08", action: "events:PutEvents",
		target: bus, params: m{"entries": entries}, resp: m{"failedEntryCount": 0, "entries": ids}}
}

func statesStart(a *actor, region string, rng *rand.Rand) *call {
	sm := pick(rng, a.res.stateMachines)
	arn := "arn:aws:states:" + region + ":" + a.account + ":stateMachine:" + sm
	exec := "order-" + fresh('9', 20)
	return &call{source: "states.amazonaws.com", name: "StartExecution", version: "1.08", action: "states:StartExecution",
		target: arn, params: m{"stateMachineArn": arn, "name": exec, "input": hidden},
		resp: m{"executionArn": "arn:aws:states:" + region + ":" + a.account + ":execution:" + sm + ":" + exec,
			"startDate": "Nov 1, 2026, 10:15:42 AM"}}
}

func statesDescribe(a *actor, region string, rng *rand.Rand) *call {
	sm := pick(rng, a.res.stateMachines)
	exec := "arn:aws:states:" + region + ":" + a.account + ":execution:" + sm + ":order-" + fresh('9', 20)
	return &call{source: "states.amazonaws.com", name: "DescribeExecution", version: "1.08", readOnly: true,
		action: "states:DescribeExecution", target: exec, params: m{"executionArn": exec}}
}

func bedrockInvoke(a *actor, region string, rng *rand.Rand) *call {
	model := pick(rng, []string{"anthropic.claude-3-haiku-20240307-v1:0", "amazon.titan-embed-text-v2:0", "cohere.embed-english-v3"})
	arn := "arn:aws:bedrock:" + region + "::foundation-model/" + model
	return &call{source: "bedrock.amazonaws.com", name: "InvokeModel", version: "1.09", readOnly: true,
		action: "bedrock:InvokeModel", target: arn, params: m{"modelId": model},
		extra:   m{"inputTokens": 200 + rng.IntN(3000), "outputTokens": rng.IntN(800)},
		failure: failure{"ThrottlingException", "Too many requests, please wait before trying again."}}
}

func sesSend(a *actor, region string, rng *rand.Rand) *call {
	return &call{source: "ses.amazonaws.com", name: "SendEmail", version: "1.08", action: "ses:SendEmail",
		target: "arn:aws:ses:" + region + ":" + a.account + ":identity/acme.example",
		params: m{"source": "no-reply@acme.example", "destination": m{"toAddresses": []string{hidden}},
			"message": m{"subject": m{"data": hidden}, "body": hidden}, "configurationSetName": "transactional"},
		resp: m{"messageId": "0100018f" + randString(rng, 52, hexDigits) + "-000000"}}
}

func cwPutMetricData(a *actor, region string, rng *rand.Rand) *call {
	n := 1 + rng.IntN(6)
	data := make([]m, n)
	for i := range data {
		data[i] = m{"metricName": pick(rng, []string{"Latency", "Errors", "Requests", "QueueDepth", "CacheHits", "BatchSize"}),
			"dimensions": []m{{"name": "Service", "value": a.res.short}, {"name": "Environment", "value": a.res.env}},
			"value":      rng.IntN(5000), "unit": pick(rng, []string{"Milliseconds", "Count"}), "storageResolution": 60}
	}
	return &call{source: "monitoring.amazonaws.com", name: "PutMetricData", version: "1.08", action: "cloudwatch:PutMetricData",
		params: m{"namespace": "Acme/" + a.res.short, "metricData": data}}
}
