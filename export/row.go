package export

import (
	"cmp"
	"strings"

	"github.com/tailor-iam/tailor/analyze"
)

// Version is the export format's version, written as the key-value
// metadata KeyVersion. A change to the columns or their meaning is a new
// version. Version 2 added the columns after linked_id, which version 1
// files lack, and the metadata keyLinks and keyProfiles: what reading an
// export as a source needs to give the facts the trail gave.
const Version = 2

// Keys of the file's key-value metadata.
const (
	KeyVersion     = "tailor.export.version"
	keyOrder       = "tailor.export.order"
	keyPrincipal   = "tailor.export.principal"
	keyTailor      = "tailor.version"
	keyCatalogDate = "tailor.catalog.date"
	// keyLinks and keyProfiles hold, as JSON, the ids calls returned and
	// the roles of instance profiles the trail showed (see learned.go).
	keyLinks    = "tailor.export.links"
	keyProfiles = "tailor.export.profiles"
)

// Outcomes of a row.
const (
	Allowed = "allowed" // the action was allowed (the call may have failed on another of its actions)
	Denied  = "denied"  // the action was denied: denial_reason says by what
	Failed  = "error"   // the call failed with an error that is not a denial
)

// Row is one row of an export: one action on one resource that one event
// needed. Empty strings and a zero time are written as nulls.
type Row struct {
	Principal     string `parquet:"principal,dict"`
	PrincipalKind string `parquet:"principal_kind,dict"`
	Account       string `parquet:"account,optional,dict"`
	Region        string `parquet:"region,optional,dict"`
	EventTime     int64  `parquet:"event_time,optional,timestamp(millisecond)"` // Unix milliseconds, UTC
	EventSource   string `parquet:"event_source,dict"`
	EventName     string `parquet:"event_name,dict"`
	Action        string `parquet:"action,dict"`
	Resource      string `parquet:"resource,dict"`
	Outcome       string `parquet:"outcome,dict"`
	ErrorCode     string `parquet:"error_code,optional,dict"`
	DenialReason  string `parquet:"denial_reason,optional,dict"`
	DenyingPolicy string `parquet:"denying_policy_arn,optional,dict"`
	SourceIP      string `parquet:"source_ip,optional,dict"`
	VPCEndpoint   string `parquet:"vpc_endpoint,optional,dict"`
	UserAgent     string `parquet:"user_agent,optional,dict"`
	EventID       string `parquet:"event_id,optional"`
	SharedEventID string `parquet:"shared_event_id,optional"`
	// LinkedID is the id a call named instead of its resource (an Athena
	// query execution id): Resource is then "*", the resource that id
	// belongs to being known only once the whole trail is read.
	LinkedID string `parquet:"linked_id,optional"`

	// Version 2: what the fact and its origin need besides, to be read
	// back as the trail gave them. A version 1 file reads them as nulls.
	PrincipalAccount string `parquet:"principal_account,optional,dict"`
	PrincipalID      string `parquet:"principal_id,optional,dict"`
	PassedTo         string `parquet:"passed_to_service,optional,dict"` // iam:PassRole's iam:PassedToService
	Profile          string `parquet:"instance_profile,optional,dict"`  // the instance profile iam:PassRole passed
	Via              string `parquet:"via_action,optional,dict"`        // the refused action whose fix needs this row's
	Provider         string `parquet:"identity_provider,optional,dict"`
	DenialExplicit   bool   `parquet:"denial_explicit"`
	DenialThroughSCP bool   `parquet:"denial_through_scp"`
	// CallingService is the AWS service that made the call for the
	// principal (userIdentity.invokedBy, or a service's sourceIPAddress).
	CallingService string `parquet:"calling_service,optional,dict"`
	TLS            bool   `parquet:"tls"`
	MFA            string `parquet:"mfa_authenticated,optional,dict"` // "true", "false", or null: no session
	// ErrorMessage is a denied row's errorMessage; null on other rows.
	ErrorMessage  string `parquet:"error_message,optional"`
	LinkedKind    string `parquet:"linked_kind,optional,dict"`
	LinkedAccount string `parquet:"linked_account,optional,dict"`
}

// order names the columns in the order rows are sorted by, for the
// metadata: compare's order.
var order = strings.Join([]string{
	"event_time", "event_id", "principal", "principal_kind", "account", "region",
	"event_source", "event_name", "error_code", "source_ip", "vpc_endpoint", "user_agent", "shared_event_id",
	"principal_account", "principal_id", "calling_service", "tls", "mfa_authenticated",
	"action", "resource", "outcome", "denial_reason", "denying_policy_arn", "linked_id",
	"passed_to_service", "instance_profile", "via_action", "identity_provider", "error_message", "denial_explicit", "denial_through_scp",
	"linked_kind", "linked_account",
}, ",")

// compare orders rows by every column: the event's first (time, id, then
// the rest of what the record says), then the fact's. Rows of one event
// are thus adjacent, and equal rows are identical.
func (r *Row) compare(o *Row) int {
	if c := cmp.Compare(r.EventTime, o.EventTime); c != 0 {
		return c
	}
	if c := r.compareEvent(o); c != 0 {
		return c
	}
	for _, p := range [...][2]string{
		{r.Action, o.Action}, {r.Resource, o.Resource}, {r.Outcome, o.Outcome},
		{r.DenialReason, o.DenialReason}, {r.DenyingPolicy, o.DenyingPolicy}, {r.LinkedID, o.LinkedID},
		{r.PassedTo, o.PassedTo}, {r.Profile, o.Profile}, {r.Via, o.Via}, {r.Provider, o.Provider},
		{r.ErrorMessage, o.ErrorMessage},
	} {
		if c := strings.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	if c := compareBool(r.DenialExplicit, o.DenialExplicit); c != 0 {
		return c
	}
	if c := compareBool(r.DenialThroughSCP, o.DenialThroughSCP); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(r.LinkedKind, o.LinkedKind), strings.Compare(r.LinkedAccount, o.LinkedAccount))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// compareEvent compares the columns, other than the time, that come from
// the record rather than the fact.
func (r *Row) compareEvent(o *Row) int {
	for _, p := range [...][2]string{
		{r.EventID, o.EventID}, {r.Principal, o.Principal}, {r.PrincipalKind, o.PrincipalKind},
		{r.Account, o.Account}, {r.Region, o.Region}, {r.EventSource, o.EventSource}, {r.EventName, o.EventName},
		{r.ErrorCode, o.ErrorCode}, {r.SourceIP, o.SourceIP}, {r.VPCEndpoint, o.VPCEndpoint},
		{r.UserAgent, o.UserAgent}, {r.SharedEventID, o.SharedEventID},
		{r.PrincipalAccount, o.PrincipalAccount}, {r.PrincipalID, o.PrincipalID}, {r.CallingService, o.CallingService},
	} {
		if c := strings.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	if c := compareBool(r.TLS, o.TLS); c != 0 {
		return c
	}
	return strings.Compare(r.MFA, o.MFA)
}

// sameEvent reports whether two rows came from one record (or from records
// that nothing tells apart).
func (r *Row) sameEvent(o *Row) bool {
	return r.EventTime == o.EventTime && r.compareEvent(o) == 0
}

// outcome is the fact's: denied when the fact is a denial, an error when
// the call failed otherwise, and allowed else, also for an action a denied
// call was allowed before another of its actions was refused.
func outcome(o *analyze.Observed) string {
	switch {
	case o.Fact.Denied():
		return Denied
	case o.Record.ErrorCode != "" && !analyze.IsDenial(o.Record.ErrorCode):
		return Failed
	}
	return Allowed
}
