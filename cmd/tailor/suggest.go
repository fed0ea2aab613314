package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/synth"
)

type suggestOptions struct {
	IO            streams
	Read          readFlags
	Role          string
	User          string
	Principal     string
	Format        string
	IncludeDenied bool
}

func newSuggestCmd(io streams, runF func(context.Context, *suggestOptions) error) *cobra.Command {
	opts := &suggestOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "suggest (--role NAME|ARN | --user NAME|ARN | --principal ARN)",
		Short: "Print the least-privilege identity policy for a role or user",
		Long: `Print the least-privilege IAM identity policy for one principal: every action it
used, and every action an identity policy denied it, scoped to the resource
ARNs seen in the trail. Stdout carries exactly the policy document; a summary
and warnings go to stderr.

A role is matched by name, path/name, /path/name or full ARN. A bare name that
matches roles in several accounts exits 2 and lists the candidates.`,
		Example: `  # The demo trail bundled with tailor
  tailor suggest --role checkout-api

  # Archived trails in S3, one month
  tailor suggest --role checkout-api --source s3://trail-bucket/AWSLogs/ --since 2026-10-01 --until 2026-11-01

  # Local files, a user, without adding denied calls
  tailor suggest --user alice --source ./logs --include-denied=false

  # Keep working after the next deployment and on new object keys
  tailor suggest --role ci-deployer --generalize revisions --generalize s3-prefix=1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n := 0
			for _, v := range []string{opts.Role, opts.User, opts.Principal} {
				if v != "" {
					n++
				}
			}
			if n != 1 {
				return usageErrorf("name exactly one of --role, --user or --principal")
			}
			if opts.Format != "json" {
				return usageErrorf("--format %s: only json is supported so far", opts.Format)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return suggestRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	cmd.Flags().StringVar(&opts.Role, "role", "", "the role: name, path/name or ARN")
	cmd.Flags().StringVar(&opts.User, "user", "", "the IAM user: name, path/name or ARN")
	cmd.Flags().StringVar(&opts.Principal, "principal", "", "any principal by full ARN (root included)")
	cmd.Flags().StringVar(&opts.Format, "format", "json", "output format: json")
	cmd.Flags().StringArrayVar(&opts.Read.Generalize, "generalize", nil, "widen ARNs on purpose: s3-prefix=N keeps N segments of object keys; revisions turns task-definition revisions and Lambda versions into * (repeatable)")
	cmd.Flags().BoolVar(&opts.IncludeDenied, "include-denied", true, "also grant calls denied for lack of an identity-policy statement")
	return cmd
}

func suggestRun(ctx context.Context, opts *suggestOptions) error {
	res, err := read(ctx, opts.IO, &opts.Read)
	if err != nil {
		return err
	}
	agg := res.Aggregate
	arn, what, err := choosePrincipal(agg, opts.Role, opts.User, opts.Principal)
	if err != nil {
		return err
	}
	cat := res.Catalog
	sg := synth.Suggest(cat, agg.FactsOf(arn), synth.Options{IncludeDenied: opts.IncludeDenied})
	for _, w := range sg.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, "warning:", w)
	}
	for _, g := range agg.GeneralizationsOf(arn) {
		fmt.Fprintln(opts.IO.ErrOut, "generalized:", g)
	}
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(cat))
	info := agg.Principals[arn]
	s.add("events matched", "%d", info.Count)
	s.add("actions", "%d", sg.Actions)
	s.add("denials added", "%d", sg.DeniedAdded)
	s.add("denials left out", "%s", leftOutText(sg.DeniedLeftOut))
	if sg.Policy == nil {
		s.print(opts.IO)
		return &exitErr{code: exitNoEvents, err: fmt.Errorf("%s %s made no calls that need a permission", what, arn)}
	}
	out, err := synth.Render(sg.Policy)
	if err != nil {
		return fmt.Errorf("render policy: %w", err)
	}
	if _, err := opts.IO.Out.Write(out); err != nil {
		return err
	}
	s.print(opts.IO)
	return nil
}

func leftOutText(m map[string]int) string {
	total := 0
	var parts []string
	for k, v := range m {
		total += v
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	if total == 0 {
		return "0"
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

func catalogLabel(c *catalog.Catalog) string {
	i := c.Info()
	return fmt.Sprintf("%s (%s %s)", i.Date, i.Source, i.Version)
}
