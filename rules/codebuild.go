package rules

import "strings"

// AWS CodeBuild. A build's id is "project:uuid": its calls are authorized
// on the project.
func init() {
	register(&Service{
		Prefix: "codebuild",
		Vars:   map[string]VarRule{"ProjectName": {Paths: []string{"projectName", "ids", "id"}, Transform: buildProject}},
		PassRoles: map[string][]PassRule{
			"CreateProject": {{Paths: []string{"serviceRole"}, Service: "codebuild.amazonaws.com"}},
			"UpdateProject": {{Paths: []string{"serviceRole"}, Service: "codebuild.amazonaws.com"}},
		},
	})
}

// buildProject reads the project of a CodeBuild build id (project:uuid).
func buildProject(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	project, _, _ := strings.Cut(v, ":")
	return project, project != ""
}
