package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/tailor-iam/tailor/catalog"
)

// scenarios are the parameter sets the CloudFormation tests evaluate the
// template with: its defaults, and every optional feature switched on.
var scenarios = []struct {
	name   string
	params map[string]string
}{
	{"defaults", map[string]string{
		"TrailBucket": "org-trail", "CodeS3Bucket": "artifacts", "CodeS3Key": "tailor/bootstrap-1.zip",
	}},
	{"kms key, output bucket, org prefix", map[string]string{
		"TrailBucket": "org-trail", "CodeS3Bucket": "artifacts", "CodeS3Key": "tailor/bootstrap-1.zip",
		"TrailPrefix":         "AWSLogs/o-abc123def4/",
		"TrailKmsKeyArn":      "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"OutputBucket":        "security-reports",
		"CodeS3ObjectVersion": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH",
	}},
}

// evaluated returns the template's resources as a stack with these
// parameters would create them.
func evaluated(t *testing.T, tmpl map[string]any, params map[string]string) (*stack, map[string]any) {
	t.Helper()
	s := newStack(t, tmpl, params)
	res, err := s.eval(tmpl["Resources"])
	if err != nil {
		t.Fatal(err)
	}
	return s, asMap(res)
}

// onlyResource returns the logical id of the template's one resource of a
// type.
func onlyResource(t *testing.T, tmpl map[string]any, typ string) string {
	t.Helper()
	ids := resourcesOfType(tmpl, typ)
	if len(ids) != 1 {
		t.Fatalf("want one %s, have %v", typ, ids)
	}
	return ids[0]
}

// roleStatements returns the statements of every policy a stack attaches to
// a role: the role's own and those of AWS::IAM::RolePolicy resources.
func roleStatements(t *testing.T, tmpl, res map[string]any, role string) []statement {
	t.Helper()
	var docs []any
	for _, p := range asList(dig(res[role], "Properties", "Policies")) {
		docs = append(docs, dig(p, "PolicyDocument"))
	}
	for id, r := range asMap(tmpl["Resources"]) {
		if dig(r, "Type") == "AWS::IAM::RolePolicy" && reflect.DeepEqual(dig(r, "Properties", "RoleName"), map[string]any{"Ref": role}) {
			docs = append(docs, dig(res[id], "Properties", "PolicyDocument"))
		}
	}
	var out []statement
	for _, d := range docs {
		sts, err := statementsOf(d)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		out = append(out, sts...)
	}
	return out
}

func TestCloudFormationResources(t *testing.T) {
	tmpl := loadCloudFormation(t)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s, res := evaluated(t, tmpl, sc.params)
			fn := onlyResource(t, tmpl, "AWS::Lambda::Function")
			logs := onlyResource(t, tmpl, "AWS::Logs::LogGroup")
			bucket := onlyResource(t, tmpl, "AWS::S3::Bucket")
			schedule := onlyResource(t, tmpl, "AWS::Scheduler::Schedule")
			queue := onlyResource(t, tmpl, "AWS::SQS::Queue")
			onlyResource(t, tmpl, "AWS::StepFunctions::StateMachine")
			if roles := resourcesOfType(tmpl, "AWS::IAM::Role"); len(roles) != 3 {
				t.Errorf("want three roles (function, scheduler, state machine), have %v", roles)
			}
			p := func(id string, path ...string) any { return dig(res[id], append([]string{"Properties"}, path...)...) }
			for _, c := range []struct {
				what      string
				got, want any
			}{
				{"function runtime", p(fn, "Runtime"), "provided.al2023"},
				{"function handler", p(fn, "Handler"), "bootstrap"},
				{"function architecture", p(fn, "Architectures"), []any{"arm64"}},
				{"function log group", p(fn, "LoggingConfig", "LogGroup"), s.refs[logs]},
				{"bucket versioning", p(bucket, "VersioningConfiguration", "Status"), "Enabled"},
				{"bucket encryption", p(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration"),
					[]any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
				{"public access block", p(bucket, "PublicAccessBlockConfiguration"), map[string]any{
					"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}},
				{"schedule expression", p(schedule, "ScheduleExpression"), "rate(1 hour)"},
				{"schedule target", p(schedule, "Target", "Arn"), s.attrs[fn+".Arn"]},
				{"schedule dead-letter queue", p(schedule, "Target", "DeadLetterConfig", "Arn"), s.attrs[queue+".Arn"]},
				{"schedule retries", p(schedule, "Target", "RetryPolicy"), map[string]any{"MaximumRetryAttempts": "2", "MaximumEventAgeInSeconds": "3600"}},
			} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s: have %#v, want %#v", c.what, c.got, c.want)
				}
			}
			if p(logs, "RetentionInDays") == nil {
				t.Error("the log group has no retention")
			}
			if got := dig(tmpl, "Parameters", "Architecture", "AllowedValues"); !reflect.DeepEqual(got, []any{"arm64", "x86_64"}) {
				t.Errorf("Architecture takes %v, want arm64 and x86_64", got)
			}
			var input map[string]any
			if err := json.Unmarshal([]byte(fmt.Sprint(p(schedule, "Target", "Input"))), &input); err != nil {
				t.Fatalf("schedule input: %v", err)
			}
			if input["mode"] != ModeRun {
				t.Errorf("the schedule invokes mode %v, want %q", input["mode"], ModeRun)
			}
		})
	}
}

