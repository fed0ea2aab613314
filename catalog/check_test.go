package catalog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

func TestValidate(t *testing.T) {
	ok := func() *file {
		return &file{Services: []fileService{{Prefix: "s3", Name: "Amazon S3", Actions: []fileAction{
			{Name: "GetObject", Level: "Read", Resources: []fileResourceRef{{Name: "object"}}},
		}, Resources: []fileResourceType{{Name: "object", ARN: "arn:${Partition}:s3:::${BucketName}/${ObjectName}"}}}}}
	}
	refs := func(n int) []fileResourceRef {
		out := make([]fileResourceRef, n)
		for i := range out {
			out[i].Name = fmt.Sprint("t", i)
		}
		return out
	}
	tests := []struct {
		name   string
		mutate func(f *file)
		errHas string
	}{
		{"good", func(*file) {}, ""},
		{"an action name with '-', '_' and '.'", func(f *file) { f.Services[0].Actions[0].Name = "Associate-Via_AWS.Service" }, ""},
		{"a wildcard in a template", func(f *file) { f.Services[0].Resources[0].ARN = "arn:${Partition}:dms:${Region}:${Account}:cert:*" }, ""},
		{"two templates in one field", func(f *file) { f.Services[0].Resources[0].ARN = "arn:a/${A}, arn:b/${B}" }, ""},
		{"no services", func(f *file) { f.Services = nil }, "no services"},
		{"no actions", func(f *file) { f.Services[0].Actions = nil }, "no actions"},
		{"no prefix", func(f *file) { f.Services[0].Prefix = "" }, "without a prefix"},
		{"nameless action", func(f *file) { f.Services[0].Actions[0].Name = "" }, "without a name"},
		{"bad operation", func(f *file) { f.Operations = map[string]map[string][]string{"s3": {"Get": {"GetObject"}}} }, "not a prefix:Name"},
		{"an action named *", func(f *file) { f.Services[0].Actions[0].Name = "*" }, "not an IAM action name"},
		{"an action named Get*", func(f *file) { f.Services[0].Actions[0].Name = "Get*" }, "not an IAM action name"},
		{"an action name with a colon", func(f *file) { f.Services[0].Actions[0].Name = "Get:Object" }, "not an IAM action name"},
		{"an action name with a quote", func(f *file) { f.Services[0].Actions[0].Name = `Get"Object` }, "not an IAM action name"},
		{"an action name with a newline", func(f *file) { f.Services[0].Actions[0].Name = "Get\nObject" }, `"Get\nObject"`},
		{"a long action name", func(f *file) { f.Services[0].Actions[0].Name = strings.Repeat("A", limits.NameLen+1) }, "… (257 bytes)"},
		{"an upper-case prefix", func(f *file) { f.Services[0].Prefix = "S3" }, "not an IAM service prefix"},
		{"a prefix with a space", func(f *file) { f.Services[0].Prefix = "s3 x" }, "not an IAM service prefix"},
		{"a service name with an escape", func(f *file) { f.Services[0].Name = "S3\x1b[2J" }, "control characters"},
		{"a resource type with a control character", func(f *file) { f.Services[0].Resources[0].Name = "obj\x7f" }, "resource type named"},
		{"a template that is not an ARN", func(f *file) { f.Services[0].Resources[0].ARN = "*" }, "not one ARN"},
		{"a template with a space", func(f *file) { f.Services[0].Resources[0].ARN = "arn:a b" }, "not one ARN"},
		{"too many templates", func(f *file) {
			f.Services[0].Resources[0].More = strings.Split(strings.Repeat("arn:x,", limits.ARNFormats), ",")
			for i := range f.Services[0].Resources[0].More {
				f.Services[0].Resources[0].More[i] += fmt.Sprint(i)
			}
		}, "ARN templates, more than the limit"},
		{"too many resource types", func(f *file) { f.Services[0].Actions[0].Resources = refs(limits.ActionResources + 1) }, "resource types, more than the limit"},
		{"an operation authorizing s3:*", func(f *file) { f.Operations = map[string]map[string][]string{"s3": {"Get": {"s3:*"}}} }, "not a prefix:Name"},
		{"an operation authorizing *:GetObject", func(f *file) { f.Operations = map[string]map[string][]string{"s3": {"Get": {"*:GetObject"}}} }, "not a prefix:Name"},
		{"operations of no prefix", func(f *file) { f.Operations = map[string]map[string][]string{"S 3": {"Get": {"s3:GetObject"}}} }, "not an IAM service prefix"},
		{"too many services", func(f *file) {
			for i := range limits.Services {
				f.Services = append(f.Services, fileService{Prefix: fmt.Sprint("s", i)})
			}
		}, "more than the limit of 4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := ok()
			tc.mutate(f)
			err := validate(f)
			if (err == nil) != (tc.errHas == "") || (err != nil && !strings.Contains(err.Error(), tc.errHas)) {
				t.Fatalf("validate: %v, want error containing %q", err, tc.errHas)
			}
		})
	}
}

