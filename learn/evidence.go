package learn

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/analyze"
)

// group is one action's names that share a head and a template.
type group struct {
	action string
	shape  string // the names' head and template
	names  map[string]*nameStat
}

// nameStat is one name's use, summed over its facts (a name can be several
// facts: one per region it was called in, per origin of a PassRole).
type nameStat struct {
	name
	count       int64
	first, last int64
	facts       []int // indexes into the facts given
}

func (g *group) add(n name, s analyze.Stat, i int) {
	ns := g.names[n.arn]
	if ns == nil {
		ns = &nameStat{name: n, first: s.First, last: s.Last}
		g.names[n.arn] = ns
	}
	ns.count += s.Count
	if s.First != 0 && (ns.first == 0 || s.First < ns.first) {
		ns.first = s.First
	}
	if s.Last > ns.last {
		ns.last = s.Last
	}
	ns.facts = append(ns.facts, i)
}

func (g *group) sorted() []*nameStat {
	out := make([]*nameStat, 0, len(g.names))
	for _, ns := range g.names {
		out = append(out, ns)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].arn < out[j].arn })
	return out
}

// pattern is the longest stable prefix of the group's names, followed by
// "*": the names agree up to the first variable token that differs
// between them, or that is a number (a date or counter that is the same
// today, as the month is, and changes tomorrow). A variable token in the
// parent (the bucket, the state machine) may not differ, and a name whose
// template has one variable keeps at least one character of it, so that a
// pattern never covers a sibling (table/*).
func (g *group) pattern() (string, bool) {
	names := g.sorted()
	if len(names) < 2 {
		return "", false
	}
	first := names[0]
	for _, ns := range names[1:] {
		if len(ns.toks) != len(first.toks) {
			return "", false
		}
	}
	for i, t := range first.toks {
		if t.kind == literal {
			continue
		}
		same := true
		for _, ns := range names[1:] {
			if ns.toks[i].text != t.text || ns.toks[i].start != t.start {
				same = false
				break
			}
		}
		inParent := false
		for _, ns := range names {
			if ns.toks[i].start < ns.anchor {
				inParent = true
			}
		}
		switch {
		case same && (inParent || t.kind == id):
			continue // part of the parent, or an id every name shares
		case inParent:
			return "", false // the parent itself varies
		}
		// A name that is its template's only variable (a table, a job, a
		// bucket) is widened only after a separator, keeping three
		// characters at least, and never when the ARN names no account:
		// customers20261101 is no customers*, acme-data-2026 no acme-data-*
		// bucket of anyone's.
		if first.leafOnly && (first.global || t.start < first.anchor+3 || alnum(first.res[t.start-1])) {
			return "", false
		}
		return first.head + first.res[:t.start] + "*", true
	}
	return "", false
}

// suffix is the literal ending the group's names share after their last
// variable token (".zip", ".csv.metadata"), when it starts at a separator;
// "" otherwise.
func (g *group) suffix() string {
	names := g.sorted()
	toks := names[0].toks
	last := -1
	for i, t := range toks {
		if t.kind != literal {
			last = i
		}
	}
	if last < 0 || last == len(toks)-1 || alnum(toks[last+1].text[0]) {
		return ""
	}
	return names[0].res[toks[last+1].start:]
}

// perRun tells whether the trail shows the group's names as per-run: new
// names on at least two days and on at least half the days the names were
// used, with most names not used again a day later, or new names on every
// day but one (a set that grows, such as daily partitions read again).
func (g *group) perRun() bool {
	ev := g.evidence()
	if ev.undated > 0 || len(ev.newPerDay) < minNewDays {
		return false
	}
	// Two names are evidence only when each came new on a day of its own
	// and neither was used again: two deploys, each with its own artifact.
	if ev.names < minNames && !(ev.names == len(ev.newPerDay) && ev.reused == 0) {
		return false
	}
	growing := len(ev.newPerDay)*2 >= ev.days && ev.reused*2 <= ev.names
	daily := len(ev.newPerDay) >= ev.days-1
	return growing || daily
}

type evidence struct {
	names, reused, days, undated int
	newPerDay                    map[string]int
}

func (g *group) evidence() evidence {
	ev := evidence{newPerDay: map[string]int{}}
	active := map[string]bool{}
	for _, ns := range g.names {
		ev.names++
		if ns.first == 0 {
			ev.undated++
			continue
		}
		d := dayOf(ns.first)
		ev.newPerDay[d]++
		active[d] = true
		active[dayOf(ns.last)] = true
		if ns.last-ns.first >= day {
			ev.reused++
		}
	}
	ev.days = len(active)
	return ev
}

func dayOf(unix int64) string { return time.Unix(unix, 0).UTC().Format("2006-01-02") }

func (g *group) report(pattern string) Generalization {
	ev := g.evidence()
	kind := "names"
	if i := strings.Index(pattern, ":s3:::"); i >= 0 && strings.Contains(pattern[i:], "/") {
		kind = "keys"
	}
	under := strings.TrimSuffix(pattern, "*")
	if i := strings.Index(under, ":::"); i >= 0 {
		under = under[i+3:]
	}
	counts := make([]int, 0, len(ev.newPerDay))
	for _, n := range ev.newPerDay {
		counts = append(counts, n)
	}
	sort.Ints(counts)
	var news string
	switch {
	case counts[0] == counts[len(counts)-1]:
		news = fmt.Sprintf("%d new on each of %d days", counts[0], len(counts))
	default:
		news = fmt.Sprintf("new on %d of %d days (%d to %d a day)", len(counts), ev.days, counts[0], counts[len(counts)-1])
	}
	if len(counts) < ev.days && counts[0] == counts[len(counts)-1] {
		news += fmt.Sprintf(" of %d", ev.days)
	}
	reused := "none reused a day later"
	if ev.reused > 0 {
		reused = fmt.Sprintf("%d reused a day later", ev.reused)
	}
	return Generalization{
		Action: g.action, Pattern: pattern, Names: ev.names, Kind: kind, NewPerDay: ev.newPerDay, Days: ev.days, Reused: ev.reused,
		Evidence: fmt.Sprintf("%s: %d %s under %s, %s, %s → %s", g.action, ev.names, kind, under, news, reused, pattern),
	}
}
