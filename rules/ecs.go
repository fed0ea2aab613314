package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// Amazon ECS. A call naming no cluster acts on the "default" one.
func init() {
	register(&Service{
		Prefix: "ecs",
		Vars: map[string]VarRule{
			// A call on a resource ARN (TagResource) names its resource.
			"ClusterName": {Paths: []string{"cluster", "clusters", "clusterName"}, Transform: afterSlash, Fallback: "default",
				When: func(req Request) bool { return !req.Has("resourceArn") }},
			"ServiceName":              {Paths: []string{"service", "services", "serviceName"}, Transform: afterSlash},
			"TaskId":                   {Paths: []string{"task", "tasks"}, Transform: afterSlash},
			"TaskDefinitionFamilyName": {Paths: []string{"taskDefinition", "family"}, Transform: taskDefFamily},
			// A family named without its revision runs its latest, which the
			// next registration replaces: any revision of the family.
			"TaskDefinitionRevisionNumber": {Paths: []string{"taskDefinition"}, Transform: taskDefRevision, Fallback: "*", FallbackNote: taskDefFamilyNote},
		},
		ActionVars: map[string]map[string]VarRule{
			"RegisterTaskDefinition": {
				"TaskDefinitionFamilyName":     {Paths: []string{"family"}},
				"TaskDefinitionRevisionNumber": {Fallback: "*", FallbackNote: taskDefFamilyNote},
			},
		},
		PassRoles: map[string][]PassRule{
			"RegisterTaskDefinition": {{Paths: []string{"taskRoleArn", "executionRoleArn"}, Service: ecsTasks}},
			"RunTask":                {{Paths: []string{"overrides.taskRoleArn", "overrides.executionRoleArn"}, Service: ecsTasks}},
			"StartTask":              {{Paths: []string{"overrides.taskRoleArn", "overrides.executionRoleArn"}, Service: ecsTasks}},
			"CreateService":          {{Paths: []string{"role"}, Service: "ecs.amazonaws.com"}},
		},
		// The task definition's task and execution roles, which ECS passes
		// when it starts tasks: the RegisterTaskDefinition of that
		// revision names them (Link).
		Unseen: map[string]Unseen{
			"RunTask":       taskDefinitionRoles,
			"StartTask":     taskDefinitionRoles,
			"CreateService": taskDefinitionRoles,
			"UpdateService": taskDefinitionRoles,
		},
		Link: &Link{Kind: "ECS task definition", Produce: registeredRoles, ID: taskDefinitionID},
		// "Grant permission to tag resources on creation".
		TagOnCreate: map[string]TagRule{
			"CreateCluster":          {Tagged: AnyTag, Action: "ecs:TagResource"},
			"CreateService":          {Tagged: AnyTag, Action: "ecs:TagResource"},
			"RegisterTaskDefinition": {Tagged: AnyTag, Action: "ecs:TagResource"},
		},
		Hooks: Hooks{Revision: taskDefinitionRevision},
	})
}

// taskDefinitionRevision turns task-definition/family:42 into
// task-definition/family:*.
func taskDefinitionRevision(a arn.ARN) (string, string, bool) {
	family, rev, ok := strings.Cut(strings.TrimPrefix(a.Resource, "task-definition/"), ":")
	if !strings.HasPrefix(a.Resource, "task-definition/") || !ok || family == "" || !allDigits(rev) {
		return "", "", false
	}
	s := a.String()
	return s[:strings.LastIndexByte(s, ':')+1] + "*", "task-definition revisions collapsed to family:*", true
}

const ecsTasks = "ecs-tasks.amazonaws.com"

var taskDefinitionRoles = Unseen{
	Note:     "passes the task definition's task and execution roles (iam:PassRole for ecs-tasks.amazonaws.com); the event does not name them",
	PassedTo: ecsTasks,
	Field:    "taskDefinition",
}

// taskDefFamilyNote is the generalization of a task definition named by
// its family alone, or registered anew: its revision changes with each
// registration, so the exact ARN would break on the next deployment.
const taskDefFamilyNote = "a task definition named by its family (or registered anew) is any revision of it: family:*"

func taskDefFamily(v string) (string, bool) {
	v, _ = afterSlash(v)
	fam, _, _ := strings.Cut(v, ":")
	return fam, fam != ""
}

func taskDefRevision(v string) (string, bool) {
	v, _ = afterSlash(v)
	_, rev, ok := strings.Cut(v, ":")
	return rev, ok && rev != ""
}

// registeredRoles reads the roles a RegisterTaskDefinition gave the
// revision it registered.
func registeredRoles(event string, c Call) map[string]string {
	if event != "RegisterTaskDefinition" {
		return nil
	}
	id := taskDefinitionID(c.Response.First("taskDefinition.taskDefinitionArn"))
	if id == "" {
		return nil
	}
	out := map[string]string{}
	for _, path := range []string{"taskRoleArn", "executionRoleArn"} {
		for _, v := range []string{c.Request.First(path), c.Response.First("taskDefinition." + path)} {
			if strings.HasPrefix(v, "arn:") && strings.Contains(v, ":role/") {
				out[id+"\x00"+v] = v
			}
		}
	}
	return out
}

// taskDefinitionID is "family:revision" from a task definition ARN or
// reference; "" for a bare family, which names whatever revision is the
// latest when the call is made.
func taskDefinitionID(ref string) string {
	if i := strings.Index(ref, ":task-definition/"); i >= 0 {
		ref = ref[i+len(":task-definition/"):]
	}
	family, rev, ok := strings.Cut(ref, ":")
	if !ok || family == "" || rev == "" || strings.Trim(rev, "0123456789") != "" {
		return ""
	}
	return ref
}
