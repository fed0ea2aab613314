// The checks a catalog must pass before tailor uses it: validate for any
// catalog file (what every reader relies on, and names that are safe to put
// in a policy), Compare for one that is to replace the embedded catalog
// (an update, or the cache it wrote).

package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

// MinShare is the share of the embedded catalog's services and actions
// that a catalog replacing it must hold at least (Compare). An update can
// refuse a service list too short to pass before it downloads the files.
const MinShare = 0.9

const (
	// maxLostShare is the share of the embedded catalog's services, and of
	// the actions of the services both hold, that may be missing from a
	// catalog replacing it, each named in a warning.
	maxLostShare = 0.05
	// maxNamed is how many missing services or actions a message names.
	maxNamed = 20
	// maxTextLen bounds a service's display name or an access level; the
	// longest real name has 371 characters.
	maxTextLen = 1024
)

// validate checks what every reader of a catalog relies on: it has
// services and actions, but not more than the limits allow; every service
// has a prefix and every action a name, both as IAM spells them, so that
// nothing the catalog says can turn into a wildcard or break the syntax of
// a policy; every operation names its actions as "prefix:Name"; and every
// ARN template is one ARN.
func validate(f *file) error {
	if len(f.Services) == 0 {
		return errors.New("catalog has no services")
	}
	if len(f.Services) > limits.Services {
		return fmt.Errorf("catalog has %d services, more than the limit of %d", len(f.Services), limits.Services)
	}
	actions := 0
	for _, s := range f.Services {
		if s.Prefix == "" {
			return errors.New("catalog has a service without a prefix")
		}
		if !isPrefix(s.Prefix) {
			return fmt.Errorf("service prefix %s is not an IAM service prefix", limits.Quote(s.Prefix))
		}
		if !limits.IsText(s.Name, maxTextLen) && s.Name != "" {
			return fmt.Errorf("service %s has a name with control characters or over %d bytes", s.Prefix, maxTextLen)
		}
		for _, a := range s.Actions {
			if a.Name == "" {
				return fmt.Errorf("service %s has an action without a name", s.Prefix)
			}
			if !isActionName(a.Name) {
				return fmt.Errorf("service %s has an action named %s, not an IAM action name", s.Prefix, limits.Quote(a.Name))
			}
			if !limits.IsText(a.Level, maxTextLen) && a.Level != "" {
				return fmt.Errorf("action %s:%s has an access level with control characters or over %d bytes", s.Prefix, a.Name, maxTextLen)
			}
			if len(a.Resources) > limits.ActionResources {
				return fmt.Errorf("action %s:%s has %d resource types, more than the limit of %d", s.Prefix, a.Name, len(a.Resources), limits.ActionResources)
			}
			for _, r := range a.Resources {
				if !limits.IsText(r.Name, limits.NameLen) {
					return fmt.Errorf("action %s:%s names a resource type %s", s.Prefix, a.Name, limits.Quote(r.Name))
				}
			}
		}
		for _, r := range s.Resources {
			if !limits.IsText(r.Name, limits.NameLen) {
				return fmt.Errorf("service %s has a resource type named %s", s.Prefix, limits.Quote(r.Name))
			}
			ts := r.Templates()
			if len(ts) > limits.ARNFormats {
				return fmt.Errorf("resource type %s:%s has %d ARN templates, more than the limit of %d", s.Prefix, r.Name, len(ts), limits.ARNFormats)
			}
			for _, t := range ts {
				if !isARNTemplate(t) {
					return fmt.Errorf("resource type %s:%s has the ARN template %s, not one ARN", s.Prefix, r.Name, limits.Quote(t))
				}
			}
		}
		actions += len(s.Actions)
	}
	if actions == 0 {
		return errors.New("catalog has no actions")
	}
	if actions > limits.Actions {
		return fmt.Errorf("catalog has %d actions, more than the limit of %d", actions, limits.Actions)
	}
	operations := 0
	for svc, ops := range f.Operations {
		if !isPrefix(svc) {
			return fmt.Errorf("operations are listed for %s, not an IAM service prefix", limits.Quote(svc))
		}
		for op, names := range ops {
			if !limits.IsText(op, limits.NameLen) {
				return fmt.Errorf("service %s has an operation named %s", svc, limits.Quote(op))
			}
			if len(names) > limits.OperationActions {
				return fmt.Errorf("operation %s:%s authorizes %d actions, more than the limit of %d", svc, op, len(names), limits.OperationActions)
			}
			for _, n := range names {
				if p, a, ok := strings.Cut(n, ":"); !ok || !isPrefix(p) || !isActionName(a) {
					return fmt.Errorf("operation %s:%s authorizes %s, not a prefix:Name action", svc, op, limits.Quote(n))
				}
			}
			operations += 1 + len(names)
		}
	}
	if operations > limits.Entries {
		return fmt.Errorf("catalog lists %d operations and actions they authorize, more than the limit of %d", operations, limits.Entries)
	}
	return nil
}

