package rules

// Amazon EC2 Auto Scaling.
func init() {
	register(&Service{
		Prefix: "autoscaling",
		PassRoles: map[string][]PassRule{
			"CreateAutoScalingGroup": {{Paths: []string{"serviceLinkedRoleARN"}, Service: "autoscaling.amazonaws.com"}},
			"UpdateAutoScalingGroup": {{Paths: []string{"serviceLinkedRoleARN"}, Service: "autoscaling.amazonaws.com"}},
			"PutLifecycleHook":       {{Paths: []string{"roleARN"}, Service: "autoscaling.amazonaws.com"}},
		},
	})
}
