package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// Amazon EKS.
func init() {
	register(&Service{
		Prefix: "eks",
		Vars: map[string]VarRule{
			"ClusterName": {Paths: []string{"clusterName", "name"}},
			// The UUID EKS appends to a node group's or add-on's ARN is its
			// own; the name before it is exact.
			"UUID":                 {Fallback: "*"},
			"IamIdentityType":      {Paths: []string{"principalArn"}, Transform: iamIdentityType},
			"IamIdentityAccountID": {Paths: []string{"principalArn"}, Transform: iamIdentityAccount},
			"IamIdentityName":      {Paths: []string{"principalArn"}, Transform: iamIdentityName},
		},
		// Resources whose UUID the request does carry.
		TypeVars: map[string]map[string]VarRule{
			"podidentityassociation":    {"UUID": {Paths: []string{"associationId"}}},
			"eks-anywhere-subscription": {"UUID": {Paths: []string{"id"}}},
		},
		// EKS receives the node and pod execution roles (the roles
		// themselves trust ec2 and eks-fargate-pods).
		PassRoles: map[string][]PassRule{
			"CreateCluster":        {{Paths: []string{"roleArn"}, Service: "eks.amazonaws.com"}},
			"CreateNodegroup":      {{Paths: []string{"nodeRole"}, Service: "eks.amazonaws.com"}},
			"CreateFargateProfile": {{Paths: []string{"podExecutionRoleArn"}, Service: "eks.amazonaws.com"}},
		},
	})
}

// iamIdentityType, iamIdentityAccount and iamIdentityName read an EKS
// access entry's principal ARN: arn:aws:iam::ACCOUNT:role/NAME.
func iamIdentityType(v string) (string, bool) {
	a, ok := arn.Parse(v)
	if !ok {
		return "", false
	}
	typ, _, ok := strings.Cut(a.Resource, "/")
	return typ, ok && (typ == "role" || typ == "user")
}

func iamIdentityAccount(v string) (string, bool) {
	a, ok := arn.Parse(v)
	if !ok || a.Account == "" {
		return "", false
	}
	return a.Account, true
}

func iamIdentityName(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return afterSlash(v)
}
