package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/policy/policyfile"
	"github.com/tailor-iam/tailor/verify"
)

// policyFlags name a principal and the policy files to check against it.
type policyFlags struct {
	principalFlags
	Policies []string
	Format   string
}

func (f *policyFlags) register(cmd *cobra.Command, read *readFlags) {
	f.principalFlags.register(cmd, "the", read)
	cmd.Flags().StringArrayVar(&f.Policies, "policy", nil, "an identity policy file (repeatable; a file may hold one document or a JSON array of them)")
	cmd.Flags().StringVar(&f.Format, "format", "table", "output format: table or json")
}

func (f *policyFlags) check() error {
	if f.given() != 1 {
		return usageErrorf("name exactly one of --role, --user or --principal")
	}
	if len(f.Policies) == 0 {
		return usageErrorf("--policy FILE is required")
	}
	if f.Format != "table" && f.Format != "json" {
		return usageErrorf("--format %s: want table or json", f.Format)
	}
	return nil
}

type verifyOptions struct {
	IO       streams
	Read     readFlags
	Policy   policyFlags
	Boundary string
	SCPs     []string
	RCPs     []string
	Session  string
	// Resources are --resource-policy ARN=FILE values.
	Resources []string
}

func newVerifyCmd(io streams, runF func(context.Context, *verifyOptions) error) *cobra.Command {
	opts := &verifyOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "verify --policy FILE (--role NAME|ARN | --user NAME|ARN | --principal ARN)",
		Short: "Replay the principal's observed requests against a policy",
		Long: `Replay every request the principal made (and every call denied it for want of
an identity-policy Allow) against the policy files and list those the policy
would deny: action, resource, count, last seen, and the layer and statement
that decide. Exits 5 when a request that succeeded in the trail would be
denied.

Besides identity policies, --boundary, --scp (one per organization level),
--rcp and --session-policy add the layers that only limit: each must allow
too. --resource-policy ARN=FILE adds the resource-based policy attached to
ARN (a bucket policy also covers the bucket's objects): within one account
it may allow in place of the identity policy, across accounts it must allow
as well, and a KMS key policy must always allow. A request whose resource
the trail did not reveal ("*") and that only an ARN-scoped statement could
allow is reported as undetermined, not denied.`,
		Example: `  tailor suggest --role checkout-api > policy.json
  tailor verify --role checkout-api --policy policy.json
  tailor verify --role checkout-api --policy current.json --boundary boundary.json --scp org-scp.json
  tailor verify --role checkout-api --policy policy.json --resource-policy arn:aws:s3:::receipts=bucket-policy.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Policy.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	opts.Read.registerEmitPartial(cmd)
	opts.Policy.register(cmd, &opts.Read)
	cmd.Flags().StringVar(&opts.Boundary, "boundary", "", "the principal's permissions boundary")
	cmd.Flags().StringArrayVar(&opts.SCPs, "scp", nil, "a service control policy that applies (repeatable)")
	cmd.Flags().StringArrayVar(&opts.RCPs, "rcp", nil, "a resource control policy that applies (repeatable)")
	cmd.Flags().StringVar(&opts.Session, "session-policy", "", "a session policy passed when the role was assumed")
	cmd.Flags().StringArrayVar(&opts.Resources, "resource-policy", nil, "ARN=FILE: the resource-based policy attached to ARN (repeatable)")
	return cmd
}

// verifyEntry is one line of `tailor verify --format json`.
type verifyEntry struct {
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Count     int64  `json:"count"`
	LastSeen  string `json:"lastSeen,omitempty"`
	Observed  string `json:"observed"` // "allowed" or the denial reason in the trail
	Layer     string `json:"layer"`
	Statement string `json:"reason"`
	// Context says which of the fact's requests was denied, when they
	// differ (several source addresses, or first and last times).
	Context string `json:"context,omitempty"`
}

// verifyEntryOf is the line of a result the layers do not allow.
func verifyEntryOf(r verify.Result) verifyEntry {
	observed := "allowed"
	if r.Denied() {
		observed = "denied: " + string(r.Denial.Reason)
	}
	if r.Undetermined {
		observed += " (resource unknown: undetermined)"
	}
	return verifyEntry{Action: r.Action, Resource: r.Resource, Count: r.Count, LastSeen: unixText(r.Last),
		Observed: observed, Layer: r.Layer, Statement: r.Reason, Context: requestContext(r)}
}

// requestContext describes the denied request of r when others of its
// requests were allowed: its origin and time decided.
func requestContext(r verify.Result) string {
	if !r.Mixed {
		return ""
	}
	var parts []string
	switch o := r.Origin; {
	case o.Service != "":
		parts = append(parts, "via "+o.Service)
	case o.IP != "" && o.VPCE != "":
		parts = append(parts, "from "+o.IP+" through "+o.VPCE)
	case o.IP != "":
		parts = append(parts, "from "+o.IP)
	}
	if r.Time != 0 {
		parts = append(parts, "at "+unixText(r.Time))
	}
	return strings.Join(parts, " ")
}

// readLayers reads the policy files the flags name into the layers a
// replay decides with.
func readLayers(opts *verifyOptions) (verify.Layers, error) {
	layers := verify.Layers{}
	var err error
	if layers.Identity, err = readPolicies(opts.IO, opts.Policy.Policies, true); err != nil {
		return verify.Layers{}, err
	}
	if opts.Boundary != "" {
		if layers.Boundary, err = readPolicy(opts.IO, opts.Boundary); err != nil {
			return verify.Layers{}, err
		}
	}
	if layers.SCPs, err = readPolicies(opts.IO, opts.SCPs, false); err != nil {
		return verify.Layers{}, err
	}
	if layers.RCPs, err = readPolicies(opts.IO, opts.RCPs, false); err != nil {
		return verify.Layers{}, err
	}
	if opts.Session != "" {
		if layers.Session, err = readPolicy(opts.IO, opts.Session); err != nil {
			return verify.Layers{}, err
		}
	}
	for _, v := range opts.Resources {
		arn, path, ok := strings.Cut(v, "=")
		if !ok || !strings.HasPrefix(arn, "arn:") || path == "" {
			return verify.Layers{}, usageErrorf("--resource-policy %s: want ARN=FILE", v)
		}
		docs, err := readPolicies(opts.IO, []string{path}, false)
		if err != nil {
			return verify.Layers{}, err
		}
		for _, d := range docs {
			layers.Resources = append(layers.Resources, verify.ResourcePolicy{ARN: arn, Doc: d})
		}
	}
	return layers, nil
}

func verifyRun(ctx context.Context, opts *verifyOptions) error {
	layers, err := readLayers(opts)
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
	results := verify.Replay(res.Catalog, res.Aggregate.Principals[arn].Principal, res.Aggregate.FactsOf(arn), layers)
	entries := []verifyEntry{}
	for _, r := range results {
		if !r.Allowed {
			entries = append(entries, verifyEntryOf(r))
		}
	}
	if err := writeVerify(opts.IO.Out, opts.Policy.Format, entries, &opts.Read.integrity); err != nil {
		return err
	}
	var s summary
	s.add("principal", "%s", arn)
	inputSummary(&s, res, catalogLabel(res.Catalog))
	n := verify.Count(results)
	s.add("facts replayed", "%d (each from every origin and at the first and last time it was seen)", n.Replayed)
	if n.MoreOrigins > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s from more than %d origins (source addresses, endpoints, calling services); only %d of each were replayed\n", words.Count(n.MoreOrigins, "fact came", "facts came"), analyze.MaxOrigins, analyze.MaxOrigins)
	}
	s.add("would deny", "%d observed successful requests, %d observed denials still denied", n.WouldDeny, n.StillDenied)
	s.add("would allow", "%d observed denials", n.WouldAllow)
	if n.Undetermined > 0 {
		s.add("undetermined", "%s whose resource the trail did not reveal, denied only for that", words.Nouns(n.Undetermined, "request"))
	}
	s.print(opts.IO)
	if n.WouldDeny > 0 {
		return &exitErr{code: exitUnallowed, err: fmt.Errorf("the policy would deny %s that succeeded in the trail", words.Nouns(n.WouldDeny, "request"))}
	}
	return nil
}

func writeVerify(w io.Writer, format string, entries []verifyEntry, integ *integrityFlags) error {
	if format == "json" {
		return integ.writeJSON(w, entries)
	}
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "every observed request is allowed")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tRESOURCE\tCOUNT\tLAST SEEN\tIN THE TRAIL\tDENIED BY\tWHY")
	for _, e := range entries {
		why := e.Statement
		if e.Context != "" {
			why += " (" + e.Context + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", safetext.Clean(e.Action), safetext.Clean(e.Resource), e.Count, e.LastSeen, safetext.Clean(e.Observed), e.Layer, safetext.Line(why))
	}
	return tw.Flush()
}

// readPolicies reads policy files; a file may hold one document or a JSON
// array of them, as suggest writes when it splits. What Validate finds (an
// unknown condition operator, whose statement then never applies), and for
// identity-based policies what ValidateIdentity finds, is printed as a
// warning.
func readPolicies(io streams, paths []string, identity bool) ([]*policy.Document, error) {
	var out []*policy.Document
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, &exitErr{code: exitUsage, err: fmt.Errorf("policy file: %w", err)}
		}
		docs, err := policyfile.ReadAll(p)
		if err != nil {
			return nil, err // a file that is not a policy is an error, not a usage error
		}
		for _, d := range docs {
			errs := []error{d.Validate()}
			if identity {
				errs = append(errs, d.ValidateIdentity())
			}
			if err := errors.Join(errs...); err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					fmt.Fprintf(io.ErrOut, "warning: %s: %s\n", safetext.Clean(p), safetext.Line(line))
				}
			}
		}
		out = append(out, docs...)
	}
	return out, nil
}

func readPolicy(io streams, path string) (*policy.Document, error) {
	docs, err := readPolicies(io, []string{path}, true)
	if err != nil {
		return nil, err
	}
	if len(docs) != 1 {
		return nil, usageErrorf("%s: want one policy document, found %d", path, len(docs))
	}
	return docs[0], nil
}
