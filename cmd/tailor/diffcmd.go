package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/verify"
)

type diffOptions struct {
	IO     streams
	Read   readFlags
	Policy policyFlags
	// Full lists every unused action and every service in the table; JSON
	// always carries them.
	Full bool
}

func newDiffCmd(io streams, runF func(context.Context, *diffOptions) error) *cobra.Command {
	opts := &diffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff --policy FILE (--role NAME|ARN | --user NAME|ARN | --principal ARN)",
		Short: "Compare what a policy grants with what the principal used",
		Long: `Compare a deployed policy with the trail: what it grants that was never used
(by service, with the largest unused action families, and per statement by
resource), what was used or denied that it does not grant, and a one-line
reduction figure. --full lists every unused action; --format json always
does. Exits 5 when an observed request is not granted.`,
		Example: `  aws iam get-policy-version --policy-arn ARN --version-id v3 --query PolicyVersion.Document > current.json
  tailor diff --role checkout-api --policy current.json
  tailor diff --role checkout-api --policy current.json --full
  tailor diff --role checkout-api --policy current.json --format json`,
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
	opts.Read.registerEmitPartial(cmd)
	opts.Policy.register(cmd, &opts.Read)
	cmd.Flags().BoolVar(&opts.Full, "full", false, "list every granted service and every unused action, not the largest")
	return cmd
}

// diffReport is `tailor diff --format json`.
type diffReport struct {
	Principal  string          `json:"principal"`
	Demo       bool            `json:"demo,omitempty"` // the bundled demo trail was read
	Granted    int             `json:"grantedActions"`
	Used       int             `json:"usedActions"`
	Unused     []string        `json:"unusedActions"`
	NotGranted []verifyEntry   `json:"notGranted"`
	Statements []statementDiff `json:"statements"`
	Reduction  string          `json:"reduction"`
	Services   []serviceDiff   `json:"services"`
	// Integrity is what --verify-digests found; absent without it.
	Integrity *integritySection `json:"integrity,omitempty"`
}

// serviceDiff is one service's line of the summary, with every family.
// Its counts are named as in statementDiff; the unused actions themselves
// are the report's unusedActions with the service's prefix.
type serviceDiff struct {
	Service  string       `json:"service"`
	Granted  int          `json:"actions"`
	Used     int          `json:"usedActions"`
	Unused   int          `json:"unused"`
	Families []familyDiff `json:"unusedFamilies"`
}

type familyDiff struct {
	Family string `json:"family"`
	Unused int    `json:"unused"`
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
		fmt.Fprintf(opts.IO.ErrOut, "warning: the policy names %s, which the catalog does not know: it grants nothing (a typo, or newer than the catalog)\n", safetext.Clean(a))
	}
	rep := diffReport{Principal: arn, Demo: res.Demo, Granted: len(d.Granted), Used: len(d.Granted) - len(d.Unused), Unused: nonNil(d.Unused), NotGranted: []verifyEntry{},
		Statements: []statementDiff{}, Reduction: reduction(d), Services: []serviceDiff{}}
	for _, r := range d.NotGranted {
		rep.NotGranted = append(rep.NotGranted, verifyEntryOf(r))
	}
	for _, s := range d.Statements {
		rep.Statements = append(rep.Statements, statementDiff{Statement: s.Label, Summary: s.Summary, Actions: s.Actions,
			UsedActions: s.UsedActions, UsedResources: s.UsedResources, UnusedActions: nonNil(s.Unused), UnusedARNs: nonNil(s.UnusedARNs)})
	}
	for _, s := range d.Services {
		sd := serviceDiff{Service: s.Service, Granted: s.Granted, Used: s.Used, Unused: s.Unused, Families: []familyDiff{}}
		for _, f := range s.Families {
			sd.Families = append(sd.Families, familyDiff{Family: f.Family, Unused: f.Unused})
		}
		rep.Services = append(rep.Services, sd)
	}
	if opts.Policy.Format == "json" {
		rep.Integrity = opts.Read.integrity.section()
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeDiff(opts.IO.Out, rep, opts.Full); err != nil {
		return err
	}
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(res.Catalog))
	s.add("reduction", "%s", rep.Reduction)
	s.print(opts.IO)
	if missing := verify.Count(d.NotGranted).WouldDeny; missing > 0 {
		return &exitErr{code: exitUnallowed, err: fmt.Errorf("the policy does not grant %s that succeeded in the trail", words.Nouns(missing, "request"))}
	}
	return nil
}

