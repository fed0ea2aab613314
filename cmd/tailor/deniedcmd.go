package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/report"
	"github.com/tailor-iam/tailor/synth"
)

type deniedOptions struct {
	IO   streams
	Read readFlags
	principalFlags
	All    bool
	Format string
	Decode bool
	// decoder expands encoded messages; nil builds an STS client.
	decoder authDecoder
}

func newDeniedCmd(io streams, runF func(context.Context, *deniedOptions) error) *cobra.Command {
	opts := &deniedOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "denied [--role NAME|ARN | --user NAME|ARN | --principal ARN | --all]",
		Short: "Explain every denied call: who, what, on which resource, why, and the fix",
		Long: `List denied calls grouped by principal, then reason, one entry per kind of
call: the action, the resources one such call named (a Glue GetTable names
its catalog, database and table), the error code, how many calls and when,
the reason (which policy type denied it), the denying policy when the message
names it, and the fix: the statement to add, or why no identity-policy change
can help, who must act and, for a Deny the message does not place, how to
find it. The entries' counts add up to the denied records.

Without a principal flag it reports every principal. The JSON fields are
stable (see README.md).`,
		Example: `  tailor denied
  tailor denied --role checkout-api --format json
  tailor denied --all --source s3://trail-bucket/AWSLogs/ --since 7d
  tailor denied --role ci-deployer --decode   # expand EC2 encoded messages via STS`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Format != "table" && opts.Format != "json" {
				return usageErrorf("--format %s: want table or json", opts.Format)
			}
			n := opts.given()
			if opts.All {
				n++
			}
			if n > 1 {
				return usageErrorf("give at most one of --role, --user, --principal and --all")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return deniedRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	opts.Read.registerEmitPartial(cmd)
	opts.principalFlags.register(cmd, "only this", &opts.Read)
	cmd.Flags().BoolVar(&opts.All, "all", false, "every principal (the default)")
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table or json")
	cmd.Flags().BoolVar(&opts.Decode, "decode", false, "expand encoded authorization messages with sts:DecodeAuthorizationMessage (needs AWS credentials)")
	return cmd
}

func deniedRun(ctx context.Context, opts *deniedOptions) error {
	opts.Read.keep = opts.principalFlags.keep()
	res, err := read(ctx, opts.IO, &opts.Read)
	if err != nil {
		return err
	}
	agg := res.Aggregate
	var principals []string
	if opts.given() > 0 {
		arn, _, err := opts.choose(agg)
		if err != nil {
			return err
		}
		principals = []string{arn}
	} else {
		for _, p := range agg.SortedPrincipals() {
			principals = append(principals, p.ARN)
		}
	}
	cat := res.Catalog
	var denials []synth.Denial
	for _, arn := range principals {
		denials = append(denials, synth.Denied(cat, agg, arn)...)
		printUnmappedOf(opts.IO.ErrOut, agg, arn, "not listed: no action to scope a fix to", true)
	}
	var decoded []json.RawMessage
	var nDecoded, nEncoded int
	if opts.Decode {
		decoded, nDecoded, nEncoded = decodeDenials(ctx, opts, denials)
	}
	entries := make([]report.DeniedEntry, len(denials))
	for i, d := range denials {
		entries[i] = report.Denied(d)
		if decoded != nil {
			entries[i].Decoded = decoded[i]
		}
	}
	switch opts.Format {
	case "json":
		if err := opts.Read.integrity.writeJSON(opts.IO.Out, entries); err != nil {
			return err
		}
	default:
		if err := writeDeniedTable(opts.IO.Out, entries); err != nil {
			return err
		}
	}
	var s summary
	inputSummary(&s, res, catalogLabel(cat))
	s.add("principals", "%d", len(principals))
	s.add("denied", "%s", deniedCount(entries, agg, principals))
	s.add("by reason", "%s", byReason(entries))
	if opts.Decode {
		s.add("decoded messages", "%d of %d", nDecoded, nEncoded)
	}
	s.print(opts.IO)
	return nil
}

// deniedCount says how many denied records the entries cover, and how many
// of the principals' denied records no entry lists (calls that map to no
// action, named on stderr above).
func deniedCount(entries []report.DeniedEntry, agg *analyze.Aggregate, principals []string) string {
	var records, all int64
	for _, e := range entries {
		records += e.Count
	}
	for _, p := range principals {
		if info := agg.Principals[p]; info != nil {
			all += info.Denied
		}
	}
	out := fmt.Sprintf("%s in %s", words.Count(int(records), "record", "records"), words.Count(len(entries), "entry", "entries"))
	if all > records {
		out += fmt.Sprintf("; %s not listed: no action to scope a fix to (above)", words.Count(int(all-records), "more record", "more records"))
	}
	return out
}

// byReason counts entries and their records by reason: "identity-policy 3
// (4 records)", the records said only where they are not one per entry.
func byReason(entries []report.DeniedEntry) string {
	type tally struct{ entries, records int64 }
	n := map[string]*tally{}
	for _, e := range entries {
		if n[e.Reason] == nil {
			n[e.Reason] = &tally{}
		}
		n[e.Reason].entries++
		n[e.Reason].records += e.Count
	}
	if len(n) == 0 {
		return "none"
	}
	var parts []string
	for r, c := range n {
		part := fmt.Sprintf("%s %d", r, c.entries)
		if c.records != c.entries {
			part += fmt.Sprintf(" (%s)", words.Count(int(c.records), "record", "records"))
		}
		parts = append(parts, part)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// writeDeniedTable groups entries by principal, then reason: each entry is
// a line with its resource, a line for each other resource its calls
// named, then its fix.
func writeDeniedTable(w io.Writer, entries []report.DeniedEntry) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "no denied calls")
		return err
	}
	byPrincipal := map[string]map[string][]report.DeniedEntry{}
	var principals []string
	for _, e := range entries {
		if byPrincipal[e.Principal] == nil {
			byPrincipal[e.Principal] = map[string][]report.DeniedEntry{}
			principals = append(principals, e.Principal)
		}
		byPrincipal[e.Principal][e.Reason] = append(byPrincipal[e.Principal][e.Reason], e)
	}
	for i, p := range principals {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, safetext.Clean(p))
		reasons := make([]string, 0, len(byPrincipal[p]))
		for r := range byPrincipal[p] {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			fmt.Fprintf(w, "  %s\n", safetext.Clean(r))
			for _, e := range byPrincipal[p][r] {
				// One line per resource the calls named: the one the message
				// named first, the others under it.
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				resources := []string{e.Resource}
				for _, r := range e.Resources {
					if r != e.Resource {
						resources = append(resources, r)
					}
				}
				fmt.Fprintf(tw, "    %s\t%s\t%s\tcount %d\t%s\t%s .. %s\n", safetext.Clean(e.Action), safetext.Clean(resources[0]), safetext.Clean(e.Region), e.Count, safetext.Clean(e.ErrorCode), e.FirstSeen, e.LastSeen)
				for _, r := range resources[1:] {
					fmt.Fprintf(tw, "    \t%s\n", safetext.Clean(r))
				}
				tw.Flush()
				if e.PolicyARN != "" {
					fmt.Fprintf(w, "      policy: %s\n", safetext.Clean(e.PolicyARN))
				}
				switch {
				case e.Encoded && e.Truncated:
					fmt.Fprintln(w, "      message: encoded, and cut by CloudTrail at 1,024 characters: it cannot be decoded")
				case e.Encoded && e.Decoded == nil:
					fmt.Fprintln(w, "      message: encoded (run with --decode to expand it)")
				case e.Encoded:
					fmt.Fprintln(w, "      message: encoded; decoded with --decode (see --format json)")
				case e.Truncated:
					fmt.Fprintln(w, "      message: truncated: CloudTrail cut it at 1,024 characters, and what followed (a reason, a policy ARN) is lost")
				}
				if e.AuthorizationID != "" {
					fmt.Fprintf(w, "      authorization id: %s (IAM Access Troubleshooter: GetRequestAuthorizationDetails)\n", safetext.Clean(e.AuthorizationID))
				}
				fmt.Fprintf(w, "      fix (%s): %s\n", e.Fix.Kind, safetext.Line(e.Fix.Summary))
				fmt.Fprintf(w, "      who: %s\n", safetext.Line(e.Fix.Owner))
				for _, f := range e.Fix.Find {
					fmt.Fprintf(w, "      find: %s\n", safetext.Line(f))
				}
				for _, doc := range []struct {
					name string
					p    *policy.Document
				}{{"identity policy", e.Fix.IdentityPolicy}, {"permissions boundary", e.Fix.BoundaryPolicy}, {policyLabel[e.Fix.Kind], e.Fix.ResourcePolicy}} {
					if doc.p == nil {
						continue
					}
					for _, st := range doc.p.Statement {
						var raw bytes.Buffer
						enc := json.NewEncoder(&raw)
						enc.SetEscapeHTML(false) // placeholders such as <oidc-provider-host>
						if err := enc.Encode(statementView(st)); err != nil {
							return err
						}
						// The encoder leaves C1 and bidi characters raw: escape
						// them as the rest of the table is (a \u escape is valid
						// JSON).
						fmt.Fprintf(w, "      %s: %s\n", doc.name, safetext.Line(strings.TrimSuffix(raw.String(), "\n")))
					}
				}
			}
		}
	}
	return nil
}

// policyLabel names the document a fix's ResourcePolicy goes into.
var policyLabel = map[string]string{
	synth.FixResourcePolicyStatement: "resource policy",
	synth.FixTrustPolicyStatement:    "trust policy",
	synth.FixVPCEndpointPolicy:       "endpoint policy",
	synth.FixSessionPolicy:           "session policy",
}

// statementView is a statement without its Sid, for one-line display.
func statementView(st policy.Statement) any {
	v := map[string]any{"Effect": st.Effect, "Action": st.Action}
	if len(st.Resource) > 0 {
		v["Resource"] = st.Resource
	}
	if st.Principal != nil && len(st.Principal.IDs) > 0 {
		v["Principal"] = st.Principal.IDs
	}
	if len(st.Condition) > 0 {
		v["Condition"] = st.Condition
	}
	return v
}