// The function's role: exactly the contract's actions, each on the
// resources it needs and no others.
func TestExecutionRolePolicy(t *testing.T) {
	tmpl := loadCloudFormation(t)
	cat := catalog.Embedded()
	role := dig(tmpl, "Resources", onlyResource(t, tmpl, "AWS::Lambda::Function"), "Properties", "Role", "Fn::GetAtt")
	roleID := fmt.Sprint(asList(role)[0])
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s, res := evaluated(t, tmpl, sc.params)
			sts := roleStatements(t, tmpl, res, roleID)
			for _, p := range scopeProblems(cat, sts) {
				t.Error(p)
			}
			want := []string{"logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:ListBucket", "s3:PutObject"}
			withKey := s.params["TrailKmsKeyArn"] != ""
			if withKey {
				want = append(want, "kms:Decrypt")
				sort.Strings(want)
			}
			if got := actionSet(sts); !slices.Equal(got, want) {
				t.Errorf("actions %v, want %v", got, want)
			}
			trail := "arn:aws:s3:::" + s.params["TrailBucket"]
			for _, st := range sts {
				for _, a := range st.Actions {
					switch a {
					case "s3:ListBucket":
						prefixes := st.Condition["StringLike"]["s3:prefix"]
						if len(prefixes) == 0 {
							t.Errorf("%s: s3:ListBucket without an s3:prefix condition", st.Sid)
						}
						for _, pre := range prefixes {
							if pre == "*" || !strings.HasSuffix(pre, "/*") {
								t.Errorf("%s: s3:prefix %q is not one prefix", st.Sid, pre)
							}
						}
					case "kms:Decrypt":
						if !slices.Equal(st.Resources, []string{s.params["TrailKmsKeyArn"]}) {
							t.Errorf("%s: kms:Decrypt on %v, want the trail's key only", st.Sid, st.Resources)
						}
						if got := st.Condition["StringEquals"]["kms:ViaService"]; !slices.Equal(got, []string{"s3." + testRegion + ".amazonaws.com"}) {
							t.Errorf("%s: kms:ViaService %v, want S3 in the stack's region", st.Sid, got)
						}
					case "s3:PutObject":
						for _, r := range st.Resources {
							if strings.HasPrefix(r, trail+"/") {
								t.Errorf("%s: writes to the trail bucket: %s", st.Sid, r)
							}
						}
					}
				}
				for _, r := range st.Resources {
					if strings.HasPrefix(r, trail+"/") && r != trail+"/"+s.params["TrailPrefix"]+"*" {
						t.Errorf("%s: %s is not the trail prefix", st.Sid, r)
					}
				}
			}
		})
	}
}

// The scheduler's and the state machine's roles pass the same checks, and
// invoke the function only.
func TestServiceRolePolicies(t *testing.T) {
	tmpl := loadCloudFormation(t)
	cat := catalog.Embedded()
	s, res := evaluated(t, tmpl, scenarios[0].params)
	fnArn := s.attrs[onlyResource(t, tmpl, "AWS::Lambda::Function")+".Arn"]
	for _, tc := range []struct {
		principal string
		want      []string
	}{
		{"scheduler.amazonaws.com", []string{"lambda:InvokeFunction", "sqs:SendMessage"}},
		{"states.amazonaws.com", []string{
			"lambda:InvokeFunction", "s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject",
			"states:DescribeExecution", "states:RedriveExecution", "states:StartExecution", "states:StopExecution"}},
	} {
		t.Run(tc.principal, func(t *testing.T) {
			var role string
			for _, id := range resourcesOfType(tmpl, "AWS::IAM::Role") {
				trust := fmt.Sprint(dig(res[id], "Properties", "AssumeRolePolicyDocument"))
				if strings.Contains(trust, tc.principal) {
					role = id
				}
			}
			if role == "" {
				t.Fatalf("no role that %s assumes", tc.principal)
			}
			sts := roleStatements(t, tmpl, res, role)
			for _, p := range scopeProblems(cat, sts) {
				t.Error(p)
			}
			if got := actionSet(sts); !slices.Equal(got, tc.want) {
				t.Errorf("actions %v, want %v", got, tc.want)
			}
			for _, st := range sts {
				if slices.Contains(st.Actions, "lambda:InvokeFunction") && !slices.Equal(st.Resources, []string{fnArn}) {
					t.Errorf("%s: lambda:InvokeFunction on %v, want the tailor function only", st.Sid, st.Resources)
				}
			}
		})
	}
}

