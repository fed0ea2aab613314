package partial

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tailor-iam/tailor/analyze"
)

// row is one row of a partial file; doc.go says which columns each kind
// uses.
type row struct {
	Kind   string `parquet:"kind,dict"`
	Shared string `parquet:"shared,dict"`

	Principal string `parquet:"principal,dict"`
	Action    string `parquet:"action,dict"`
	Resource  string `parquet:"resource"`
	Region    string `parquet:"region,dict"`
	PassedTo  string `parquet:"passed_to,dict"`
	Profile   string `parquet:"profile,dict"`
	Via       string `parquet:"via,dict"`
	Provider  string `parquet:"provider,dict"`

	DenialReason   string `parquet:"denial_reason,dict"`
	DenialExplicit bool   `parquet:"denial_explicit"`
	ErrorCode      string `parquet:"error_code,dict"`
	DenyingPolicy  string `parquet:"denying_policy,dict"`
	ThroughSCP     bool   `parquet:"through_scp"`

	Count       int64    `parquet:"count"`
	FirstSeen   int64    `parquet:"first_seen"`
	LastSeen    int64    `parquet:"last_seen"`
	Origins     []origin `parquet:"origins,list"`
	MoreOrigins bool     `parquet:"more_origins"`

	PrincipalKind string `parquet:"principal_kind,dict"`
	Account       string `parquet:"account,dict"`
	PrincipalID   string `parquet:"principal_id"`
	Denied        int64  `parquet:"denied"`
	Errors        int64  `parquet:"errors"`

	LinkKind    string `parquet:"link_kind,dict"`
	LinkAccount string `parquet:"link_account,dict"`
	LinkRegion  string `parquet:"link_region,dict"`
	LinkID      string `parquet:"link_id"`
	Target      string `parquet:"target"`

	Keep int32  `parquet:"keep"`
	Text string `parquet:"text"`
	Size int64  `parquet:"size"`
}

// origin is an analyze.Seen.
type origin struct {
	IP        string `parquet:"ip"`
	VPCE      string `parquet:"vpce"`
	Service   string `parquet:"service"`
	TLS       bool   `parquet:"tls"`
	MFA       string `parquet:"mfa"`
	FirstSeen int64  `parquet:"first_seen"`
	LastSeen  int64  `parquet:"last_seen"`
}

// The kinds, in the order rows are written.
const (
	kindInput       = "input"
	kindCount       = "count"
	kindFold        = "fold"
	kindFact        = "fact"
	kindPending     = "pending"
	kindPrincipal   = "principal"
	kindMessage     = "message"
	kindUnmapped    = "unmapped"
	kindUnmappedBy  = "unmapped_by"
	kindGeneralized = "generalized"
	kindWarning     = "warning"
	kindProfileRole = "profile_role"
	kindLink        = "link"
	kindShared      = "shared_event"
)

var kindRank = map[string]int{}

func init() {
	for i, k := range []string{kindShared, kindInput, kindCount, kindFold, kindFact, kindPending, kindPrincipal, kindMessage,
		kindUnmapped, kindUnmappedBy, kindGeneralized, kindWarning, kindProfileRole, kindLink} {
		kindRank[k] = i
	}
}

// The Counts fields, by the name a count row gives them.
func countFields(c *analyze.Counts) []struct {
	name string
	v    *int64
} {
	return []struct {
		name string
		v    *int64
	}{
		{"records", &c.Records}, {"out_of_range", &c.OutOfRange}, {"no_identity", &c.NoIdentity}, {"non_api", &c.NonAPI},
		{"service_calls", &c.ServiceCalls}, {"api_calls", &c.APICalls}, {"permissionless", &c.Permissionless},
		{"unmapped", &c.Unmapped}, {"denials", &c.Denials}, {"duplicates", &c.Duplicates},
	}
}

