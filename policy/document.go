package policy

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Policy language versions. Version2012 is the one to write: only it
// substitutes policy variables such as ${aws:username}. A document with no
// Version is read as Version2008.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effects a statement can have.
const (
	EffectAllow = "Allow"
	EffectDeny  = "Deny"
)

// Document is an IAM policy document.
type Document struct {
	Version   string // "", Version2012 or Version2008
	ID        string // the optional "Id" element
	Statement []Statement
}

// Statement is one statement of a policy. A parsed statement has exactly one
// of Action and NotAction, at most one of Resource and NotResource, and at
// most one of Principal and NotPrincipal.
type Statement struct {
	Sid          string
	Effect       string // EffectAllow or EffectDeny
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    Condition
}

// Principal is a Principal or NotPrincipal element: either "*" (everyone)
// or principals by type, such as {"AWS": [...], "Service": [...]}.
type Principal struct {
	Wildcard bool                // "Principal": "*"
	IDs      map[string][]string // type ("AWS", "Service", "Federated", "CanonicalUser") to identifiers
}

// Condition maps a condition operator (such as "StringEquals" or
// "ForAnyValue:StringLike") to condition keys and their values. Values are
// kept as strings: a JSON true is "true", a number keeps its text.
type Condition map[string]map[string][]string

// principalTypes are the keys a Principal object may have.
var principalTypes = []string{"AWS", "CanonicalUser", "Federated", "Service"}

// Marshal returns the document in canonical form: two-space indent, keys in
// the order IAM documents use, every list an array, condition operators and
// keys sorted, and a final newline.
func (d *Document) Marshal() ([]byte, error) {
	raw, err := d.MarshalJSON()
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

// MarshalJSON writes the canonical form without indentation: Version, Id,
// Statement; in a statement Sid, Effect, Principal, NotPrincipal, Action,
// NotAction, Resource, NotResource, Condition. Empty elements are left out.
func (d Document) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	w := objWriter{b: &b}
	w.open()
	if d.Version != "" {
		w.field("Version", d.Version)
	}
	if d.ID != "" {
		w.field("Id", d.ID)
	}
	w.key("Statement")
	w.b.WriteByte('[')
	for i := range d.Statement {
		if i > 0 {
			w.b.WriteByte(',')
		}
		d.Statement[i].marshal(&b)
	}
	w.b.WriteByte(']')
	w.close()
	return b.Bytes(), nil
}

// UnmarshalJSON reads a document as Parse does, so that a policy can sit
// inside other JSON.
func (d *Document) UnmarshalJSON(data []byte) error {
	p, err := Parse(data)
	if err != nil {
		return err
	}
	*d = *p
	return nil
}

// MarshalJSON writes the statement in canonical form.
func (s Statement) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	s.marshal(&b)
	return b.Bytes(), nil
}

func (s *Statement) marshal(b *bytes.Buffer) {
	w := objWriter{b: b}
	w.open()
	if s.Sid != "" {
		w.field("Sid", s.Sid)
	}
	w.field("Effect", s.Effect)
	if s.Principal != nil {
		w.key("Principal")
		s.Principal.marshal(b)
	}
	if s.NotPrincipal != nil {
		w.key("NotPrincipal")
		s.NotPrincipal.marshal(b)
	}
	for _, f := range []struct {
		name string
		list []string
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if f.list != nil {
			w.field(f.name, f.list)
		}
	}
	if len(s.Condition) > 0 {
		w.key("Condition")
		w.open()
		for _, op := range sortedKeys(s.Condition) {
			w.key(op)
			w.open()
			for _, k := range sortedKeys(s.Condition[op]) {
				w.field(k, nonNil(s.Condition[op][k]))
			}
			w.close()
		}
		w.close()
	}
	w.close()
}

func (p *Principal) marshal(b *bytes.Buffer) {
	if p.Wildcard {
		writeJSON(b, "*")
		return
	}
	w := objWriter{b: b}
	w.open()
	for _, k := range sortedKeys(p.IDs) {
		w.field(k, nonNil(p.IDs[k]))
	}
	w.close()
}

// objWriter writes a JSON object's members in the order they are given.
type objWriter struct {
	b     *bytes.Buffer
	first []bool // per open object: no member written yet
}

func (w *objWriter) open() {
	w.b.WriteByte('{')
	w.first = append(w.first, true)
}

func (w *objWriter) close() {
	w.b.WriteByte('}')
	w.first = w.first[:len(w.first)-1]
}

func (w *objWriter) key(k string) {
	top := len(w.first) - 1
	if !w.first[top] {
		w.b.WriteByte(',')
	}
	w.first[top] = false
	writeJSON(w.b, k)
	w.b.WriteByte(':')
}

func (w *objWriter) field(k string, v any) {
	w.key(k)
	writeJSON(w.b, v)
}

// writeJSON writes a string or a string slice, without HTML escaping so
// that ARNs and conditions read as written.
func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)       // strings and string slices cannot fail
	b.Truncate(b.Len() - 1) // Encode's newline
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
