package rules

import (
	"slices"

	"github.com/tailor-iam/tailor/catalog"
)

// Request reads a decoded requestParameters or responseElements object by
// dotted path, keys matched without regard to case. Arrays met on the way
// are walked element by element; a segment "{}" yields the keys of the
// map it reaches, and "*" walks each of its values in key order.
type Request interface {
	// Strings returns the string values at path; numbers count, as
	// their decimal text.
	Strings(path string) []string
	// First returns the first string at path, or "".
	First(path string) string
	// Has reports whether path holds a non-empty string.
	Has(path string) bool
	// Objects returns the objects at path.
	Objects(path string) []Request
}

// Call is what a link reads of one successful event.
type Call struct {
	Partition, Region, Account string
	Request, Response          Request
}

// Side says which of an event's resources an action applies to, when the
// event needs actions on several.
type Side uint8

const (
	Main                   Side = iota // the resource the event acts on
	Source                             // the source of a copy
	Destination                        // the destination key of a re-encryption
	Objects                            // the objects a DeleteObjects deletes
	Layers                             // the layer versions a function is given
	AlarmInstance                      // the instance an alarm's EC2 action acts on
	TransactPut                        // a TransactWriteItems' items of one kind
	TransactUpdate                     //
	TransactDelete                     //
	TransactConditionCheck             //
	PartiQLSelect                      // the tables a PartiQL verb's statements touch
	PartiQLInsert                      //
	PartiQLUpdate                      //
	PartiQLDelete                      //
)

var sideNames = [...]string{"", "source", "destination", "objects", "layers", "alarm-instance",
	"put", "update", "delete", "conditionCheck", "partiql-select", "partiql-insert", "partiql-update", "partiql-delete"}

func (s Side) String() string {
	if int(s) < len(sideNames) {
		return sideNames[s]
	}
	return "side?"
}

// Act is one action an event needs, on one of its sides.
type Act struct {
	Action string // "prefix:Name"
	Side   Side
	// Template, when set, is the ARN template (catalog syntax) of the
	// action's resource in place of its resource types; Wildcard when the
	// resource is unknown.
	Template string
}

// Wildcard is the resource of an action whose ARN the event does not
// reveal.
const Wildcard = "*"

// Acts makes acts on the main side from action names.
func Acts(actions ...string) []Act {
	out := make([]Act, len(actions))
	for i, a := range actions {
		out[i] = Act{Action: a}
	}
	return out
}

// VarRule says where a template variable's value comes from in the
// request (or, for paths starting "response.", the response), and how to
// turn the raw value into the ARN segment. A raw value that is itself an
// ARN of the template's resource type is used whole, so it keeps its own
// account and region. The first path that yields a usable value wins.
type VarRule struct {
	Paths     []string
	Transform func(v string) (string, bool) // nil keeps v as is; an ARN result stands whole
	// Expand replaces Transform where one raw value stands for several
	// segments (an SES sender is its address's identity or its domain's).
	Expand func(v string) []string
	// Qualifier names a request field whose value, when present, is
	// appended as ":value" to a value that has none (Lambda's Qualifier).
	Qualifier string
	// IAMPath names the request field holding a new IAM entity's path,
	// which goes before its name; without one the entity is at "/".
	IAMPath string
	// Fallback is the value the service uses when the request names none
	// (the ECS "default" cluster, the Athena "primary" workgroup), or "*"
	// for an id the service makes (a new instance is "instance/*").
	Fallback string
	// FallbackEach applies Fallback to each list element that lacks the
	// field (a PutEvents entry without eventBusName).
	FallbackEach bool
	// FallbackNote, when set, is the generalization the fallback is: used
	// also when the request names a value the rule cannot use (a family
	// without a revision), and listed on stderr.
	FallbackNote string
	// When, if set, must hold for the variable to be known: the same
	// request fields fill different resource types depending on others.
	When func(req Request) bool
	// Generalized names the generalization the rule makes, for the stderr
	// report; "" when the value is exact.
	Generalized string
}

// CallerUser, as a VarRule path, reads the caller's own user ARN.
const CallerUser = "caller.user"

