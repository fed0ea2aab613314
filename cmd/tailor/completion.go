package main

import (
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/pipeline"
)

// formats are the --format values of each command, for completion.
var formats = map[string][]string{
	"suggest": {"json", "terraform", "cloudformation"},
	"analyze": {"table", "json"},
	"denied":  {"table", "json"},
	"verify":  {"table", "json"},
}

// registerCompletions completes --format values. --role, --user and
// --principal complete where they are registered (principalFlags).
func registerCompletions(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if values, ok := formats[cmd.Name()]; ok {
			cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
	}
}

// completePrincipals completes a principal of kind ("" for any) with the
// principals of the trail the command line names: read holds the read
// flags already typed (the demo trail without --source), parsed into it
// as for a run.
func completePrincipals(kind string, read *readFlags) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		// The whole input, on one worker, without a cap, never stopped by a
		// bad file, and nothing written.
		f := *read
		f.Workers, f.MaxRes, f.Strict, f.Shard, f.Generalize, f.EmitPartial, f.keep = 1, -1, false, "", nil, "", nil
		cfg, err := f.config(time.Now())
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		res, err := pipeline.Run(cmd.Context(), cfg)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		seen := map[string]bool{}
		for arn, p := range res.Aggregate.Principals {
			if kind != "" && p.Kind != kind {
				continue
			}
			name := arn
			if kind != "" && !strings.HasPrefix(toComplete, "arn:") {
				name = arn[strings.LastIndexByte(arn, '/')+1:]
			}
			if strings.HasPrefix(name, toComplete) {
				seen[name] = true
			}
		}
		out := make([]string, 0, len(seen))
		for n := range seen {
			out = append(out, n)
		}
		sort.Strings(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
