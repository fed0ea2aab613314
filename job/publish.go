package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/report"
	"github.com/tailor-iam/tailor/synth"
)

// Summary is summary.json: what the published state holds.
type Summary struct {
	Generation  int64  `json:"generation"`
	Tailor      string `json:"tailorVersion"`
	CatalogDate string `json:"catalogDate"`
	// Partitions are the account/region/day partitions folded in.
	Partitions int      `json:"partitions"`
	Days       []string `json:"days"`
	Files      int      `json:"files"`
	Events     int64    `json:"events"`
	// FirstEvent and LastEvent bound the events' times (RFC 3339).
	FirstEvent string    `json:"firstEvent,omitempty"`
	LastEvent  string    `json:"lastEvent,omitempty"`
	Policies   int       `json:"policies"`
	Principals int       `json:"principals"`
	Denied     int       `json:"deniedEntries"`
	Failed     []Problem `json:"failedFiles"`
}

// Change is one principal's entry in changes.json.
type Change struct {
	Principal string   `json:"principal"`
	Added     []string `json:"addedActions"`
	Removed   []string `json:"removedActions"`
}

// publish writes the outputs of the checkpoint's generation: one policy per
// chosen role and user, the denied report, the summary and the changes
// since the last published generation. Every output is a function of the
// checkpoint, so writing them again gives the same bytes.
func publish(ctx context.Context, client S3, c *Config, cp *checkpoint, log *slog.Logger) error {
	keys := make([]string, 0, len(cp.Partitions))
	for _, k := range cp.Partitions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	objs := make([]pipeline.S3Object, len(keys))
	for i, k := range keys {
		objs[i] = pipeline.S3Object{Bucket: c.StateBucket, Key: k, Size: -1}
	}
	gen, err := pipeline.ParseGeneralize(c.Generalize)
	if err != nil {
		return fmt.Errorf("TAILOR_GENERALIZE: %w", err)
	}
	files := 0
	res, err := pipeline.Run(ctx, pipeline.Config{Objects: objs, Client: client, Generalize: gen, Workers: 2, Strict: true,
		Partial: func(a *partial.Aggregate) error { files = len(a.Header.Inputs); return nil }})
	if err != nil {
		return fmt.Errorf("merge the partials: %w", err)
	}
	days := map[string]bool{}
	for p := range cp.Partitions {
		days[p[strings.Index(p[13:], "/")+14:]] = true
	}
	sum := Summary{Generation: cp.Generation, Tailor: pipeline.Version(), CatalogDate: res.Catalog.Info().Date,
		Partitions: len(cp.Partitions), Days: sortedKeys(days), Files: files, Failed: []Problem{}}
	for _, p := range sortedKeys(cp.Failed) {
		sum.Failed = append(sum.Failed, cp.Failed[p]...)
	}
	return writeOutputs(ctx, client, c, res, cp.Generation, cp.Published, &sum, log)
}

// writeOutputs writes the outputs of an analyzed state, generation gen,
// with the changes against the published generation prev (0: none).
func writeOutputs(ctx context.Context, client S3, c *Config, res *pipeline.Result, gen, prev int64, sum *Summary, log *slog.Logger) error {
	agg, cat := res.Aggregate, res.Catalog
	sum.Events = agg.Counts.Records
	var first, last int64
	for _, p := range agg.Principals {
		if p.Stat.Count == 0 {
			continue
		}
		if first == 0 || (p.Stat.First != 0 && p.Stat.First < first) {
			first = p.Stat.First
		}
		last = max(last, p.Stat.Last)
	}
	sum.FirstEvent, sum.LastEvent = report.Time(first), report.Time(last)
	actions := map[string][]string{}
	for _, p := range agg.SortedPrincipals() {
		if !c.chosen(p.Principal) {
			continue
		}
		docs, ok, err := policyOf(cat, agg, p.ARN, c.Inline)
		if err != nil {
			return fmt.Errorf("policy of %s: %w", p.ARN, err)
		}
		if !ok {
			continue
		}
		actions[p.ARN] = actionsOf(docs)
		name := principalName(p.ARN)
		for _, f := range c.Formats {
			body, err := render(f, docs, p, name, c.Inline)
			if err != nil {
				return fmt.Errorf("policy of %s: %w", p.ARN, err)
			}
			key := c.OutputPrefix + "policies/" + p.Account + "/" + name + formatExt[f]
			if err := putObject(ctx, client, c.OutputBucket, key, contentType[f], body); err != nil {
				return err
			}
		}
		sum.Policies++
	}
	if err := c.fault("outputs"); err != nil {
		return err
	}
	var entries []report.DeniedEntry
	for _, p := range agg.SortedPrincipals() {
		for _, d := range synth.Denied(cat, agg, p.ARN) {
			entries = append(entries, report.Denied(d))
		}
	}
	if entries == nil {
		entries = []report.DeniedEntry{}
	}
	sum.Principals, sum.Denied = len(agg.Principals), len(entries)
	previous, err := c.loadActions(ctx, client, prev)
	if err != nil {
		return err
	}
	outputs := []struct {
		key string
		v   any
	}{
		{c.OutputPrefix + "denied.json", entries},
		{c.OutputPrefix + "changes.json", changes(previous, actions)},
		{c.OutputPrefix + "summary.json", sum},
	}
	for _, o := range outputs {
		body, err := report.JSON(o.v)
		if err != nil {
			return err
		}
		if err := putObject(ctx, client, c.OutputBucket, o.key, "application/json", body); err != nil {
			return err
		}
	}
	// What the next generation's changes are counted against.
	body, err := report.JSON(actions)
	if err != nil {
		return err
	}
	if err := putObject(ctx, client, c.StateBucket, c.actionsKey(gen), "application/json", body); err != nil {
		return err
	}
	log.Info("outputs written", "policies", sum.Policies, "denied", sum.Denied, "principals", sum.Principals, "events", sum.Events)
	return nil
}

