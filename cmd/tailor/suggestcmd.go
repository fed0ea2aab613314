package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/policy"
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
	Exact         bool
	Explain       bool
}

// sizeLimits are the --max-size names.
var sizeLimits = map[string]bool{"managed": true, "inline": true}

func newSuggestCmd(io streams, runF func(context.Context, *suggestOptions) error) *cobra.Command {
	opts := &suggestOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "suggest (--role NAME|ARN | --user NAME|ARN | --principal ARN)",
		Short: "Print the least-privilege identity policy for a role or user",
		Long: `Print the least-privilege IAM identity policy for one principal: every action it
used, scoped to the resource ARNs seen in the trail, written to keep working
tomorrow. Stdout carries exactly the policy document; a summary, warnings and
what shaped the policy go to stderr.

Names that are per-run (object keys written once per order, Athena query
results, nightly execution names, task-definition revisions) are learned
from the trail: a set of names of one shape that keeps bringing new names,
day after day, is widened to its longest stable prefix (receipts/*,
nightly-*), and each such generalization is printed with its evidence.
Stable names stay exact. --exact turns learning off.

Denied calls are not granted unless asked: each is listed on stderr, and
--include-denied grants those an identity-policy Allow would fix, naming
each. --explain prints all of it as one JSON object.

A role is matched by name, path/name, /path/name or full ARN. A bare name that
matches roles in several accounts exits 2 and lists the candidates.`,
		Example: `  # The demo trail bundled with tailor
  tailor suggest --role checkout-api

  # Archived trails in S3, one month
  tailor suggest --role checkout-api --source s3://trail-bucket/AWSLogs/ --since 2026-10-01 --until 2026-11-01

  # Local files, a user, also granting what an identity policy denied it
  tailor suggest --user alice --source ./logs --include-denied

  # Exactly the names seen, without learning; the policy and its evidence as JSON
  tailor suggest --role report-builder --exact
  tailor suggest --role report-builder --explain

  # Keep working after the next deployment and on new object keys
  tailor suggest --role ci-deployer --generalize revisions --generalize s3-prefix=1

  # Terraform, as the role's inline policy
  tailor suggest --role checkout-api --format terraform --max-size inline`,
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
			if opts.Explain && opts.Format != "json" {
				return usageErrorf("--explain prints JSON: it cannot be used with --format %s", opts.Format)
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
	opts.principalFlags.register(cmd, "the", &opts.Read)
	cmd.Flags().StringVar(&opts.Format, "format", "json", "output format: json, terraform (aws_iam_policy_document) or cloudformation (AWS::IAM::ManagedPolicy)")
	cmd.Flags().StringVar(&opts.MaxSize, "max-size", "managed", "size limit per document, whitespace not counted: managed (6,144 characters) or inline (10,240 for a role, 2,048 for a user); a larger policy is split into several documents")
	cmd.Flags().BoolVar(&opts.Compact, "compact", false, "shorten action lists with wildcards that match, in the catalog, only actions the principal used")
	opts.Read.registerGeneralize(cmd)
	opts.Read.registerEmitPartial(cmd)
	cmd.Flags().BoolVar(&opts.Exact, "exact", false, "grant exactly the names seen: do not learn which names are per-run and widen them")
	cmd.Flags().BoolVar(&opts.IncludeDenied, "include-denied", false, "also grant calls denied for lack of an identity-policy statement (reasons identity-policy and unknown), each named on stderr")
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "print a JSON object with the policy documents and what shaped them: names learned as per-run with their evidence, denied calls granted and not, warnings")
	return cmd
}

