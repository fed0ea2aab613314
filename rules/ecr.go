package rules

// Amazon ECR. A registry may be another account's.
func init() {
	register(&Service{
		Prefix:        "ecr",
		Vars:          map[string]VarRule{"RepositoryName": {Paths: []string{"repositoryName", "repositoryNames"}}},
		AccountFields: []string{"registryId"},
	})
}
