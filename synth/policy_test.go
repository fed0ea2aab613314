package synth

import (
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/policy"
)

// TestRenderRefusesElementsTailorNeverWrites: a policy.Document can hold
// elements the Terraform and CloudFormation renderers have no place for;
// every renderer refuses them rather than drop one.
func TestRenderRefusesElementsTailorNeverWrites(t *testing.T) {
	base := func() *policy.Document {
		return &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{
			Sid: "S3", Effect: policy.EffectAllow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/k"},
		}}}
	}
	for _, tc := range []struct {
		name   string
		change func(d *policy.Document)
		want   string
	}{
		{"Id", func(d *policy.Document) { d.ID = "x" }, "an Id"},
		{"NotAction", func(d *policy.Document) { d.Statement[0].NotAction = []string{"s3:PutObject"} }, "NotAction"},
		{"NotResource", func(d *policy.Document) { d.Statement[0].NotResource = []string{"arn:aws:s3:::c/*"} }, "NotResource"},
		{"NotPrincipal", func(d *policy.Document) {
			d.Statement[0].NotPrincipal = &policy.Principal{IDs: map[string][]string{"AWS": {"arn:aws:iam::111122223333:root"}}}
		}, "NotPrincipal"},
		{"Principal *", func(d *policy.Document) { d.Statement[0].Principal = &policy.Principal{Wildcard: true} }, "names no principal"},
		{"empty Principal", func(d *policy.Document) { d.Statement[0].Principal = &policy.Principal{} }, "names no principal"},
		{"2008 version", func(d *policy.Document) { d.Version = policy.Version2008 }, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := base()
			tc.change(d)
			for _, format := range []string{"json", "terraform", "cloudformation"} {
				out, err := renderFormat(format, []*policy.Document{d}, formatTarget)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v, want one saying %q:\n%s", format, err, tc.want, out)
				}
			}
		})
	}
	if _, err := RenderJSON([]*policy.Document{base()}); err != nil {
		t.Fatalf("the document itself: %v", err)
	}
}

// TestPolicyDiffSeesEveryElement: the read-back compares the whole model,
// so an element a reader found that was not rendered is a difference.
func TestPolicyDiffSeesEveryElement(t *testing.T) {
	want := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{
		Sid: "S3", Effect: policy.EffectAllow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/k"},
	}}}
	for elem, change := range map[string]func(d *policy.Document){
		"Id":           func(d *policy.Document) { d.ID = "x" },
		"NotAction":    func(d *policy.Document) { d.Statement[0].NotAction = []string{} },
		"NotResource":  func(d *policy.Document) { d.Statement[0].NotResource = []string{"*"} },
		"NotPrincipal": func(d *policy.Document) { d.Statement[0].NotPrincipal = &policy.Principal{Wildcard: true} },
		"Principal":    func(d *policy.Document) { d.Statement[0].Principal = &policy.Principal{} },
	} {
		got := &policy.Document{Version: want.Version, Statement: []policy.Statement{want.Statement[0]}}
		change(got)
		if diff := policyDiff(want, got); !strings.Contains(diff, elem) {
			t.Errorf("%s: policyDiff = %q", elem, diff)
		}
	}
	same := &policy.Document{Version: want.Version, Statement: []policy.Statement{want.Statement[0]}}
	same.Statement[0].Condition = policy.Condition{}
	if diff := policyDiff(want, same); diff != "" {
		t.Errorf("an empty Condition differs from none: %s", diff)
	}
}