func withDenial(r row, d analyze.DenialKey) row {
	r.DenialReason, r.DenialExplicit, r.ErrorCode, r.DenyingPolicy, r.ThroughSCP = string(d.Reason), d.Explicit, d.Code, d.PolicyARN, d.ThroughSCP
	return r
}

func (r *row) denial() analyze.DenialKey {
	return analyze.DenialKey{Reason: analyze.Reason(r.DenialReason), Explicit: r.DenialExplicit, Code: r.ErrorCode, PolicyARN: r.DenyingPolicy, ThroughSCP: r.ThroughSCP}
}

func withFact(r row, k analyze.FactKey) row {
	r.Principal, r.Action, r.Resource, r.Region, r.PassedTo, r.Profile, r.Via, r.Provider = k.Principal, k.Action, k.Resource, k.Region, k.PassedTo, k.Profile, k.Via, k.Provider
	return withDenial(r, k.Denial)
}

func (r *row) fact() analyze.FactKey {
	return analyze.FactKey{Principal: r.Principal, Action: r.Action, Resource: r.Resource, Region: r.Region, PassedTo: r.PassedTo,
		Profile: r.Profile, Via: r.Via, Provider: r.Provider, Denial: r.denial()}
}

func withStat(r row, s *analyze.Stat) row {
	r.Count, r.FirstSeen, r.LastSeen, r.MoreOrigins = s.Count, s.First, s.Last, s.MoreOrigins
	for _, o := range s.Origins {
		r.Origins = append(r.Origins, origin{IP: o.IP, VPCE: o.VPCE, Service: o.Service, TLS: o.TLS, MFA: o.MFA, FirstSeen: o.First, LastSeen: o.Last})
	}
	return r
}

func (r *row) stat() analyze.Stat {
	s := analyze.Stat{Count: r.Count, First: r.FirstSeen, Last: r.LastSeen, MoreOrigins: r.MoreOrigins}
	for _, o := range r.Origins {
		s.Origins = append(s.Origins, analyze.Seen{Origin: analyze.Origin{IP: o.IP, VPCE: o.VPCE, Service: o.Service, TLS: o.TLS, MFA: o.MFA}, First: o.FirstSeen, Last: o.LastSeen})
	}
	return s
}

// rowsOf lists an aggregate's rows, each with the shared key given; its
// facts only when withFacts is set (Write streams the main aggregate's).
func rowsOf(a *analyze.Aggregate, shared string, withFacts bool) []row {
	base := row{Shared: shared}
	var out []row
	add := func(kind string, r row) {
		r.Kind = kind
		out = append(out, r)
	}
	for _, f := range countFields(&a.Counts) {
		// Records always: a partial of no input still has a row, so
		// that a file of none is known to be damaged.
		if *f.v != 0 || f.v == &a.Counts.Records {
			r := base
			r.Text, r.Count = f.name, *f.v
			add(kindCount, r)
		}
	}
	for _, f := range a.Folds() {
		r := withDenial(base, f.Denial)
		r.Principal, r.Action, r.Keep = f.Principal, f.Action, int32(f.Keep)
		add(kindFold, r)
	}
	if withFacts {
		for k, s := range a.Facts {
			add(kindFact, withStat(withFact(base, k), s))
		}
	}
	for k, s := range a.Pending {
		r := withStat(withFact(base, k.FactKey), s)
		r.LinkKind, r.LinkAccount, r.LinkRegion, r.LinkID = k.Link.Kind, k.Link.Account, k.Link.Region, k.Link.ID
		add(kindPending, r)
	}
	for _, p := range a.Principals {
		r := withStat(base, &p.Stat)
		r.Principal, r.PrincipalKind, r.Account, r.PrincipalID, r.Denied, r.Errors = p.ARN, p.Kind, p.Account, p.ID, p.Denied, p.Errors
		add(kindPrincipal, r)
	}
	for _, m := range a.Messages() {
		r := withDenial(base, m.Denial)
		r.Principal, r.Action, r.LastSeen, r.Text = m.Principal, m.Action, m.Time, m.Text
		add(kindMessage, r)
	}
	for ev, n := range a.Unmapped {
		r := base
		r.Text, r.Count = ev, n
		add(kindUnmapped, r)
	}
	for k, n := range a.UnmappedBy {
		r := base
		r.Principal, r.Text, r.DenialReason, r.Action, r.Count = k.Principal, k.Event, string(k.Denial), k.Action, n
		add(kindUnmappedBy, r)
	}
	for kind, m := range map[string]map[analyze.Generalization]int64{kindGeneralized: a.Generalized, kindWarning: a.Warnings} {
		for g, n := range m {
			r := base
			r.Principal, r.Action, r.Text, r.Count = g.Principal, g.Action, g.Note, n
			add(kind, r)
		}
	}
	for k, roles := range a.ProfileRoles {
		for role := range roles {
			r := base
			r.Account, r.Profile, r.Target = k.Account, k.Name, role
			add(kindProfileRole, r)
		}
	}
	for k, targets := range a.Links {
		for t := range targets {
			r := base
			r.LinkKind, r.LinkAccount, r.LinkRegion, r.LinkID, r.Target = k.Kind, k.Account, k.Region, k.ID, t
			add(kindLink, r)
		}
	}
	return out
}

