// Package catalogfile is the catalog's file format, shared by the catalog
// package, its generator and the conversion of AWS's service reference, and
// the one rule for merging two descriptions of the same IAM service prefix.
//
// Merging matters because AWS documents some prefixes as several services:
// elasticloadbalancing is both Elastic Load Balancing (classic) and Elastic
// Load Balancing V2, apigateway both API Gateway Management and its V2, and
// so on. IAM knows only the prefix, so the catalog keeps one service per
// prefix that holds what every one of those services says.
//
// It lives apart from package catalog so that the generator, which writes
// the catalog's embedded file, need not import the package that embeds it.
package catalogfile

import (
	"slices"
	"sort"
	"strings"
)

// ResourceRef is one resource type an action can be scoped to.
type ResourceRef struct {
	Name     string `json:"n"`
	Required bool   `json:"q,omitempty"`
}

// Action is one IAM action of a service.
type Action struct {
	Name      string        `json:"n"`
	Level     string        `json:"l"`
	Resources []ResourceRef `json:"r,omitempty"`
}

// ResourceType is a resource type with its ARN templates: ARN, then More.
type ResourceType struct {
	Name string   `json:"n"`
	ARN  string   `json:"a"`
	More []string `json:"m,omitempty"`
}

// Service is one service prefix with its actions and resource types.
type Service struct {
	Prefix    string         `json:"p"`
	Name      string         `json:"n"`
	Actions   []Action       `json:"a"`
	Resources []ResourceType `json:"r,omitempty"`
}

// File is a whole catalog.
type File struct {
	Source   string    `json:"source"`
	Version  string    `json:"version"`
	Date     string    `json:"date"`
	Services []Service `json:"services"`
	// Operations: service prefix → API operation → "prefix:Name" actions it
	// authorizes, as AWS's service reference publishes them.
	Operations map[string]map[string][]string `json:"operations,omitempty"`
}

// SplitTemplates splits an ARN field that lists several templates, as
// "arn:…/${ApiId}/stages/${StageName}, arn:…/${RestApiId}/stages/${StageName}",
// into its templates. AWS's reference pages, and so the iam-data package,
// write a resource type that two services sharing a prefix define
// differently that way.
func SplitTemplates(raw string) []string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	parts := strings.Split(raw, ", arn:")
	for i := 1; i < len(parts); i++ {
		parts[i] = "arn:" + parts[i]
	}
	return parts
}