// isPrefix reports whether s is spelled as IAM spells a service prefix:
// lower-case letters, digits and hyphens.
func isPrefix(s string) bool {
	if s == "" || len(s) > limits.NameLen || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isActionName reports whether s can be an IAM action name: letters,
// digits, and '-', '_' or '.', never the wildcards '*' and '?', a ':' or
// anything a policy's syntax gives a meaning.
func isActionName(s string) bool {
	if s == "" || len(s) > limits.NameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isARNTemplate reports whether s is one ARN template: "arn:" and then no
// white space or control characters.
func isARNTemplate(s string) bool {
	if !strings.HasPrefix(s, "arn:") || len(s) > limits.ARNLen || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
}

// Compare checks c, a catalog that is to replace base (the embedded
// catalog, for an update or the cache it wrote), and returns what the user
// should be warned of. The rule:
//
//   - c holds at least MinShare (90%) of base's services and of its
//     actions, counted as Info counts them;
//   - at most maxLostShare (5%) of base's services are missing from c, and
//     at most 5% of the actions of the services both hold. AWS retires a
//     few, and its service reference and the documentation pages base is
//     built from do not always agree: each one missing is named in a
//     warning, and the lookups that needed it report it unmapped.
//
// More missing means a broken or hostile source, not AWS's data: an error
// names the first of them, and the caller keeps what it had.
func Compare(base, c *Catalog) (warnings []string, err error) {
	bi, ci := base.Info(), c.Info()
	if need := int(float64(bi.Services) * MinShare); ci.Services < need {
		return nil, fmt.Errorf("it holds %d services, fewer than %d (%.0f%% of the embedded catalog's %d)", ci.Services, need, MinShare*100, bi.Services)
	}
	if need := int(float64(bi.Actions) * MinShare); ci.Actions < need {
		return nil, fmt.Errorf("it holds %d actions, fewer than %d (%.0f%% of the embedded catalog's %d)", ci.Actions, need, MinShare*100, bi.Actions)
	}
	var lostServices, lostActions []string
	kept := 0 // actions of the services both hold
	for k, bs := range base.services {
		s, ok := c.services[k]
		if !ok {
			lostServices = append(lostServices, bs.Prefix)
			continue
		}
		kept += len(bs.actions)
		for name, a := range bs.actions {
			if _, ok := s.actions[name]; !ok {
				lostActions = append(lostActions, a.Full())
			}
		}
	}
	sort.Strings(lostServices)
	sort.Strings(lostActions)
	if max := int(float64(bi.Services) * maxLostShare); len(lostServices) > max {
		return nil, fmt.Errorf("it lacks %d of the embedded catalog's %d services, more than %d: %s", len(lostServices), bi.Services, max, names(lostServices))
	}
	if max := int(float64(kept) * maxLostShare); len(lostActions) > max {
		return nil, fmt.Errorf("it lacks %d of the %d actions the embedded catalog has for its services, more than %d: %s", len(lostActions), kept, max, names(lostActions))
	}
	if len(lostServices) > 0 {
		warnings = append(warnings, fmt.Sprintf("the new catalog lacks %s of the embedded catalog; calls to them will be reported unmapped: %s",
			count(len(lostServices), "service", "services"), names(lostServices)))
	}
	if len(lostActions) > 0 {
		warnings = append(warnings, fmt.Sprintf("the new catalog lacks %s of the embedded catalog; calls that need them will be reported unmapped: %s",
			count(len(lostActions), "action", "actions"), names(lostActions)))
	}
	return warnings, nil
}

// count says "1 service" or "2 services".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// names lists the first maxNamed of a sorted list, and how many more.
func names(list []string) string {
	if len(list) <= maxNamed {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:maxNamed], ", "), len(list)-maxNamed)
}
