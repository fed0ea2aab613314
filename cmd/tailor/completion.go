package main

import (
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/pipeline"
)

// formats are the --format values of each command, for completion.
var formats = map[string][]string{
	"suggest": {"json", "terraform", "cloudformation"},
	"analyze": {"table", "json"},
	"denied":  {"table", "json"},
	"verify":  {"table", "json"},
}

// registerCompletions completes --format values, and --role, --user and
// --principal with the principals of the trail the command line names
// (--source and the filters already typed; the demo trail without one).
func registerCompletions(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if values, ok := formats[cmd.Name()]; ok {
			cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
		}
		for flag, kind := range map[string]string{"role": analyze.KindRole, "user": analyze.KindUser, "principal": ""} {
			if cmd.Flags().Lookup(flag) != nil {
				cmd.RegisterFlagCompletionFunc(flag, completePrincipals(kind))
			}
		}
	}
}

func completePrincipals(kind string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var f readFlags
		fl := cmd.Flags()
		f.Sources, _ = fl.GetStringArray("source")
		f.Since, _ = fl.GetString("since")
		f.Until, _ = fl.GetString("until")
		f.Accounts, _ = fl.GetStringArray("account")
		f.Regions, _ = fl.GetStringArray("region")
		f.Profile, _ = fl.GetString("profile")
		f.EndpointURL, _ = fl.GetString("endpoint-url")
		f.Catalog, _ = fl.GetString("catalog")
		f.Workers, f.MaxRes = 1, -1
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
