package analyze

// The tables below are IAM knowledge kept as data: where CloudTrail's
// eventSource and eventName differ from the IAM service prefix and action.
// Sources: ../shared/reference/cloudtrail-to-iam.md §4 A–D. Every action
// named here is checked against the catalog by the tests.

// sourcePrefix maps an eventSource host (without .amazonaws.com) to its IAM
// service prefix where the two differ.
var sourcePrefix = map[string]string{
	"monitoring":                 "cloudwatch",
	"tagging":                    "tag",
	"pinpoint":                   "mobiletargeting",
	"amazonmq":                   "mq",
	"migrationhub":               "mgh",
	"pricelist":                  "pricing",
	"rdsdata":                    "rds-data",
	"opensearchservice":          "es",
	"qconnect":                   "wisdom",
	"cloudcontrolapi":            "cloudformation",
	"application-insights":       "applicationinsights",
	"servicecatalog-appregistry": "servicecatalog",
	"billingconsole":             "billing",
	"taxconsole":                 "tax",
	"transcribestreaming":        "transcribe",
	"contact-lens":               "connect",
	"participant-connect":        "connect",
	"chime-sdk-media-pipelines":  "chime",
	"chime-sdk-voice":            "chime",
	"marketplacecatalog":         "aws-marketplace",
	"agreement-marketplace":      "aws-marketplace",
	"discovery-marketplace":      "aws-marketplace",
	"reporting-marketplace":      "aws-marketplace",
	"management-marketplace":     "aws-marketplace-management",
	"streams.dynamodb":           "dynamodb",
	"models.lex":                 "lex",
	"runtime.lex":                "lex",
	"appstream2":                 "appstream",
	"mturk-requester":            "mechanicalturk",
	"email":                      "ses",
	"s3express":                  "s3express",
	"states":                     "states",
	"elasticloadbalancing":       "elasticloadbalancing",
	"elasticfilesystem":          "elasticfilesystem",
	"logs":                       "logs",
	"s3-control":                 "s3",
}