func TestFunctionEnvironment(t *testing.T) {
	var names []string
	for _, e := range Environment {
		names = append(names, e.Name)
	}
	t.Run("cloudformation", func(t *testing.T) {
		tmpl := loadCloudFormation(t)
		fn := onlyResource(t, tmpl, "AWS::Lambda::Function")
		vars := asMap(dig(tmpl, "Resources", fn, "Properties", "Environment", "Variables"))
		var got []string
		for k := range vars {
			got = append(got, k)
		}
		if sort.Strings(got); !slices.Equal(got, sorted(names)) {
			t.Errorf("the function's environment has %v, want %v", got, sorted(names))
		}
		for _, e := range Environment {
			if param, ok := asMap(vars[e.Name])["Ref"].(string); ok && e.Default != "" {
				if d := fmt.Sprint(dig(tmpl, "Parameters", param, "Default")); d != e.Default {
					t.Errorf("%s: parameter %s defaults to %q, the function to %q", e.Name, param, d, e.Default)
				}
			}
		}
	})
	t.Run("terraform", func(t *testing.T) {
		m := loadTerraform(t)
		env := nested(m.block("resource", "aws_lambda_function", "tailor"), "environment")
		if len(env) != 1 {
			t.Fatal("aws_lambda_function.tailor: want one environment block")
		}
		got, vals := objectKeys(t, attr(env[0], "variables"))
		if !slices.Equal(got, names) {
			t.Errorf("the function's environment has %v, want %v", got, names)
		}
		for _, e := range Environment {
			if e.Default == "" {
				continue
			}
			if d, ok := m.defaultOf(vals[e.Name]); !ok || d != e.Default {
				t.Errorf("%s: defaults to %q (readable: %v), the function to %q", e.Name, d, ok, e.Default)
			}
		}
	})
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func TestTerraformFormatted(t *testing.T) {
	m := loadTerraform(t)
	for _, name := range terraformFiles {
		if got := hclwrite.Format(m.src[name]); !bytes.Equal(got, m.src[name]) {
			t.Errorf("terraform/%s is not formatted as hclwrite.Format (terraform fmt) writes it", name)
		}
	}
}

func TestTerraformResources(t *testing.T) {
	m := loadTerraform(t)
	for _, typ := range []string{
		"aws_lambda_function", "aws_cloudwatch_log_group", "aws_iam_role", "aws_iam_role_policy",
		"aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
		"aws_s3_bucket_server_side_encryption_configuration", "aws_scheduler_schedule",
		"aws_sqs_queue", "aws_sfn_state_machine",
	} {
		if len(m.names("resource", typ)) == 0 {
			t.Errorf("no %s", typ)
		}
	}
	fn := m.block("resource", "aws_lambda_function", "tailor")
	for name, want := range map[string]string{"runtime": "provided.al2023", "handler": "bootstrap"} {
		if got, _ := literal(attr(fn, name), ""); got != want {
			t.Errorf("aws_lambda_function.tailor: %s = %q, want %q", name, got, want)
		}
	}
	versioning := nested(m.block("resource", "aws_s3_bucket_versioning", "state"), "versioning_configuration")
	if len(versioning) != 1 {
		t.Fatal("aws_s3_bucket_versioning.state: no versioning_configuration")
	}
	if got, _ := literal(attr(versioning[0], "status"), ""); got != "Enabled" {
		t.Errorf("versioning status %q, want Enabled", got)
	}
	target := nested(m.block("resource", "aws_scheduler_schedule", "tailor"), "target")
	if len(target) != 1 || len(nested(target[0], "retry_policy")) != 1 || len(nested(target[0], "dead_letter_config")) != 1 {
		t.Error("aws_scheduler_schedule.tailor: want a target with a retry_policy and a dead_letter_config")
	}
}

// The module's policies grant what the template's do, action for action,
// and name no resource "*".
func TestTerraformPolicies(t *testing.T) {
	m := loadTerraform(t)
	tmpl := loadCloudFormation(t)
	_, res := evaluated(t, tmpl, scenarios[1].params)
	cat := catalog.Embedded()
	for doc, role := range map[string]string{"function": "FunctionRole", "scheduler": "SchedulerRole", "fanout": "FanoutRole"} {
		got := m.policyActions(t, doc)
		if want := actionSet(roleStatements(t, tmpl, res, role)); !slices.Equal(got, want) {
			t.Errorf("policy %s: actions %v, the template's %s has %v", doc, got, role, want)
		}
		for _, a := range got {
			if !cat.Exists(a) {
				t.Errorf("policy %s: %s is not in the catalog", doc, a)
			}
		}
		for _, st := range m.policyStatements(doc) {
			if r, ok := literal(attr(st, "resources"), ","); ok && slices.Contains(strings.Split(r, ","), "*") {
				t.Errorf("policy %s: a statement on \"*\"", doc)
			}
		}
	}
}

func TestStateMachineDefinition(t *testing.T) {
	def := loadStateMachine(t)
	for _, p := range definitionProblems(def) {
		t.Error(p)
	}
}

// The template embeds the definition file, and both templates fill exactly
// its placeholders.
func TestStateMachineTemplatesAgree(t *testing.T) {
	src, err := os.ReadFile(stateMachinePath)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range regexp.MustCompile(`\$\{([^}]*)\}`).FindAllStringSubmatch(string(src), -1) {
		if !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`).MatchString(m[1]) {
			t.Errorf("placeholder ${%s} is not a name both templates can fill", m[1])
		}
		want = append(want, m[1])
	}
	want = compact(sorted(want))
	if bytes.Contains(src, []byte("%{")) {
		t.Error(`the definition holds "%{", a Terraform template directive`)
	}

	tmpl := loadCloudFormation(t)
	sm := onlyResource(t, tmpl, "AWS::StepFunctions::StateMachine")
	props := asMap(dig(tmpl, "Resources", sm, "Properties"))
	embedded, err := json.Marshal(props["Definition"])
	if err != nil {
		t.Fatal(err)
	}
	var got, file any
	if err := json.Unmarshal(embedded, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(src, &file); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, file) {
		t.Errorf("%s's Definition differs from %s", sm, stateMachinePath)
	}
	var subs []string
	for k := range asMap(props["DefinitionSubstitutions"]) {
		subs = append(subs, k)
	}
	if sort.Strings(subs); !slices.Equal(subs, want) {
		t.Errorf("DefinitionSubstitutions fills %v, the definition has %v", subs, want)
	}

	m := loadTerraform(t)
	call, ok := attr(m.block("resource", "aws_sfn_state_machine", "fanout"), "definition").(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "templatefile" || len(call.Args) != 2 {
		t.Fatal("aws_sfn_state_machine.fanout: definition is not templatefile(path, vars)")
	}
	if path := string(call.Args[0].Range().SliceBytes(m.src["main.tf"])); !strings.Contains(path, "../stepfunctions/fanout.asl.json") {
		t.Errorf("templatefile reads %s, want ../stepfunctions/fanout.asl.json", path)
	}
	keys, _ := objectKeys(t, call.Args[1])
	if keys = sorted(keys); !slices.Equal(keys, want) {
		t.Errorf("templatefile fills %v, the definition has %v", keys, want)
	}
}

// TestExecutionPolicyMatchesTemplate: the role policy the CloudFormation
// template writes is ExecutionPolicy, the one the function's end-to-end
// test replays its requests against, in every scenario.
func TestExecutionPolicyMatchesTemplate(t *testing.T) {
	tmpl := loadCloudFormation(t)
	role := dig(tmpl, "Resources", onlyResource(t, tmpl, "AWS::Lambda::Function"), "Properties", "Role", "Fn::GetAtt")
	roleID := fmt.Sprint(asList(role)[0])
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s, res := evaluated(t, tmpl, sc.params)
			got := roleStatements(t, tmpl, res, roleID)
			bySid := map[string]statement{}
			for _, st := range got {
				bySid[st.Sid] = st
			}
			// What the stack makes: the state bucket and the log group.
			state := strings.TrimPrefix(bySid["ListState"].Resources[0], "arn:aws:s3:::")
			p := Params{Partition: "aws", Region: testRegion, TrailBucket: s.params["TrailBucket"], TrailPrefix: s.params["TrailPrefix"],
				TrailKMSKey: s.params["TrailKmsKeyArn"], StateBucket: state, StatePrefix: s.params["StatePrefix"],
				OutputBucket: s.params["OutputBucket"], OutputPrefix: s.params["OutputPrefix"], LogGroupARN: bySid["WriteLogs"].Resources[0]}
			body, err := json.Marshal(ExecutionPolicy(p))
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			want, err := statementsOf(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the template's role policy:\n%+v\nExecutionPolicy:\n%+v", got, want)
			}
		})
	}
}
