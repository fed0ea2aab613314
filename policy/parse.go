package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Parse reads a policy document in any form IAM accepts. Errors say where
// the document is wrong, for example
// `policy: Statement[2]: both Action and NotAction` or
// `policy: invalid JSON at byte 41: ...`. Parse checks structure only; see
// Validate for what it leaves to evaluation.
func Parse(data []byte) (*Document, error) {
	data = bytes.TrimPrefix(data, utf8BOM) // editors on Windows write one
	// Unmarshal checks the whole input (trailing data and nesting depth
	// included) and reports the byte offset; the token reader below then
	// only sees valid JSON.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return nil, jsonError("policy", data, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := readValue(dec)
	if err != nil {
		return nil, fmt.Errorf("policy: invalid JSON: %w", err)
	}
	return documentFrom(root)
}

var utf8BOM = []byte("\xef\xbb\xbf")

// jsonError says where data's JSON is invalid: line, column and byte.
func jsonError(what string, data []byte, err error) error {
	se, ok := errors.AsType[*json.SyntaxError](err)
	if !ok {
		return fmt.Errorf("%s: invalid JSON: %w", what, err)
	}
	// Offset counts the bytes read, the offending one included.
	pos := int(min(max(se.Offset-1, 0), int64(len(data))))
	line := 1 + bytes.Count(data[:pos], []byte("\n"))
	col := pos - bytes.LastIndexByte(data[:pos], '\n')
	return fmt.Errorf("%s: invalid JSON at line %d, column %d (byte %d): %w", what, line, col, se.Offset, err)
}

// MaxFileSize bounds a policy file tailor reads: IAM's own limits are far
// lower (6,144 characters for a managed policy, 10,240 for a role's inline
// policies, 20 KB for a bucket policy, 32 KB for a KMS key policy), so a
// megabyte leaves room for any real policy, split or pretty-printed, and
// keeps a hostile file from costing minutes. Package policyfile enforces it.
const MaxFileSize = 1 << 20

// ParseDocuments reads one policy document or a JSON array of them (tailor
// suggest writes an array when it splits a policy for size).
func ParseDocuments(data []byte) ([]*Document, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '[' {
		d, err := Parse(data)
		if err != nil {
			return nil, err
		}
		return []*Document{d}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, jsonError("policy array", data, err)
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("empty policy array")
	}
	out := make([]*Document, 0, len(raws))
	for i, raw := range raws {
		d, err := Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		out = append(out, d)
	}
	return out, nil
}

func documentFrom(root value) (*Document, error) {
	if root.kind != kindObject {
		return nil, fmt.Errorf("policy: document is %s, want an object", root.describe())
	}
	m, err := members(root, "", []string{"Version", "Id", "Statement"})
	if err != nil {
		return nil, err
	}
	d := &Document{}
	if v, ok := m["Version"]; ok {
		if d.Version, err = stringFrom(v, "Version"); err != nil {
			return nil, err
		}
		if d.Version != Version2012 && d.Version != Version2008 {
			return nil, fmt.Errorf("policy: Version: %q is not %s or %s", d.Version, Version2012, Version2008)
		}
	}
	if v, ok := m["Id"]; ok {
		if d.ID, err = stringFrom(v, "Id"); err != nil {
			return nil, err
		}
	}
	v, ok := m["Statement"]
	if !ok {
		return nil, errors.New("policy: no Statement")
	}
	switch v.kind {
	case kindObject:
		s, err := statementFrom(v, "Statement")
		if err != nil {
			return nil, err
		}
		d.Statement = []Statement{s}
	case kindArray:
		if len(v.arr) == 0 {
			return nil, errors.New("policy: Statement: empty array")
		}
		sids := map[string]int{}
		for i, e := range v.arr {
			path := fmt.Sprintf("Statement[%d]", i)
			if e.kind != kindObject {
				return nil, fmt.Errorf("policy: %s: want an object, got %s", path, e.describe())
			}
			s, err := statementFrom(e, path)
			if err != nil {
				return nil, err
			}
			if j, dup := sids[s.Sid]; dup && s.Sid != "" {
				// IAM requires a document's Sids to be unique.
				return nil, fmt.Errorf("policy: %s.Sid: %q is Statement[%d]'s too", path, s.Sid, j)
			}
			sids[s.Sid] = i
			d.Statement = append(d.Statement, s)
		}
	default:
		return nil, fmt.Errorf("policy: Statement: want an object or an array, got %s", v.describe())
	}
	return d, nil
}

var statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func statementFrom(v value, path string) (Statement, error) {
	var s Statement
	m, err := members(v, path, statementElements)
	if err != nil {
		return s, err
	}
	for _, pair := range [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}, {"Principal", "NotPrincipal"}} {
		_, a := m[pair[0]]
		_, b := m[pair[1]]
		if a && b {
			return s, fmt.Errorf("policy: %s: both %s and %s", path, pair[0], pair[1])
		}
	}
	if sid, ok := m["Sid"]; ok {
		if s.Sid, err = stringFrom(sid, path+".Sid"); err != nil {
			return s, err
		}
	}
	effect, ok := m["Effect"]
	if !ok {
		return s, fmt.Errorf("policy: %s: no Effect", path)
	}
	if s.Effect, err = stringFrom(effect, path+".Effect"); err != nil {
		return s, err
	}
	if s.Effect != EffectAllow && s.Effect != EffectDeny {
		return s, fmt.Errorf("policy: %s.Effect: %q is not Allow or Deny", path, s.Effect)
	}
	lists := []struct {
		name string
		dst  *[]string
	}{{"Action", &s.Action}, {"NotAction", &s.NotAction}, {"Resource", &s.Resource}, {"NotResource", &s.NotResource}}
	for _, l := range lists {
		if e, ok := m[l.name]; ok {
			if *l.dst, err = stringList(e, path+"."+l.name); err != nil {
				return s, err
			}
		}
	}
	for _, p := range []struct {
		name string
		dst  **Principal
	}{{"Principal", &s.Principal}, {"NotPrincipal", &s.NotPrincipal}} {
		if e, ok := m[p.name]; ok {
			if *p.dst, err = principalFrom(e, path+"."+p.name); err != nil {
				return s, err
			}
		}
	}
	if s.Action == nil && s.NotAction == nil {
		return s, fmt.Errorf("policy: %s: no Action or NotAction", path)
	}
	// A role trust policy names a Principal and no Resource: the role is
	// the resource. Everywhere else IAM requires one.
	if s.Resource == nil && s.NotResource == nil && s.Principal == nil && s.NotPrincipal == nil {
		return s, fmt.Errorf("policy: %s: no Resource or NotResource", path)
	}
	if c, ok := m["Condition"]; ok {
		if s.Condition, err = conditionFrom(c, path+".Condition"); err != nil {
			return s, err
		}
	}
	return s, nil
}

func principalFrom(v value, path string) (*Principal, error) {
	switch v.kind {
	case kindString:
		if v.str != "*" {
			return nil, fmt.Errorf("policy: %s: %q is neither \"*\" nor an object", path, v.str)
		}
		return &Principal{Wildcard: true}, nil
	case kindObject:
		m, err := members(v, path, principalTypes)
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("policy: %s: empty object", path)
		}
		p := &Principal{IDs: make(map[string][]string, len(m))}
		for k, e := range m {
			if p.IDs[k], err = stringList(e, path+"."+k); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	return nil, fmt.Errorf("policy: %s: want \"*\" or an object, got %s", path, v.describe())
}

func conditionFrom(v value, path string) (Condition, error) {
	if v.kind != kindObject {
		return nil, fmt.Errorf("policy: %s: want an object, got %s", path, v.describe())
	}
	if len(v.obj) == 0 {
		return nil, nil
	}
	c := make(Condition, len(v.obj))
	for _, op := range v.obj {
		opPath := path + "." + op.key
		if _, dup := c[op.key]; dup {
			return nil, fmt.Errorf("policy: %s: duplicate operator %q", path, op.key)
		}
		if op.val.kind != kindObject {
			return nil, fmt.Errorf("policy: %s: want an object of condition keys, got %s", opPath, op.val.describe())
		}
		keys := make(map[string][]string, len(op.val.obj))
		for _, k := range op.val.obj {
			if _, dup := keys[k.key]; dup {
				return nil, fmt.Errorf("policy: %s: duplicate key %q", opPath, k.key)
			}
			vals, err := conditionValues(k.val, opPath+"."+k.key)
			if err != nil {
				return nil, err
			}
			keys[k.key] = vals
		}
		c[op.key] = keys
	}
	return c, nil
}

// conditionValues reads a condition value: a string, boolean or number, or
// an array of them, all kept as strings.
func conditionValues(v value, path string) ([]string, error) {
	if s, ok := v.scalar(); ok {
		return []string{s}, nil
	}
	if v.kind != kindArray {
		return nil, fmt.Errorf("policy: %s: want a string, number, boolean or an array of them, got %s", path, v.describe())
	}
	out := make([]string, 0, len(v.arr))
	for i, e := range v.arr {
		s, ok := e.scalar()
		if !ok {
			return nil, fmt.Errorf("policy: %s[%d]: want a string, number or boolean, got %s", path, i, e.describe())
		}
		out = append(out, s)
	}
	return out, nil
}

// stringList reads an element that is a string or a non-empty array of
// non-empty strings.
func stringList(v value, path string) ([]string, error) {
	switch v.kind {
	case kindString:
		if v.str == "" {
			return nil, fmt.Errorf("policy: %s: empty string", path)
		}
		return []string{v.str}, nil
	case kindArray:
		if len(v.arr) == 0 {
			return nil, fmt.Errorf("policy: %s: empty array", path)
		}
		out := make([]string, 0, len(v.arr))
		for i, e := range v.arr {
			s, err := stringFrom(e, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			if s == "" {
				return nil, fmt.Errorf("policy: %s[%d]: empty string", path, i)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("policy: %s: want a string or an array of strings, got %s", path, v.describe())
}

func stringFrom(v value, path string) (string, error) {
	if v.kind != kindString {
		return "", fmt.Errorf("policy: %s: want a string, got %s", path, v.describe())
	}
	return v.str, nil
}

// members returns an object's members by name, rejecting names not in
// allowed (IAM element names are case-sensitive) and repeated names.
func members(v value, path string, allowed []string) (map[string]value, error) {
	where := "policy: "
	if path != "" {
		where += path + ": "
	}
	m := make(map[string]value, len(v.obj))
	for _, f := range v.obj {
		if !slices.Contains(allowed, f.key) {
			return nil, fmt.Errorf("%sunknown element %q", where, f.key)
		}
		if _, dup := m[f.key]; dup {
			return nil, fmt.Errorf("%sduplicate element %q", where, f.key)
		}
		m[f.key] = f.val
	}
	return m, nil
}
