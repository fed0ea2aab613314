// The flags that name one principal, and how they choose it from what a
// run gathered.

package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/internal/safetext"
)

// principalFlags name one principal: --role, --user or --principal.
type principalFlags struct {
	Role      string
	User      string
	Principal string
}

// register adds the three flags; scope starts their help ("the", "only
// this"). Their values complete with the principals of the trail that the
// command's read flags name.
func (f *principalFlags) register(cmd *cobra.Command, scope string, read *readFlags) {
	cmd.Flags().StringVar(&f.Role, "role", "", scope+" role: name, path/name or ARN")
	cmd.Flags().StringVar(&f.User, "user", "", scope+" IAM user: name, path/name or ARN")
	cmd.Flags().StringVar(&f.Principal, "principal", "", scope+" principal, by full ARN (root included)")
	for flag, kind := range map[string]string{"role": analyze.KindRole, "user": analyze.KindUser, "principal": ""} {
		cmd.RegisterFlagCompletionFunc(flag, completePrincipals(kind, read))
	}
}

// keep accepts the principals the flags could choose: a command about one
// principal keeps only their facts, so its memory does not grow with the
// trail's other principals.
func (f *principalFlags) keep() func(string) bool {
	query := f.Principal
	switch {
	case f.Role != "":
		query = f.Role
	case f.User != "":
		query = f.User
	}
	if query == "" {
		return nil
	}
	return func(arn string) bool { return analyze.MayMatch(arn, query) }
}

// given counts the flags set.
func (f *principalFlags) given() int {
	n := 0
	for _, v := range []string{f.Role, f.User, f.Principal} {
		if v != "" {
			n++
		}
	}
	return n
}

// choose resolves the flags to one principal of the aggregate. It returns
// the ARN and what the user named ("role", "user" or "principal"). Several
// matches are a usage error listing them; none is exit 3.
func (f *principalFlags) choose(agg *analyze.Aggregate) (string, string, error) {
	query, kinds, what := f.Principal, []string(nil), "principal"
	switch {
	case f.Role != "":
		query, kinds, what = f.Role, []string{analyze.KindRole}, "role"
	case f.User != "":
		query, kinds, what = f.User, []string{analyze.KindUser}, "user"
	}
	matches := agg.Select(query, kinds...)
	switch {
	case len(matches) > 1:
		return "", what, &exitErr{code: exitUsage, err: fmt.Errorf("%s %q matches %d principals; name one by ARN:\n  %s", what, query, len(matches), strings.Join(cleanAll(matches), "\n  "))}
	case len(matches) == 0:
		msg := fmt.Sprintf("no events for %s %q in the input", what, query)
		if why := whyNone(agg); why != "" {
			msg += ": " + why
		} else if near := agg.Suggest(query, kinds...); len(near) > 0 {
			msg += "; did you mean:\n  " + strings.Join(cleanAll(near), "\n  ")
		}
		return "", what, &exitErr{code: exitNoEvents, err: errors.New(msg)}
	}
	return matches[0], what, nil
}

// identityPolicyHolder refuses a principal no identity policy applies to
// (a web identity, SAML or IAM Identity Center user), naming the roles its
// events show it assuming: their policies are the ones to tailor.
func identityPolicyHolder(agg *analyze.Aggregate, arn string) error {
	p := agg.Principals[arn]
	if p == nil || (p.Kind != analyze.KindWebIdentity && p.Kind != analyze.KindSAML && p.Kind != analyze.KindIdentityCenter) {
		return nil
	}
	roles := map[string]bool{}
	for _, f := range agg.FactsOf(arn) {
		if strings.HasPrefix(f.Action, "sts:AssumeRole") && strings.Contains(f.Resource, ":role/") {
			roles[f.Resource] = true
		}
	}
	msg := fmt.Sprintf("%s is a %s: no identity policy applies to it", safetext.Clean(arn), p.Kind)
	if p.Kind == analyze.KindIdentityCenter {
		msg += " (its permission set does, through the AWSReservedSSO_ role it assumes in each account)"
	}
	if len(roles) > 0 {
		msg += "; tailor the role it assumes: --role " + strings.Join(cleanAll(slices.Sorted(maps.Keys(roles))), ", --role ")
	}
	return &exitErr{code: exitUsage, err: errors.New(msg)}
}

// cleanAll makes each value safe for a line of its own (safetext.Clean).
func cleanAll(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = safetext.Clean(v)
	}
	return out
}

// whyNone says why a run that read records matched none of a principal's:
// every record was filtered out, or the principal is not in the trail.
func whyNone(agg *analyze.Aggregate) string {
	c := agg.Counts
	if c.Records > 0 && c.OutOfRange == c.Records {
		return fmt.Sprintf("all %d records read were outside --since/--until, --account or --region", c.Records)
	}
	return ""
}
