package analyze

import (
	"sort"
)

// FactKey identifies one fact: a principal used, or was denied, an action
// on a resource. Used facts have an empty Denial.
type FactKey struct {
	Principal string
	Action    string // "prefix:Name", as the catalog spells it
	Resource  string // an ARN, or Wildcard
	// Region is the record's awsRegion, the region the request went to
	// (aws:RequestedRegion), which an ARN may not carry.
	Region string
	// PassedTo is the service an iam:PassRole fact passed the role to (its
	// iam:PassedToService condition); "" for every other fact.
	PassedTo string
	// Profile names the instance profile an iam:PassRole fact passed when
	// the event did not name its role (Resource is then the account's
	// role/*); Aggregate.ProfileRoles may know the role.
	Profile string
	// Via is set on a fact of a denied call that the denial message did
	// not name: an inferred iam:PassRole, or the call's other actions (a
	// CopyObject refused its PutObject also reads the source). It names
	// the refused action, whose fix needs this fact too. "" elsewhere.
	Via string
	// Provider is the identity provider of a web identity or SAML caller's
	// call, as federatedID reads it from that call's record: the trust fix
	// of its denial names it.
	Provider string
	Denial   DenialKey
}

// DenialKey describes a denied fact; the zero value means allowed (used).
type DenialKey struct {
	Reason    Reason
	Explicit  bool   // an explicit Deny, not a missing Allow
	Code      string // the record's errorCode
	PolicyARN string
	// ThroughSCP marks a VPC endpoint policy's deny reached through a
	// service control policy: the SCP's owners must change it.
	ThroughSCP bool
}

// Denied reports whether the fact is a denial.
func (k FactKey) Denied() bool { return k.Denial.Reason != "" }

// Stat counts a fact's events and when it was first and last seen (Unix
// seconds; 0 when the records carried no time).
type Stat struct {
	Count int64
	First int64
	Last  int64
	// Origins are the distinct places the fact's requests came from (at
	// most MaxOrigins; MoreOrigins when there were more). Facts only.
	Origins     []Seen
	MoreOrigins bool
}

func (s *Stat) add(t int64, n int64) {
	if s.Count == 0 || (t != 0 && (s.First == 0 || t < s.First)) {
		s.First = t
	}
	if t > s.Last {
		s.Last = t
	}
	s.Count += n
}

func (s *Stat) merge(o *Stat) {
	if o.Count == 0 {
		return
	}
	if s.Count == 0 || (o.First != 0 && (s.First == 0 || o.First < s.First)) {
		s.First = o.First
	}
	if o.Last > s.Last {
		s.Last = o.Last
	}
	s.Count += o.Count
	s.mergeOrigins(o)
}

// PrincipalInfo summarizes one principal's events.
type PrincipalInfo struct {
	Principal
	Stat         // all events of the principal
	Denied int64 // denied API calls
	Errors int64 // other failed API calls
}

// Counts are the record-level counters of an analysis.
type Counts struct {
	Records        int64 // records seen
	OutOfRange     int64 // outside --since/--until, --account or --region
	NoIdentity     int64 // without a usable userIdentity
	NonAPI         int64 // not AwsApiCall (sign-ins, service events, …)
	ServiceCalls   int64 // made by an AWS service on its own account
	APICalls       int64 // API calls attributed to a principal
	Permissionless int64 // calls that need no permission
	Unmapped       int64 // calls that map to no action in the catalog
	Denials        int64 // denied calls
	// Duplicates are second copies of cross-account events, delivered to
	// both accounts' trails (Options.Shared).
	Duplicates int64
}

func (c *Counts) merge(o Counts) {
	c.Records += o.Records
	c.OutOfRange += o.OutOfRange
	c.NoIdentity += o.NoIdentity
	c.NonAPI += o.NonAPI
	c.ServiceCalls += o.ServiceCalls
	c.APICalls += o.APICalls
	c.Permissionless += o.Permissionless
	c.Unmapped += o.Unmapped
	c.Duplicates += o.Duplicates
	c.Denials += o.Denials
}