// addRow restores one row into a. Folds must come before their facts
// (rows are written so).
func addRow(a *analyze.Aggregate, r *row) error {
	switch r.Kind {
	case kindCount:
		for _, f := range countFields(&a.Counts) {
			if f.name == r.Text {
				*f.v += r.Count
				return nil
			}
		}
		return fmt.Errorf("count row: unknown counter %q", r.Text)
	case kindFold:
		if r.Keep < 0 {
			return fmt.Errorf("fold row: keep %d", r.Keep)
		}
		a.AddFold(analyze.Fold{Principal: r.Principal, Action: r.Action, Denial: r.denial(), Keep: int(r.Keep)})
	case kindFact:
		a.AddFact(r.fact(), r.stat())
	case kindPending:
		k := analyze.PendingKey{FactKey: r.fact(), Link: analyze.LinkKey{Kind: r.LinkKind, Account: r.LinkAccount, Region: r.LinkRegion, ID: r.LinkID}}
		s := r.stat()
		if t := a.Pending[k]; t != nil {
			return fmt.Errorf("pending row: %s %s repeated", r.Principal, r.Action)
		}
		a.Pending[k] = &s
	case kindPrincipal:
		if a.Principals[r.Principal] != nil {
			return fmt.Errorf("principal row: %s repeated", r.Principal)
		}
		a.Principals[r.Principal] = &analyze.PrincipalInfo{
			Principal: analyze.Principal{ARN: r.Principal, Kind: r.PrincipalKind, Account: r.Account, ID: r.PrincipalID},
			Stat:      r.stat(), Denied: r.Denied, Errors: r.Errors,
		}
	case kindMessage:
		a.AddMessage(analyze.DeniedMessage{Principal: r.Principal, Action: r.Action, Denial: r.denial(), Message: analyze.Message{Time: r.LastSeen, Text: r.Text}})
	case kindUnmapped:
		a.Unmapped[r.Text] += r.Count
	case kindUnmappedBy:
		a.UnmappedBy[analyze.UnmappedKey{Principal: r.Principal, Event: r.Text, Denial: analyze.Reason(r.DenialReason), Action: r.Action}] += r.Count
	case kindGeneralized:
		a.Generalized[analyze.Generalization{Principal: r.Principal, Action: r.Action, Note: r.Text}] += r.Count
	case kindWarning:
		a.Warnings[analyze.Generalization{Principal: r.Principal, Action: r.Action, Note: r.Text}] += r.Count
	case kindProfileRole:
		k := analyze.ProfileKey{Account: r.Account, Name: r.Profile}
		if a.ProfileRoles[k] == nil {
			a.ProfileRoles[k] = map[string]bool{}
		}
		a.ProfileRoles[k][r.Target] = true
	case kindLink:
		k := analyze.LinkKey{Kind: r.LinkKind, Account: r.LinkAccount, Region: r.LinkRegion, ID: r.LinkID}
		if a.Links[k] == nil {
			a.Links[k] = map[string]bool{}
		}
		a.Links[k][r.Target] = true
	default:
		return fmt.Errorf("unknown row kind %q", r.Kind)
	}
	return nil
}

