package analyze

import (
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// Select finds the principals of the given kinds that a user's query names:
// a full ARN, a bare name, "path/name" or "/path/name". Several matches mean
// the query is ambiguous; the caller lists them.
//
// An ARN that names no principal exactly is read as people copy it: the
// session ARN get-caller-identity prints (arn:aws:sts::1:assumed-role/NAME/
// SESSION) is its role, and a role or user ARN without its path matches the
// one of that name in that account, whatever its path.
func (a *Aggregate) Select(query string, kinds ...string) []string {
	var out []string
	for _, match := range []func(arn, query string) bool{matchPrincipal, matchLoose} {
		for arn, p := range a.Principals {
			if kindIn(p.Kind, kinds) && match(arn, query) {
				out = append(out, arn)
			}
		}
		if len(out) > 0 {
			break
		}
	}
	sort.Strings(out)
	return out
}

// Suggest lists the principals a query that matched none may have meant:
// the same name in another account or under another path, or a name one
// or two edits away. At most five, closest first.
func (a *Aggregate) Suggest(query string, kinds ...string) []string {
	_, want := looseName(query)
	if want == "" {
		return nil
	}
	type cand struct {
		arn  string
		dist int
	}
	var cands []cand
	for arn, p := range a.Principals {
		if !kindIn(p.Kind, kinds) {
			continue
		}
		_, name := looseName(arn)
		if d := editDistance(strings.ToLower(name), strings.ToLower(want), 2); d <= 2 {
			cands = append(cands, cand{arn, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].arn < cands[j].arn
	})
	var out []string
	for i := 0; i < len(cands) && i < 5; i++ {
		out = append(out, cands[i].arn)
	}
	return out
}

// MayMatch reports whether a principal's ARN could be the one a --role,
// --user or --principal query names, whatever its kind: a reading command
// keeps only such principals' facts.
func MayMatch(arn, query string) bool { return matchPrincipal(arn, query) || matchLoose(arn, query) }

// matchLoose matches a session ARN to its role, and a role or user ARN
// without its path to the principal of that name in that account.
func matchLoose(principal, query string) bool {
	qAccount, qName := looseName(query)
	if qAccount == "" || qName == "" || !strings.HasPrefix(query, "arn:") {
		return false
	}
	account, name := looseName(principal)
	if account != qAccount || name != qName {
		return false
	}
	// Both are ARNs: looseName found an account in each.
	p, _ := arn.Parse(principal)
	q, _ := arn.Parse(query)
	kind, _, _ := strings.Cut(p.Resource, "/")
	qkind, _, _ := strings.Cut(q.Resource, "/")
	return p.Partition == q.Partition && (kind == qkind || (qkind == "assumed-role" && kind == "role"))
}

// looseName reads the account and the bare name of a principal's ARN, a
// session ARN's role, or of a name given as "path/name"; "" when there is
// none.
func looseName(s string) (account, name string) {
	if !strings.HasPrefix(s, "arn:") {
		return "", s[strings.LastIndexByte(s, '/')+1:]
	}
	a, ok := arn.Parse(s)
	if !ok {
		return "", ""
	}
	res := a.Resource
	if rest, ok := strings.CutPrefix(res, "assumed-role/"); ok {
		role, _, _ := strings.Cut(rest, "/")
		return a.Account, role
	}
	return a.Account, res[strings.LastIndexAny(res, "/:")+1:]
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is sure to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func kindIn(k string, kinds []string) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func matchPrincipal(principal, query string) bool {
	if principal == query {
		return true // any principal by its full name, a federated one included
	}
	if strings.HasPrefix(query, "arn:") {
		return false
	}
	// arn:aws:iam::1:role/path/name → "path/name". Cut, not Parse: a
	// federated principal's name may hold an ARN
	// (WebIdentityUser/arn:aws:iam::1:oidc-provider/…), read the same way.
	_, a, ok := arn.Cut(principal)
	if !ok {
		return false
	}
	_, rest, ok := strings.Cut(a.Resource, "/") // drop "role" or "user"
	if !ok {
		return false
	}
	q := strings.TrimPrefix(query, "/")
	if strings.Contains(q, "/") {
		return rest == q
	}
	i := strings.LastIndexByte(rest, '/')
	return rest[i+1:] == q
}
