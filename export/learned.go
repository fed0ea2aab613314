package export

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
)

// A row whose resource waits for an id (linked_id) and an iam:PassRole row
// that names an instance profile are scoped by what other calls of the
// trail returned: the id's workgroup, the profile's role. Those calls'
// rows do not say it, so the file's metadata does, as JSON, for a reader
// to learn it back: every link and profile role of the run, not only
// those the rows use, as a trail read with the file may need them.

// link is one id and the resources it belongs to, as keyLinks lists them.
type link struct {
	Kind    string   `json:"kind"`
	Account string   `json:"account"`
	Region  string   `json:"region"`
	ID      string   `json:"id"`
	Targets []string `json:"targets"`
}

// profile is one instance profile and its roles, as keyProfiles lists them.
type profile struct {
	Account string   `json:"account"`
	Name    string   `json:"name"`
	Roles   []string `json:"roles"`
}

// Learned is what an export's metadata says other calls showed: links and
// the roles of instance profiles, as the Aggregate keeps them.
type Learned struct {
	Links        map[analyze.LinkKey]map[string]bool
	ProfileRoles map[analyze.ProfileKey]map[string]bool
}

// AddTo adds what was learned to agg.
func (l Learned) AddTo(agg *analyze.Aggregate) {
	for k, targets := range l.Links {
		for t := range targets {
			agg.AddLink(k, t)
		}
	}
	for k, roles := range l.ProfileRoles {
		for r := range roles {
			agg.AddProfileRole(k, r)
		}
	}
}

// metadata returns the JSON of keyLinks and keyProfiles, sorted so that
// the same run gives the same bytes; "" for none.
func (l Learned) metadata() (links, profiles string, err error) {
	var ls []link
	for k, targets := range l.Links {
		ls = append(ls, link{k.Kind, k.Account, k.Region, k.ID, slices.Sorted(maps.Keys(targets))})
	}
	slices.SortFunc(ls, func(a, b link) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region), cmp.Compare(a.ID, b.ID))
	})
	var ps []profile
	for k, roles := range l.ProfileRoles {
		ps = append(ps, profile{k.Account, k.Name, slices.Sorted(maps.Keys(roles))})
	}
	slices.SortFunc(ps, func(a, b profile) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Name, b.Name))
	})
	if len(ls) > 0 {
		b, err := json.Marshal(ls)
		if err != nil {
			return "", "", err
		}
		links = string(b)
	}
	if len(ps) > 0 {
		b, err := json.Marshal(ps)
		if err != nil {
			return "", "", err
		}
		profiles = string(b)
	}
	return links, profiles, nil
}

// readLearned reads keyLinks and keyProfiles, absent from a version 1 file.
func readLearned(f *parquet.File) (Learned, error) {
	l := Learned{Links: map[analyze.LinkKey]map[string]bool{}, ProfileRoles: map[analyze.ProfileKey]map[string]bool{}}
	if s, ok := f.Lookup(keyLinks); ok && s != "" {
		var ls []link
		if err := json.Unmarshal([]byte(s), &ls); err != nil {
			return l, fmt.Errorf("export metadata %s: %w", keyLinks, err)
		}
		for _, x := range ls {
			k := analyze.LinkKey{Kind: x.Kind, Account: x.Account, Region: x.Region, ID: x.ID}
			if l.Links[k] == nil {
				l.Links[k] = map[string]bool{}
			}
			for _, t := range x.Targets {
				l.Links[k][t] = true
			}
		}
	}
	if s, ok := f.Lookup(keyProfiles); ok && s != "" {
		var ps []profile
		if err := json.Unmarshal([]byte(s), &ps); err != nil {
			return l, fmt.Errorf("export metadata %s: %w", keyProfiles, err)
		}
		for _, x := range ps {
			k := analyze.ProfileKey{Account: x.Account, Name: x.Name}
			if l.ProfileRoles[k] == nil {
				l.ProfileRoles[k] = map[string]bool{}
			}
			for _, r := range x.Roles {
				l.ProfileRoles[k][r] = true
			}
		}
	}
	return l, nil
}
