package catalogfile

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestMergeAction(t *testing.T) {
	classic := Action{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "loadbalancer", Required: true}}}
	v2 := Action{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "targetgroup"}, {Name: "loadbalancer/app/"}}}
	tests := []struct {
		name string
		a, b Action
		want Action
	}{
		{"disjoint types: none stays required", classic, v2,
			Action{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "loadbalancer"}, {Name: "targetgroup"}, {Name: "loadbalancer/app/"}}}},
		{"required in both stays required",
			Action{Name: "X", Level: "Write", Resources: []ResourceRef{{Name: "a", Required: true}, {Name: "b", Required: true}}},
			Action{Name: "x", Level: "Write", Resources: []ResourceRef{{Name: "A", Required: true}, {Name: "b"}}},
			Action{Name: "X", Level: "Write", Resources: []ResourceRef{{Name: "a", Required: true}, {Name: "b"}}}},
		{"one side unscoped", Action{Name: "Describe", Level: "Read"}, Action{Name: "Describe", Level: "Read", Resources: []ResourceRef{{Name: "a", Required: true}}},
			Action{Name: "Describe", Level: "Read", Resources: []ResourceRef{{Name: "a"}}}},
		{"levels joined", Action{Name: "T", Level: "Write"}, Action{Name: "T", Level: "Tagging, Write"},
			Action{Name: "T", Level: "Write, Tagging"}},
		{"same twice is unchanged", classic, classic, classic},
		{"a repeated ref collapses",
			Action{Name: "R", Level: "Write", Resources: []ResourceRef{{Name: "a", Required: true}, {Name: "a", Required: true}, {Name: "b"}}},
			Action{Name: "R", Level: "Write", Resources: []ResourceRef{{Name: "a", Required: true}, {Name: "a", Required: true}, {Name: "b"}}},
			Action{Name: "R", Level: "Write", Resources: []ResourceRef{{Name: "a", Required: true}, {Name: "b"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := MergeAction(tc.a, tc.b); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MergeAction =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	tests := []struct {
		name string
		rt   ResourceType
		want []string
	}{
		{"one", ResourceType{ARN: "arn:a"}, []string{"arn:a"}},
		{"joined by iam-data", ResourceType{ARN: "arn:a/${X}, arn:b:${Y}"}, []string{"arn:a/${X}", "arn:b:${Y}"}},
		{"more, with a repeat", ResourceType{ARN: "arn:a", More: []string{"arn:b", "arn:a"}}, []string{"arn:a", "arn:b"}},
		{"empty", ResourceType{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rt.Templates(); !slices.Equal(got, tc.want) {
				t.Errorf("Templates() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMergeResourceType(t *testing.T) {
	got := MergeResourceType(
		ResourceType{Name: "Stage", ARN: "arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}/stages/${StageName}"},
		ResourceType{Name: "stage", ARN: "arn:${Partition}:apigateway:${Region}::/apis/${ApiId}/stages/${StageName}"})
	want := ResourceType{Name: "Stage", ARN: "arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}/stages/${StageName}",
		More: []string{"arn:${Partition}:apigateway:${Region}::/apis/${ApiId}/stages/${StageName}"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestMergeService(t *testing.T) {
	classic := Service{Prefix: "elasticloadbalancing", Name: "AWS Elastic Load Balancing",
		Actions: []Action{
			{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "loadbalancer", Required: true}}},
			{Name: "ConfigureHealthCheck", Level: "Write", Resources: []ResourceRef{{Name: "loadbalancer", Required: true}}},
		},
		Resources: []ResourceType{{Name: "loadbalancer", ARN: "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:loadbalancer/${LoadBalancerName}"}},
	}
	v2 := Service{Prefix: "elasticloadbalancing", Name: "AWS Elastic Load Balancing V2",
		Actions: []Action{
			{Name: "RegisterTargets", Level: "Write", Resources: []ResourceRef{{Name: "targetgroup", Required: true}}},
			{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "targetgroup"}}},
		},
		Resources: []ResourceType{{Name: "targetgroup", ARN: "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}"}},
	}
	got := MergeService(classic, v2)
	want := Service{Prefix: "elasticloadbalancing", Name: "AWS Elastic Load Balancing",
		Actions: []Action{
			{Name: "AddTags", Level: "Tagging, Write", Resources: []ResourceRef{{Name: "loadbalancer"}, {Name: "targetgroup"}}},
			{Name: "ConfigureHealthCheck", Level: "Write", Resources: []ResourceRef{{Name: "loadbalancer", Required: true}}},
			{Name: "RegisterTargets", Level: "Write", Resources: []ResourceRef{{Name: "targetgroup", Required: true}}},
		},
		Resources: append(slices.Clone(classic.Resources), v2.Resources...),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeService =\n %+v\nwant\n %+v", got, want)
	}
	if again := MergeService(got, v2); !reflect.DeepEqual(again, got) {
		t.Errorf("merging the same service again changed it:\n %+v", again)
	}
	if n := Normalize(got); !reflect.DeepEqual(n, got) {
		t.Errorf("Normalize changed a merged service:\n %+v", n)
	}
}

func TestMergeOperation(t *testing.T) {
	many := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s:Action%03d", prefix, i)
		}
		return out
	}
	tests := []struct {
		name    string
		a, b    []string
		wantLen int
		first   string // of the result
	}{
		{"none", nil, nil, 0, ""},
		{"into none", nil, []string{"s3:GetObject"}, 1, "s3:GetObject"},
		{"a's first, repeats dropped", []string{"s3:PutObject"}, []string{"s3:GetObject", "s3:PutObject"}, 2, "s3:PutObject"},
		{"long lists, by the index", many("s3", 40), append(many("s3", 40), many("kms", 40)...), 80, "s3:Action000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MergeOperation(slices.Clone(tc.a), tc.b)
			if len(got) != tc.wantLen || (tc.wantLen > 0 && got[0] != tc.first) {
				t.Errorf("MergeOperation = %q, want %d actions, %s first", got, tc.wantLen, tc.first)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
				t.Errorf("MergeOperation = %q repeats an action", got)
			}
		})
	}
}
