package analyze

import (
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// TestPassRole checks that a role handed to a service in the request is
// inferred as iam:PassRole on that role, with the receiving service.
func TestPassRole(t *testing.T) {
	tests := []struct {
		name        string
		source      string
		event       string
		request     string
		errorCode   string
		errorMsg    string
		want        []string // "resource passedTo" of the iam:PassRole facts
		generalized []string
	}{
		{
			name: "ecs RegisterTaskDefinition passes task and execution roles", source: "ecs", event: "RegisterTaskDefinition",
			request: `{"family": "checkout-api", "taskRoleArn": "arn:aws:iam::111122223333:role/service/checkout-api",
				"executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole", "networkMode": "awsvpc",
				"containerDefinitions": [{"name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout-api:1.4.2"}]}`,
			want: []string{
				"arn:aws:iam::111122223333:role/ecsTaskExecutionRole ecs-tasks.amazonaws.com",
				"arn:aws:iam::111122223333:role/service/checkout-api ecs-tasks.amazonaws.com",
			},
		},
		{
			name: "lambda CreateFunction with its date suffix", source: "lambda", event: "CreateFunction20150331",
			request: `{"functionName": "thumbnailer", "runtime": "python3.12", "role": "arn:aws:iam::111122223333:role/service-role/thumbnailer-exec",
				"handler": "app.handler", "code": {}, "timeout": 30}`,
			want: []string{"arn:aws:iam::111122223333:role/service-role/thumbnailer-exec lambda.amazonaws.com"},
		},
		{
			name: "lambda UpdateFunctionConfiguration without a role passes nothing", source: "lambda", event: "UpdateFunctionConfiguration20150331v2",
			request: `{"functionName": "thumbnailer", "timeout": 60}`,
		},
		{
			name: "cloudformation CreateStack with a service role", source: "cloudformation", event: "CreateStack",
			request: `{"stackName": "checkout", "templateURL": "https://s3.amazonaws.com/cfn-templates/checkout.yaml",
				"roleARN": "arn:aws:iam::111122223333:role/cfn-deploy", "capabilities": ["CAPABILITY_IAM"]}`,
			want: []string{"arn:aws:iam::111122223333:role/cfn-deploy cloudformation.amazonaws.com"},
		},
		{
			name: "step functions CreateStateMachine", source: "states", event: "CreateStateMachine",
			request: `{"name": "nightly-report", "definition": "HIDDEN_DUE_TO_SECURITY_REASONS", "roleArn": "arn:aws:iam::111122223333:role/sfn-report", "type": "STANDARD"}`,
			want:    []string{"arn:aws:iam::111122223333:role/sfn-report states.amazonaws.com"},
		},
		{
			name: "glue CreateJob names the role without an ARN", source: "glue", event: "CreateJob",
			request: `{"name": "orders-etl", "role": "service-role/AWSGlueServiceRole-orders", "command": {"name": "glueetl", "scriptLocation": "s3://etl-scripts/orders.py"}}`,
			want:    []string{"arn:aws:iam::111122223333:role/service-role/AWSGlueServiceRole-orders glue.amazonaws.com"},
		},
		{
			name: "glue UpdateJob nests the role", source: "glue", event: "UpdateJob",
			request: `{"jobName": "orders-etl", "jobUpdate": {"role": "arn:aws:iam::111122223333:role/glue-orders"}}`,
			want:    []string{"arn:aws:iam::111122223333:role/glue-orders glue.amazonaws.com"},
		},
		{
			name: "codebuild CreateProject service role", source: "codebuild", event: "CreateProject",
			request: `{"name": "checkout-build", "serviceRole": "arn:aws:iam::111122223333:role/codebuild-checkout", "source": {"type": "CODEPIPELINE"}}`,
			want:    []string{"arn:aws:iam::111122223333:role/codebuild-checkout codebuild.amazonaws.com"},
		},
		{
			name: "sagemaker CreateTrainingJob", source: "sagemaker", event: "CreateTrainingJob",
			request: `{"trainingJobName": "churn-2024-05-14", "roleArn": "arn:aws:iam::111122223333:role/sagemaker-exec"}`,
			want:    []string{"arn:aws:iam::111122223333:role/sagemaker-exec sagemaker.amazonaws.com"},
		},
		{
			name: "eventbridge PutTargets walks the targets array", source: "events", event: "PutTargets",
			request: `{"rule": "nightly", "targets": [{"id": "1", "arn": "arn:aws:states:us-east-1:111122223333:stateMachine:nightly-report", "roleArn": "arn:aws:iam::111122223333:role/events-invoke-sfn"},
				{"id": "2", "arn": "arn:aws:lambda:us-east-1:111122223333:function:thumbnailer"}]}`,
			want: []string{"arn:aws:iam::111122223333:role/events-invoke-sfn events.amazonaws.com"},
		},
		{
			name: "firehose CreateDeliveryStream destination role", source: "firehose", event: "CreateDeliveryStream",
			request: `{"deliveryStreamName": "clicks", "extendedS3DestinationConfiguration": {"roleARN": "arn:aws:iam::111122223333:role/firehose-clicks", "bucketARN": "arn:aws:s3:::clicks-archive"}}`,
			want:    []string{"arn:aws:iam::111122223333:role/firehose-clicks firehose.amazonaws.com"},
		},
		{
			name: "ec2 RunInstances with an instance profile: role unknown, account known", source: "ec2", event: "RunInstances",
			request: `{"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]}, "instanceType": "t3.micro",
				"iamInstanceProfile": {"arn": "arn:aws:iam::111122223333:instance-profile/web-server"}}`,
			want: []string{"arn:aws:iam::111122223333:role/* ec2.amazonaws.com profile:web-server"},
		},
		{
			name: "ec2 AssociateIamInstanceProfile, parameters wrapped as EC2 logs them", source: "ec2", event: "AssociateIamInstanceProfile",
			request: `{"AssociateIamInstanceProfileRequest": {"InstanceId": "i-0a1b2c3d4e5f60718", "IamInstanceProfile": {"Name": "web-server"}}}`,
			want:    []string{"arn:aws:iam::111122223333:role/* ec2.amazonaws.com profile:web-server"},
		},
		{
			name: "ec2 CreateFlowLogs, wrapped", source: "ec2", event: "CreateFlowLogs",
			request: `{"CreateFlowLogsRequest": {"ResourceId": {"content": "vpc-0a1b2c3d", "tag": 1}, "ResourceType": "VPC", "TrafficType": "ALL",
				"LogGroupName": "vpc-flow", "DeliverLogsPermissionArn": "arn:aws:iam::111122223333:role/flow-logs"}}`,
			want: []string{"arn:aws:iam::111122223333:role/flow-logs vpc-flow-logs.amazonaws.com"},
		},
		{
			name: "eks CreateNodegroup passes the node role to EKS", source: "eks", event: "CreateNodegroup",
			request: `{"clusterName": "prod", "nodegroupName": "general", "nodeRole": "arn:aws:iam::111122223333:role/eks-node", "subnets": ["subnet-0a1b2c3d"]}`,
			want:    []string{"arn:aws:iam::111122223333:role/eks-node eks.amazonaws.com"},
		},
		{
			name: "rds RestoreDBInstanceFromS3 passes the ingestion role to RDS and the monitoring role to its monitoring", source: "rds", event: "RestoreDBInstanceFromS3",
			request: `{"dBInstanceIdentifier": "checkout-db-restored", "dBInstanceClass": "db.m6g.large", "engine": "mysql", "sourceEngine": "mysql",
				"sourceEngineVersion": "8.0.36", "s3BucketName": "checkout-db-backups", "s3IngestionRoleArn": "arn:aws:iam::111122223333:role/service-role/rds-s3-ingest",
				"monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::111122223333:role/rds-monitoring-role"}`,
			want: []string{
				"arn:aws:iam::111122223333:role/rds-monitoring-role monitoring.rds.amazonaws.com",
				"arn:aws:iam::111122223333:role/service-role/rds-s3-ingest rds.amazonaws.com",
			},
		},
		{
			name: "rds RestoreDBClusterFromS3", source: "rds", event: "RestoreDBClusterFromS3",
			request: `{"dBClusterIdentifier": "checkout-aurora-restored", "engine": "aurora-mysql", "sourceEngine": "mysql", "sourceEngineVersion": "8.0.36",
				"s3BucketName": "checkout-db-backups", "s3IngestionRoleArn": "arn:aws:iam::111122223333:role/service-role/rds-s3-ingest"}`,
			want: []string{"arn:aws:iam::111122223333:role/service-role/rds-s3-ingest rds.amazonaws.com"},
		},
		{
			name: "rds CreateDBCluster with enhanced monitoring", source: "rds", event: "CreateDBCluster",
			request: `{"dBClusterIdentifier": "checkout-multiaz", "engine": "postgres", "dBClusterInstanceClass": "db.m6gd.large",
				"monitoringInterval": 30, "monitoringRoleArn": "arn:aws:iam::111122223333:role/rds-monitoring-role"}`,
			want: []string{"arn:aws:iam::111122223333:role/rds-monitoring-role monitoring.rds.amazonaws.com"},
		},
		{
			name: "cognito-identity SetIdentityPoolRoles: every role of the map and of the provider's rules", source: "cognito-identity", event: "SetIdentityPoolRoles",
			request: `{"identityPoolId": "us-east-1:0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
				"roles": {"authenticated": "arn:aws:iam::111122223333:role/Cognito_CheckoutAuth_Role", "unauthenticated": "arn:aws:iam::111122223333:role/Cognito_CheckoutUnauth_Role"},
				"roleMappings": {"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI:4f5e6d7c8b9a0f1e2d3c4b5a69": {"type": "Rules", "ambiguousRoleResolution": "Deny",
					"rulesConfiguration": {"rules": [{"claim": "custom:tier", "matchType": "Equals", "value": "gold", "roleARN": "arn:aws:iam::111122223333:role/Cognito_CheckoutGold_Role"},
						{"claim": "custom:tier", "matchType": "Equals", "value": "silver", "roleARN": "arn:aws:iam::111122223333:role/Cognito_CheckoutSilver_Role"}]}},
					"graph.facebook.com": {"type": "Token", "ambiguousRoleResolution": "AuthenticatedRole"}}}`,
			want: []string{
				"arn:aws:iam::111122223333:role/Cognito_CheckoutAuth_Role cognito-identity.amazonaws.com",
				"arn:aws:iam::111122223333:role/Cognito_CheckoutGold_Role cognito-identity.amazonaws.com",
				"arn:aws:iam::111122223333:role/Cognito_CheckoutSilver_Role cognito-identity.amazonaws.com",
				"arn:aws:iam::111122223333:role/Cognito_CheckoutUnauth_Role cognito-identity.amazonaws.com",
			},
		},
		{
			name: "datasync CreateLocationS3 bucket access role", source: "datasync", event: "CreateLocationS3",
			request: `{"s3BucketArn": "arn:aws:s3:::checkout-exports", "s3Config": {"bucketAccessRoleArn": "arn:aws:iam::111122223333:role/datasync-s3-access"}}`,
			want:    []string{"arn:aws:iam::111122223333:role/datasync-s3-access datasync.amazonaws.com"},
		},
		{
			name: "apprunner CreateService instance and access roles", source: "apprunner", event: "CreateService",
			request: `{"serviceName": "checkout-web", "sourceConfiguration": {"imageRepository": {"imageIdentifier": "111122223333.dkr.ecr.us-east-1.amazonaws.com/checkout-web:latest",
				"imageRepositoryType": "ECR"}, "authenticationConfiguration": {"accessRoleArn": "arn:aws:iam::111122223333:role/service-role/AppRunnerECRAccessRole"}},
				"instanceConfiguration": {"instanceRoleArn": "arn:aws:iam::111122223333:role/checkout-web-instance"}}`,
			want: []string{
				"arn:aws:iam::111122223333:role/checkout-web-instance apprunner.amazonaws.com",
				"arn:aws:iam::111122223333:role/service-role/AppRunnerECRAccessRole apprunner.amazonaws.com",
			},
		},
		{
			name: "a role value that is not a role ARN is ignored", source: "lambda", event: "CreateFunction20150331",
			request: `{"functionName": "f", "role": "arn:aws:iam::111122223333:user/alice"}`,
		},
		{
			name: "a denied PassRole keeps the role and service", source: "ecs", event: "RegisterTaskDefinition",
			request:   `{"family": "checkout-api", "taskRoleArn": "arn:aws:iam::111122223333:role/admin"}`,
			errorCode: "AccessDenied",
			errorMsg:  "User: arn:aws:sts::111122223333:assumed-role/checkout-api/8f1c2d7e9a6b4c3d is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/admin because no identity-based policy allows the iam:PassRole action",
			want:      []string{"arn:aws:iam::111122223333:role/admin ecs-tasks.amazonaws.com denied:identity-policy"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ""
			if tc.errorCode != "" {
				errs = `"errorCode": "` + tc.errorCode + `", "errorMessage": "` + tc.errorMsg + `",`
			}
			rec := `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
				"eventTime": "2024-05-14T10:00:00Z", "eventSource": "` + tc.source + `.amazonaws.com", "eventName": "` + tc.event + `",
				"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.0",` + errs + `
				"requestParameters": ` + tc.request + `, "responseElements": null,
				"eventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`
			agg := analyzeRecords(t, rec)
			var got []string
			for _, f := range agg.FactsOf(checkoutRole) {
				if f.Action != PassRoleAction {
					if f.PassedTo != "" {
						t.Errorf("%s has PassedTo %q", f.Action, f.PassedTo)
					}
					continue
				}
				s := f.Resource + " " + f.PassedTo
				if f.Profile != "" {
					s += " profile:" + f.Profile
				}
				if f.Denied() {
					s += " denied:" + string(f.Denial.Reason)
				}
				got = append(got, s)
			}
			wantLines(t, got, tc.want)
			var passGens []string
			for _, g := range agg.GeneralizationsOf(checkoutRole) {
				if strings.HasPrefix(g, PassRoleAction) {
					passGens = append(passGens, g)
				}
			}
			gens := strings.Join(passGens, "\n")
			for _, g := range tc.generalized {
				if !strings.Contains(gens, g) {
					t.Errorf("generalizations %q lack %q", gens, g)
				}
			}
			if tc.generalized == nil && gens != "" {
				t.Errorf("unexpected generalizations: %s", gens)
			}
		})
	}
}

// TestPassRoleRules checks the rule table itself: every event it names maps
// to a catalog action, and every receiving service is a service principal.
func TestPassRoleRules(t *testing.T) {
	cat := catalog.Embedded()
	for _, prefix := range rules.Prefixes() {
		for name, passes := range rules.For(prefix).PassRoles {
			ev := prefix + ":" + name
			r := &trail.Record{EventSource: prefix + ".amazonaws.com", EventName: name}
			if _, status, tried := mapActions(cat, r, nil); status != mapped {
				t.Errorf("%s does not map to a catalog action (tried %s)", ev, tried)
			}
			for _, r := range passes {
				if !strings.HasSuffix(r.Service, ".amazonaws.com") || len(r.Paths) == 0 {
					t.Errorf("%s: rule %+v", ev, r)
				}
			}
		}
	}
}

// TestUnseenRoles: a call that passes roles the event does not name gets a
// warning instead of a guess.
func TestUnseenRoles(t *testing.T) {
	rec := `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
		"eventTime": "2024-05-14T10:00:00Z", "eventSource": "ecs.amazonaws.com", "eventName": "RunTask",
		"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.0",
		"requestParameters": {"cluster": "prod", "taskDefinition": "checkout-api:42", "count": 1}, "responseElements": null,
		"eventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4b", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`
	agg := analyzeRecords(t, rec)
	w := strings.Join(agg.WarningsOf(checkoutRole), "\n")
	if !strings.Contains(w, "iam:PassRole: tasks were started from 1 ECS task definition revisions the trail does not register (checkout-api:42)") {
		t.Errorf("warnings: %q", w)
	}
	for _, f := range agg.FactsOf(checkoutRole) {
		if f.Action == PassRoleAction {
			t.Errorf("guessed %s on %s", f.Action, f.Resource)
		}
	}
	// A bare family names whatever revision is latest: no link.
	bare := strings.Replace(rec, `"checkout-api:42"`, `"checkout-api"`, 1)
	w = strings.Join(analyzeRecords(t, bare).WarningsOf(checkoutRole), "\n")
	if !strings.Contains(w, "ecs:RunTask passes the task definition's task and execution roles") {
		t.Errorf("warnings: %q", w)
	}
	// The RegisterTaskDefinition of the revision names the roles, in any
	// order and in another worker's share of the trail.
	reg := `{"eventVersion": "1.09", "userIdentity": ` + checkoutSession + `,
		"eventTime": "2024-05-14T09:00:00Z", "eventSource": "ecs.amazonaws.com", "eventName": "RegisterTaskDefinition",
		"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.0",
		"requestParameters": {"family": "checkout-api", "taskRoleArn": "arn:aws:iam::111122223333:role/service/checkout-api", "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole"},
		"responseElements": {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:42", "revision": 42}},
		"eventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4c", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`
	for _, agg := range []*Aggregate{analyzeRecords(t, rec, reg), analyzeRecords(t, reg, rec)} {
		var got []string
		for _, f := range agg.FactsOf(checkoutRole) {
			if f.Action == PassRoleAction && f.PassedTo == "ecs-tasks.amazonaws.com" {
				got = append(got, f.Resource)
			}
		}
		want := "arn:aws:iam::111122223333:role/ecsTaskExecutionRole arn:aws:iam::111122223333:role/service/checkout-api"
		if strings.Join(got, " ") != want {
			t.Errorf("iam:PassRole on %q, want %s", got, want)
		}
		if w := agg.WarningsOf(checkoutRole); len(w) != 0 {
			t.Errorf("warnings: %q", w)
		}
	}
}

// TestProfileRoles: IAM calls anywhere in the trail tell which role an
// instance profile holds.
func TestProfileRoles(t *testing.T) {
	admin := `{"type": "IAMUser", "principalId": "AIDAYADMIN0000000001", "arn": "arn:aws:iam::111122223333:user/admin", "accountId": "111122223333", "accessKeyId": "AKIAYADMIN0000000001", "userName": "admin"}`
	rec := func(ident, event, req, resp string) string {
		return `{"eventVersion": "1.09", "userIdentity": ` + ident + `,
			"eventTime": "2024-05-14T10:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": "` + event + `",
			"awsRegion": "us-east-1", "sourceIPAddress": "10.20.3.41", "userAgent": "aws-cli/2.15.0",
			"requestParameters": ` + req + `, "responseElements": ` + resp + `,
			"eventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4c", "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}`
	}
	agg := analyzeRecords(t,
		rec(admin, "AddRoleToInstanceProfile", `{"instanceProfileName": "web-server", "roleName": "web-server-role"}`, "null"),
		rec(admin, "GetInstanceProfile", `{"instanceProfileName": "batch"}`,
			`{"instanceProfile": {"path": "/", "instanceProfileName": "batch", "arn": "arn:aws:iam::111122223333:instance-profile/batch",
				"roles": [{"path": "/compute/", "roleName": "batch-node", "arn": "arn:aws:iam::111122223333:role/compute/batch-node"}]}}`),
		rec(admin, "ListInstanceProfiles", `{}`,
			`{"instanceProfiles": [{"instanceProfileName": "etl", "arn": "arn:aws:iam::111122223333:instance-profile/data/etl",
				"roles": [{"roleName": "etl-node", "arn": "arn:aws:iam::111122223333:role/etl-node"}]}]}`),
	)
	for _, tc := range []struct {
		profile string
		want    []string
	}{
		{"web-server", []string{"arn:aws:iam::111122223333:role/*/web-server-role", "arn:aws:iam::111122223333:role/web-server-role"}},
		{"batch", []string{"arn:aws:iam::111122223333:role/compute/batch-node"}},
		{"etl", []string{"arn:aws:iam::111122223333:role/etl-node"}},
		{"unknown", nil},
	} {
		got := agg.RolesOfProfile("111122223333", tc.profile)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: %v, want %v", tc.profile, got, tc.want)
		}
	}
	// Mergeable: the same records split over two aggregates give the same.
	a := analyzeRecords(t, rec(admin, "AddRoleToInstanceProfile", `{"instanceProfileName": "web-server", "roleName": "web-server-role"}`, "null"))
	b := NewAggregate()
	b.Merge(a)
	if len(b.RolesOfProfile("111122223333", "web-server")) != 2 {
		t.Error("profile roles lost in a merge")
	}
}
