package policy

import "testing"

const (
	bucketARN = "arn:aws:s3:::b"
	objectARN = "arn:aws:s3:::b/k"
	tableARN  = "arn:aws:dynamodb:us-east-1:111122223333:table/T"
	indexARN  = "arn:aws:dynamodb:us-east-1:111122223333:table/T/index/I"
	roleARN   = "arn:aws:iam::111122223333:role/x"
)

// allowOn is a one-statement policy allowing action on resource.
func allowOn(action, resource string) string {
	return doc(`{"Sid":"A","Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"}`)
}

func TestEvaluateActions(t *testing.T) {
	runEvalCases(t, "eval_actions.golden", []evalCase{
		{"exact action", []string{allowOn("s3:GetObject", "*")}, req("s3:GetObject", objectARN), Allow, "A"},
		{"action ignores case", []string{allowOn("S3:getobject", "*")}, req("s3:GetObject", objectARN), Allow, "A"},
		{"request action ignores case", []string{allowOn("s3:GetObject", "*")}, req("S3:GETOBJECT", objectARN), Allow, "A"},
		{"prefix wildcard", []string{allowOn("s3:Get*", "*")}, req("s3:GetObjectAcl", objectARN), Allow, "A"},
		{"prefix wildcard other action", []string{allowOn("s3:Get*", "*")}, req("s3:PutObject", objectARN), ImplicitDeny, ""},
		{"star is every action", []string{allowOn("*", "*")}, req("kms:Decrypt", "*"), Allow, "A"},
		{"service star", []string{allowOn("s3:*", "*")}, req("s3:DeleteBucket", bucketARN), Allow, "A"},
		{"service star is not another service", []string{allowOn("s3:*", "*")}, req("s3control:GetJobTagging", "*"), ImplicitDeny, ""},
		{"question mark is one character", []string{allowOn("s3:?etObject", "*")}, req("s3:GetObject", objectARN), Allow, "A"},
		{"question mark is not zero characters", []string{allowOn("s3:?GetObject", "*")}, req("s3:GetObject", objectARN), ImplicitDeny, ""},
		{"wildcard in the service prefix", []string{allowOn("*:List*", "*")}, req("dynamodb:ListTables", "*"), Allow, "A"},
		{"inner wildcard", []string{allowOn("iam:*AccessKey*", "*")}, req("iam:UpdateAccessKey", "*"), Allow, "A"},
		{"action list", []string{doc(`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}`)}, req("s3:PutObject", objectARN), Allow, "Statement[0]"},
	})
}