// TestCompare: the rule an update and a cache are held to, against a
// baseline of 100 services with 10 actions each.
func TestCompare(t *testing.T) {
	base := func() *file {
		f := &file{}
		for i := range 100 {
			s := fileService{Prefix: fmt.Sprintf("svc%03d", i)}
			for j := range 10 {
				s.Actions = append(s.Actions, fileAction{Name: fmt.Sprintf("Action%d", j), Level: "Read"})
			}
			f.Services = append(f.Services, s)
		}
		return f
	}
	dropServices := func(n int) func(f *file) {
		return func(f *file) { f.Services = f.Services[n:] }
	}
	dropActions := func(n int) func(f *file) { // the first action of n services
		return func(f *file) {
			for i := range n {
				f.Services[i].Actions = f.Services[i].Actions[1:]
			}
		}
	}
	tests := []struct {
		name     string
		change   func(f *file)
		warnings int      // how many
		has      []string // what they say
		errHas   string
	}{
		{"the same", func(*file) {}, 0, nil, ""},
		{"more", func(f *file) {
			f.Services = append(f.Services, fileService{Prefix: "new", Actions: []fileAction{{Name: "A"}}})
		}, 0, nil, ""},
		{"names in another case", func(f *file) { f.Services[0].Actions[0].Name = "ACTION0" }, 0, nil, ""},
		{"one service lost", dropServices(1), 1, []string{"lacks 1 service of the embedded catalog; calls to them will be reported unmapped: svc000"}, ""},
		{"five services lost", dropServices(5), 1, []string{"lacks 5 services", "svc000, svc001, svc002, svc003, svc004"}, ""},
		{"six services lost", dropServices(6), 0, nil, "it lacks 6 of the embedded catalog's 100 services, more than 5: svc000, "},
		{"twelve services lost", dropServices(12), 0, nil, "it holds 88 services, fewer than 90 (90% of the embedded catalog's 100)"},
		{"50 actions lost", dropActions(50), 1, []string{"lacks 50 actions", "svc000:Action0, svc001:Action0", "and 30 more"}, ""},
		{"51 actions lost", dropActions(51), 0, nil, "it lacks 51 of the 1000 actions the embedded catalog has for its services, more than 50"},
		{"a service and an action lost", func(f *file) { dropServices(2)(f); dropActions(1)(f) }, 2, []string{"svc000, svc001", "svc002:Action0"}, ""},
	}
	baseline := fromFile(base())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := base()
			tc.change(f)
			warnings, err := Compare(baseline, fromFile(f))
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != tc.warnings {
				t.Errorf("warnings %q, want %d", warnings, tc.warnings)
			}
			all := strings.Join(warnings, "\n")
			for _, w := range tc.has {
				if !strings.Contains(all, w) {
					t.Errorf("warnings lack %q:\n%s", w, all)
				}
			}
		})
	}
}
