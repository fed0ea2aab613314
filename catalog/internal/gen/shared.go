// The actions iam-data loses where services share a prefix.

package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tailor-iam/tailor/catalog/internal/catalogfile"
)

// sharedJSON lists, for each prefix that AWS's service authorization
// reference documents as several services, the entries iam-data drops: an
// action that two of those services both define keeps only one service's
// resource types there (elasticloadbalancing:AddTags only the classic load
// balancer, none of V2's target groups and listeners). Each entry is copied
// from the page of the service it names, and only actions that the other
// service also defines need to be listed.
//
//go:embed shared_prefixes.json
var sharedJSON []byte

// sharedPrefix is one prefix documented as several services.
type sharedPrefix struct {
	Prefix   string          `json:"prefix"`
	Services []string        `json:"services"` // every service's name, for the catalog's Name
	Entries  []sharedEntries `json:"entries"`
}

// sharedEntries are one service's descriptions of the actions it shares.
type sharedEntries struct {
	Service string      `json:"service"`
	Source  string      `json:"source"` // the reference page they come from
	Actions []srcAction `json:"actions"`
}

func embeddedShared() ([]sharedPrefix, error) {
	var shared []sharedPrefix
	if err := json.Unmarshal(sharedJSON, &shared); err != nil {
		return nil, fmt.Errorf("decode shared_prefixes.json: %w", err)
	}
	return shared, nil
}

// applyShared merges each listed entry into the package's service for its
// prefix. The entries only add what iam-data dropped, so each must name an
// action and resource types that the package has for that prefix: anything
// else is a typo, or a sign that the pinned package changed, and fails the
// generation rather than putting a guess into the catalog.
func applyShared(services map[string]catalogfile.Service, shared []sharedPrefix) error {
	for _, sp := range shared {
		s, ok := services[sp.Prefix]
		if !ok {
			return fmt.Errorf("shared_prefixes.json: prefix %q is not in the package", sp.Prefix)
		}
		actions := map[string]bool{}
		for _, a := range s.Actions {
			actions[strings.ToLower(a.Name)] = true
		}
		types := map[string]bool{}
		for _, r := range s.Resources {
			types[strings.ToLower(r.Name)] = true
		}
		add := catalogfile.Service{Prefix: sp.Prefix}
		for _, e := range sp.Entries {
			for _, a := range e.Actions {
				if !actions[strings.ToLower(a.Name)] {
					return fmt.Errorf("shared_prefixes.json: %s (%s): action %s:%s is not in the package", sp.Prefix, e.Service, sp.Prefix, a.Name)
				}
				for _, r := range a.ResourceTypes {
					if !types[strings.ToLower(r.Name)] {
						return fmt.Errorf("shared_prefixes.json: %s (%s): %s:%s names resource type %q, which the package lacks", sp.Prefix, e.Service, sp.Prefix, a.Name, r.Name)
					}
				}
				add.Actions = append(add.Actions, fromSrc(a))
			}
		}
		s = catalogfile.MergeService(s, add)
		if len(sp.Services) > 0 {
			s.Name = strings.Join(sp.Services, " / ")
		}
		services[sp.Prefix] = s
	}
	return nil
}