// Aggregate is the mergeable result of analysis: any split of the input,
// analyzed apart and merged, gives the same Aggregate.
type Aggregate struct {
	Principals map[string]*PrincipalInfo
	Facts      map[FactKey]*Stat
	Unmapped   map[string]int64 // "eventSource eventName (action tried)" → count
	// UnmappedBy are the same calls by principal and denial, so that
	// suggest and denied can say what they leave out.
	UnmappedBy  map[UnmappedKey]int64
	Generalized map[Generalization]int64
	// Warnings are what the facts cannot say (a permission a call needs
	// whose resource the event does not name), by principal and action.
	Warnings map[Generalization]int64
	// ProfileRoles are the roles of instance profiles, as IAM calls in the
	// trail show them: role ARNs, or a name's NAME and */NAME pair.
	ProfileRoles map[ProfileKey]map[string]bool
	// Links are the ids calls returned and the resources they belong to;
	// Pending the facts that wait for one (links.go).
	Links   map[LinkKey]map[string]bool
	Pending map[PendingKey]*Stat
	Counts  Counts
	// MaxResources caps the distinct resources of one principal's action;
	// past it they fold into parent/* (see fold.go). 0 means no cap.
	MaxResources int
	groups       map[groupKey]*group
	messages     map[groupKey]Message
}

// Empty reports whether nothing was added to a since NewAggregate.
func (a *Aggregate) Empty() bool {
	return len(a.Principals) == 0 && len(a.Facts) == 0 && len(a.Unmapped) == 0 && len(a.UnmappedBy) == 0 &&
		len(a.Generalized) == 0 && len(a.Warnings) == 0 && len(a.ProfileRoles) == 0 && len(a.Links) == 0 &&
		len(a.Pending) == 0 && a.Counts == (Counts{}) && len(a.groups) == 0 && len(a.messages) == 0
}

// Message is a sample errorMessage of a denied action: the latest one, so
// that any split and merge of the input keeps the same.
type Message struct {
	Time int64
	Text string
}

func (m Message) after(o Message) bool {
	return m.Time > o.Time || (m.Time == o.Time && m.Text > o.Text)
}

func (a *Aggregate) addMessage(k groupKey, t int64, text string) {
	m := Message{Time: t, Text: text}
	if old, ok := a.messages[k]; !ok || m.after(old) {
		a.messages[k] = m
	}
}

// MessageOf returns the latest errorMessage of a principal's denied action.
func (a *Aggregate) MessageOf(principal, action string, d DenialKey) (Message, bool) {
	m, ok := a.messages[groupKey{Principal: principal, Action: action, Denial: d}]
	return m, ok
}

// DeniedMessage is the sample errorMessage of one principal's denied
// action, as MessageOf returns it: what a serialized Aggregate carries.
type DeniedMessage struct {
	Principal string
	Action    string
	Denial    DenialKey
	Message
}

// Messages lists every denied action's sample message, in no order.
func (a *Aggregate) Messages() []DeniedMessage {
	out := make([]DeniedMessage, 0, len(a.messages))
	for k, m := range a.messages {
		out = append(out, DeniedMessage{Principal: k.Principal, Action: k.Action, Denial: k.Denial, Message: m})
	}
	return out
}

// AddMessage adds a sample message as Merge does: the latest one stays.
func (a *Aggregate) AddMessage(m DeniedMessage) {
	a.addMessage(groupKey{Principal: m.Principal, Action: m.Action, Denial: m.Denial}, m.Time, m.Text)
}

// AddFact adds s to the fact k as Merge does, folding k's resource when
// its group is folded and the group when it grows past MaxResources.
func (a *Aggregate) AddFact(k FactKey, s Stat) {
	a.addStat(k, &s)
}

// NewAggregate returns an empty aggregate.
func NewAggregate() *Aggregate {
	return &Aggregate{
		Principals:   map[string]*PrincipalInfo{},
		Facts:        map[FactKey]*Stat{},
		Unmapped:     map[string]int64{},
		UnmappedBy:   map[UnmappedKey]int64{},
		Generalized:  map[Generalization]int64{},
		Warnings:     map[Generalization]int64{},
		ProfileRoles: map[ProfileKey]map[string]bool{},
		Links:        map[LinkKey]map[string]bool{},
		Pending:      map[PendingKey]*Stat{},
		MaxResources: DefaultMaxResources,
		groups:       map[groupKey]*group{},
		messages:     map[groupKey]Message{},
	}
}

