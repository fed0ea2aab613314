package analyze

import (
	"sort"
	"strings"
	"unicode"

	"github.com/tailor-iam/tailor/catalog"
)

// Wildcard is the resource of an action that takes no resource type, or
// whose ARN the event does not reveal.
const Wildcard = "*"

// eventFacts is what resource derivation reads from one event.
type eventFacts struct {
	partition, region, account string
	req, resp                  params
	// direct holds ARNs the event names outright: resources[], ARN-valued
	// request fields (and queue URLs), and the resource of a denial message.
	direct []string
	// response ARNs, used only when nothing else scopes an action.
	respARNs []string
}

// resourceResult is the resources of one need and the generalizations made.
type resourceResult struct {
	arns        []string // sorted, unique; [Wildcard] when unknown
	unknown     bool     // the action takes resources but none could be derived
	generalized []string
}

// deriver turns needs into ARNs. It caches compiled templates; each worker
// has its own, so it needs no lock.
type deriver struct {
	cat       *catalog.Catalog
	templates map[string]*template
}

func newDeriver(cat *catalog.Catalog) *deriver {
	return &deriver{cat: cat, templates: map[string]*template{}}
}

func (d *deriver) template(raw string) *template {
	t, ok := d.templates[raw]
	if !ok {
		t = compileTemplate(raw)
		d.templates[raw] = t
	}
	return t
}

// resources derives the ARNs that need n touched.
func (d *deriver) resources(n Need, ev *eventFacts) resourceResult {
	types := d.cat.ResourceTypes(n.Action)
	if len(types) == 0 {
		return resourceResult{arns: []string{Wildcard}}
	}
	var res resourceResult
	set := map[string]bool{}
	tpls := make([]*template, len(types))
	for i, rt := range types {
		tpls[i] = d.template(rt.ARN)
	}
	// 1. ARNs the event names, matched to the action's resource types. A
	// need with a role (the source of a copy) takes only what its role's
	// fields give, since resources[] mixes source and destination.
	if n.Role == "" {
		for _, a := range ev.direct {
			for _, t := range tpls {
				if t.re.MatchString(a) {
					set[a] = true
				}
			}
		}
	}
	// 2. Templates filled from request fields.
	for _, t := range tpls {
		arns, gen := d.fill(t, n, ev)
		for _, a := range arns {
			set[a] = true
		}
		if len(arns) > 0 && gen != "" {
			res.generalized = append(res.generalized, gen)
		}
	}
	// 3. The response, as a last resort.
	if len(set) == 0 && n.Role == "" {
		for _, a := range ev.respARNs {
			for _, t := range tpls {
				if t.re.MatchString(a) {
					set[a] = true
				}
			}
		}
	}
	if len(set) == 0 {
		return resourceResult{arns: []string{Wildcard}, unknown: true}
	}
	res.arns = mostSpecific(set)
	return res
}

// fill renders t from the event's fields; it returns every combination the
// fields give (a batch request names several tables).
func (d *deriver) fill(t *template, n Need, ev *eventFacts) ([]string, string) {
	svc := n.Action.Service
	vals := map[string][]string{
		"Partition": {ev.partition},
		"Region":    {ev.region},
		"Account":   {ev.account},
	}
	for _, f := range accountFields[svc] {
		if v := ev.req.first(f); v != "" {
			vals["Account"] = []string{v}
		}
	}
	gen := ""
	for _, name := range t.vars() {
		if wildcardVars[svc][name] {
			vals[name] = []string{"*"}
			continue
		}
		got, g := d.varValues(svc, name, n.Role, ev)
		if len(got) == 0 {
			return nil, ""
		}
		if g != "" {
			gen = g
		}
		vals[name] = got
	}
	if vals["Partition"][0] == "" {
		return nil, ""
	}
	var out []string
	combine(t, vals, map[string]string{}, t.parts, &out)
	return out, gen
}

// varValues finds a variable's values for a need.
func (d *deriver) varValues(svc, name, role string, ev *eventFacts) ([]string, string) {
	if svc == "s3" && role == "source" {
		return copySourceValues(name, ev.req), ""
	}
	if svc == "kms" && role == "destination" && name == "KeyId" {
		return transformAll(ev.req.strings("destinationKeyId"), kmsKeyID), ""
	}
	rule, ok := serviceRules[svc][name]
	if !ok {
		if noFallback[svc+":"+name] {
			return nil, ""
		}
		rule = varRule{paths: []string{lowerCamel(name)}}
	}
	var raw []string
	for _, p := range rule.paths {
		if rest, ok := strings.CutPrefix(p, "response."); ok {
			raw = append(raw, ev.resp.strings(rest)...)
		} else {
			raw = append(raw, ev.req.strings(p)...)
		}
		if len(raw) > 0 {
			break
		}
	}
	if rule.transform == nil {
		return uniqueStrings(raw), ""
	}
	out := transformAll(raw, rule.transform)
	if len(out) == 0 {
		return nil, ""
	}
	return out, rule.generalized
}

func transformAll(raw []string, f func(string) (string, bool)) []string {
	var out []string
	for _, v := range raw {
		if t, ok := f(v); ok {
			out = append(out, t)
		}
	}
	return uniqueStrings(out)
}

// copySourceValues reads the bucket and key of a CopyObject or
// UploadPartCopy source ("bucket/key", optionally URL-escaped and with
// ?versionId=).
func copySourceValues(name string, req params) []string {
	src := req.first("x-amz-copy-source")
	if src == "" {
		src = req.first("copySource")
	}
	src, _, _ = strings.Cut(strings.TrimPrefix(src, "/"), "?")
	bucket, key, ok := strings.Cut(src, "/")
	if !ok || bucket == "" || key == "" {
		return nil
	}
	switch name {
	case "BucketName":
		return []string{bucket}
	case "ObjectName":
		return []string{unescapePath(key)}
	}
	return nil
}

func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// combine renders every combination of variable values, capped at maxValues.
func combine(t *template, vals map[string][]string, chosen map[string]string, parts []tplPart, out *[]string) {
	if len(*out) >= maxValues {
		return
	}
	for i, p := range parts {
		if p.name == "" {
			continue
		}
		if _, done := chosen[p.name]; done {
			continue
		}
		for _, v := range vals[p.name] {
			chosen[p.name] = v
			combine(t, vals, chosen, parts[i+1:], out)
		}
		delete(chosen, p.name)
		return
	}
	if s, ok := t.fill(chosen); ok {
		*out = append(*out, s)
	}
}

// mostSpecific drops an ARN when a longer one in the set extends it at a
// path boundary: a Query on an index needs the index ARN, not the table's.
func mostSpecific(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for a := range set {
		covered := false
		for b := range set {
			if len(b) > len(a) && strings.HasPrefix(b, a) && b[len(a)] == '/' {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

func lowerCamel(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func uniqueStrings(in []string) []string {
	if len(in) <= 1 {
		return in
	}
	return sortedUnique(append([]string(nil), in...))
}

func sortedUnique(in []string) []string {
	sort.Strings(in)
	out := in[:0]
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}
