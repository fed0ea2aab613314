package catalog

import "testing"

func TestEmbedded(t *testing.T) {
	c := Embedded()
	info := c.Info()
	if info.Services < 400 || info.Actions < 15000 || info.ResourceTypes < 1500 {
		t.Fatalf("catalog looks too small: %+v", info)
	}
	if info.Date == "" || info.Version == "" {
		t.Fatalf("catalog lacks provenance: %+v", info)
	}
}

func TestLookup(t *testing.T) {
	c := Embedded()
	tests := []struct {
		action   string
		exists   bool
		resTypes []string
	}{
		{"s3:GetObject", true, []string{"object"}},
		{"S3:getobject", true, []string{"object"}},
		{"lambda:InvokeFunction", true, []string{"function"}},
		{"lambda:Invoke", false, nil},
		{"s3:DeleteReplicationConfiguration", false, nil},
		{"rds:RestoreDBInstanceFromS3", true, nil},
		{"kms:ReEncryptFrom", true, []string{"key"}},
		{"kms:ReEncrypt", false, nil},
		{"sts:GetCallerIdentity", true, nil},
		{"nonsense", false, nil},
		{"dynamodb:Query", true, []string{"index", "table"}},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if ok != tc.exists {
				t.Fatalf("Action(%q) exists=%v, want %v", tc.action, ok, tc.exists)
			}
			if !ok || tc.resTypes == nil {
				return
			}
			for _, want := range tc.resTypes {
				found := false
				for _, rt := range c.ResourceTypes(a) {
					if rt.Name == want {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: resource type %q missing; have %+v", tc.action, want, a.Resources)
				}
			}
		})
	}
}

func TestARNTemplate(t *testing.T) {
	rt, ok := Embedded().ResourceType("s3", "object")
	if !ok || rt.ARN != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Fatalf("s3 object template = %+v", rt)
	}
}