// renamed maps "prefix:EventName" (after version suffixes are stripped) to
// the IAM actions the call needs, where they differ from the event name.
// Entries with several actions need all of them.
var renamed = map[string][]string{
	// Lambda
	"lambda:Invoke":                   {"lambda:InvokeFunction"},
	"lambda:InvokeAsync":              {"lambda:InvokeFunction"},
	"lambda:InvokeWithResponseStream": {"lambda:InvokeFunction"},
	"lambda:GetLayerVersionByArn":     {"lambda:GetLayerVersion"},
	// S3 (reference §4 B)
	"s3:ListObjects":                                 {"s3:ListBucket"},
	"s3:ListObjectsV2":                               {"s3:ListBucket"},
	"s3:HeadBucket":                                  {"s3:ListBucket"},
	"s3:ListObjectVersions":                          {"s3:ListBucketVersions"},
	"s3:ListBuckets":                                 {"s3:ListAllMyBuckets"},
	"s3:ListMultipartUploads":                        {"s3:ListBucketMultipartUploads"},
	"s3:ListParts":                                   {"s3:ListMultipartUploadParts"},
	"s3:HeadObject":                                  {"s3:GetObject"},
	"s3:SelectObjectContent":                         {"s3:GetObject"},
	"s3:CreateMultipartUpload":                       {"s3:PutObject"},
	"s3:UploadPart":                                  {"s3:PutObject"},
	"s3:CompleteMultipartUpload":                     {"s3:PutObject"},
	"s3:UploadPartCopy":                              {"s3:PutObject", "s3:GetObject@source"},
	"s3:CopyObject":                                  {"s3:PutObject", "s3:GetObject@source"},
	"s3:DeleteObjects":                               {"s3:DeleteObject@objects"},
	"s3:GetBucketLifecycle":                          {"s3:GetLifecycleConfiguration"},
	"s3:GetBucketLifecycleConfiguration":             {"s3:GetLifecycleConfiguration"},
	"s3:PutBucketLifecycle":                          {"s3:PutLifecycleConfiguration"},
	"s3:PutBucketLifecycleConfiguration":             {"s3:PutLifecycleConfiguration"},
	"s3:DeleteBucketLifecycle":                       {"s3:PutLifecycleConfiguration"},
	"s3:GetBucketEncryption":                         {"s3:GetEncryptionConfiguration"},
	"s3:PutBucketEncryption":                         {"s3:PutEncryptionConfiguration"},
	"s3:DeleteBucketEncryption":                      {"s3:PutEncryptionConfiguration"},
	"s3:GetBucketReplication":                        {"s3:GetReplicationConfiguration"},
	"s3:PutBucketReplication":                        {"s3:PutReplicationConfiguration"},
	"s3:DeleteBucketReplication":                     {"s3:PutReplicationConfiguration"},
	"s3:DeleteBucketCors":                            {"s3:PutBucketCORS"},
	"s3:GetBucketCors":                               {"s3:GetBucketCORS"},
	"s3:PutBucketCors":                               {"s3:PutBucketCORS"},
	"s3:DeleteBucketTagging":                         {"s3:PutBucketTagging"},
	"s3:GetBucketNotificationConfiguration":          {"s3:GetBucketNotification"},
	"s3:PutBucketNotificationConfiguration":          {"s3:PutBucketNotification"},
	"s3:GetBucketAccelerateConfiguration":            {"s3:GetAccelerateConfiguration"},
	"s3:PutBucketAccelerateConfiguration":            {"s3:PutAccelerateConfiguration"},
	"s3:GetBucketAnalyticsConfiguration":             {"s3:GetAnalyticsConfiguration"},
	"s3:PutBucketAnalyticsConfiguration":             {"s3:PutAnalyticsConfiguration"},
	"s3:DeleteBucketAnalyticsConfiguration":          {"s3:PutAnalyticsConfiguration"},
	"s3:ListBucketAnalyticsConfigurations":           {"s3:GetAnalyticsConfiguration"},
	"s3:GetBucketInventoryConfiguration":             {"s3:GetInventoryConfiguration"},
	"s3:PutBucketInventoryConfiguration":             {"s3:PutInventoryConfiguration"},
	"s3:DeleteBucketInventoryConfiguration":          {"s3:PutInventoryConfiguration"},
	"s3:ListBucketInventoryConfigurations":           {"s3:GetInventoryConfiguration"},
	"s3:GetBucketMetricsConfiguration":               {"s3:GetMetricsConfiguration"},
	"s3:PutBucketMetricsConfiguration":               {"s3:PutMetricsConfiguration"},
	"s3:DeleteBucketMetricsConfiguration":            {"s3:PutMetricsConfiguration"},
	"s3:ListBucketMetricsConfigurations":             {"s3:GetMetricsConfiguration"},
	"s3:GetBucketIntelligentTieringConfiguration":    {"s3:GetIntelligentTieringConfiguration"},
	"s3:PutBucketIntelligentTieringConfiguration":    {"s3:PutIntelligentTieringConfiguration"},
	"s3:DeleteBucketIntelligentTieringConfiguration": {"s3:PutIntelligentTieringConfiguration"},
	"s3:ListBucketIntelligentTieringConfigurations":  {"s3:GetIntelligentTieringConfiguration"},
	"s3:GetObjectLockConfiguration":                  {"s3:GetBucketObjectLockConfiguration"},
	"s3:PutObjectLockConfiguration":                  {"s3:PutBucketObjectLockConfiguration"},
	"s3:GetPublicAccessBlock":                        {"s3:GetBucketPublicAccessBlock"},
	"s3:PutPublicAccessBlock":                        {"s3:PutBucketPublicAccessBlock"},
	"s3:DeletePublicAccessBlock":                     {"s3:PutBucketPublicAccessBlock"},
	"s3:DeleteAccountPublicAccessBlock":              {"s3:PutAccountPublicAccessBlock"},
	"s3:GetBucketAccessControlPolicy":                {"s3:GetBucketAcl"},
	"s3:SetBucketAccessControlPolicy":                {"s3:PutBucketAcl"},
	"s3:SetBucketLoggingStatus":                      {"s3:PutBucketLogging"},
	"s3:GetBucketLoggingStatus":                      {"s3:GetBucketLogging"},
	"s3:DeleteBucketOwnershipControls":               {"s3:PutBucketOwnershipControls"},
	// S3 Express One Zone
	"s3express:ListDirectoryBuckets": {"s3express:ListAllMyDirectoryBuckets"},
	// S3 on Outposts (reference §4 C): the S3 object API through an
	// Outposts access point, and S3 Control's bucket calls, authorized in
	// the s3-outposts namespace. An S3 Control call logged under s3 is
	// keyed here once outpostsEvent (rules_outposts.go) has seen its
	// Outpost. The S3 Control API reference names the Delete calls' actions.
	"s3-outposts:ListObjects":                        {"s3-outposts:ListBucket"},
	"s3-outposts:ListObjectsV2":                      {"s3-outposts:ListBucket"},
	"s3-outposts:HeadBucket":                         {"s3-outposts:ListBucket"},
	"s3-outposts:ListObjectVersions":                 {"s3-outposts:ListBucketVersions"},
	"s3-outposts:ListMultipartUploads":               {"s3-outposts:ListBucketMultipartUploads"},
	"s3-outposts:ListParts":                          {"s3-outposts:ListMultipartUploadParts"},
	"s3-outposts:HeadObject":                         {"s3-outposts:GetObject"},
	"s3-outposts:CreateMultipartUpload":              {"s3-outposts:PutObject"},
	"s3-outposts:UploadPart":                         {"s3-outposts:PutObject"},
	"s3-outposts:CompleteMultipartUpload":            {"s3-outposts:PutObject"},
	"s3-outposts:UploadPartCopy":                     {"s3-outposts:PutObject", "s3-outposts:GetObject@source"},
	"s3-outposts:CopyObject":                         {"s3-outposts:PutObject", "s3-outposts:GetObject@source"},
	"s3-outposts:DeleteObjects":                      {"s3-outposts:DeleteObject@objects"},
	"s3-outposts:GetBucketLifecycle":                 {"s3-outposts:GetLifecycleConfiguration"},
	"s3-outposts:GetBucketLifecycleConfiguration":    {"s3-outposts:GetLifecycleConfiguration"},
	"s3-outposts:PutBucketLifecycle":                 {"s3-outposts:PutLifecycleConfiguration"},
	"s3-outposts:PutBucketLifecycleConfiguration":    {"s3-outposts:PutLifecycleConfiguration"},
	"s3-outposts:DeleteBucketLifecycle":              {"s3-outposts:PutLifecycleConfiguration"},
	"s3-outposts:DeleteBucketLifecycleConfiguration": {"s3-outposts:PutLifecycleConfiguration"},
	"s3-outposts:DeleteBucketTagging":                {"s3-outposts:PutBucketTagging"},
	"s3-outposts:GetBucketReplication":               {"s3-outposts:GetReplicationConfiguration"},
	"s3-outposts:PutBucketReplication":               {"s3-outposts:PutReplicationConfiguration"},
	"s3-outposts:DeleteBucketReplication":            {"s3-outposts:PutReplicationConfiguration"},
	// Session Manager's agent channels are ssmmessages actions, logged
	// under the ssm event source.
	"ssm:OpenControlChannel":   {"ssmmessages:OpenControlChannel"},
	"ssm:CreateControlChannel": {"ssmmessages:CreateControlChannel"},
	"ssm:OpenDataChannel":      {"ssmmessages:OpenDataChannel"},
	"ssm:CreateDataChannel":    {"ssmmessages:CreateDataChannel"},
	// Bedrock's Converse API is authorized as the model invocation it is.
	"bedrock:Converse":       {"bedrock:InvokeModel"},
	"bedrock:ConverseStream": {"bedrock:InvokeModelWithResponseStream"},
	// KMS
	"kms:ReEncrypt": {"kms:ReEncryptFrom", "kms:ReEncryptTo@destination"},
	// DynamoDB
	"dynamodb:TransactGetItems": {"dynamodb:GetItem"},
	// SQS and SNS batch calls are authorized as their single forms.
	"sqs:SendMessageBatch":             {"sqs:SendMessage"},
	"sqs:DeleteMessageBatch":           {"sqs:DeleteMessage"},
	"sqs:ChangeMessageVisibilityBatch": {"sqs:ChangeMessageVisibility"},
	"sns:PublishBatch":                 {"sns:Publish"},
	// Glue
	"glue:BatchUpdatePartition":               {"glue:UpdatePartition"},
	"glue:CreatePartitionIndex":               {"glue:UpdateTable"},
	"glue:DeletePartitionIndex":               {"glue:UpdateTable"},
	"glue:DeleteColumnStatisticsForTable":     {"glue:UpdateTable"},
	"glue:GetColumnStatisticsForTable":        {"glue:GetTable"},
	"glue:GetPartitionIndexes":                {"glue:GetTable"},
	"glue:GetColumnStatisticsForPartition":    {"glue:GetPartition"},
	"glue:DeleteColumnStatisticsForPartition": {"glue:UpdatePartition"},
	// Budgets
	"budgets:CreateBudget":                       {"budgets:ModifyBudget"},
	"budgets:UpdateBudget":                       {"budgets:ModifyBudget"},
	"budgets:DeleteBudget":                       {"budgets:ModifyBudget"},
	"budgets:CreateNotification":                 {"budgets:ModifyBudget"},
	"budgets:UpdateNotification":                 {"budgets:ModifyBudget"},
	"budgets:DeleteNotification":                 {"budgets:ModifyBudget"},
	"budgets:CreateSubscriber":                   {"budgets:ModifyBudget"},
	"budgets:UpdateSubscriber":                   {"budgets:ModifyBudget"},
	"budgets:DeleteSubscriber":                   {"budgets:ModifyBudget"},
	"budgets:DescribeBudget":                     {"budgets:ViewBudget"},
	"budgets:DescribeBudgets":                    {"budgets:ViewBudget"},
	"budgets:DescribeNotificationsForBudget":     {"budgets:ViewBudget"},
	"budgets:DescribeSubscribersForNotification": {"budgets:ViewBudget"},
	"budgets:DescribeBudgetPerformanceHistory":   {"budgets:ViewBudget"},
	// Others from the reference
	"timestream:Query":           {"timestream:Select"},
	"mediapackage:ConfigureLogs": {"mediapackage:UpdateChannel"},
}

// sessionAction names, per service, the one action that authorizes every
// data-plane call of a session: an S3 directory bucket's object calls
// (eventSource s3express, eventName PutObject, …) run on the credentials
// s3express:CreateSession gave. Event names the catalog lacks map to it.
var sessionAction = map[string]string{
	"s3express": "s3express:CreateSession",
}

// permissionless calls need no IAM permission and never enter a policy.
var permissionless = map[string]bool{
	"sts:GetCallerIdentity":         true,
	"sts:GetSessionToken":           true,
	"dynamodb:DescribeEndpoints":    true,
	"signin:ConsoleLogin":           true,
	"signin:CheckMfa":               true,
	"signin:ExitRole":               true,
	"signin:RenewRole":              true,
	"signin:SwitchRole":             true,
	"signin:GetSigninToken":         true,
	"signin:UserAuthentication":     true,
	"signin:CredentialChallenge":    true,
	"signin:CredentialVerification": true,
}
