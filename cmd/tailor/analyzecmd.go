package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
)

type analyzeOptions struct {
	IO     streams
	Read   readFlags
	Format string
}

func newAnalyzeCmd(io streams, runF func(context.Context, *analyzeOptions) error) *cobra.Command {
	opts := &analyzeOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: "Summarize every principal in the trail",
		Long: `Summarize every principal in the trail: events, actions used, denied calls,
resources, services, and first and last seen. The table is for people; the
JSON fields are stable (see README.md).`,
		Example: `  tailor analyze
  tailor analyze --source s3://trail-bucket/AWSLogs/ --since 30d --format json
  tailor analyze --source ./logs --shard 2/7 --emit-partial part-2.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Format != "table" && opts.Format != "json" {
				return usageErrorf("--format %s: want table or json", opts.Format)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return analyzeRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table or json")
	opts.Read.registerEmitPartial(cmd)
	return cmd
}

// principalSummary is one row of `tailor analyze`; its JSON field names are
// a documented contract.
type principalSummary struct {
	Principal   string   `json:"principal"`
	Kind        string   `json:"kind"`
	Account     string   `json:"account,omitempty"`
	PrincipalID string   `json:"principalId,omitempty"`
	Events      int64    `json:"events"`
	Actions     int      `json:"actions"`
	Denied      int64    `json:"denied"`
	Errors      int64    `json:"errors"`
	Resources   int      `json:"resources"`
	Services    []string `json:"services"`
	FirstSeen   string   `json:"firstSeen,omitempty"`
	LastSeen    string   `json:"lastSeen,omitempty"`
}

func summarize(agg *analyze.Aggregate) []principalSummary {
	type acc struct {
		actions, resources, services map[string]bool
	}
	per := map[string]*acc{}
	for k := range agg.Facts {
		a := per[k.Principal]
		if a == nil {
			a = &acc{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			per[k.Principal] = a
		}
		svc, _, _ := strings.Cut(k.Action, ":")
		a.services[svc] = true
		if !k.Denied() {
			a.actions[k.Action] = true
		}
		if k.Resource != analyze.Wildcard {
			a.resources[k.Resource] = true
		}
	}
	var out []principalSummary
	for _, p := range agg.SortedPrincipals() {
		row := principalSummary{
			Principal: p.ARN, Kind: p.Kind, Account: p.Account, PrincipalID: p.ID,
			Events: p.Count, Denied: p.Denied, Errors: p.Errors,
			FirstSeen: unixText(p.First), LastSeen: unixText(p.Last),
			Services: []string{},
		}
		if a := per[p.ARN]; a != nil {
			row.Actions = len(a.actions)
			row.Resources = len(a.resources)
			for s := range a.services {
				row.Services = append(row.Services, s)
			}
			sort.Strings(row.Services)
		}
		out = append(out, row)
	}
	return out
}

func unixText(t int64) string {
	if t == 0 {
		return ""
	}
	return time.Unix(t, 0).UTC().Format(time.RFC3339)
}

func analyzeRun(ctx context.Context, opts *analyzeOptions) error {
	res, err := read(ctx, opts.IO, &opts.Read)
	if err != nil {
		return err
	}
	rows := summarize(res.Aggregate)
	switch opts.Format {
	case "json":
		if rows == nil {
			rows = []principalSummary{}
		}
		if err := opts.Read.integrity.writeJSON(opts.IO.Out, rows); err != nil {
			return err
		}
	default:
		writeTable(opts.IO.Out, rows)
	}
	c := res.Aggregate.Counts
	var s summary
	inputSummary(&s, res, catalogLabel(res.Catalog))
	s.add("principals", "%d", len(rows))
	s.add("api calls", "%d", c.APICalls)
	s.add("denials", "%d", c.Denials)
	s.add("other events", "%d (non-API %d, AWS service %d, no identity %d, out of range %d)", c.NonAPI+c.ServiceCalls+c.NoIdentity+c.OutOfRange, c.NonAPI, c.ServiceCalls, c.NoIdentity, c.OutOfRange)
	s.add("permissionless calls", "%d", c.Permissionless)
	s.add("unmapped calls", "%d", c.Unmapped)
	s.print(opts.IO)
	printUnmapped(opts.IO.ErrOut, res.Aggregate)
	return nil
}

func writeTable(w io.Writer, rows []principalSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PRINCIPAL\tKIND\tEVENTS\tACTIONS\tDENIED\tRESOURCES\tSERVICES\tFIRST SEEN\tLAST SEEN")
	for _, r := range rows {
		svc := strings.Join(r.Services, ",")
		if len(svc) > 40 {
			svc = svc[:37] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", safetext.Clean(r.Principal), safetext.Clean(r.Kind), r.Events, r.Actions, r.Denied, r.Resources, svc, r.FirstSeen, r.LastSeen)
	}
	tw.Flush()
}

// printUnmapped reports events that map to no IAM action, so nothing is
// silently lost.
// printUnmappedOf warns of a principal's calls that map to no catalog
// action: what the command does with them is then.
func printUnmappedOf(w io.Writer, agg *analyze.Aggregate, principal, then string, deniedOnly bool) {
	for _, u := range agg.UnmappedOf(principal) {
		if deniedOnly && u.Denial == "" {
			continue
		}
		what := "calls"
		if u.Denial != "" {
			what = "denied calls (" + string(u.Denial) + ")"
		}
		if u.Action != "" {
			what += ", message naming " + u.Action + ","
		}
		fmt.Fprintf(w, "unmapped: %s: %d %s map to no IAM action in the catalog; %s\n", safetext.Clean(u.Event), agg.UnmappedBy[u], what, then)
	}
}

func printUnmapped(w io.Writer, agg *analyze.Aggregate) {
	var keys []string
	for k := range agg.Unmapped {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "unmapped: %s: %s to no IAM action in the catalog\n", safetext.Clean(k), words.Count(int(agg.Unmapped[k]), "event maps", "events map"))
	}
}