// SideRule describes a side of an event other than its main one. Vars say
// how to fill its resource; Actions are those that take the side when a
// denial names one of them alone.
type SideRule struct {
	Marker  []string // request fields present only in such events
	Vars    map[string]VarRule
	Actions []string
	// OrDirect lets resources[] stand in when the side's fields name
	// nothing: KMS lists both keys of a ReEncrypt there, and a destination
	// named by alias is otherwise unknown. resources[] does not say which
	// key is which, so the counterpart's own fields (the source key named
	// by id) take theirs out; when neither side is named, both sides get
	// both keys, reported as a generalization.
	OrDirect    bool
	Counterpart string // the action on the event's other side
}

// HeaderRule: when the request carries one of Headers, Action is needed on
// the same resource.
type HeaderRule struct {
	Headers []string
	Action  string
}

// TagRule is a create that needs the service's tagging action when the
// request carries tags.
type TagRule struct {
	Tagged string // the request field that holds the tags
	Action string // the tagging action
	// Kind, when set, is the resource type the call creates: the tagging
	// action is scoped to it alone, not to every resource the create
	// action names (a DB instance's subnet and parameter groups).
	Kind string
	// AnyNew marks a create whose action takes no resource (kms:CreateKey):
	// the tagging action is on any resource of Kind in the account.
	AnyNew bool
}

// AnyTag matches a tag list ([{"key": …}] or [{"tagKey": …}]) and a tag
// map ({"team": "checkout"}) alike, as long as it holds a tag.
const AnyTag = "tags.{}"

// Use is a request field that names another resource the call uses: when
// Field holds a value (one containing Contains, if set), Action on what
// Side reads, or on Template.
type Use struct {
	Field, Contains string
	Action          string
	Side            Side
	Template        string
}

// PassRule says which request fields carry a role a call passes, and
// which service receives it (the iam:PassedToService value).
type PassRule struct {
	Paths   []string
	Service string
	// Names accepts a bare role name (optionally with its path), as Glue
	// and EMR do; everywhere else the field must hold a role ARN.
	Names bool
	// Profile marks instance-profile fields: the event names the profile,
	// not its role, so the role is known only to be in the caller's account.
	Profile bool
}

// Unseen is a call that passes roles the event does not name: they are
// those of the resource the request's Field names, which the service's
// Link may know; else Note says so.
type Unseen struct {
	Note     string
	PassedTo string
	Field    string
}

// Link names the ids one call returns and others use: Athena's query
// execution ids, which GetQueryResults is authorized on through the
// workgroup the query ran in.
type Link struct {
	Kind string
	// Produce returns the ids a successful event returned and the
	// resource each belongs to; an id with several resources is
	// "id\x00resource".
	Produce func(event string, c Call) map[string]string
	// Consumers are the actions ("prefix:Name") that name an id, and the
	// request fields that hold it.
	Consumers map[string][]string
	// ID reads the id an Unseen field names; "" when it names none.
	ID func(ref string) string
}

// Resources are the ARNs collected for one action, which a Collect hook
// may adjust.
type Resources struct {
	Types   []*catalog.ResourceType // the action's resource types
	ARNs    map[string]string       // ARN → its resource type
	Request Request
	Named   []string // ARNs the event names outright
	Notes   []string // generalizations made
}

// Note records a generalization once.
func (r *Resources) Note(g string) {
	if g != "" && !slices.Contains(r.Notes, g) {
		r.Notes = append(r.Notes, g)
	}
}

// Drop forgets a generalization.
func (r *Resources) Drop(g string) {
	r.Notes = slices.DeleteFunc(r.Notes, func(n string) bool { return n == g })
}

// Takes reports whether the action takes a resource type.
func (r *Resources) Takes(typ string) bool {
	for _, rt := range r.Types {
		if rt.Name == typ {
			return true
		}
	}
	return false
}

// VarShape is what the value of a template variable may look like, where
// a service's names hold separators other names do not.
type VarShape int

const (
	// Qualified is a name with an optional ":QUALIFIER" (a Lambda
	// function's version or alias), which IAM matches as part of it.
	Qualified VarShape = iota + 1
	// Timestamp is a date and time such as 2024-05-01T08:15:30.123.
	Timestamp
	// FreeForm is any text, separators included.
	FreeForm
)

// ProfileRule says where a call shows the roles of instance profiles:
// request fields naming a profile and a role added to it, or response
// members holding profiles, each with its "arn" and its "roles" ARNs.
type ProfileRule struct {
	Profile, Role string
	Responses     []string
}
