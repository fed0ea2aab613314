package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// iam:PassRole never appears in CloudTrail: it is checked inside the call
// that hands a role to a service. passRoleRules says, per event, which
// request fields carry the passed role and which service receives it, so
// the fact can be granted on that role with an iam:PassedToService
// condition. Keys are eventAction's "prefix:EventName" (suffixes already
// stripped), not the IAM action, since one IAM action (apigateway:PUT) can
// cover calls that pass a role and calls that don't.
type passRule struct {
	paths   []string
	service string // the iam:PassedToService value
	// names accepts a bare role name (optionally with its path), as Glue
	// and EMR do; everywhere else the field must hold a role ARN.
	names bool
	// profile marks instance-profile fields: the event names the profile,
	// not its role, so the role is known only to be in the caller's account.
	profile bool
}

// PassRoleAction is the action inferred for every passed role.
const PassRoleAction = "iam:PassRole"

var passRoleRules = map[string][]passRule{
	// Containers and functions.
	"ecs:RegisterTaskDefinition":         {{paths: []string{"taskRoleArn", "executionRoleArn"}, service: "ecs-tasks.amazonaws.com"}},
	"ecs:RunTask":                        {{paths: []string{"overrides.taskRoleArn", "overrides.executionRoleArn"}, service: "ecs-tasks.amazonaws.com"}},
	"ecs:StartTask":                      {{paths: []string{"overrides.taskRoleArn", "overrides.executionRoleArn"}, service: "ecs-tasks.amazonaws.com"}},
	"ecs:CreateService":                  {{paths: []string{"role"}, service: "ecs.amazonaws.com"}},
	"lambda:CreateFunction":              {{paths: []string{"role"}, service: "lambda.amazonaws.com"}},
	"lambda:UpdateFunctionConfiguration": {{paths: []string{"role"}, service: "lambda.amazonaws.com"}},
	"eks:CreateCluster":                  {{paths: []string{"roleArn"}, service: "eks.amazonaws.com"}},
	// EKS receives the node and pod execution roles (the roles themselves
	// trust ec2 and eks-fargate-pods).
	"eks:CreateNodegroup":            {{paths: []string{"nodeRole"}, service: "eks.amazonaws.com"}},
	"eks:CreateFargateProfile":       {{paths: []string{"podExecutionRoleArn"}, service: "eks.amazonaws.com"}},
	"batch:CreateComputeEnvironment": {{paths: []string{"serviceRole"}, service: "batch.amazonaws.com"}},
	"batch:RegisterJobDefinition": {{paths: []string{"containerProperties.jobRoleArn", "containerProperties.executionRoleArn"},
		service: "ecs-tasks.amazonaws.com"}},

	// Instances: the request names an instance profile, whose role the
	// event doesn't show. EC2's newer APIs log their parameters wrapped in
	// an "<Operation>Request" object.
	"ec2:RunInstances": {{paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name"}, service: "ec2.amazonaws.com", profile: true}},
	"ec2:AssociateIamInstanceProfile": {{paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name",
		"AssociateIamInstanceProfileRequest.IamInstanceProfile.Arn", "AssociateIamInstanceProfileRequest.IamInstanceProfile.Name"},
		service: "ec2.amazonaws.com", profile: true}},
	"ec2:ReplaceIamInstanceProfileAssociation": {{paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name",
		"ReplaceIamInstanceProfileAssociationRequest.IamInstanceProfile.Arn", "ReplaceIamInstanceProfileAssociationRequest.IamInstanceProfile.Name"},
		service: "ec2.amazonaws.com", profile: true}},
	"ec2:CreateFlowLogs": {{paths: []string{"deliverLogsPermissionArn", "deliverCrossAccountRole",
		"CreateFlowLogsRequest.DeliverLogsPermissionArn", "CreateFlowLogsRequest.DeliverCrossAccountRole"}, service: "vpc-flow-logs.amazonaws.com"}},

	// Orchestration and deployment.
	"cloudformation:CreateStack":            {{paths: []string{"roleARN"}, service: "cloudformation.amazonaws.com"}},
	"cloudformation:UpdateStack":            {{paths: []string{"roleARN"}, service: "cloudformation.amazonaws.com"}},
	"cloudformation:CreateChangeSet":        {{paths: []string{"roleARN"}, service: "cloudformation.amazonaws.com"}},
	"cloudformation:DeleteStack":            {{paths: []string{"roleARN"}, service: "cloudformation.amazonaws.com"}},
	"cloudformation:CreateStackSet":         {{paths: []string{"administrationRoleARN"}, service: "cloudformation.amazonaws.com"}},
	"cloudformation:UpdateStackSet":         {{paths: []string{"administrationRoleARN"}, service: "cloudformation.amazonaws.com"}},
	"states:CreateStateMachine":             {{paths: []string{"roleArn"}, service: "states.amazonaws.com"}},
	"states:UpdateStateMachine":             {{paths: []string{"roleArn"}, service: "states.amazonaws.com"}},
	"codebuild:CreateProject":               {{paths: []string{"serviceRole"}, service: "codebuild.amazonaws.com"}},
	"codebuild:UpdateProject":               {{paths: []string{"serviceRole"}, service: "codebuild.amazonaws.com"}},
	"codepipeline:CreatePipeline":           {{paths: []string{"pipeline.roleArn"}, service: "codepipeline.amazonaws.com"}},
	"codepipeline:UpdatePipeline":           {{paths: []string{"pipeline.roleArn"}, service: "codepipeline.amazonaws.com"}},
	"codedeploy:CreateDeploymentGroup":      {{paths: []string{"serviceRoleArn"}, service: "codedeploy.amazonaws.com"}},
	"codedeploy:UpdateDeploymentGroup":      {{paths: []string{"serviceRoleArn"}, service: "codedeploy.amazonaws.com"}},
	"autoscaling:CreateAutoScalingGroup":    {{paths: []string{"serviceLinkedRoleARN"}, service: "autoscaling.amazonaws.com"}},
	"autoscaling:UpdateAutoScalingGroup":    {{paths: []string{"serviceLinkedRoleARN"}, service: "autoscaling.amazonaws.com"}},
	"autoscaling:PutLifecycleHook":          {{paths: []string{"roleARN"}, service: "autoscaling.amazonaws.com"}},
	"ssm:SendCommand":                       {{paths: []string{"serviceRoleArn"}, service: "ssm.amazonaws.com"}},
	"ssm:RegisterTaskWithMaintenanceWindow": {{paths: []string{"serviceRoleArn"}, service: "ssm.amazonaws.com"}},

	// Data and analytics.
	"glue:CreateJob":         {{paths: []string{"role"}, service: "glue.amazonaws.com", names: true}},
	"glue:UpdateJob":         {{paths: []string{"jobUpdate.role"}, service: "glue.amazonaws.com", names: true}},
	"glue:CreateCrawler":     {{paths: []string{"role"}, service: "glue.amazonaws.com", names: true}},
	"glue:UpdateCrawler":     {{paths: []string{"role"}, service: "glue.amazonaws.com", names: true}},
	"glue:CreateDevEndpoint": {{paths: []string{"roleArn"}, service: "glue.amazonaws.com"}},
	"glue:CreateSession":     {{paths: []string{"role"}, service: "glue.amazonaws.com", names: true}},
	"glue:CreateMLTransform": {{paths: []string{"role"}, service: "glue.amazonaws.com", names: true}},
	"elasticmapreduce:RunJobFlow": {
		{paths: []string{"serviceRole", "autoScalingRole"}, service: "elasticmapreduce.amazonaws.com", names: true},
		{paths: []string{"jobFlowRole"}, service: "ec2.amazonaws.com", profile: true},
	},
	"redshift:CreateCluster":         {{paths: []string{"iamRoles", "defaultIamRoleArn"}, service: "redshift.amazonaws.com"}},
	"redshift:ModifyClusterIamRoles": {{paths: []string{"addIamRoles", "defaultIamRoleArn"}, service: "redshift.amazonaws.com"}},
	"firehose:CreateDeliveryStream": {{paths: []string{
		"kinesisStreamSourceConfiguration.roleARN",
		"s3DestinationConfiguration.roleARN",
		"extendedS3DestinationConfiguration.roleARN",
		"redshiftDestinationConfiguration.roleARN",
		"elasticsearchDestinationConfiguration.roleARN",
		"amazonopensearchserviceDestinationConfiguration.roleARN",
		"splunkDestinationConfiguration.s3Configuration.roleARN",
		"httpEndpointDestinationConfiguration.roleARN",
		"snowflakeDestinationConfiguration.roleARN",
		"icebergDestinationConfiguration.roleARN",
	}, service: "firehose.amazonaws.com"}},
	"firehose:UpdateDestination": {{paths: []string{
		"s3DestinationUpdate.roleARN",
		"extendedS3DestinationUpdate.roleARN",
		"redshiftDestinationUpdate.roleARN",
		"elasticsearchDestinationUpdate.roleARN",
		"amazonopensearchserviceDestinationUpdate.roleARN",
		"httpEndpointDestinationUpdate.roleARN",
	}, service: "firehose.amazonaws.com"}},
	"sagemaker:CreateTrainingJob":             {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateProcessingJob":           {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateModel":                   {{paths: []string{"executionRoleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateNotebookInstance":        {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateAutoMLJob":               {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateCompilationJob":          {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateLabelingJob":             {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreatePipeline":                {{paths: []string{"roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateHyperParameterTuningJob": {{paths: []string{"trainingJobDefinition.roleArn"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateDomain":                  {{paths: []string{"defaultUserSettings.executionRole"}, service: "sagemaker.amazonaws.com"}},
	"sagemaker:CreateUserProfile":             {{paths: []string{"userSettings.executionRole"}, service: "sagemaker.amazonaws.com"}},
	"rds:CreateDBInstance":                    {{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"}},
	"rds:ModifyDBInstance":                    {{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"}},
	"rds:AddRoleToDBCluster":                  {{paths: []string{"roleArn"}, service: "rds.amazonaws.com"}},
	"rds:AddRoleToDBInstance":                 {{paths: []string{"roleArn"}, service: "rds.amazonaws.com"}},
	"rds:CreateDBInstanceReadReplica":         {{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"}},
	"rds:CreateDBCluster":                     {{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"}},
	"rds:ModifyDBCluster":                     {{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"}},
	// A restore from S3 hands RDS the role that reads the backup files.
	"rds:RestoreDBInstanceFromS3": {
		{paths: []string{"s3IngestionRoleArn"}, service: "rds.amazonaws.com"},
		{paths: []string{"monitoringRoleArn"}, service: "monitoring.rds.amazonaws.com"},
	},
	"rds:RestoreDBClusterFromS3": {{paths: []string{"s3IngestionRoleArn"}, service: "rds.amazonaws.com"}},
	"datasync:CreateLocationS3":  {{paths: []string{"s3Config.bucketAccessRoleArn"}, service: "datasync.amazonaws.com"}},
	"apprunner:CreateService":    {{paths: appRunnerRoles, service: "apprunner.amazonaws.com"}},
	"apprunner:UpdateService":    {{paths: appRunnerRoles, service: "apprunner.amazonaws.com"}},

	// Events, logs and integrations.
	"events:PutRule":                  {{paths: []string{"roleArn"}, service: "events.amazonaws.com"}},
	"events:PutTargets":               {{paths: []string{"targets.roleArn"}, service: "events.amazonaws.com"}},
	"scheduler:CreateSchedule":        {{paths: []string{"target.roleArn"}, service: "scheduler.amazonaws.com"}},
	"scheduler:UpdateSchedule":        {{paths: []string{"target.roleArn"}, service: "scheduler.amazonaws.com"}},
	"pipes:CreatePipe":                {{paths: []string{"roleArn"}, service: "pipes.amazonaws.com"}},
	"pipes:UpdatePipe":                {{paths: []string{"roleArn"}, service: "pipes.amazonaws.com"}},
	"logs:PutSubscriptionFilter":      {{paths: []string{"roleArn"}, service: "logs.amazonaws.com"}},
	"logs:PutDestination":             {{paths: []string{"roleArn"}, service: "logs.amazonaws.com"}},
	"apigateway:PutIntegration":       {{paths: []string{"credentials"}, service: "apigateway.amazonaws.com"}},
	"apigateway:CreateIntegration":    {{paths: []string{"credentialsArn"}, service: "apigateway.amazonaws.com"}},
	"appsync:CreateDataSource":        {{paths: []string{"serviceRoleArn"}, service: "appsync.amazonaws.com"}},
	"appsync:UpdateDataSource":        {{paths: []string{"serviceRoleArn"}, service: "appsync.amazonaws.com"}},
	"s3:PutBucketReplication":         {{paths: []string{"ReplicationConfiguration.Role", "replicationConfiguration.role"}, service: "s3.amazonaws.com"}},
	"s3:CreateJob":                    {{paths: []string{"roleArn", "RoleArn"}, service: "batchoperations.s3.amazonaws.com"}},
	"cloudtrail:CreateTrail":          {{paths: []string{"cloudWatchLogsRoleArn"}, service: "cloudtrail.amazonaws.com"}},
	"cloudtrail:UpdateTrail":          {{paths: []string{"cloudWatchLogsRoleArn"}, service: "cloudtrail.amazonaws.com"}},
	"config:PutConfigurationRecorder": {{paths: []string{"configurationRecorder.roleARN"}, service: "config.amazonaws.com"}},
	"backup:StartBackupJob":           {{paths: []string{"iamRoleArn"}, service: "backup.amazonaws.com"}},
	"backup:StartRestoreJob":          {{paths: []string{"iamRoleArn"}, service: "backup.amazonaws.com"}},
	"backup:CreateBackupSelection":    {{paths: []string{"backupSelection.iamRoleArn"}, service: "backup.amazonaws.com"}},

	// Identity: an identity pool's roles, keyed by "authenticated" and
	// "unauthenticated", and those its rules map an identity provider's
	// users to, keyed by provider.
	"cognito-identity:SetIdentityPoolRoles": {{paths: []string{"roles.*", "roleMappings.*.rulesConfiguration.rules.roleARN"},
		service: "cognito-identity.amazonaws.com"}},
}

// appRunnerRoles: an App Runner service's instance role and the access
// role that reads its source image.
var appRunnerRoles = []string{"instanceConfiguration.instanceRoleArn", "sourceConfiguration.authenticationConfiguration.accessRoleArn"}

// unseenRoles are calls that pass roles the event does not name: the task
// definition's task and execution roles, which ECS passes when it starts
// tasks. Their iam:PassRole cannot be inferred; the report says so.
var unseenRoles = map[string]string{
	"ecs:RunTask":       "passes the task definition's task and execution roles (iam:PassRole for ecs-tasks.amazonaws.com); the event does not name them",
	"ecs:StartTask":     "passes the task definition's task and execution roles (iam:PassRole for ecs-tasks.amazonaws.com); the event does not name them",
	"ecs:CreateService": "passes the task definition's task and execution roles (iam:PassRole for ecs-tasks.amazonaws.com); the event does not name them",
	"ecs:UpdateService": "passes the task definition's task and execution roles (iam:PassRole for ecs-tasks.amazonaws.com); the event does not name them",
}

// passingServices are the service prefixes of passRoleRules and
// unseenRoles.
var passingServices = func() map[string]bool {
	m := map[string]bool{}
	for k := range passRoleRules {
		p, _, _ := strings.Cut(k, ":")
		m[p] = true
	}
	for k := range unseenRoles {
		p, _, _ := strings.Cut(k, ":")
		m[p] = true
	}
	return m
}()

// passedRole is one role an event handed to a service.
type passedRole struct {
	arn     string
	service string
	profile string // the instance profile named, when the role is not
}

// passedRoles returns the roles an event passed. ev supplies the partition
// and account for bare role names and instance profiles.
func passedRoles(eventAction string, req params, ev *eventFacts) []passedRole {
	rules := passRoleRules[eventAction]
	if len(rules) == 0 || req == nil {
		return nil
	}
	var out []passedRole
	seen := map[passedRole]bool{}
	add := func(p passedRole) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, rule := range rules {
		for _, path := range rule.paths {
			for _, v := range req.strings(path) {
				if rule.profile {
					// The profile's role is in the profile's account; its
					// name is not in the event.
					account := ev.account
					if a, ok := iamARNAccount(v, "instance-profile/"); ok {
						account = a
					}
					add(passedRole{
						arn:     "arn:" + ev.partition + ":iam::" + account + ":role/*",
						service: rule.service,
						profile: profileName(v),
					})
					continue
				}
				if arn, ok := roleARN(v, rule.names, ev); ok {
					add(passedRole{arn: arn, service: rule.service})
				}
			}
		}
	}
	return out
}

// roleARN returns v as an IAM role ARN: v itself when it is one, or, when
// names are accepted, the ARN of the role v names in the caller's account.
func roleARN(v string, names bool, ev *eventFacts) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		if _, ok := iamARNAccount(v, "role/"); ok {
			return v, true
		}
		return "", false
	}
	if !names || v == "" || ev.account == "" || strings.ContainsAny(v, ":* ") {
		return "", false
	}
	return "arn:" + ev.partition + ":iam::" + ev.account + ":role/" + strings.TrimPrefix(v, "/"), true
}

// iamARNAccount checks that arn is an IAM ARN whose resource starts with
// prefix and returns its account.
func iamARNAccount(s, prefix string) (string, bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "iam" || a.Account == "" {
		return "", false
	}
	if !strings.HasPrefix(a.Resource, prefix) || len(a.Resource) == len(prefix) {
		return "", false
	}
	return a.Account, true
}

func profileName(v string) string {
	name, _ := afterSlash(v)
	return name
}
