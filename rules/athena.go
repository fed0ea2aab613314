package rules

import "cmp"

// Amazon Athena. GetQueryExecution and GetQueryResults carry a query
// execution id, and IAM authorizes them on the workgroup the query ran
// in, which only the StartQueryExecution that returned the id names.
func init() {
	register(&Service{
		Prefix: "athena",
		Vars: map[string]VarRule{
			"WorkGroupName":   {Paths: []string{"workGroup", "response.queryExecution.workGroup", "response.queryExecutions.workGroup"}},
			"DataCatalogName": {Paths: []string{"catalogName", "name"}},
		},
		ActionVars: map[string]map[string]VarRule{
			"CreateWorkGroup": {"WorkGroupName": {Paths: []string{"name"}}},
			// Athena runs in the primary workgroup when the request names none.
			"StartQueryExecution": {"WorkGroupName": primaryWorkGroup},
			"CreateNamedQuery":    {"WorkGroupName": primaryWorkGroup},
			"ListNamedQueries":    {"WorkGroupName": primaryWorkGroup},
			"ListQueryExecutions": {"WorkGroupName": primaryWorkGroup},
		},
		Link: &Link{
			Kind:    "athena query execution",
			Produce: athenaQueries,
			Consumers: map[string][]string{
				"athena:GetQueryExecution":         {"queryExecutionId"},
				"athena:GetQueryResults":           {"queryExecutionId"},
				"athena:GetQueryResultsStream":     {"queryExecutionId"},
				"athena:GetQueryRuntimeStatistics": {"queryExecutionId"},
				"athena:StopQueryExecution":        {"queryExecutionId"},
				"athena:BatchGetQueryExecution":    {"queryExecutionIds"},
			},
		},
	})
}

var primaryWorkGroup = VarRule{Paths: []string{"workGroup"}, Fallback: "primary"}

// athenaQueries reads the query ids a call returned with their workgroup:
// StartQueryExecution runs in the request's workgroup (primary when it
// names none); a GetQueryExecution or BatchGetQueryExecution response
// names each query's own.
func athenaQueries(event string, c Call) map[string]string {
	wg := func(name string) string {
		return "arn:" + c.Partition + ":athena:" + c.Region + ":" + c.Account + ":workgroup/" + name
	}
	out := map[string]string{}
	switch event {
	case "StartQueryExecution":
		id := c.Response.First("queryExecutionId")
		if id == "" {
			return nil
		}
		out[id] = wg(cmp.Or(c.Request.First("workGroup"), "primary"))
	case "GetQueryExecution", "BatchGetQueryExecution":
		for _, path := range []string{"queryExecution", "queryExecutions"} {
			for _, q := range c.Response.Objects(path) {
				if id, name := q.First("queryExecutionId"), q.First("workGroup"); id != "" && name != "" {
					out[id] = wg(name)
				}
			}
		}
	}
	return out
}
