package rules

import (
	"slices"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// Every action the mapping tables name must exist in the catalog: an action
// that does not would be reported as unmapped for every such event.
func TestMappingTablesNameCatalogActions(t *testing.T) {
	cat := catalog.Embedded()
	check := func(t *testing.T, table, key, action string) {
		t.Helper()
		if !cat.Exists(action) {
			t.Errorf("%s[%q] names %q, which the catalog lacks", table, key, action)
		}
	}
	t.Run("renamed", func(t *testing.T) {
		for _, p := range Prefixes() {
			for ev, acts := range For(p).Renamed {
				if len(acts) == 0 {
					t.Errorf("%s Renamed[%q] is empty", p, ev)
				}
				for _, a := range acts {
					check(t, p+" Renamed", ev, a.Action)
				}
			}
		}
	})
	t.Run("versioned", func(t *testing.T) {
		for _, p := range Prefixes() {
			for ev, a := range For(p).Versioned {
				check(t, p+" Versioned", ev, a)
			}
		}
	})
	t.Run("sourcePrefix", func(t *testing.T) {
		for host, prefix := range sourcePrefix {
			if _, ok := cat.Service(prefix); !ok {
				t.Errorf("sourcePrefix[%q] = %q, which the catalog lacks", host, prefix)
			}
		}
	})
}

// TestUsedResources: each used-resource row names catalog actions and
// either a template or a side with rules; a row that takes its resources
// from the field itself (no Contains) has a side that reads it.
func TestUsedResources(t *testing.T) {
	cat := catalog.Embedded()
	for _, p := range Prefixes() {
		for name, uses := range For(p).Uses {
			ev := p + ":" + name
			if !cat.Exists(ev) {
				t.Errorf("%s is not a catalog action", ev)
			}
			for _, u := range uses {
				a, ok := cat.Action(u.Action)
				if !ok {
					t.Errorf("%s: %s is not a catalog action", ev, u.Action)
					continue
				}
				if u.Template != "" {
					if u.Side != Main {
						t.Errorf("%s: %s has both a side and a template", ev, u.Action)
					}
					continue
				}
				sr, ok := For(a.Service).Sides[u.Side]
				if !ok {
					t.Errorf("%s: no side rules %s %s", ev, a.Service, u.Side)
					continue
				}
				if u.Contains != "" {
					continue // the field says which action; the side reads elsewhere
				}
				reads := false
				for _, r := range sr.Vars {
					reads = reads || slices.Contains(r.Paths, u.Field)
				}
				if !reads {
					t.Errorf("%s: side %s reads no %q", ev, u.Side, u.Field)
				}
			}
		}
	}
}

// TestServices: each service is registered under its own prefix, which
// the catalog knows, and its tables' keys are event or action names, not
// "prefix:Name".
func TestServices(t *testing.T) {
	cat := catalog.Embedded()
	for _, p := range Prefixes() {
		s := For(p)
		if s.Prefix != p {
			t.Errorf("%s is registered as %q", p, s.Prefix)
		}
		if _, ok := cat.Service(p); !ok {
			t.Errorf("%s: the catalog has no such service", p)
		}
		for _, side := range []Side{Main} {
			if _, ok := s.Sides[side]; ok {
				t.Errorf("%s: the main side has no side rules", p)
			}
		}
		for name := range s.ActionVars {
			if !cat.Exists(p + ":" + name) {
				t.Errorf("%s ActionVars[%q]: not a catalog action", p, name)
			}
		}
	}
	if _, ok := services["no-such-service"]; ok || For("no-such-service").Vars != nil {
		t.Error("an unknown prefix has rules")
	}
}

func TestSideNames(t *testing.T) {
	seen := map[string]bool{}
	for s := Main; s <= PartiQLDelete; s++ {
		if n := s.String(); seen[n] || n == "side?" {
			t.Errorf("side %d is named %q", s, n)
		} else {
			seen[n] = true
		}
	}
}