// Merge adds o into a.
func (a *Aggregate) Merge(o *Aggregate) {
	for k, p := range o.Principals {
		q, ok := a.Principals[k]
		if !ok {
			cp := *p
			a.Principals[k] = &cp
			continue
		}
		q.Stat.merge(&p.Stat)
		q.Denied += p.Denied
		q.Errors += p.Errors
		if p.ID != "" && (q.ID == "" || p.ID < q.ID) {
			q.ID = p.ID
		}
	}
	// A group folded in o folds here at least as far first, so the result
	// does not depend on how the input was split.
	for gk, og := range o.groups {
		if !og.folded {
			continue
		}
		g := a.groups[gk]
		if g == nil {
			g = &group{}
			a.groups[gk] = g
		}
		if !g.folded || og.keep < g.keep {
			a.fold(gk, g, og.keep)
		}
	}
	for k, s := range o.Facts {
		a.addStat(k, s)
	}
	for k, m := range o.messages {
		a.addMessage(k, m.Time, m.Text)
	}
	for k, n := range o.Unmapped {
		a.Unmapped[k] += n
	}
	for k, n := range o.UnmappedBy {
		a.UnmappedBy[k] += n
	}
	for k, n := range o.Generalized {
		a.Generalized[k] += n
	}
	for k, n := range o.Warnings {
		a.Warnings[k] += n
	}
	for k, roles := range o.ProfileRoles {
		for r := range roles {
			a.addProfileRole(k, r)
		}
	}
	for k, targets := range o.Links {
		for t := range targets {
			a.addLink(k, t)
		}
	}
	for k, s := range o.Pending {
		t := a.Pending[k]
		if t == nil {
			t = &Stat{}
			a.Pending[k] = t
		}
		t.merge(s)
	}
	a.Counts.merge(o.Counts)
}

// UnmappedKey is one principal's calls of an event that maps to no
// catalog action, allowed or denied for one reason.
type UnmappedKey struct {
	Principal string
	Event     string // "eventSource eventName (action tried)"
	Denial    Reason // the denial's reason; "" for calls not denied
	Action    string // the action a denial message names, if any
}

// UnmappedOf lists a principal's unmapped calls, sorted.
func (a *Aggregate) UnmappedOf(principal string) []UnmappedKey {
	var out []UnmappedKey
	for k := range a.UnmappedBy {
		if k.Principal == principal {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Event != y.Event {
			return x.Event < y.Event
		}
		if x.Denial != y.Denial {
			return x.Denial < y.Denial
		}
		return x.Action < y.Action
	})
	return out
}

// Generalization records that an action's resources were widened beyond
// the exact ARN an event named (a secret's random suffix), and why.
type Generalization struct {
	Principal string
	Action    string
	Note      string
}

// GeneralizationsOf lists a principal's generalizations as "action: note".
func (a *Aggregate) GeneralizationsOf(principal string) []string {
	var out []string
	for g := range a.Generalized {
		if g.Principal == principal {
			out = append(out, g.Action+": "+g.Note)
		}
	}
	out = append(out, a.folds(principal)...)
	sort.Strings(out)
	return out
}

// WarningsOf lists a principal's warnings as "note".
func (a *Aggregate) WarningsOf(principal string) []string {
	var out []string
	for w := range a.Warnings {
		if w.Principal == principal {
			out = append(out, w.Note)
		}
	}
	sort.Strings(out)
	return out
}

// Fact is a FactKey with its Stat, for sorted listings.
type Fact struct {
	FactKey
	Stat
}

// FactsOf returns a principal's facts sorted by action, resource, denial.
func (a *Aggregate) FactsOf(principal string) []Fact {
	var out []Fact
	for k, s := range a.Facts {
		if k.Principal == principal {
			out = append(out, Fact{k, *s})
		}
	}
	sortFacts(out)
	return out
}

func sortFacts(fs []Fact) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i].FactKey, fs[j].FactKey
		if a.Principal != b.Principal {
			return a.Principal < b.Principal
		}
		if a.Action != b.Action {
			return a.Action < b.Action
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.PassedTo != b.PassedTo {
			return a.PassedTo < b.PassedTo
		}
		if a.Via != b.Via {
			return a.Via < b.Via
		}
		if a.Profile != b.Profile {
			return a.Profile < b.Profile
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Denial.ThroughSCP != b.Denial.ThroughSCP {
			return !a.Denial.ThroughSCP
		}
		if a.Denial.Reason != b.Denial.Reason {
			return a.Denial.Reason < b.Denial.Reason
		}
		if a.Denial.Explicit != b.Denial.Explicit {
			return !a.Denial.Explicit
		}
		if a.Denial.Code != b.Denial.Code {
			return a.Denial.Code < b.Denial.Code
		}
		return a.Denial.PolicyARN < b.Denial.PolicyARN
	})
}

// SortedPrincipals lists the principals in ARN order.
func (a *Aggregate) SortedPrincipals() []*PrincipalInfo {
	out := make([]*PrincipalInfo, 0, len(a.Principals))
	for _, p := range a.Principals {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}
