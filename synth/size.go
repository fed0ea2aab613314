package synth

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/policy"
)

// Size limits of IAM policy documents, in characters with whitespace not
// counted (reference §6).
const (
	MaxManaged     = 6144  // a customer managed policy
	MaxInlineRole  = 10240 // all inline policies of a role together
	MaxInlineGroup = 5120
	MaxInlineUser  = 2048
)

// Size is a document's length as IAM counts it: characters of its JSON,
// whitespace not counted.
func Size(p *policy.Document) int {
	raw, err := p.MarshalJSON()
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range string(raw) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Split returns p as it is when it fits limit, else as several documents
// that each fit: statements are packed first-fit in their sorted order, and
// a statement too large on its own is cut into statements over parts of its
// resources (then of its actions), which grants exactly the same. It fails
// only when a single action on a single resource cannot fit.
func Split(p *policy.Document, limit int) ([]*policy.Document, error) {
	if Size(p) <= limit {
		return []*policy.Document{p}, nil
	}
	overhead := Size(&policy.Document{Version: policy.Version2012}) + 1 // the array's brackets, a comma
	var parts []policy.Statement
	for _, st := range p.Statement {
		cut, err := cutStatement(st, limit-overhead)
		if err != nil {
			return nil, err
		}
		parts = append(parts, cut...)
	}
	sortStatements(parts)
	var docs []*policy.Document
	for _, st := range parts {
		placed := false
		for _, d := range docs {
			d.Statement = append(d.Statement, st)
			if Size(d) <= limit {
				placed = true
				break
			}
			d.Statement = d.Statement[:len(d.Statement)-1]
		}
		if !placed {
			docs = append(docs, &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{st}})
		}
	}
	for _, d := range docs {
		assignSids(d.Statement)
		if Size(d) > limit {
			return nil, fmt.Errorf("split: a document of %d characters exceeds the limit of %d", Size(d), limit)
		}
	}
	return docs, nil
}

// cutStatement cuts a statement too large for room into statements over
// consecutive runs of its resources, each filled as far as room allows;
// with a single resource, over runs of its actions. The Sid's length is
// reserved for any Sid tailor writes.
func cutStatement(st policy.Statement, room int) ([]policy.Statement, error) {
	st.Sid = "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" // a generous stand-in
	if statementSize(st) <= room {
		return []policy.Statement{st}, nil
	}
	list, set := st.Resource, func(s *policy.Statement, v []string) { s.Resource = v }
	if len(st.Resource) == 1 {
		list, set = st.Action, func(s *policy.Statement, v []string) { s.Action = v }
	}
	var out []policy.Statement
	for start := 0; start < len(list); {
		end := start + 1
		part := st
		set(&part, list[start:end])
		if statementSize(part) > room {
			return nil, fmt.Errorf("split: %s on %v alone is larger than a document may be", part.Action[0], part.Resource)
		}
		// Each further element adds its quoted JSON string and a comma.
		size := statementSize(part)
		for end < len(list) {
			q, _ := json.Marshal(list[end])
			if size+len(q)+1 > room {
				break
			}
			size += len(q) + 1
			end++
		}
		set(&part, list[start:end])
		out = append(out, part)
		start = end
	}
	return out, nil
}

func statementSize(st policy.Statement) int {
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{st}}
	return Size(p) - Size(&policy.Document{Version: policy.Version2012})
}

// Compact replaces runs of a statement's actions with a wildcard, but only
// where the wildcard expands, in the catalog, to actions all in that
// statement: it never grants an action that was not observed (today's
// catalog; a later catalog may add actions the wildcard would match). It
// returns how many actions were folded into wildcards.
func Compact(p *policy.Document, expand func(pattern string) []string) int {
	folded := 0
	for i := range p.Statement {
		st := &p.Statement[i]
		have := map[string]bool{}
		for _, a := range st.Action {
			have[a] = true
		}
		var out []string
		covered := map[string]bool{}
		for _, a := range st.Action {
			if covered[a] {
				continue
			}
			best := ""
			var bestSet []string
			// The shortest prefix whose expansion stays inside the set; a
			// shorter prefix only expands to more.
			for n := len(a) - 1; n > len(serviceOf(a))+1; n-- {
				pattern := a[:n] + "*"
				set := expand(pattern)
				if !allIn(set, have) {
					break
				}
				if len(set) >= 2 {
					best, bestSet = pattern, set
				}
			}
			if best == "" {
				out = append(out, a)
				covered[a] = true
				continue
			}
			out = append(out, best)
			for _, x := range bestSet {
				covered[x] = true
			}
		}
		sort.Strings(out)
		out = dedupe(out)
		folded += len(st.Action) - len(out)
		st.Action = out
	}
	assignSids(p.Statement)
	return folded
}

func serviceOf(action string) string {
	for i := 0; i < len(action); i++ {
		if action[i] == ':' {
			return action[:i]
		}
	}
	return action
}

func allIn(set []string, have map[string]bool) bool {
	for _, x := range set {
		if !have[x] {
			return false
		}
	}
	return true
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// StatementSize is one statement's share of a document's size, whitespace
// not counted.
type StatementSize struct {
	Sid       string
	Actions   int
	Resources int
	Size      int
	// S3Objects: its resources include S3 object ARNs, which
	// --generalize s3-prefix=N can shorten.
	S3Objects bool
}

// Largest returns the policy's n largest statements, largest first.
func Largest(p *policy.Document, n int) []StatementSize {
	out := make([]StatementSize, 0, len(p.Statement))
	for _, st := range p.Statement {
		ss := StatementSize{Sid: st.Sid, Actions: len(st.Action), Resources: len(st.Resource), Size: statementSize(st)}
		for _, r := range st.Resource {
			if strings.HasPrefix(r, "arn:") && strings.Contains(r, ":s3:::") && strings.Contains(r, "/") {
				ss.S3Objects = true
			}
		}
		out = append(out, ss)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Size != out[j].Size {
			return out[i].Size > out[j].Size
		}
		return out[i].Sid < out[j].Sid
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
