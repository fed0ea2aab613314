package cache

import (
	"context"
	"slices"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// AWS's service list may name one prefix under several keys, and a file may
// list an action once per service that shares its prefix. The cache holds
// one service per prefix with what every file and entry says.
func TestUpdateSharedPrefix(t *testing.T) {
	withoutBaseline(t)
	srv := newRefServerAt(t, sharedRefDir)
	info, err := Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Services != 1 || info.Actions != 4 || info.ResourceTypes != 3 || info.Operations != 4 {
		t.Errorf("info = %+v, want 1 service, 4 actions, 3 resource types, 4 operations", info)
	}
	c, err := catalog.Open(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	actions := []struct {
		action    string
		level     string
		resources []string // resource type names, in order
	}{
		{"elasticloadbalancing:AddTags", "Tagging", []string{"loadbalancer", "loadbalancer/app/", "targetgroup"}},
		{"elasticloadbalancing:ConfigureHealthCheck", "Write", []string{"loadbalancer"}},
		{"elasticloadbalancing:RegisterTargets", "Write", []string{"targetgroup"}},
		{"elasticloadbalancing:DeleteLoadBalancer", "Write", []string{"loadbalancer", "loadbalancer/app/"}}, // listed twice in one file
	}
	for _, tc := range actions {
		t.Run(tc.action, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if !ok {
				t.Fatalf("%s missing", tc.action)
			}
			var names []string
			for _, r := range a.Resources {
				names = append(names, r.Type)
			}
			if a.AccessLevel != tc.level || !slices.Equal(names, tc.resources) {
				t.Errorf("%s: level %q, resources %v; want %q, %v", tc.action, a.AccessLevel, names, tc.level, tc.resources)
			}
			for _, rt := range c.ResourceTypes(a) {
				if rt.ARN == "" || len(rt.ARNs) != 1 {
					t.Errorf("%s: %s has templates %q, want its one", tc.action, rt.Name, rt.ARNs)
				}
			}
		})
	}
	for op, want := range map[string][]string{
		"AddTags":            {"elasticloadbalancing:AddTags"},
		"CreateTargetGroup":  {"elasticloadbalancing:AddTags"},
		"DeleteLoadBalancer": {"elasticloadbalancing:DeleteLoadBalancer"},
		"RegisterTargets":    {"elasticloadbalancing:RegisterTargets"},
	} {
		if got, ok := c.Operation("elasticloadbalancing", op); !ok || !slices.Equal(got, want) {
			t.Errorf("Operation(elasticloadbalancing, %s) = %v, %v; want %v", op, got, ok, want)
		}
	}
}

// Two conversions of one prefix merge into their union, whichever comes
// first; an operation both list authorizes the actions of either.
func TestMergeServices(t *testing.T) {
	classic := convertedService{
		service: fileService{Prefix: "elasticloadbalancing", Actions: []fileAction{
			{Name: "AddTags", Level: "Tagging", Resources: []fileResourceRef{{Name: "loadbalancer"}}},
		}, Resources: []fileResourceType{{Name: "loadbalancer", ARN: "arn:lb/${Name}"}}},
		operations: map[string][]string{"AddTags": {"elasticloadbalancing:AddTags"}},
		version:    "v1.3",
	}
	v2 := convertedService{
		service: fileService{Prefix: "elasticloadbalancing", Actions: []fileAction{
			{Name: "AddTags", Level: "Tagging", Resources: []fileResourceRef{{Name: "targetgroup"}}},
		}, Resources: []fileResourceType{{Name: "targetgroup", ARN: "arn:tg/${Name}/${Id}"}}},
		operations: map[string][]string{"AddTags": {"elasticloadbalancing:AddTags"}, "CreateListener": {"elasticloadbalancing:AddTags", "elasticloadbalancing:CreateListener"}},
	}
	for name, parts := range map[string][]convertedService{"classic first": {classic, v2}, "v2 first": {v2, classic}} {
		t.Run(name, func(t *testing.T) {
			f := assemble(parts, "2026-01-02", "fallback")
			c, err := catalog.New(f)
			if err != nil {
				t.Fatal(err)
			}
			a, ok := c.Action("elasticloadbalancing:AddTags")
			if !ok || len(a.Resources) != 2 || len(c.ResourceTypes(a)) != 2 {
				t.Errorf("AddTags = %+v, want both types", a)
			}
			if got, _ := c.Operation("elasticloadbalancing", "AddTags"); !slices.Equal(got, []string{"elasticloadbalancing:AddTags"}) {
				t.Errorf("AddTags authorizes %v", got)
			}
			if got, _ := c.Operation("elasticloadbalancing", "CreateListener"); len(got) != 2 {
				t.Errorf("CreateListener authorizes %v", got)
			}
			if f.Version != "v1.3" {
				t.Errorf("version %q, want v1.3", f.Version)
			}
		})
	}
}
