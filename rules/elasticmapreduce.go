package rules

// Amazon EMR. Its older calls name the cluster as a job flow.
func init() {
	register(&Service{
		Prefix: "elasticmapreduce",
		Vars:   map[string]VarRule{"ClusterId": {Paths: []string{"clusterId", "jobFlowId", "jobFlowIds"}}},
		PassRoles: map[string][]PassRule{
			"RunJobFlow": {
				{Paths: []string{"serviceRole", "autoScalingRole"}, Service: "elasticmapreduce.amazonaws.com", Names: true},
				{Paths: []string{"jobFlowRole"}, Service: "ec2.amazonaws.com", Profile: true},
			},
		},
	})
}
