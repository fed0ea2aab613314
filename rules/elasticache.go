package rules

// Amazon ElastiCache. Like RDS, it stores identifiers in lower case.
func init() {
	register(&Service{
		Prefix: "elasticache",
		Vars: map[string]VarRule{
			"CacheClusterId":           {Paths: []string{"cacheClusterId"}, Transform: lower},
			"ReplicationGroupId":       {Paths: []string{"replicationGroupId"}, Transform: lower},
			"CacheParameterGroupName":  {Paths: []string{"cacheParameterGroupName"}, Transform: lower},
			"CacheSubnetGroupName":     {Paths: []string{"cacheSubnetGroupName"}, Transform: lower},
			"SnapshotName":             {Paths: []string{"snapshotName"}},
			"ServerlessCacheName":      {Paths: []string{"serverlessCacheName"}},
			"UserGroupId":              {Paths: []string{"userGroupIds", "userGroupId", "userGroupIdsToAdd"}},
			"UserId":                   {Paths: []string{"userId", "userIds"}},
			"GlobalReplicationGroupId": {Paths: []string{"globalReplicationGroupId"}},
		},
	})
}
