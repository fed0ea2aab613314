package rules

// Amazon RDS. RDS stores identifiers in lower case, and its ARNs carry
// the stored form.
func init() {
	register(&Service{
		Prefix: "rds",
		// Default option groups are named "default:ENGINE-VERSION".
		EndingVars: map[string]VarShape{"OptionGroupName": FreeForm},
		Vars: map[string]VarRule{
			"DbInstanceName":            {Paths: []string{"dBInstanceIdentifier"}, Transform: lower},
			"DbClusterInstanceName":     {Paths: []string{"dBClusterIdentifier"}, Transform: lower},
			"SubnetGroupName":           {Paths: []string{"dBSubnetGroupName", "response.dBSubnetGroup.dBSubnetGroupName"}, Transform: lower},
			"ParameterGroupName":        {Paths: []string{"dBParameterGroupName", "response.dBParameterGroups.dBParameterGroupName"}, Transform: lower},
			"ClusterParameterGroupName": {Paths: []string{"dBClusterParameterGroupName", "response.dBClusterParameterGroup"}, Transform: lower},
			"OptionGroupName":           {Paths: []string{"optionGroupName", "response.optionGroupMemberships.optionGroupName"}, Transform: lower},
			"SecurityGroupName":         {Paths: []string{"dBSecurityGroupName", "dBSecurityGroups"}},
			"SnapshotName":              {Paths: []string{"dBSnapshotIdentifier"}, Transform: lower},
			"ClusterSnapshotName":       {Paths: []string{"dBClusterSnapshotIdentifier"}, Transform: lower},
		},
		PassRoles: map[string][]PassRule{
			"CreateDBInstance":            {{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"}},
			"ModifyDBInstance":            {{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"}},
			"AddRoleToDBCluster":          {{Paths: []string{"roleArn"}, Service: "rds.amazonaws.com"}},
			"AddRoleToDBInstance":         {{Paths: []string{"roleArn"}, Service: "rds.amazonaws.com"}},
			"CreateDBInstanceReadReplica": {{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"}},
			"CreateDBCluster":             {{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"}},
			"ModifyDBCluster":             {{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"}},
			// A restore from S3 hands RDS the role that reads the backup files.
			"RestoreDBInstanceFromS3": {
				{Paths: []string{"s3IngestionRoleArn"}, Service: "rds.amazonaws.com"},
				{Paths: []string{"monitoringRoleArn"}, Service: "monitoring.rds.amazonaws.com"},
			},
			"RestoreDBClusterFromS3": {{Paths: []string{"s3IngestionRoleArn"}, Service: "rds.amazonaws.com"}},
		},
		// "RDS performs additional authorization on the
		// rds:AddTagsToResource action", for instances and clusters.
		TagOnCreate: map[string]TagRule{
			"CreateDBInstance": {Tagged: AnyTag, Action: "rds:AddTagsToResource", Kind: "db"},
			"CreateDBCluster":  {Tagged: AnyTag, Action: "rds:AddTagsToResource", Kind: "cluster"},
		},
	})
}
