package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/synth"
)

type suggestOptions struct {
	IO   streams
	Read readFlags
	principalFlags
	Format        string
	IncludeDenied bool
	MaxSize       string
	Compact       bool
}

// sizeLimits are the --max-size names.
var sizeLimits = map[string]bool{"managed": true, "inline": true}

// maxManagedPerPrincipal is the default quota of managed policies attached
// to a role or user.
const maxManagedPerPrincipal = 10

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
  tailor suggest --role ci-deployer --generalize revisions --generalize s3-prefix=1

  # Terraform, as the role's inline policy, shrunk to fit
  tailor suggest --role checkout-api --format terraform --max-size inline --generalize s3-prefix=2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.given() != 1 {
				return usageErrorf("name exactly one of --role, --user or --principal")
			}
			switch opts.Format {
			case "json", "terraform", "cloudformation":
			default:
				return usageErrorf("--format %s: want json, terraform or cloudformation", opts.Format)
			}
			if _, ok := sizeLimits[opts.MaxSize]; !ok {
				return usageErrorf("--max-size %s: want managed (6,144 characters) or inline (10,240 for a role, 2,048 for a user)", opts.MaxSize)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return suggestRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	opts.principalFlags.register(cmd, "the")
	cmd.Flags().StringVar(&opts.Format, "format", "json", "output format: json, terraform (aws_iam_policy_document) or cloudformation (AWS::IAM::ManagedPolicy)")
	cmd.Flags().StringVar(&opts.MaxSize, "max-size", "managed", "size limit per document, whitespace not counted: managed (6,144 characters) or inline (10,240 for a role, 2,048 for a user); a larger policy is split into several documents")
	cmd.Flags().BoolVar(&opts.Compact, "compact", false, "shorten action lists with wildcards that match, in the catalog, only actions the principal used")
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
	arn, what, err := opts.choose(agg)
	if err != nil {
		return err
	}
	if err := identityPolicyHolder(agg, arn); err != nil {
		return err
	}
	cat := res.Catalog
	sg := synth.Suggest(cat, agg.FactsOf(arn), synth.Options{IncludeDenied: opts.IncludeDenied, ProfileRoles: agg.RolesOfProfile})
	for _, w := range append(sg.Warnings, agg.WarningsOf(arn)...) {
		fmt.Fprintln(opts.IO.ErrOut, "warning:", w)
	}
	for _, g := range agg.GeneralizationsOf(arn) {
		fmt.Fprintln(opts.IO.ErrOut, "generalized:", g)
	}
	printUnmappedOf(opts.IO.ErrOut, agg, arn, "the policy leaves them out", false)
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(cat))
	info := agg.Principals[arn]
	s.add("events matched", "%d", info.Count)
	s.add("actions", "%d", sg.Actions)
	s.add("denials added", "%d (action, resource) pairs", sg.DeniedAdded)
	if sg.DeniedUnknown > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %d added denials gave no reason (a message without one, or cut before it): granted as if no identity policy allowed them; tailor denied lists them\n", sg.DeniedUnknown)
	}
	s.add("denials left out", "%s", leftOutText(sg.DeniedLeftOut))
	if sg.Policy == nil {
		s.print(opts.IO)
		return &exitErr{code: exitNoEvents, err: fmt.Errorf("%s %s made no calls that need a permission", what, arn)}
	}
	kind := agg.Principals[arn].Kind
	docs, err := fitPolicy(cat, sg.Policy, kind, opts, &s)
	if err != nil {
		s.print(opts.IO)
		return err
	}
	target := synth.Target{Name: principalName(arn), Description: "Least-privilege policy for " + arn + ", from CloudTrail, written by tailor"}
	if opts.MaxSize == "inline" {
		target.Inline = inlineKind[kind]
	}
	var out []byte
	switch opts.Format {
	case "terraform":
		out, err = synth.RenderTerraform(docs, target)
	case "cloudformation":
		out, err = synth.RenderCloudFormation(docs, target)
	default:
		out, err = synth.RenderJSON(docs)
	}
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

// inlineKind says what an inline policy attaches to, by principal kind.
var inlineKind = map[string]string{analyze.KindRole: "role", analyze.KindUser: "user"}

// fitPolicy compacts the policy when asked, then splits it to the size
// limit and says what it did in the summary: several documents, each
// within the limit. A principal's inline policies share one limit (10,240
// characters for a role, 2,048 for a user), so inline documents that
// together exceed it come with a warning that names the ways out.
func fitPolicy(cat *catalog.Catalog, p *synth.Policy, kind string, opts *suggestOptions, s *summary) ([]*synth.Policy, error) {
	if opts.Compact {
		n := synth.Compact(p, func(pattern string) []string { return synth.Expand(cat, pattern) })
		s.add("compacted", "%d actions folded into wildcards that match only used actions", n)
	}
	size := synth.Size(p)
	limit, what := synth.MaxManaged, "managed"
	if opts.MaxSize == "inline" {
		switch inlineKind[kind] {
		case "role":
			limit, what = synth.MaxInlineRole, "inline"
		case "user":
			limit, what = synth.MaxInlineUser, "inline"
		default:
			return nil, usageErrorf("--max-size inline: a %s has no inline policies; use --max-size managed", kind)
		}
	}
	docs, err := synth.Split(p, limit)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		s.add("size", "%d characters, over the %s limit of %d: split into %d documents (--generalize s3-prefix=N or --compact can shrink it)", size, what, limit, len(docs))
	} else {
		s.add("size", "%d characters (%s limit %d)", size, what, limit)
	}
	switch {
	case what == "inline" && len(docs) > 1:
		total := 0
		for _, d := range docs {
			total += synth.Size(d)
		}
		fmt.Fprintf(opts.IO.ErrOut, "warning: IAM limits all of a %s's inline policies together to %d characters; these %d documents total %d: attach them as managed policies (--max-size managed), or shrink the policy with --generalize s3-prefix=N or --compact\n",
			inlineKind[kind], limit, len(docs), total)
	case len(docs) > maxManagedPerPrincipal:
		fmt.Fprintf(opts.IO.ErrOut, "warning: %d managed policies are more than the %d a role or user may have attached by default\n", len(docs), maxManagedPerPrincipal)
	}
	return docs, nil
}

// principalName is the last segment of a principal's ARN: a role or user
// name, for naming generated resources.
func principalName(arn string) string {
	if i := strings.LastIndexAny(arn, "/:"); i >= 0 && i < len(arn)-1 {
		return arn[i+1:]
	}
	return arn
}