// Templates returns every ARN template of r, ARN first, with any field that
// lists several split and duplicates dropped.
func (r ResourceType) Templates() []string {
	var out []string
	seen := map[string]bool{}
	for _, field := range append([]string{r.ARN}, r.More...) {
		for _, t := range SplitTemplates(field) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// WithTemplates returns r holding these templates: the first as ARN, the
// rest as More.
func (r ResourceType) WithTemplates(ts []string) ResourceType {
	r.ARN, r.More = "", nil
	if len(ts) > 0 {
		r.ARN = ts[0]
		r.More = append([]string(nil), ts[1:]...)
	}
	if len(r.More) == 0 {
		r.More = nil
	}
	return r
}

// MergeResourceType joins two definitions of one resource type: every
// template of either, a's first.
func MergeResourceType(a, b ResourceType) ResourceType {
	ts := a.Templates()
	seen := make(map[string]bool, len(ts))
	for _, t := range ts {
		seen[t] = true
	}
	for _, t := range b.Templates() {
		if !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
	}
	if a.Name == "" {
		a.Name = b.Name
	}
	return a.WithTemplates(ts)
}

// MergeAction joins two descriptions of one action, as two services sharing
// a prefix give them (elasticloadbalancing:AddTags tags a classic load
// balancer in one and a target group or listener in the other). IAM
// authorizes the action against whatever resource the request names, so the
// action can be scoped to any type either lists; a type is required only if
// both require it, since a request to the other service need not name it.
// Access levels that differ are joined, "Tagging, Write" style.
func MergeAction(a, b Action) Action {
	out := Action{Name: a.Name, Level: mergeLevels(a.Level, b.Level)}
	if out.Name == "" {
		out.Name = b.Name
	}
	inA := refsByName(a.Resources)
	inB := refsByName(b.Resources)
	// A repeat within one description keeps the first and is required if
	// either is. The index keeps this linear: a hostile file can repeat an
	// action with many types.
	index := make(map[string]int, len(a.Resources)+len(b.Resources))
	add := func(r ResourceRef) {
		k := strings.ToLower(r.Name)
		if i, ok := index[k]; ok {
			out.Resources[i].Required = out.Resources[i].Required || r.Required
			return
		}
		index[k] = len(out.Resources)
		out.Resources = append(out.Resources, r)
	}
	for _, r := range a.Resources {
		q, ok := inB[strings.ToLower(r.Name)]
		add(ResourceRef{Name: r.Name, Required: r.Required && ok && q})
	}
	for _, r := range b.Resources {
		if _, ok := inA[strings.ToLower(r.Name)]; !ok {
			add(ResourceRef{Name: r.Name})
		}
	}
	return out
}

// Normalize returns s with entries that share a name (case-insensitively)
// merged, and actions and resource types sorted by name.
func Normalize(s Service) Service {
	return MergeService(s, Service{Prefix: s.Prefix})
}

// MergeService joins two descriptions of one prefix: every action and
// resource type of either, merged by name as MergeAction and
// MergeResourceType say, sorted by name. a's name wins if it has one.
func MergeService(a, b Service) Service {
	out := Service{Prefix: a.Prefix, Name: a.Name}
	if out.Prefix == "" {
		out.Prefix = b.Prefix
	}
	if out.Name == "" {
		out.Name = b.Name
	}
	actions := map[string]int{}
	for _, x := range append(append([]Action(nil), a.Actions...), b.Actions...) {
		k := strings.ToLower(x.Name)
		if i, ok := actions[k]; ok {
			out.Actions[i] = MergeAction(out.Actions[i], x)
			continue
		}
		actions[k] = len(out.Actions)
		out.Actions = append(out.Actions, MergeAction(x, x))
	}
	resources := map[string]int{}
	for _, x := range append(append([]ResourceType(nil), a.Resources...), b.Resources...) {
		k := strings.ToLower(x.Name)
		if i, ok := resources[k]; ok {
			out.Resources[i] = MergeResourceType(out.Resources[i], x)
			continue
		}
		resources[k] = len(out.Resources)
		out.Resources = append(out.Resources, x.WithTemplates(x.Templates()))
	}
	sort.SliceStable(out.Actions, func(i, j int) bool { return out.Actions[i].Name < out.Actions[j].Name })
	sort.SliceStable(out.Resources, func(i, j int) bool { return out.Resources[i].Name < out.Resources[j].Name })
	return out
}

// MergeOperation joins two lists of the "prefix:Name" actions an API
// operation authorizes, as two services sharing a prefix, or two files of
// one, may each give: a's, then those of b that a lacks. It appends to a.
func MergeOperation(a, b []string) []string {
	if len(a)*len(b) <= 256 { // the usual case: a few actions each
		for _, s := range b {
			if !slices.Contains(a, s) {
				a = append(a, s)
			}
		}
		return a
	}
	seen := make(map[string]bool, len(a)+len(b))
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			seen[s] = true
			a = append(a, s)
		}
	}
	return a
}

// mergeLevels joins two access levels part by part: "Write" and
// "Tagging, Write" give "Write, Tagging".
func mergeLevels(a, b string) string {
	var parts []string
	for _, l := range []string{a, b} {
		for _, p := range strings.Split(l, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(parts, p) {
				parts = append(parts, p)
			}
		}
	}
	return strings.Join(parts, ", ")
}

func refsByName(refs []ResourceRef) map[string]bool {
	m := make(map[string]bool, len(refs))
	for _, r := range refs {
		k := strings.ToLower(r.Name)
		// Listed twice in one description: required if either says so.
		m[k] = m[k] || r.Required
	}
	return m
}
