package analyze

import (
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
)

// TestTagOnCreateRules checks the table itself: each create call and its
// tagging action are catalog actions, and a row's kind names a resource
// type the row can scope the tagging action to.
func TestTagOnCreateRules(t *testing.T) {
	cat := catalog.Embedded()
	for ev, rule := range tagOnCreateRows() {
		t.Run(ev, func(t *testing.T) {
			create, ok := cat.Action(ev)
			if !ok {
				t.Fatalf("%s is not a catalog action", ev)
			}
			if !cat.Exists(rule.Action) {
				t.Errorf("tagging action %s is not in the catalog", rule.Action)
			}
			if rule.Tagged == "" {
				t.Error("no tag field")
			}
			tpl := tagTemplate(cat, rule, create)
			switch {
			case rule.Kind == "" && tpl != "":
				t.Errorf("template %q without a kind", tpl)
			case rule.Kind != "" && !strings.HasPrefix(tpl, "arn:"):
				t.Errorf("kind %q gives no template", rule.Kind)
			case rule.AnyNew && !strings.HasSuffix(tpl, "/*"):
				t.Errorf("a new %s is any of its kind; template %q", rule.Kind, tpl)
			}
		})
	}
}

// tagOnCreateRows lists every service's TagOnCreate rows by
// "prefix:Event".
func tagOnCreateRows() map[string]rules.TagRule {
	out := map[string]rules.TagRule{}
	for _, p := range rules.Prefixes() {
		for ev, rule := range rules.For(p).TagOnCreate {
			out[p+":"+ev] = rule
		}
	}
	return out
}

// TestImpliedNeeds: which extra needs a request triggers, and on what.
func TestImpliedNeeds(t *testing.T) {
	cat := catalog.Embedded()
	tests := []struct {
		name, event, request string
		want                 []string // "action template-or-role"
	}{
		{"tags on create", "sns:CreateTopic", `{"name": "t", "tags": [{"key": "k", "value": "v"}]}`, []string{"sns:TagResource "}},
		{"an empty tag list", "sns:CreateTopic", `{"name": "t", "tags": []}`, nil},
		{"a tag map", "lambda:CreateFunction", `{"functionName": "f", "tags": {"k": "v"}}`, []string{"lambda:TagResource "}},
		{"the created kind only", "rds:CreateDBInstance", `{"dBInstanceIdentifier": "db1", "tags": [{"key": "k", "value": "v"}]}`,
			[]string{"rds:AddTagsToResource arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}"}},
		{"any new key", "kms:CreateKey", `{"tags": [{"tagKey": "k", "tagValue": "v"}]}`,
			[]string{"kms:TagResource arn:${Partition}:kms:${Region}:${Account}:key/*"}},
		{"layers", "lambda:UpdateFunctionConfiguration", `{"functionName": "f", "layers": ["arn:aws:lambda:us-east-1:111122223333:layer:l:1"]}`,
			[]string{"lambda:GetLayerVersion @layers"}},
		{"no layers", "lambda:UpdateFunctionConfiguration", `{"functionName": "f", "layers": []}`, nil},
		{"an EC2 wrapper's tag specification", "ec2:CreateSubnet", `{"CreateSubnetRequest": {"VpcId": "vpc-1", "TagSpecification": {"ResourceType": "subnet"}}}`,
			[]string{"ec2:CreateTags arn:${Partition}:ec2:${Region}:${Account}:subnet/*"}},
		{"another call's wrapper is not read", "ec2:CreateSubnet", `{"CreateVpcRequest": {"TagSpecification": {"ResourceType": "vpc"}}}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := cat.Action(tc.event)
			if !ok {
				t.Fatalf("%s is not a catalog action", tc.event)
			}
			var got []string
			for _, n := range impliedNeeds(cat, tc.event, parseParams([]byte(tc.request)), []Need{{Action: a, mapped: true}}) {
				where := n.Template
				if n.Side != rules.Main {
					where = "@" + n.Side.String()
				}
				got = append(got, n.Action.Full()+" "+where)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