func suggestRun(ctx context.Context, opts *suggestOptions) error {
	opts.Read.keep = opts.principalFlags.keep()
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
	switch agg.Principals[arn].Kind {
	case analyze.KindRoot:
		return &exitErr{code: exitUsage, err: fmt.Errorf("%s is the account's root user: no identity policy applies to it, and only a service control policy limits it; do this work as a role or IAM user and tailor that one's policy (AWS keeps root for the few tasks that need it)", safetext.Clean(arn))}
	case analyze.KindFederated:
		fmt.Fprintf(opts.IO.ErrOut, "note: %s is a federated user (sts:GetFederationToken): it has the permissions both of the IAM user that called GetFederationToken and of the session policy passed to it; this policy is that session policy (--policy of GetFederationToken), and the IAM user's own policies must allow as much\n", safetext.Clean(arn))
	case analyze.KindAccount:
		fmt.Fprintf(opts.IO.ErrOut, "note: %s is another account: its calls were allowed by this account's resource policies and by that account's own identity policies; this policy is what that account's principals need, to attach there, and the resource policies here must allow them too\n", safetext.Clean(arn))
	}
	cat := res.Catalog
	facts := agg.FactsOf(arn)
	var learned []learn.Generalization
	if !opts.Exact {
		facts, learned = learn.Generalize(cat, facts)
	}
	sg := synth.Suggest(cat, facts, synth.Options{IncludeDenied: opts.IncludeDenied, ProfileRoles: agg.RolesOfProfile})
	ex := explanation{Principal: arn, Learned: learned, Generalized: agg.GeneralizationsOf(arn),
		Warnings: append(sg.Warnings, agg.WarningsOf(arn)...), DeniedGranted: sg.Added, DeniedNotGranted: sg.LeftOut}
	for _, w := range ex.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, "warning:", safetext.Line(w))
	}
	for _, g := range ex.Generalized {
		fmt.Fprintln(opts.IO.ErrOut, "generalized:", safetext.Line(g))
	}
	for _, g := range learned {
		fmt.Fprintln(opts.IO.ErrOut, "generalized:", safetext.Line(g.Evidence))
	}
	printDeniedCalls(opts.IO.ErrOut, sg)
	printUnmappedOf(opts.IO.ErrOut, agg, arn, "the policy leaves them out", false)
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(cat))
	info := agg.Principals[arn]
	s.add("events matched", "%d", info.Count)
	s.add("actions", "%d", sg.Actions)
	s.add("generalized", "%d name sets learned as per-run%s", len(learned), map[bool]string{true: " (--exact: learning off)", false: ""}[opts.Exact])
	s.add("denials added", "%d (action, resource) pairs%s", sg.DeniedAdded, map[bool]string{true: "", false: " (--include-denied adds identity-policy denials)"}[opts.IncludeDenied])
	if sg.DeniedUnknown > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %d added denials gave no reason (a message without one, or cut before it): granted as if no identity policy allowed them; tailor denied lists them\n", sg.DeniedUnknown)
	}
	s.add("denials left out", "%s", leftOutText(sg.LeftOut))
	if sg.Policy == nil {
		s.print(opts.IO)
		if len(sg.LeftOut) > 0 {
			return &exitErr{code: exitNoEvents, err: fmt.Errorf("every call of %s %s that needs a permission was denied (listed above); --include-denied grants those an identity-policy Allow would fix", what, safetext.Clean(arn))}
		}
		return &exitErr{code: exitNoEvents, err: fmt.Errorf("%s %s made no calls that need a permission", what, safetext.Clean(arn))}
	}
	fit, err := fitPolicy(cat, sg.Policy, agg.Principals[arn].Kind, opts, &s)
	if err != nil {
		s.print(opts.IO)
		return err
	}
	docs := fit.Docs
	target := fit.Target(principalName(arn), "Least-privilege policy for "+arn+", from CloudTrail, written by tailor")
	var out []byte
	switch {
	case opts.Explain:
		out, err = ex.render(docs, res.Demo)
	case opts.Format == "terraform":
		out, err = synth.RenderTerraform(docs, target)
	case opts.Format == "cloudformation":
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

// printDeniedCalls names every denied call the policy grants, and every
// one it leaves out with what would add it: a least-privilege tool never
// widens access on the strength of an attempt without saying so.
func printDeniedCalls(w io.Writer, sg synth.Suggestion) {
	for _, c := range sg.Added {
		fmt.Fprintf(w, "denied, granted: %s on %s: %s (--include-denied)\n", safetext.Clean(c.Action), safetext.Line(strings.Join(c.Resources, ", ")), deniedText(c))
	}
	for _, c := range sg.LeftOut {
		how := "no identity-policy Allow can fix it; tailor denied says who must act"
		if c.Grantable {
			how = "--include-denied grants it"
		}
		fmt.Fprintf(w, "denied, not granted: %s on %s: %s; %s\n", safetext.Clean(c.Action), safetext.Line(strings.Join(c.Resources, ", ")), deniedText(c), how)
	}
}

func deniedText(c synth.DeniedCall) string {
	return fmt.Sprintf("%s denied, %s", words.Count(int(c.Count), "call", "calls"), safetext.Clean(c.Reason))
}

func leftOutText(calls []synth.DeniedCall) string {
	if len(calls) == 0 {
		return "0"
	}
	by := map[string]int{}
	for _, c := range calls {
		by[c.Reason]++
	}
	var parts []string
	for k, v := range by {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d (%s)", len(calls), strings.Join(parts, ", "))
}

func catalogLabel(c *catalog.Catalog) string {
	i := c.Info()
	return fmt.Sprintf("%s (%s %s)", i.Date, i.Source, i.Version)
}

// fitPolicy compacts the policy when asked, then fits it to the size
// limit --max-size chooses and says what it did in the summary: several
// documents, each within the limit, with a warning when IAM would refuse
// them together (see synth.Fitted) that names the ways out.
func fitPolicy(cat *catalog.Catalog, p *policy.Document, kind string, opts *suggestOptions, s *summary) (synth.Fitted, error) {
	if opts.Compact {
		n := synth.Compact(p, func(pattern string) []string { return synth.Expand(cat, pattern) })
		s.add("compacted", "%s folded into wildcards that match only used actions", words.Nouns(n, "action"))
	}
	what := opts.MaxSize
	fit, err := synth.Fit(p, kind, what == "inline")
	if errors.Is(err, synth.ErrNoInline) {
		return fit, usageErrorf("--max-size inline: a %s has no inline policies; use --max-size managed", kind)
	} else if err != nil {
		return fit, err
	}
	if len(fit.Docs) > 1 {
		s.add("size", "%d characters, over the %s limit of %d: split into %d documents", fit.Size, what, fit.Limit, len(fit.Docs))
		fmt.Fprintln(opts.IO.ErrOut, "warning: the policy does not fit one document:", shrinkHint(cat, p, opts))
	} else {
		s.add("size", "%d characters (%s limit %d)", fit.Size, what, fit.Limit)
	}
	switch {
	case fit.OverInline():
		fmt.Fprintf(opts.IO.ErrOut, "warning: IAM limits all of a %s's inline policies together to %d characters; these %d documents total %d: attach them as managed policies (--max-size managed), or shrink the policy with --generalize s3-prefix=N or --compact\n",
			fit.Holder, fit.Limit, len(fit.Docs), fit.Total())
	case fit.OverAttached():
		fmt.Fprintf(opts.IO.ErrOut, "warning: %d managed policies are more than the %d a role or user may have attached by default\n", len(fit.Docs), synth.MaxAttached)
	}
	return fit, nil
}

// principalName is the last segment of a principal's ARN: a role or user
// name, for naming generated resources.
func principalName(arn string) string {
	if i := strings.LastIndexAny(arn, "/:"); i >= 0 && i < len(arn)-1 {
		return arn[i+1:]
	}
	return arn
}

// shrinkHint names the largest statements of a policy too large for one
// document, and only the options that would shrink each.
func shrinkHint(cat *catalog.Catalog, p *policy.Document, opts *suggestOptions) string {
	var parts []string
	for _, st := range synth.Largest(p, 3) {
		var ways []string
		if st.S3Objects {
			ways = append(ways, "--generalize s3-prefix=N")
		}
		if st.Resources > 10 && opts.Exact {
			ways = append(ways, "dropping --exact")
		}
		if !opts.Compact && compactHelps(cat, p, st.Sid) {
			ways = append(ways, "--compact")
		}
		if st.Resources > 10 && !opts.Exact {
			ways = append(ways, "--max-resources N")
		}
		how := ""
		if len(ways) > 0 {
			how = "; " + strings.Join(ways, " or ") + " would shrink it"
		}
		parts = append(parts, fmt.Sprintf("%s (%s on %s, %d characters%s)", st.Sid, words.Nouns(st.Actions, "action"), words.Nouns(st.Resources, "resource"), st.Size, how))
	}
	return "its largest statements are " + strings.Join(parts, ", ")
}

// compactHelps reports whether --compact would fold any of a statement's
// actions into a wildcard.
func compactHelps(cat *catalog.Catalog, p *policy.Document, sid string) bool {
	for _, st := range p.Statement {
		if st.Sid != sid || len(st.Action) < 2 {
			continue
		}
		one := &policy.Document{Version: p.Version, Statement: []policy.Statement{st}}
		one.Statement[0].Action = append([]string(nil), st.Action...)
		return synth.Compact(one, func(pattern string) []string { return synth.Expand(cat, pattern) }) > 0
	}
	return false
}
