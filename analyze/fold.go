package analyze

import (
	"fmt"
	"strings"
)

// DefaultMaxResources is the --max-resources default: how many distinct
// resources one principal's action keeps exactly before they fold.
const DefaultMaxResources = 1000

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
	n    int
	keep int // 0: exact
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
	if g.keep > 0 {
		k.Resource = foldResource(k.Resource, g.keep)
	}
	t := a.Facts[k]
	if t == nil {
		t = &Stat{}
		a.Facts[k] = t
		g.n++
	}
	t.merge(s)
	if a.MaxResources > 0 && g.n > a.MaxResources {
		a.fold(gk, g, 0)
	}
}

// fold lowers the number of path segments the group's resources keep, for
// all of them at once, until they fit the cap; with atMost > 0 it keeps no
// more than that. The depth reached depends only on the set of resources,
// never on the order they came in or how the input was split: the count of
// folded resources only grows with depth and with the set.
func (a *Aggregate) fold(gk groupKey, g *group, atMost int) {
	var keys []FactKey
	maxSegs := 0
	for k := range a.Facts {
		if groupOf(k) == gk {
			keys = append(keys, k)
			if n := segments(k.Resource); n > maxSegs {
				maxSegs = n
			}
		}
	}
	keep := maxSegs - 1
	if g.keep > 0 && g.keep < keep {
		keep = g.keep
	}
	if atMost > 0 && (atMost < keep || len(keys) == 0) {
		keep = atMost
	}
	for ; keep > 1; keep-- {
		distinct := map[string]bool{}
		for _, k := range keys {
			distinct[foldResource(k.Resource, keep)] = true
		}
		if a.MaxResources <= 0 || len(distinct) <= a.MaxResources {
			break
		}
	}
	if keep < 1 {
		return // nothing has a path to fold
	}
	folded := map[FactKey]*Stat{}
	for _, k := range keys {
		s := a.Facts[k]
		delete(a.Facts, k)
		k.Resource = foldResource(k.Resource, keep)
		t := folded[k]
		if t == nil {
			t = &Stat{}
			folded[k] = t
		}
		t.merge(s)
	}
	for k, s := range folded {
		a.Facts[k] = s
	}
	g.n = len(folded)
	g.keep = keep
}

// segments counts the "/"-separated segments of an ARN's resource part.
func segments(arn string) int {
	return strings.Count(resourcePart(arn), "/") + 1
}

func resourcePart(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	return parts[5]
}

// foldResource keeps the first keep segments of an ARN's resource part and
// replaces the rest with "*": arn:aws:s3:::bucket/a/b/c at keep 2 becomes
// arn:aws:s3:::bucket/a/*.
func foldResource(arn string, keep int) string {
	if arn == Wildcard {
		return arn
	}
	res := resourcePart(arn)
	head := arn[:len(arn)-len(res)]
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
		if gk.Principal == principal && g.keep > 0 {
			out = append(out, fmt.Sprintf("%s: more than %d resources; folded to %d path segments of each ARN (parent/*)", gk.Action, a.MaxResources, g.keep))
		}
	}
	return out
}
