package analyze

import (
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// Need is one IAM action an event needed. Side says which of the event's
// resources it applies to when an event needs several actions on
// different resources (rules.Main for the main one).
type Need struct {
	Action *catalog.Action
	Side   rules.Side
	// Template, when set, is the ARN template (catalog syntax) of the
	// need's resource, in place of the action's resource types: API
	// Gateway authorizes an HTTP verb on the request's path. Wildcard
	// means the path is unknown.
	Template string
	// ResourcesOf, when set, is the action whose resources this need
	// takes: a tag applied on create is on the resource the create makes.
	ResourcesOf *catalog.Action
	// mapped is set on needs mapping made from the event; a need without
	// it was named by a denial message (the analyzer builds those).
	mapped bool
}

// Outcome of mapping an event to actions.
type mapStatus int

const (
	mapped mapStatus = iota
	permissionlessCall
	unmapped
)

// servicePrefix turns an eventSource into an IAM service prefix.
func servicePrefix(eventSource string) string { return rules.Prefix(eventSource) }

// eventAction returns "prefix:Name" for an event, with only the version
// suffixes a service's rules strip (rules.Hooks.TrimEvent); a generic rule
// would break real actions such as rds:RestoreDBInstanceFromS3.
func eventAction(r *trail.Record) string {
	prefix := servicePrefix(r.EventSource)
	name := r.EventName
	if trim := rules.For(prefix).TrimEvent; trim != nil {
		name = trim(name)
	}
	return prefix + ":" + name
}

// mapActions returns the actions an API call needed. The unmapped name is
// returned for reports when the status is unmapped.
func mapActions(cat *catalog.Catalog, r *trail.Record, req params) ([]Need, mapStatus, string) {
	ev := eventAction(r)
	prefix, name, _ := strings.Cut(ev, ":")
	svc := rules.For(prefix)
	if svc.Permissionless[name] {
		return nil, permissionlessCall, ev
	}
	if svc.Reroute != nil && req != nil {
		if other := svc.Reroute(name, req); other != "" {
			prefix, ev, svc = other, other+":"+name, rules.For(other)
		}
	}
	if svc.Map != nil {
		acts, tried := svc.Map(cat, name, req)
		if acts == nil {
			return nil, unmapped, tried
		}
		needs, _ := needsOf(cat, acts)
		return needs, mapped, ""
	}
	acts := actsOf(svc, name, req)
	if acts == nil {
		acts = published(cat, prefix, name, ev)
	}
	if acts == nil {
		acts = svc.Renamed[name]
	}
	if acts == nil {
		acts = rules.Acts(ev)
	}
	if len(acts) == 1 && svc.SessionAction != "" && !cat.Exists(acts[0].Action) {
		// A data-plane call of a session the catalog has no action for.
		acts = []rules.Act{{Action: svc.SessionAction, Side: acts[0].Side}}
	}
	needs, missing := needsOf(cat, acts)
	if missing != "" {
		return nil, unmapped, missing
	}
	return append(needs, impliedNeeds(cat, ev, req, needs)...), mapped, ""
}

// actsOf returns the actions of an event that depend on its request: a
// versioned object call, or the service's own hook.
func actsOf(svc *rules.Service, name string, req params) []rules.Act {
	if v, ok := svc.Versioned[name]; ok && req.has("versionId") {
		return rules.Acts(v)
	}
	if svc.Actions != nil {
		return svc.Actions(name, req)
	}
	return nil
}

// needsOf looks acts up in the catalog; missing names the first it lacks.
func needsOf(cat *catalog.Catalog, acts []rules.Act) (needs []Need, missing string) {
	needs = make([]Need, 0, len(acts))
	for _, act := range acts {
		a, ok := cat.Action(act.Action)
		if !ok {
			return nil, act.Action
		}
		needs = append(needs, Need{Action: a, Side: act.Side, Template: act.Template, mapped: true})
	}
	return needs, ""
}

// published returns the actions AWS's service reference says an operation
// authorizes, where that overrides the hand-kept tables: request-dependent
// rules (actsOf) still come first, and the list is used only where the
// operation is not itself an action. AWS lists every action an operation
// may need (GetObject also lists GetObjectVersion, used only with a
// versionId), so an operation whose own name is an action keeps it alone;
// and where the hand table picks among the actions listed, its choice (and
// the resources it assigns each, such as DeleteObjects' bucket/*) stands.
func published(cat *catalog.Catalog, prefix, name, ev string) []rules.Act {
	listed, ok := cat.Operation(prefix, name)
	if !ok || len(listed) == 0 {
		return nil
	}
	var valid []string
	for _, a := range listed {
		if strings.EqualFold(a, ev) {
			return nil
		}
		if cat.Exists(a) {
			valid = append(valid, a)
		}
	}
	if len(valid) == 0 {
		return nil
	}
	if own := rules.For(prefix).Renamed[name]; len(own) > 0 {
		confirmed := true
		for _, act := range own {
			confirmed = confirmed && slices.ContainsFunc(valid, func(a string) bool { return strings.EqualFold(a, act.Action) })
		}
		if confirmed {
			return own
		}
	}
	return rules.Acts(valid...)
}
