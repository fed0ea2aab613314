package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/verify"
)

type diffOptions struct {
	IO     streams
	Read   readFlags
	Policy policyFlags
}

func newDiffCmd(io streams, runF func(context.Context, *diffOptions) error) *cobra.Command {
	opts := &diffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff --policy FILE (--role NAME|ARN | --user NAME|ARN | --principal ARN)",
		Short: "Compare what a policy grants with what the principal used",
		Long: `Compare a deployed policy with the trail: what it grants that was never used
(by action, and per statement by resource), what was used or denied that it
does not grant, and a one-line reduction figure. Exits 5 when an observed
request is not granted.`,
		Example: `  aws iam get-policy-version --policy-arn ARN --version-id v3 --query PolicyVersion.Document > current.json
  tailor diff --role checkout-api --policy current.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Policy.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return diffRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	opts.Policy.register(cmd)
	return cmd
}

// diffReport is `tailor diff --format json`.
type diffReport struct {
	Principal  string          `json:"principal"`
	Granted    int             `json:"grantedActions"`
	Used       int             `json:"usedActions"`
	Unused     []string        `json:"unusedActions"`
	NotGranted []verifyEntry   `json:"notGranted"`
	Statements []statementDiff `json:"statements"`
	Reduction  string          `json:"reduction"`
}

type statementDiff struct {
	Statement     string   `json:"statement"`
	Summary       string   `json:"summary"`
	Actions       int      `json:"actions"`
	UsedActions   int      `json:"usedActions"`
	UsedResources int      `json:"usedResources"`
	UnusedActions []string `json:"unusedActions"`
	UnusedARNs    []string `json:"unusedResources"`
}

func diffRun(ctx context.Context, opts *diffOptions) error {
	docs, err := readPolicies(opts.IO, opts.Policy.Policies, true)
	if err != nil {
		return err
	}
	opts.Read.keep = opts.Policy.principalFlags.keep()
	res, err := read(ctx, opts.IO, &opts.Read)
	if err != nil {
		return err
	}
	arn, _, err := opts.Policy.choose(res.Aggregate)
	if err != nil {
		return err
	}
	if err := identityPolicyHolder(res.Aggregate, arn); err != nil {
		return err
	}
	d := verify.Compare(res.Catalog, res.Aggregate.Principals[arn].Principal, docs, res.Aggregate.FactsOf(arn))
	for _, a := range d.Unknown {
		fmt.Fprintf(opts.IO.ErrOut, "warning: the policy names %s, which the catalog does not know: it grants nothing (a typo, or newer than the catalog)\n", a)
	}
	rep := diffReport{Principal: arn, Granted: len(d.Granted), Used: len(d.Granted) - len(d.Unused), Unused: nonNil(d.Unused), NotGranted: []verifyEntry{},
		Reduction: reduction(d)}
	for _, r := range d.NotGranted {
		observed := "allowed"
		if r.Denied() {
			observed = "denied: " + r.Denial.Reason
		}
		if r.Undetermined {
			observed += " (resource unknown: undetermined)"
		}
		rep.NotGranted = append(rep.NotGranted, verifyEntry{Action: r.Action, Resource: r.Resource, Count: r.Count, LastSeen: unixText(r.Last),
			Observed: observed, Layer: r.Layer, Statement: r.Reason, Context: requestContext(r)})
	}
	for _, s := range d.Statements {
		rep.Statements = append(rep.Statements, statementDiff{Statement: s.Label, Summary: s.Summary, Actions: s.Actions,
			UsedActions: s.UsedActions, UsedResources: s.UsedResources, UnusedActions: nonNil(s.Unused), UnusedARNs: nonNil(s.UnusedARNs)})
	}
	if opts.Policy.Format == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeDiff(opts.IO.Out, rep); err != nil {
		return err
	}
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(res.Catalog))
	s.add("reduction", "%s", rep.Reduction)
	s.print(opts.IO)
	missing := 0
	for _, r := range d.NotGranted {
		if !r.Denied() && !r.Undetermined {
			missing++
		}
	}
	if missing > 0 {
		return &exitErr{code: exitUnallowed, err: fmt.Errorf("the policy does not grant %d requests that succeeded in the trail", missing)}
	}
	return nil
}

func writeDiff(w io.Writer, rep diffReport) error {
	fmt.Fprintln(w, rep.Reduction)
	fmt.Fprintf(w, "\ngranted but never used: %d actions\n", len(rep.Unused))
	for _, a := range rep.Unused {
		fmt.Fprintf(w, "  %s\n", safetext.Clean(a))
	}
	fmt.Fprintln(w, "\nby statement:")
	for _, s := range rep.Statements {
		fmt.Fprintf(w, "  %s: %s\n", safetext.Clean(s.Statement), safetext.Line(s.Summary))
		if len(s.UnusedARNs) > 0 {
			fmt.Fprintf(w, "    resources never used: %s\n", safetext.Line(strings.Join(s.UnusedARNs, ", ")))
		}
	}
	fmt.Fprintf(w, "\nused or denied but not granted: %d\n", len(rep.NotGranted))
	for _, e := range rep.NotGranted {
		fmt.Fprintf(w, "  %s on %s (%d, last %s; %s)\n", safetext.Clean(e.Action), safetext.Clean(e.Resource), e.Count, e.LastSeen, safetext.Clean(e.Observed))
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// comma writes n with thousands separators: 1,204.
func comma(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// reduction is the one-line figure: "grants 1,204 actions; 9 used".
func reduction(d verify.Diff) string {
	usedGranted := len(d.Granted) - len(d.Unused)
	out := fmt.Sprintf("grants %s actions; %s used", comma(len(d.Granted)), comma(usedGranted))
	if missing := len(d.Used) - usedGranted; missing > 0 {
		out += fmt.Sprintf("; %s more used but not granted", comma(missing))
	}
	return out
}