// Unused services the summary shows one by one; the rest are counted on
// one line, so that "Action": "*" (over 400 services) stays readable.
const (
	unusedServiceLines = 20
	familiesShown      = 3
)

func writeDiff(w io.Writer, rep diffReport, full bool) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, rep.Reduction)
	usedServices := 0
	for _, s := range rep.Services {
		if s.Used > 0 {
			usedServices++
		}
	}
	fmt.Fprintf(bw, "\nby service: %s granted, %s used\n", words.Thousands(len(rep.Services)), words.Thousands(usedServices))
	// Collapsing one service would save no line.
	collapse := !full && len(rep.Services)-usedServices > unusedServiceLines+1
	shown := 0
	var restServices, restActions int
	for _, s := range rep.Services {
		if s.Used == 0 && collapse && shown >= unusedServiceLines {
			restServices++
			restActions += s.Unused
			continue
		}
		if s.Used == 0 {
			shown++
		}
		fmt.Fprintf(bw, "  %s\n", serviceLine(s))
	}
	if restServices > 0 {
		fmt.Fprintf(bw, "  … %s, none used: %s\n", words.Nouns(restServices, "more service"), words.Nouns(restActions, "action"))
	}
	fmt.Fprintf(bw, "\ngranted but never used: %s", words.Nouns(len(rep.Unused), "action"))
	switch {
	case full:
		fmt.Fprintln(bw)
		for _, a := range rep.Unused {
			fmt.Fprintf(bw, "  %s\n", safetext.Clean(a))
		}
	case len(rep.Unused) > 0:
		fmt.Fprintln(bw, " (--full lists them)")
	default:
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, "\nby statement:")
	for _, s := range rep.Statements {
		fmt.Fprintf(bw, "  %s: %s\n", safetext.Clean(s.Statement), safetext.Line(s.Summary))
		if len(s.UnusedARNs) > 0 {
			fmt.Fprintf(bw, "    resources never used: %s\n", safetext.Line(strings.Join(s.UnusedARNs, ", ")))
		}
	}
	fmt.Fprintf(bw, "\nused or denied but not granted: %s\n", words.Thousands(len(rep.NotGranted)))
	for _, e := range rep.NotGranted {
		fmt.Fprintf(bw, "  %s on %s (%d, last %s; %s)\n", safetext.Clean(e.Action), safetext.Clean(e.Resource), e.Count, e.LastSeen, safetext.Clean(e.Observed))
	}
	return bw.Flush()
}

// serviceLine is "s3: 3 of 154 used; unused: Get* 56, Put* 40, Delete* 12, …".
func serviceLine(s serviceDiff) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s of %s used", safetext.Clean(s.Service), words.Thousands(s.Used), words.Thousands(s.Granted))
	for i, f := range s.Families {
		switch {
		case i == 0:
			b.WriteString("; unused: ")
		case i == familiesShown:
			b.WriteString(", …")
		}
		if i >= familiesShown {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s* %s", safetext.Clean(f.Family), words.Thousands(f.Unused))
	}
	return b.String()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// reduction is the one-line figure: "grants 1,204 actions; 9 used".
func reduction(d verify.Diff) string {
	usedGranted := len(d.Granted) - len(d.Unused)
	out := fmt.Sprintf("grants %s; %s used", words.Nouns(len(d.Granted), "action"), words.Thousands(usedGranted))
	if missing := len(d.Used) - usedGranted; missing > 0 {
		out += fmt.Sprintf("; %s more used but not granted", words.Thousands(missing))
	}
	return out
}
