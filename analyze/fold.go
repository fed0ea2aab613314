package analyze

import (
	"fmt"
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// DefaultMaxResources is the --max-resources default: how many distinct
// resources one principal's action keeps exactly before they fold.
const DefaultMaxResources = 256

// groupKey is one principal's action, allowed or denied for one reason: the
// unit whose resources are capped.
type groupKey struct {
	Principal string
	Action    string
	Denial    DenialKey
}

// group tracks a groupKey's distinct resources and, once folded, how many
// path segments of a resource it keeps.
type group struct {
	n      int
	folded bool
	// keep is, once folded, the path segments each resource keeps; 0 is
	// the account's "*" of the resource's type (function:*, a queue's *),
	// for resources with no path to fold.
	keep int
	// members are the group's facts, so that a fold touches them alone:
	// it costs the group's size, not the aggregate's. Each holds only what
	// its key adds to the group's.
	members []member
}

// member is a fact's key without what its group's key already says: half
// the size of a FactKey, for every fact an aggregate holds.
type member struct {
	Resource, Region, PassedTo, Profile, Via, Provider string
}

func memberOf(k FactKey) member {
	return member{Resource: k.Resource, Region: k.Region, PassedTo: k.PassedTo, Profile: k.Profile, Via: k.Via, Provider: k.Provider}
}

func (gk groupKey) fact(m member) FactKey {
	return FactKey{Principal: gk.Principal, Action: gk.Action, Denial: gk.Denial, Resource: m.Resource, Region: m.Region,
		PassedTo: m.PassedTo, Profile: m.Profile, Via: m.Via, Provider: m.Provider}
}

func groupOf(k FactKey) groupKey {
	return groupKey{Principal: k.Principal, Action: k.Action, Denial: k.Denial}
}

// addStat adds s to the fact k, folding k's resource when its group is
// folded, and folding the group when it grows past the cap.
func (a *Aggregate) addStat(k FactKey, s *Stat) {
	gk := groupOf(k)
	g := a.groups[gk]
	if g == nil {
		g = &group{}
		a.groups[gk] = g
	}
	if g.folded {
		k.Resource = foldResource(k.Resource, g.keep)
	}
	t := a.Facts[k]
	if t == nil {
		t = &Stat{}
		a.Facts[k] = t
		g.n++
		g.members = append(g.members, memberOf(k))
	}
	t.merge(s)
	if a.MaxResources > 0 && g.n > a.MaxResources {
		a.fold(gk, g, -1)
	}
}

// fold lowers the number of path segments the group's resources keep, for
// all of them at once, until they fit the cap, down to the account's "*"
// of each type; with atMost >= 0 it keeps no more than that. The depth
// reached depends only on the set of resources, never on the order they
// came in or how the input was split: the count of folded resources only
// grows with depth and with the set.
func (a *Aggregate) fold(gk groupKey, g *group, atMost int) {
	keys := g.members
	maxSegs := 0
	for _, k := range keys {
		if n := segments(k.Resource); n > maxSegs {
			maxSegs = n
		}
	}
	keep := maxSegs - 1
	if g.folded && g.keep < keep {
		keep = g.keep
	}
	if atMost >= 0 && (atMost < keep || len(keys) == 0) {
		keep = atMost
	}
	for ; keep >= 1; keep-- {
		distinct := map[string]bool{}
		for _, k := range keys {
			distinct[foldResource(k.Resource, keep)] = true
		}
		if a.MaxResources <= 0 || len(distinct) <= a.MaxResources {
			break
		}
	}
	keep = max(keep, 0)
	folded := map[FactKey]*Stat{}
	var members []member
	for _, m := range keys {
		k := gk.fact(m)
		s := a.Facts[k]
		delete(a.Facts, k)
		k.Resource = foldResource(k.Resource, keep)
		t := folded[k]
		if t == nil {
			t = &Stat{}
			folded[k] = t
			members = append(members, memberOf(k))
		}
		t.merge(s)
	}
	for k, s := range folded {
		a.Facts[k] = s
	}
	g.n = len(folded)
	g.folded, g.keep = true, keep
	g.members = members
}

// Fold is the fold state of one principal's action: its resources keep
// Keep path segments (0: the account's "*" of each type). A serialized
// Aggregate carries it so that a merge folds as the single run would.
type Fold struct {
	Principal string
	Action    string
	Denial    DenialKey
	Keep      int
}

// Folds lists the folded groups, in no order.
func (a *Aggregate) Folds() []Fold {
	var out []Fold
	for gk, g := range a.groups {
		if g.folded {
			out = append(out, Fold{Principal: gk.Principal, Action: gk.Action, Denial: gk.Denial, Keep: g.keep})
		}
	}
	return out
}

// AddFold folds a group at least as far as f, as Merge does with the
// folds of the aggregate it adds. Restore folds before the facts they
// cover, so that the depth is f.Keep exactly.
func (a *Aggregate) AddFold(f Fold) {
	if f.Keep < 0 {
		f.Keep = 0
	}
	gk := groupKey{Principal: f.Principal, Action: f.Action, Denial: f.Denial}
	g := a.groups[gk]
	if g == nil {
		g = &group{}
		a.groups[gk] = g
	}
	if !g.folded || f.Keep < g.keep {
		a.fold(gk, g, f.Keep)
	}
}

// segments counts the "/"-separated segments of an ARN's resource part.
func segments(arn string) int {
	return strings.Count(resourcePart(arn), "/") + 1
}

// resourcePart is an ARN's resource part, or s whole when s is no ARN.
func resourcePart(s string) string {
	if a, ok := arn.Parse(s); ok {
		return a.Resource
	}
	return s
}

// foldResource keeps the first keep segments of an ARN's resource part and
// replaces the rest with "*": arn:aws:s3:::bucket/a/b/c at keep 2 becomes
// arn:aws:s3:::bucket/a/*. At keep 0 it is the account's "*" of the ARN's
// type: function:name becomes function:*, a queue's name *.
func foldResource(arn string, keep int) string {
	if arn == Wildcard {
		return arn
	}
	res := resourcePart(arn)
	head := arn[:len(arn)-len(res)]
	if keep == 0 {
		if i := strings.IndexAny(res, "/:"); i >= 0 {
			return head + res[:i+1] + "*"
		}
		return head + "*"
	}
	segs := strings.SplitN(res, "/", keep+1)
	if len(segs) <= keep {
		return arn
	}
	return head + strings.Join(segs[:keep], "/") + "/*"
}

// folds lists a principal's folded actions as generalization notes.
func (a *Aggregate) folds(principal string) []string {
	var out []string
	for gk, g := range a.groups {
		if gk.Principal != principal || !g.folded {
			continue
		}
		if g.keep == 0 {
			out = append(out, fmt.Sprintf("%s: more than %d resources; folded to the account's \"*\" of each resource type (no path to fold)", gk.Action, a.MaxResources))
			continue
		}
		out = append(out, fmt.Sprintf("%s: more than %d resources; folded to %d path segments of each ARN (parent/*)", gk.Action, a.MaxResources, g.keep))
	}
	return out
}
