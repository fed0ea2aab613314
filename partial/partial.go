package partial

import (
	"slices"
	"sort"
	"time"

	"github.com/tailor-iam/tailor/analyze"
)

// FormatVersion is the version of the file layout this package writes and
// the only one it reads.
const FormatVersion = 1

// Header describes where a partial came from.
type Header struct {
	Version     int    // FormatVersion
	Tailor      string // tailor's version
	CatalogDate string
	// MaxResources is the cap the facts were folded under (0: none); see
	// Compatible.
	MaxResources int
	// Generalize is the run's --generalize, canonical (GeneralizeText):
	// partials made with different ones do not merge.
	Generalize  string
	Since       time.Time // the run's --since; zero when none
	Until       time.Time // the run's --until; zero when none
	First, Last int64     // the events' time range (Unix seconds)
	Inputs      []Input   // sorted by name
}

// Input is a file the partial has read.
type Input struct {
	Name string
	Size int64 // -1 when unknown
}

// Shared is one cross-account call kept apart until the last merge: what
// analyzing its record alone gave.
type Shared struct {
	EventID   string
	Aggregate *analyze.Aggregate
}

// Aggregate is a partial aggregate: the facts of the calls no other part
// can hold a copy of, and the cross-account calls by their
// analyze.SharedKey.
type Aggregate struct {
	Header Header
	Main   *analyze.Aggregate
	Shared map[string]*Shared
}

// New returns an empty partial whose facts fold under maxResources (0:
// no cap).
func New(maxResources int) *Aggregate {
	main := analyze.NewAggregate()
	main.MaxResources = maxResources
	return &Aggregate{Header: Header{Version: FormatVersion, MaxResources: maxResources}, Main: main, Shared: map[string]*Shared{}}
}

// AddShared adds one cross-account call's aggregate under its key. When
// the key is already there, this is the call's other copy: one is kept
// (the least eventID, so that any order keeps the same) and the other is
// counted as a record and a duplicate, as a single run counts it.
func (p *Aggregate) AddShared(key string, s *Shared) {
	have, ok := p.Shared[key]
	if !ok {
		p.Shared[key] = s
		return
	}
	keep, drop := have, s
	if s.EventID < have.EventID {
		keep, drop = s, have
	}
	p.Shared[key] = keep
	p.Main.Counts.Records += drop.Aggregate.Counts.Records
	p.Main.Counts.Duplicates++
}

// Absorb adds o into p as Merge does, and may take o's contents rather
// than copy them: o must not be used afterwards. Into a new partial of the
// same cap, it takes o whole, so a run's first worker's facts are never
// held twice.
func (p *Aggregate) Absorb(o *Aggregate) {
	if p.empty() && p.Main.MaxResources == o.Main.MaxResources {
		p.Main, p.Shared = o.Main, o.Shared
		p.Header.merge(o.Header)
		*o = Aggregate{}
		return
	}
	p.Merge(o)
	*o = Aggregate{}
}

// empty reports whether nothing was added to p since New.
func (p *Aggregate) empty() bool {
	return len(p.Shared) == 0 && p.Main.Empty()
}

// Merge adds o into p. p's cap governs: merge into a partial whose cap is
// no larger than any o's (Compatible).
func (p *Aggregate) Merge(o *Aggregate) {
	p.Main.Merge(o.Main)
	for _, k := range sortedKeys(o.Shared) {
		p.AddShared(k, o.Shared[k])
	}
	p.Header.merge(o.Header)
}

func (h *Header) merge(o Header) {
	if h.Since.IsZero() || o.Since.IsZero() {
		h.Since = time.Time{}
	} else if o.Since.Before(h.Since) {
		h.Since = o.Since
	}
	if h.Until.IsZero() || o.Until.IsZero() {
		h.Until = time.Time{}
	} else if o.Until.After(h.Until) {
		h.Until = o.Until
	}
	if o.First != 0 && (h.First == 0 || o.First < h.First) {
		h.First = o.First
	}
	h.Last = max(h.Last, o.Last)
	if o.CatalogDate > h.CatalogDate {
		h.CatalogDate = o.CatalogDate
	}
	h.Inputs = append(h.Inputs, o.Inputs...)
	sortInputs(h.Inputs)
}

func sortInputs(in []Input) {
	sort.SliceStable(in, func(i, j int) bool { return in[i].Name < in[j].Name })
}

// Settle folds the cross-account calls into Main and returns it: call it
// after the last merge, before analyze.Aggregate.ResolveLinks. A call
// whose key seen already holds (the run's own records counted its other
// copy) is counted as a duplicate instead; seen may be nil.
func (p *Aggregate) Settle(seen *analyze.EventSet) *analyze.Aggregate {
	for _, k := range sortedKeys(p.Shared) {
		s := p.Shared[k]
		if seen != nil && !seen.Add(k) {
			p.Main.Counts.Records += s.Aggregate.Counts.Records
			p.Main.Counts.Duplicates++
			continue
		}
		p.Main.Merge(s.Aggregate)
	}
	clear(p.Shared)
	return p.Main
}

// Compatible reports whether a partial made under the cap made may be read
// by a run whose cap is run (0: none): the same folds follow when its
// groups never folded, or when run folds at least as much.
func Compatible(made, run int, folded bool) bool {
	return !folded || made == run || (run != 0 && made != 0 && run <= made)
}

// Folded reports whether any of the partial's groups folded.
func (p *Aggregate) Folded() bool {
	if len(p.Main.Folds()) > 0 {
		return true
	}
	for _, s := range p.Shared {
		if len(s.Aggregate.Folds()) > 0 {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
