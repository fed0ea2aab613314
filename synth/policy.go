// Package synth turns analyzed facts into IAM policy documents: actions
// grouped by identical resource sets, resources scoped to observed ARNs,
// sorted and stable so the same facts always give the same bytes. It does
// no I/O.
package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// Version is the only policy language version tailor writes.
const Version = "2012-10-17"

// Policy is an IAM policy document.
type Policy struct {
	Version   string
	Statement []Statement
}

// Statement is one policy statement, as tailor writes it: Action and
// Resource are always sorted arrays.
type Statement struct {
	Sid    string
	Effect string
	// Principal is set only in resource-based and trust policy statements,
	// as {"AWS": [ARNs]}; a trust statement has no Resource.
	Principal map[string][]string
	Action    []string
	Resource  []string
	Condition map[string]map[string][]string
}

var sidPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// Validate checks the rules every printed document must meet.
func (p *Policy) Validate() error {
	if p.Version != Version {
		return fmt.Errorf("policy: version %q, want %q", p.Version, Version)
	}
	if len(p.Statement) == 0 {
		return fmt.Errorf("policy: no statements")
	}
	sids := map[string]bool{}
	for i, s := range p.Statement {
		if !sidPattern.MatchString(s.Sid) {
			return fmt.Errorf("policy: statement %d: Sid %q is not alphanumeric", i, s.Sid)
		}
		if sids[s.Sid] {
			return fmt.Errorf("policy: statement %d: duplicate Sid %q", i, s.Sid)
		}
		sids[s.Sid] = true
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return fmt.Errorf("policy: statement %s: Effect %q", s.Sid, s.Effect)
		}
		if len(s.Action) == 0 || (len(s.Resource) == 0 && len(s.Principal) == 0) {
			return fmt.Errorf("policy: statement %s: empty Action or Resource", s.Sid)
		}
		if !sort.StringsAreSorted(s.Action) || !sort.StringsAreSorted(s.Resource) {
			return fmt.Errorf("policy: statement %s: Action and Resource must be sorted", s.Sid)
		}
	}
	return nil
}

// MarshalJSON writes the canonical form: keys in the order IAM documents
// use, two-space indent added by the caller's Indent.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"Version":`)
	writeJSON(&b, p.Version)
	b.WriteString(`,"Statement":[`)
	for i, s := range p.Statement {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"Sid":`)
		writeJSON(&b, s.Sid)
		b.WriteString(`,"Effect":`)
		writeJSON(&b, s.Effect)
		if len(s.Principal) > 0 {
			b.WriteString(`,"Principal":`)
			writeJSON(&b, s.Principal)
		}
		b.WriteString(`,"Action":`)
		writeJSON(&b, s.Action)
		if len(s.Resource) > 0 {
			b.WriteString(`,"Resource":`)
			writeJSON(&b, s.Resource)
		}
		if len(s.Condition) > 0 {
			b.WriteString(`,"Condition":`)
			writeJSON(&b, s.Condition) // encoding/json sorts map keys
		}
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)       // values here are strings, slices and maps of them
	b.Truncate(b.Len() - 1) // Encode's newline
}

// Render returns the document as indented JSON with a final newline.
func Render(p *Policy) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	raw, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
