package synth

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const role = "arn:aws:iam::111122223333:role/app"

// fact builds a fact from "action resource [passedTo] [denied:reason]".
func fact(t *testing.T, line string) analyze.Fact {
	t.Helper()
	fields := strings.Fields(line)
	if len(fields) < 2 {
		t.Fatalf("bad fact line %q", line)
	}
	f := analyze.Fact{FactKey: analyze.FactKey{Principal: role, Action: fields[0], Resource: fields[1]}, Stat: analyze.Stat{Count: 1}}
	for _, x := range fields[2:] {
		if r, ok := strings.CutPrefix(x, "denied:"); ok {
			f.Denial = analyze.DenialKey{Reason: analyze.Reason(r), Code: "AccessDenied"}
		} else if p, ok := strings.CutPrefix(x, "profile:"); ok {
			f.Profile = p
		} else {
			f.PassedTo = x
		}
	}
	return f
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name     string
		facts    []string
		opts     Options
		warnings []string
		leftOut  map[string]int
	}{
		{
			name: "grouped-by-resource-set",
			facts: []string{
				"dynamodb:GetItem arn:aws:dynamodb:us-east-1:111122223333:table/orders",
				"dynamodb:PutItem arn:aws:dynamodb:us-east-1:111122223333:table/orders",
				"dynamodb:Query arn:aws:dynamodb:us-east-1:111122223333:table/orders",
				"dynamodb:Query arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-customer",
				"s3:GetObject arn:aws:s3:::assets/logo.png",
				"sts:GetSessionToken *",
			},
			warnings: []string{`1 action has no resource-level permissions in IAM and is granted on "*": sts:GetSessionToken`},
		},
		{
			name: "wildcard-absorbs-arns-with-warning",
			facts: []string{
				"iam:GetRole *",
				"iam:GetRole arn:aws:iam::111122223333:role/app",
				"ecr:GetAuthorizationToken *",
			},
			warnings: []string{`iam:GetRole: the events do not reveal the resource ARN; granted on "*"`,
				`1 action has no resource-level permissions in IAM and is granted on "*": ecr:GetAuthorizationToken`},
		},
		{
			name: "passrole-conditions",
			facts: []string{
				"iam:PassRole arn:aws:iam::111122223333:role/task ecs-tasks.amazonaws.com",
				"iam:PassRole arn:aws:iam::111122223333:role/exec ecs-tasks.amazonaws.com",
				"iam:PassRole arn:aws:iam::111122223333:role/fn lambda.amazonaws.com",
				"iam:PassRole arn:aws:iam::111122223333:role/fn states.amazonaws.com",
				"ecr:GetAuthorizationToken *",
			},
			warnings: []string{`1 action has no resource-level permissions in IAM and is granted on "*": ecr:GetAuthorizationToken`},
		},
		{
			name: "passrole-unconditional-covers-conditional",
			facts: []string{
				"iam:PassRole arn:aws:iam::111122223333:role/task ecs-tasks.amazonaws.com",
				"iam:PassRole arn:aws:iam::111122223333:role/task",
			},
		},
		{
			name: "passrole-instance-profiles",
			facts: []string{
				"iam:PassRole arn:aws:iam::111122223333:role/* ec2.amazonaws.com profile:web-server",
				"iam:PassRole arn:aws:iam::111122223333:role/* ec2.amazonaws.com profile:mystery",
			},
			opts: Options{ProfileRoles: func(account, profile string) []string {
				if account == "111122223333" && profile == "web-server" {
					return []string{"arn:aws:iam::111122223333:role/*/web", "arn:aws:iam::111122223333:role/web"}
				}
				return nil
			}},
			warnings: []string{"iam:PassRole: the role of instance profile mystery is not in the trail; granted on the account's roles (arn:aws:iam::111122223333:role/*) for ec2.amazonaws.com"},
		},
		{
			name: "escaped-keys-are-literal",
			facts: []string{
				"s3:GetObject arn:aws:s3:::b/x${*}y",
				"s3:GetObject arn:aws:s3:::b/x${?}y",
				"s3:GetObject arn:aws:s3:::b/x${$}y",
				"s3:GetObject arn:aws:s3:::b/z",
				"s3:PutObject arn:aws:s3:::b/in/*",
				"s3:PutObject arn:aws:s3:::b/in/a${*}",
			},
		},
		{
			name: "denials-by-reason",
			facts: []string{
				"s3:GetObject arn:aws:s3:::assets/a denied:identity-policy",
				"s3:PutObject arn:aws:s3:::assets/a denied:scp",
				"kms:Decrypt arn:aws:kms:us-east-1:111122223333:key/k denied:permissions-boundary",
				"sqs:SendMessage arn:aws:sqs:us-east-1:111122223333:q denied:unknown",
			},
			opts:    Options{IncludeDenied: true},
			leftOut: map[string]int{"scp": 1, "permissions-boundary": 1},
		},
	}
	cat := catalog.Embedded()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var facts []analyze.Fact
			for _, l := range tc.facts {
				facts = append(facts, fact(t, l))
			}
			sg := Suggest(cat, facts, tc.opts)
			out, err := render(sg.Policy)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".json", string(out))
			if strings.Join(sg.Warnings, "\n") != strings.Join(tc.warnings, "\n") {
				t.Errorf("warnings = %q, want %q", sg.Warnings, tc.warnings)
			}
			for r, n := range tc.leftOut {
				if sg.DeniedLeftOut[analyze.Reason(r)] != n {
					t.Errorf("left out for %s = %d, want %d", r, sg.DeniedLeftOut[analyze.Reason(r)], n)
				}
			}
			// The order facts arrive in never changes the bytes.
			for i := 0; i < 5; i++ {
				rand.Shuffle(len(facts), func(a, b int) { facts[a], facts[b] = facts[b], facts[a] })
				again, _ := render(Suggest(cat, facts, tc.opts).Policy)
				if string(again) != string(out) {
					t.Fatalf("output depends on fact order:\n%s\nvs\n%s", out, again)
				}
			}
		})
	}
}

// render writes a document as RenderJSON does before its escapes: checked,
// then in canonical form.
func render(d *policy.Document) ([]byte, error) {
	if err := validate(d); err != nil {
		return nil, err
	}
	return d.Marshal()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./synth -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\ngot:\n%s", path, got)
	}
}