// compareRows orders rows as they are written: shared key, kind, then
// every column.
func compareRows(x, y *row) int {
	if c := cmp.Compare(x.Shared, y.Shared); c != 0 {
		return c
	}
	if c := cmp.Compare(kindRank[x.Kind], kindRank[y.Kind]); c != 0 {
		return c
	}
	for _, p := range [][2]string{
		{x.Principal, y.Principal}, {x.Action, y.Action}, {x.Resource, y.Resource}, {x.Region, y.Region}, {x.PassedTo, y.PassedTo},
		{x.Profile, y.Profile}, {x.Via, y.Via}, {x.Provider, y.Provider}, {x.DenialReason, y.DenialReason}, {x.ErrorCode, y.ErrorCode},
		{x.DenyingPolicy, y.DenyingPolicy}, {x.LinkKind, y.LinkKind}, {x.LinkAccount, y.LinkAccount}, {x.LinkRegion, y.LinkRegion},
		{x.LinkID, y.LinkID}, {x.Account, y.Account}, {x.Target, y.Target}, {x.Text, y.Text},
	} {
		if c := cmp.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	for _, p := range [][2]bool{{x.DenialExplicit, y.DenialExplicit}, {x.ThroughSCP, y.ThroughSCP}} {
		if p[0] != p[1] {
			if p[0] {
				return 1
			}
			return -1
		}
	}
	return cmp.Or(cmp.Compare(x.Keep, y.Keep), cmp.Compare(x.LastSeen, y.LastSeen), cmp.Compare(x.Size, y.Size))
}

// factItem is one fact of an aggregate, for writing its row later.
type factItem struct {
	k analyze.FactKey
	s *analyze.Stat
}

// sortedFacts lists a's facts in the order their rows sort in
// (compareRows: the key's strings, then Explicit and ThroughSCP); a
// fact's key is smaller than its row, and rows are made from it a few at
// a time.
func sortedFacts(a *analyze.Aggregate) []factItem {
	out := make([]factItem, 0, len(a.Facts))
	for k, s := range a.Facts {
		out = append(out, factItem{k, s})
	}
	slices.SortFunc(out, func(x, y factItem) int {
		a, b := &x.k, &y.k
		for _, p := range [...][2]string{
			{a.Principal, b.Principal}, {a.Action, b.Action}, {a.Resource, b.Resource}, {a.Region, b.Region}, {a.PassedTo, b.PassedTo},
			{a.Profile, b.Profile}, {a.Via, b.Via}, {a.Provider, b.Provider}, {string(a.Denial.Reason), string(b.Denial.Reason)},
			{a.Denial.Code, b.Denial.Code}, {a.Denial.PolicyARN, b.Denial.PolicyARN},
		} {
			if c := cmp.Compare(p[0], p[1]); c != 0 {
				return c
			}
		}
		for _, p := range [...][2]bool{{a.Denial.Explicit, b.Denial.Explicit}, {a.Denial.ThroughSCP, b.Denial.ThroughSCP}} {
			if p[0] != p[1] {
				if p[0] {
					return 1
				}
				return -1
			}
		}
		return 0
	})
	return out
}

func sortRows(rows []row) {
	slices.SortFunc(rows, func(x, y row) int { return compareRows(&x, &y) })
}
