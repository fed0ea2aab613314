package synth

import (
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/policy"
)

// Managed policies are attached to the principal they were made for: an
// aws_iam_{role,user}_policy_attachment per document, the ManagedPolicy's
// Roles or Users; inline ones need none.
func TestAttach(t *testing.T) {
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Sid: "S3", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/k"}}}}
	docs := []*policy.Document{p, p}
	tests := []struct {
		t          Target
		tf, cfn    []string
		tfN, cfnNo string
	}{
		{Target{Name: "app", Attach: "role"}, []string{`resource "aws_iam_role_policy_attachment" "app_1"`, `role       = "app"`, `policy_arn = aws_iam_policy.app_2.arn`}, []string{"Roles:\n        - \"app\""}, "", "Users:"},
		{Target{Name: "alice", Attach: "user"}, []string{`resource "aws_iam_user_policy_attachment" "alice_2"`, `user       = "alice"`}, []string{"Users:\n        - \"alice\""}, "", "Roles:"},
		{Target{Name: "app", Inline: "role", Attach: "role"}, nil, nil, "_policy_attachment", "Roles:"},
		{Target{Name: "app"}, nil, nil, "_policy_attachment", "Roles:"},
	}
	for _, tc := range tests {
		tf, err := RenderTerraform(docs, tc.t)
		if err != nil {
			t.Fatalf("%+v: %v", tc.t, err)
		}
		cfn, err := RenderCloudFormation(docs, tc.t)
		if err != nil {
			t.Fatalf("%+v: %v", tc.t, err)
		}
		for _, s := range tc.tf {
			if !strings.Contains(string(tf), s) {
				t.Errorf("%+v: terraform lacks %q:\n%s", tc.t, s, tf)
			}
		}
		for _, s := range tc.cfn {
			if !strings.Contains(string(cfn), s) {
				t.Errorf("%+v: cloudformation lacks %q:\n%s", tc.t, s, cfn)
			}
		}
		if tc.tfN != "" && strings.Contains(string(tf), tc.tfN) {
			t.Errorf("%+v: terraform has %q", tc.t, tc.tfN)
		}
		if strings.Contains(string(cfn), tc.cfnNo) {
			t.Errorf("%+v: cloudformation has %q", tc.t, tc.cfnNo)
		}
	}
	if _, err := RenderTerraform(docs, Target{Name: "bad name!", Attach: "role"}); err == nil {
		t.Error("an attachment to a name IAM would refuse was rendered")
	}
}