var contentType = map[string]string{"json": "application/json", "terraform": "text/plain", "cloudformation": "application/yaml"}

// chosen reports whether a principal's policy is published: roles and
// users, all or those Principals names (by ARN, name, or a glob on its path
// and name).
func (c *Config) chosen(p analyze.Principal) bool {
	if p.Kind != analyze.KindRole && p.Kind != analyze.KindUser {
		return false
	}
	if len(c.Principals) == 0 {
		return true
	}
	_, res, _ := strings.Cut(p.ARN, ":role/")
	if res == "" {
		_, res, _ = strings.Cut(p.ARN, ":user/")
	}
	for _, want := range c.Principals {
		if want == "all" || want == p.ARN || want == principalName(p.ARN) {
			return true
		}
		if ok, _ := path.Match(want, res); ok {
			return true
		}
	}
	return false
}

// policyOf is the policy suggest writes for a principal with its default
// options; ok is false when it made no call that needs a permission.
func policyOf(cat *catalog.Catalog, agg *analyze.Aggregate, arn string, inline bool) ([]*policy.Document, bool, error) {
	facts, _ := learn.Generalize(cat, agg.FactsOf(arn))
	sg := synth.Suggest(cat, facts, synth.Options{ProfileRoles: agg.RolesOfProfile})
	if sg.Policy == nil {
		return nil, false, nil
	}
	fit, err := synth.Fit(sg.Policy, agg.Principals[arn].Kind, inline)
	if errors.Is(err, synth.ErrNoInline) {
		fit, err = synth.Fit(sg.Policy, agg.Principals[arn].Kind, false)
	}
	if err != nil {
		return nil, false, err
	}
	return fit.Docs, true, nil
}

func render(format string, docs []*policy.Document, p *analyze.PrincipalInfo, name string, inline bool) ([]byte, error) {
	fit := synth.Fitted{Docs: docs, Inline: inline, Holder: holderOf(p.Kind)}
	target := fit.Target(name, "Least-privilege policy for "+p.ARN+", from CloudTrail, written by tailor")
	switch format {
	case "terraform":
		return synth.RenderTerraform(docs, target)
	case "cloudformation":
		return synth.RenderCloudFormation(docs, target)
	}
	return synth.RenderJSON(docs)
}

func holderOf(kind string) string {
	if kind == analyze.KindUser {
		return "user"
	}
	return "role"
}

// principalName is a role's or user's name, the last segment of its ARN:
// unique in its account whatever its path.
func principalName(arn string) string { return arn[strings.LastIndexAny(arn, "/:")+1:] }

// actionsOf lists the actions the documents allow, sorted.
func actionsOf(docs []*policy.Document) []string {
	set := map[string]bool{}
	for _, d := range docs {
		for _, st := range d.Statement {
			for _, a := range st.Action {
				set[a] = true
			}
		}
	}
	return sortedKeys(set)
}

func (c *Config) actionsKey(gen int64) string {
	return c.StatePrefix + "actions/" + strconv.FormatInt(gen, 10) + ".json"
}

// loadActions reads the actions published at generation gen; none for 0.
func (c *Config) loadActions(ctx context.Context, client S3, gen int64) (map[string][]string, error) {
	if gen == 0 {
		return map[string][]string{}, nil
	}
	body, _, err := get(ctx, client, c.StateBucket, c.actionsKey(gen))
	if isNotFound(err) {
		return map[string][]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("actions of generation %d: %w", gen, err)
	}
	return out, nil
}

// changes lists the principals whose allowed actions differ, by ARN.
func changes(prev, now map[string][]string) []Change {
	all := map[string]bool{}
	for p := range prev {
		all[p] = true
	}
	for p := range now {
		all[p] = true
	}
	out := []Change{}
	for _, p := range sortedKeys(all) {
		added, removed := diff(prev[p], now[p]), diff(now[p], prev[p])
		if len(added)+len(removed) > 0 {
			out = append(out, Change{Principal: p, Added: added, Removed: removed})
		}
	}
	return out
}

// diff lists what b has and a does not, both sorted.
func diff(a, b []string) []string {
	out := []string{}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, x)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
