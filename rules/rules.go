package rules

import (
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/catalog"

	"fmt"
	"sort"
)

// Service is everything tailor knows about one IAM service prefix. Tables
// are keyed by the event name (after TrimEvent) or the action name,
// without the prefix; every field is optional.
type Service struct {
	Prefix string

	// Mapping events to actions (mapping.go's doc in analyze says how
	// they combine).

	// Renamed are events whose actions differ from their name; several
	// actions are all needed.
	Renamed map[string][]Act
	// Versioned are object events that act on a version when the request
	// names a versionId: the action they then need.
	Versioned map[string]string
	// Permissionless are events that need no IAM permission.
	Permissionless map[string]bool
	// SessionAction authorizes every data-plane call of a session: an event
	// name the catalog lacks maps to it.
	SessionAction string

	// Resources: where each ARN template variable comes from.

	// Vars fill template variables by name, for the whole service. A
	// variable with no rule is read from the request field of its name in
	// lowerCamel case, unless NoFallback lists it.
	Vars map[string]VarRule
	// ActionVars override Vars for one action.
	ActionVars map[string]map[string]VarRule
	// TypeVars override Vars for one resource type, where two types share
	// a variable but not its source.
	TypeVars map[string]map[string]VarRule
	// NoFallback lists variables whose lowerCamel field would mislead.
	NoFallback map[string]bool
	// Alternatives are resource types an action lists as one of several
	// kinds its request may name: matched only to ARNs the event names.
	Alternatives map[string]bool
	// AccountFields name request fields holding the resource's account,
	// where it can differ from the caller's.
	AccountFields []string
	// Sides are the other resources of events that need actions on two
	// (the source of a copy): how to fill them.
	Sides map[Side]SideRule
	// ARNForms gives, per resource type, every form of an ARN a policy
	// must list.
	ARNForms map[string]func(arn string) []string
	// FixARN rewrites an ARN the event names into the form IAM matches;
	// note is set when the result is a generalization.
	FixARN func(arn string) (fixed, note string)
	// Unqualified gives the ARN IAM authorizes a qualified ARN on.
	Unqualified func(arn string) string
	// AllRequired are actions IAM checks against every resource type the
	// catalog marks required.
	AllRequired map[string]bool
	// RequiredAgain names, per action, a required type IAM checks again
	// though the event names one: UpdateAlias checks the key the alias
	// pointed to, which the request does not name.
	RequiredAgain map[string]string
	// Nested says which resource type stands in place of its parent's ARN
	// when the event gives both: a Query on an index needs the index.
	Nested map[string]string

	// Implied permissions and passed roles.

	// Headers: request headers that need another action on the same
	// resource.
	Headers map[string][]HeaderRule
	// TagOnCreate: creates that need the service's tagging action when the
	// request carries tags.
	TagOnCreate map[string]TagRule
	// Uses: request fields naming other resources the call uses, each
	// needing an action of its own.
	Uses map[string][]Use
	// PassRoles say which request fields carry a role the call passes.
	PassRoles map[string][]PassRule
	// Unseen are calls that pass roles the event does not name.
	Unseen map[string]Unseen
	// Link names ids this service's calls return and others use.
	Link *Link
	// Profiles are successful calls that show which roles an instance
	// profile holds, for the PassRole of calls that name only the profile.
	Profiles map[string]ProfileRule

	// EndingVars give the shape of template variables whose values may
	// hold a separator the default stops at, when they end a template. The
	// shapes of all services are looked up together by EndingVar.
	EndingVars map[string]VarShape

	// Hooks, for the few services that need code.
	Hooks
}

// Hooks are a service's code, each optional.
type Hooks struct {
	// TrimEvent strips an API-version suffix from an event name.
	TrimEvent func(event string) string
	// Reroute returns the prefix of another service an event of this one
	// is authorized in (S3's calls on an Outpost), or "".
	Reroute func(event string, req Request) string
	// Map maps an event to its actions in place of the tables, for a
	// service authorized on something else than its event names (API
	// Gateway's HTTP verbs). It returns the name tried when it maps none.
	Map func(cat *catalog.Catalog, event string, req Request) (acts []Act, tried string)
	// Actions returns the actions of an event that depend on its request,
	// or nil to use the tables.
	Actions func(event string, req Request) []Act
	// Implied returns further actions a request needs, on the main
	// action's resources unless an Act's Template says otherwise.
	Implied func(cat *catalog.Catalog, event string, req Request) []Act
	// Wrapper names the object a service logs an event's parameters in,
	// when it wraps them (EC2's newer APIs).
	Wrapper func(event string) string
	// Collect adjusts the resources collected for one action.
	Collect func(r *Resources)
	// KeyPrefix cuts the name in a resource ARN of this service to its
	// first keep "/" segments followed by "*", for a user who asked for
	// prefixes (S3 object keys); ok is false when it does not apply.
	KeyPrefix func(a arn.ARN, keep int) (out string, ok bool)
	// Revision turns a resource ARN naming one revision of something a
	// deployment replaces into every revision of it, with a note saying
	// what was collapsed; ok is false when it does not apply.
	Revision func(a arn.ARN) (out, note string, ok bool)
}

var (
	services   = map[string]*Service{}
	none       = &Service{}
	endingVars = map[string]VarShape{}
)

// register adds a service's rules; a prefix registered twice is a mistake
// caught at start-up.
func register(s *Service) {
	if _, dup := services[s.Prefix]; dup {
		panic(fmt.Sprintf("rules: service %q is registered twice", s.Prefix))
	}
	services[s.Prefix] = s
	for name, shape := range s.EndingVars {
		if old, dup := endingVars[name]; dup && old != shape {
			panic(fmt.Sprintf("rules: template variable %q has two shapes", name))
		}
		endingVars[name] = shape
	}
}

// EndingVar returns the shape a service gave a template variable that
// ends a template, if one did.
func EndingVar(name string) (VarShape, bool) {
	s, ok := endingVars[name]
	return s, ok
}

// For returns the rules of a service prefix: an empty Service when tailor
// knows nothing special of it. The result is shared; never change it.
func For(prefix string) *Service {
	if s, ok := services[prefix]; ok {
		return s
	}
	return none
}

// Prefixes lists the services with rules, sorted.
func Prefixes() []string {
	out := make([]string, 0, len(services))
	for p := range services {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