func TestEvaluateResources(t *testing.T) {
	const logStream = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:log-stream:2026/01/01/abc"
	const secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-"
	runEvalCases(t, "eval_resources.golden", []evalCase{
		{"s3 bucket prefix matches objects", []string{allowOn("s3:*", "arn:aws:s3:::b*")}, req("s3:GetObject", "arn:aws:s3:::bucket/key"), Allow, "A"},
		{"s3 bucket prefix with a region is another resource", []string{allowOn("s3:*", "arn:aws:s3:::b*")}, req("s3:GetObject", "arn:aws:s3:us-east-1::b"), ImplicitDeny, ""},
		{"s3 bucket prefix other bucket", []string{allowOn("s3:*", "arn:aws:s3:::b*")}, req("s3:GetObject", "arn:aws:s3:::a/b"), ImplicitDeny, ""},
		{"s3 star spans slash and colon in key", []string{allowOn("s3:GetObject", "arn:aws:s3:::b/*")}, req("s3:GetObject", "arn:aws:s3:::b/x:y/z"), Allow, "A"},
		{"s3 objects are not the bucket", []string{allowOn("s3:ListBucket", "arn:aws:s3:::b/*")}, req("s3:ListBucket", bucketARN), ImplicitDeny, ""},
		{"iam star account", []string{allowOn("iam:PassRole", "arn:aws:iam::*:role/x")}, req("iam:PassRole", roleARN), Allow, "A"},
		{"iam star account not a path", []string{allowOn("iam:PassRole", "arn:aws:iam::*:role/x")}, req("iam:PassRole", "arn:aws:iam::111122223333:role/path/x"), ImplicitDeny, ""},
		{"iam role star spans path", []string{allowOn("iam:PassRole", "arn:aws:iam::111122223333:role/*")}, req("iam:PassRole", "arn:aws:iam::111122223333:role/path/x"), Allow, "A"},
		{"dynamodb table is not its index", []string{allowOn("dynamodb:Query", tableARN)}, req("dynamodb:Query", indexARN), ImplicitDeny, ""},
		{"dynamodb index wildcard", []string{allowOn("dynamodb:Query", tableARN+"/index/*")}, req("dynamodb:Query", indexARN), Allow, "A"},
		{"dynamodb index wildcard is not the table", []string{allowOn("dynamodb:Query", tableARN+"/index/*")}, req("dynamodb:Query", tableARN), ImplicitDeny, ""},
		{"dynamodb table star covers indexes", []string{allowOn("dynamodb:Query", tableARN+"*")}, req("dynamodb:Query", indexARN), Allow, "A"},
		{"region star", []string{allowOn("dynamodb:Query", "arn:aws:dynamodb:*:111122223333:table/T")}, req("dynamodb:Query", tableARN), Allow, "A"},
		{"region prefix", []string{allowOn("dynamodb:Query", "arn:aws:dynamodb:us-*:111122223333:table/T")}, req("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:111122223333:table/T"), ImplicitDeny, ""},
		{"region star does not swallow the account", []string{allowOn("dynamodb:Query", "arn:aws:dynamodb:*:table/T")}, req("dynamodb:Query", tableARN), ImplicitDeny, ""},
		{"short pattern with trailing star", []string{allowOn("s3:*", "arn:aws:s3:*")}, req("s3:GetObject", objectARN), Allow, "A"},
		{"short pattern spans colons", []string{allowOn("logs:*", "arn:aws:logs:*")}, req("logs:PutLogEvents", logStream), Allow, "A"},
		{"log stream pattern", []string{allowOn("logs:*", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/*:*")}, req("logs:PutLogEvents", logStream), Allow, "A"},
		{"arn case matters", []string{allowOn("s3:*", "arn:aws:s3:::B")}, req("s3:ListBucket", bucketARN), ImplicitDeny, ""},
		{"other partition", []string{allowOn("s3:*", bucketARN)}, req("s3:ListBucket", "arn:aws-cn:s3:::b"), ImplicitDeny, ""},
		{"any partition", []string{allowOn("s3:*", "arn:*:s3:::b")}, req("s3:ListBucket", "arn:aws-cn:s3:::b"), Allow, "A"},
		{"star resource for an action without one", []string{allowOn("s3:ListAllMyBuckets", "*")}, req("s3:ListAllMyBuckets", "*"), Allow, "A"},
		{"an arn is not the star resource", []string{allowOn("s3:ListAllMyBuckets", "arn:aws:s3:::*")}, req("s3:ListAllMyBuckets", "*"), ImplicitDeny, ""},
		{"secret suffix six characters", []string{allowOn("secretsmanager:GetSecretValue", secret+"??????")}, req("secretsmanager:GetSecretValue", secret+"AbCdEf"), Allow, "A"},
		{"secret suffix five characters", []string{allowOn("secretsmanager:GetSecretValue", secret+"??????")}, req("secretsmanager:GetSecretValue", secret+"AbCdE"), ImplicitDeny, ""},
		{"resource list", []string{doc(`{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::a","arn:aws:s3:::b"]}`)}, req("s3:ListBucket", bucketARN), Allow, "Statement[0]"},
	})
}

func TestEvaluateNotActionNotResource(t *testing.T) {
	notIAM := doc(`{"Sid":"NotIAM","Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)
	payroll := doc(
		`{"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"}`,
		`{"Sid":"OnlyPayroll","Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::hr/payroll","arn:aws:s3:::hr/payroll/*"]}`)
	notBucket := doc(`{"Sid":"NotB","Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b*"}`)
	both := doc(`{"Sid":"Both","Effect":"Allow","NotAction":"s3:Delete*","NotResource":"arn:aws:s3:::secret/*"}`)
	runEvalCases(t, "eval_not.golden", []evalCase{
		{"NotAction allows other services", []string{notIAM}, req("s3:GetObject", objectARN), Allow, "NotIAM"},
		{"NotAction leaves out the listed service", []string{notIAM}, req("iam:CreateUser", "arn:aws:iam::111122223333:user/u"), ImplicitDeny, ""},
		{"NotAction pattern ignores case", []string{notIAM}, req("IAM:CreateUser", "*"), ImplicitDeny, ""},
		{"NotResource denies outside the list", []string{payroll}, req("s3:GetObject", objectARN), ExplicitDeny, "OnlyPayroll"},
		{"NotResource leaves the list alone", []string{payroll}, req("s3:GetObject", "arn:aws:s3:::hr/payroll/jan.csv"), Allow, "All"},
		{"NotResource leaves the bucket alone", []string{payroll}, req("s3:ListBucket", "arn:aws:s3:::hr/payroll"), Allow, "All"},
		{"NotResource allow outside", []string{notBucket}, req("s3:GetObject", "arn:aws:s3:::a/k"), Allow, "NotB"},
		{"NotResource allow inside", []string{notBucket}, req("s3:GetObject", objectARN), ImplicitDeny, ""},
		{"NotAction and NotResource", []string{both}, req("s3:GetObject", "arn:aws:s3:::public/k"), Allow, "Both"},
		{"NotAction and NotResource excluded action", []string{both}, req("s3:DeleteObject", "arn:aws:s3:::public/k"), ImplicitDeny, ""},
		{"NotAction and NotResource excluded resource", []string{both}, req("s3:GetObject", "arn:aws:s3:::secret/k"), ImplicitDeny, ""},
	})
}

func TestEvaluateEffects(t *testing.T) {
	allowAll := doc(`{"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"}`)
	denyDelete := doc(`{"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`)
	twoAllows := doc(
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`,
		`{"Sid":"Second","Effect":"Allow","Action":"s3:*","Resource":"*"}`)
	denyAfter := doc(
		`{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}`,
		`{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}`)
	runEvalCases(t, "eval_effects.golden", []evalCase{
		{"deny after allow in one document", []string{denyAfter}, req("s3:DeleteBucket", bucketARN), ExplicitDeny, "Statement[1]"},
		{"allow when deny does not match", []string{denyAfter}, req("s3:DeleteObject", objectARN), Allow, "S3"},
		{"deny in another document wins", []string{allowAll, denyDelete}, req("s3:DeleteObject", objectARN), ExplicitDeny, "Policy[1].NoDelete"},
		{"deny in the first document wins", []string{denyDelete, allowAll}, req("s3:DeleteObject", objectARN), ExplicitDeny, "Policy[0].NoDelete"},
		{"allow from another document", []string{denyDelete, allowAll}, req("s3:GetObject", objectARN), Allow, "Policy[1].AllowAll"},
		{"first allowing statement decides", []string{twoAllows}, req("s3:GetObject", objectARN), Allow, "Statement[0]"},
		{"deny alone allows nothing", []string{denyDelete}, req("s3:GetObject", objectARN), ImplicitDeny, ""},
		{"near miss on the resource", []string{allowOn("s3:GetObject", "arn:aws:s3:::other/*")}, req("s3:GetObject", objectARN), ImplicitDeny, ""},
		{"near miss on the condition beats one on the resource", []string{allowOn("s3:GetObject", "arn:aws:s3:::other/*"), doc(`{"Sid":"EU","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}`)}, req("s3:GetObject", objectARN, "aws:RequestedRegion", "us-east-1"), ImplicitDeny, ""},
		{"no near miss on another action", []string{allowOn("s3:GetObject", "*")}, req("sqs:SendMessage", "*"), ImplicitDeny, ""},
	})
}

func TestEvaluateNoDocuments(t *testing.T) {
	for _, docs := range [][]*Document{nil, {nil}, {nil, nil}} {
		got := Evaluate(docs, req("s3:GetObject", objectARN))
		if got.Effect != ImplicitDeny || got.Reason != "no statement allows s3:GetObject on arn:aws:s3:::b/k" {
			t.Errorf("Evaluate(%v) = %+v", docs, got)
		}
	}
}

func TestEvaluateVariables(t *testing.T) {
	home := doc(`{"Sid":"Home","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}`)
	literal := `{"Version":"2008-10-17","Statement":{"Sid":"Lit","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`
	noVersion := `{"Statement":{"Sid":"Lit","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`
	star := doc(`{"Sid":"Star","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}${?}${$}"}`)
	withDefault := doc(`{"Sid":"Def","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:userid, 'anonymous'}/*"}`)
	denyOthers := doc(
		`{"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"}`,
		`{"Sid":"DenyOthers","Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/${aws:username}/*"}`)
	tag := doc(`{"Sid":"Team","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${aws:PrincipalTag/team}-data/*"}`)
	runEvalCases(t, "eval_variables.golden", []evalCase{
		{"username fills the resource", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", "aws:username", "alice"), Allow, "Home"},
		{"context key name ignores case", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", "AWS:UserName", "alice"), Allow, "Home"},
		{"other user", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/bob/f", "aws:username", "alice"), ImplicitDeny, ""},
		{"no username", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f"), ImplicitDeny, ""},
		{"two usernames", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", "aws:username", "alice", "aws:username", "bob"), ImplicitDeny, ""},
		{"substituted star is literal", []string{home}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", "aws:username", "*"), ImplicitDeny, ""},
		{"2008 version reads variables literally", []string{literal}, req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", "aws:username", "alice"), ImplicitDeny, ""},
		{"2008 version literal match", []string{literal}, req("s3:GetObject", "arn:aws:s3:::b/home/${aws:username}/f"), Allow, "Lit"},
		{"no version reads variables literally", []string{noVersion}, req("s3:GetObject", "arn:aws:s3:::b/home/${aws:username}/f"), Allow, "Lit"},
		{"escapes are literal characters", []string{star}, req("s3:GetObject", "arn:aws:s3:::b/*?$"), Allow, "Star"},
		{"escaped star is not a wildcard", []string{star}, req("s3:GetObject", "arn:aws:s3:::b/xy$"), ImplicitDeny, ""},
		{"default value when absent", []string{withDefault}, req("s3:GetObject", "arn:aws:s3:::b/anonymous/f"), Allow, "Def"},
		{"context value over default", []string{withDefault}, req("s3:GetObject", "arn:aws:s3:::b/AIDA1/f", "aws:userid", "AIDA1"), Allow, "Def"},
		{"unresolved variable disables a deny", []string{denyOthers}, req("s3:GetObject", "arn:aws:s3:::b/bob/f"), Allow, "All"},
		{"resolved variable deny", []string{denyOthers}, req("s3:GetObject", "arn:aws:s3:::b/bob/f", "aws:username", "alice"), ExplicitDeny, "DenyOthers"},
		{"tag variable in the bucket name", []string{tag}, req("s3:PutObject", "arn:aws:s3:::blue-data/k", "aws:PrincipalTag/team", "blue"), Allow, "Team"},
	})
}
