package analyze

import (
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// TestTagOnCreateRules checks the table itself: each create call and its
// tagging action are catalog actions, and a row's kind names a resource
// type the row can scope the tagging action to.
func TestTagOnCreateRules(t *testing.T) {
	cat := catalog.Embedded()
	for ev, rule := range tagOnCreate {
		t.Run(ev, func(t *testing.T) {
			create, ok := cat.Action(ev)
			if !ok {
				t.Fatalf("%s is not a catalog action", ev)
			}
			if !cat.Exists(rule.action) {
				t.Errorf("tagging action %s is not in the catalog", rule.action)
			}
			if rule.tagged == "" {
				t.Error("no tag field")
			}
			tpl := rule.template(cat, create)
			switch {
			case rule.kind == "" && tpl != "":
				t.Errorf("template %q without a kind", tpl)
			case rule.kind != "" && !strings.HasPrefix(tpl, "arn:"):
				t.Errorf("kind %q gives no template", rule.kind)
			case rule.anyNew && !strings.HasSuffix(tpl, "/*"):
				t.Errorf("a new %s is any of its kind; template %q", rule.kind, tpl)
			}
		})
	}
}

// TestUsedResources: each used-resource row names catalog actions and
// either a template or a role with rules; a row that takes its resources
// from the field itself (no contains) has a role that reads it.
func TestUsedResources(t *testing.T) {
	cat := catalog.Embedded()
	for ev, uses := range usedResources {
		if !cat.Exists(ev) {
			t.Errorf("%s is not a catalog action", ev)
		}
		for _, u := range uses {
			a, ok := cat.Action(u.action)
			if !ok {
				t.Errorf("%s: %s is not a catalog action", ev, u.action)
				continue
			}
			if u.template != "" {
				if u.role != "" {
					t.Errorf("%s: %s has both a role and a template", ev, u.action)
				}
				continue
			}
			rr, ok := roleRules[a.Service+"@"+u.role]
			if !ok {
				t.Errorf("%s: no role rules %s@%s", ev, a.Service, u.role)
				continue
			}
			if u.contains != "" {
				continue // the field says which action; the role reads elsewhere
			}
			reads := false
			for _, r := range rr.vars {
				reads = reads || slices.Contains(r.paths, u.field)
			}
			if !reads {
				t.Errorf("%s: role %s reads no %q", ev, u.role, u.field)
			}
		}
	}
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
				if n.Role != "" {
					where = "@" + n.Role
				}
				got = append(got, n.Action.Full()+" "+where)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
