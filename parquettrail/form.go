package parquettrail

import (
	"errors"
	"fmt"
	"strings"
)

// Form is a layout of CloudTrail events in Parquet that Read knows.
type Form int

const (
	// SecurityLake1 is an Amazon Security Lake CloudTrail table of source
	// version 1 (OCSF 1.0.0-rc.2): the principal's ARN is actor.user.uuid.
	SecurityLake1 Form = iota + 1
	// SecurityLake2 is a table of source version 2 (OCSF 1.1.0): the ARN
	// is actor.user.uid, the principalId actor.user.uid_alt.
	SecurityLake2
	// Athena is the Athena CloudTrail table written to Parquet by a CTAS
	// or an UNLOAD: CloudTrail's own names in lower case.
	Athena
)

func (f Form) String() string {
	switch f {
	case SecurityLake1:
		return "Security Lake CloudTrail table (OCSF 1.0.0-rc.2, source version 1)"
	case SecurityLake2:
		return "Security Lake CloudTrail table (OCSF 1.1.0, source version 2)"
	case Athena:
		return "Athena CloudTrail table"
	}
	return "unknown form"
}

// ErrUnknownForm is returned for a Parquet file whose columns are none of
// the forms.
var ErrUnknownForm = errors.New("no Security Lake OCSF columns (api.operation, api.service.name) and no Athena CloudTrail columns (eventsource, eventname)")

// detect tells the form from the columns. Security Lake's tables are
// OCSF: an api group with operation and service.name; version 1 names
// the principal's ARN actor.user.uuid and has no actor.user.uid_alt.
// Athena's table has CloudTrail's names, lower case, at the top.
func detect(c *columns) (Form, error) {
	switch {
	case c.has("api.operation") && c.has("api.service.name"):
		if c.has("actor.user.uuid") && !c.has("actor.user.uid_alt") {
			return SecurityLake1, nil
		}
		return SecurityLake2, nil
	case c.has("eventsource") && c.has("eventname"):
		return Athena, nil
	}
	return 0, fmt.Errorf("%w; its columns: %s", ErrUnknownForm, c.names(20))
}

// want is the kind of value a field takes, and the Parquet types it may
// come as.
type want uint8

const (
	wantString want = iota // BYTE_ARRAY
	wantFlag               // BOOLEAN, or a BYTE_ARRAY "true"/"false"
	wantInt                // INT32 or INT64
	wantTime               // INT64 (epoch milliseconds, or a TIMESTAMP), INT96, or a BYTE_ARRAY time
)

func (w want) String() string {
	switch w {
	case wantFlag:
		return "a boolean"
	case wantInt:
		return "an integer"
	case wantTime:
		return "a time"
	}
	return "a string"
}

// field is where one value of the record comes from: the first of paths
// the file has. A field marked list takes one value per element of a
// list or map; the others one per row.
type field struct {
	slot     slot
	paths    []string
	want     want
	list     bool
	required bool
}

// slot is where a row keeps a field's value until the record is built.
type slot int

const (
	sEventVersion slot = iota
	sEventTime
	sEventSource
	sEventName
	sEventType
	sEventCategory
	sEventID
	sSharedEventID
	sRegion
	sSourceIP
	sSourceDomain
	sUserAgent
	sErrorCode
	sErrorMessage
	sRecipient
	sPartitionAccount
	sVPCEndpoint
	sTLSVersion
	sTLSCipher
	sTLSHost
	sRequest
	sResponse
	sIDType
	sIDPrincipalID
	sIDARN
	sIDAccount
	sIDAccessKey
	sIDUserName
	sIDInvokedBy
	sIssuerType
	sIssuerPrincipalID
	sIssuerARN
	sIssuerAccount
	sIssuerUserName
	sMFA
	sClass
	// The list fields.
	sResourceARN
	sResourceAccount
	sResourceType
	sUnmappedKey
	sUnmappedValue
	numSlots
)

// fieldsOf is each form's fields.
func fieldsOf(f Form) []field {
	switch f {
	case SecurityLake1:
		return ocsfFields(1)
	case SecurityLake2:
		return ocsfFields(2)
	}
	return athenaFields
}

// ocsfFields are the OCSF columns CloudTrail's members map to. Sources:
// the OCSF project's CloudTrail mapping examples (github.com/ocsf/examples:
// the event dossiers for API Activity, Account Change and Authentication
// in OCSF 1.0.0-rc.2 and 1.1.0, mappings/markdown/AWS/v1.1.0/CloudTrail,
// and mappings/bloblang/AWS/CloudTrail/v1.0.0 and v1.1.0), which list eventSource →
// api.service.name, eventName → api.operation, userIdentity.arn →
// actor.user.uuid (1.0.0-rc.2) or actor.user.uid (1.1.0),
// userIdentity.principalId → actor.user.uid or actor.user.uid_alt,
// sessionIssuer.arn → actor.session.issuer, mfaAuthenticated →
// actor.session.mfa or actor.session.is_mfa, errorCode and errorMessage →
// api.response.error and .message, requestParameters and responseElements →
// api.request.data and api.response.data (1.1.0), resources[].ARN →
// resources[].uid, vpcEndpointId → src_endpoint.uid, sourceIPAddress →
// src_endpoint.ip or .domain, eventID → metadata.uid, eventType →
// metadata.event_code, eventCategory → metadata.product.feature.name,
// eventVersion → metadata.product.version, eventTime → time (epoch ms),
// and everything else → unmapped; and the Amazon Security Lake user
// guide's example queries for source versions 1 (actor.user.uuid,
// unmapped['responseElements'], unmapped['requestParameters']) and 2
// (actor.user.uid, api.response.data, api.request.data as JSON text,
// time in epoch ms).
func ocsfFields(version int) []field {
	arn, principalID := "actor.user.uid", "actor.user.uid_alt"
	if version == 1 {
		arn, principalID = "actor.user.uuid", "actor.user.uid"
	}
	return []field{
		{slot: sEventSource, paths: []string{"api.service.name"}, required: true},
		{slot: sEventName, paths: []string{"api.operation"}, required: true},
		{slot: sEventTime, paths: []string{"time", "time_dt"}, want: wantTime, required: true},
		{slot: sEventVersion, paths: []string{"metadata.product.version"}},
		{slot: sEventType, paths: []string{"metadata.event_code"}},
		{slot: sEventCategory, paths: []string{"metadata.product.feature.name"}},
		{slot: sEventID, paths: []string{"metadata.uid"}},
		{slot: sRegion, paths: []string{"cloud.region", "region"}},
		{slot: sSourceIP, paths: []string{"src_endpoint.ip"}},
		{slot: sSourceDomain, paths: []string{"src_endpoint.domain"}},
		{slot: sUserAgent, paths: []string{"http_request.user_agent"}},
		{slot: sErrorCode, paths: []string{"api.response.error"}},
		{slot: sErrorMessage, paths: []string{"api.response.message"}},
		{slot: sRecipient, paths: []string{"cloud.account.uid", "cloud.account_uid"}},
		{slot: sPartitionAccount, paths: []string{"accountid"}},
		{slot: sVPCEndpoint, paths: []string{"src_endpoint.uid"}},
		{slot: sRequest, paths: []string{"api.request.data"}},
		{slot: sResponse, paths: []string{"api.response.data"}},
		{slot: sIDType, paths: []string{"actor.user.type"}},
		{slot: sIDARN, paths: []string{arn}},
		{slot: sIDPrincipalID, paths: []string{principalID}},
		{slot: sIDAccount, paths: []string{"actor.user.account.uid", "actor.user.account_uid"}},
		{slot: sIDAccessKey, paths: []string{"actor.user.credential_uid"}},
		{slot: sIDUserName, paths: []string{"actor.user.name"}},
		{slot: sIDInvokedBy, paths: []string{"actor.invoked_by"}},
		{slot: sIssuerARN, paths: []string{"actor.session.issuer"}},
		{slot: sMFA, paths: []string{"actor.session.is_mfa", "actor.session.mfa"}, want: wantFlag},
		{slot: sClass, paths: []string{"class_uid"}, want: wantInt},
		{slot: sResourceARN, paths: []string{"resources.uid"}, list: true},
		{slot: sResourceAccount, paths: []string{"resources.account.uid", "resources.account_uid", "resources.owner.account.uid", "resources.owner.account_uid"}, list: true},
		{slot: sResourceType, paths: []string{"resources.type"}, list: true},
		{slot: sUnmappedKey, paths: []string{"unmapped.key"}, list: true},
		{slot: sUnmappedValue, paths: []string{"unmapped.value"}, list: true},
	}
}

// athenaFields are the columns of the CloudTrail table in Athena's user
// guide ("Create a table for CloudTrail logs in Athena using manual
// partitioning"): CloudTrail's member names in lower case, userIdentity
// and tlsDetails as structs, requestParameters and responseElements as
// JSON strings, resources as an array of struct(arn, accountid, type).
var athenaFields = []field{
	{slot: sEventSource, paths: []string{"eventsource"}, required: true},
	{slot: sEventName, paths: []string{"eventname"}, required: true},
	{slot: sEventTime, paths: []string{"eventtime"}, want: wantTime, required: true},
	{slot: sEventVersion, paths: []string{"eventversion"}},
	{slot: sEventType, paths: []string{"eventtype"}},
	{slot: sEventCategory, paths: []string{"eventcategory"}},
	{slot: sEventID, paths: []string{"eventid"}},
	{slot: sSharedEventID, paths: []string{"sharedeventid"}},
	{slot: sRegion, paths: []string{"awsregion"}},
	{slot: sSourceIP, paths: []string{"sourceipaddress"}},
	{slot: sUserAgent, paths: []string{"useragent"}},
	{slot: sErrorCode, paths: []string{"errorcode"}},
	{slot: sErrorMessage, paths: []string{"errormessage"}},
	{slot: sRecipient, paths: []string{"recipientaccountid"}},
	{slot: sVPCEndpoint, paths: []string{"vpcendpointid"}},
	{slot: sTLSVersion, paths: []string{"tlsdetails.tlsversion"}},
	{slot: sTLSCipher, paths: []string{"tlsdetails.ciphersuite"}},
	{slot: sTLSHost, paths: []string{"tlsdetails.clienthostheader", "tlsdetails.clientprovidedhostheader"}},
	{slot: sRequest, paths: []string{"requestparameters"}},
	{slot: sResponse, paths: []string{"responseelements"}},
	{slot: sIDType, paths: []string{"useridentity.type"}},
	{slot: sIDPrincipalID, paths: []string{"useridentity.principalid"}},
	{slot: sIDARN, paths: []string{"useridentity.arn"}},
	{slot: sIDAccount, paths: []string{"useridentity.accountid"}},
	{slot: sIDAccessKey, paths: []string{"useridentity.accesskeyid"}},
	{slot: sIDUserName, paths: []string{"useridentity.username"}},
	{slot: sIDInvokedBy, paths: []string{"useridentity.invokedby"}},
	{slot: sIssuerType, paths: []string{"useridentity.sessioncontext.sessionissuer.type"}},
	{slot: sIssuerPrincipalID, paths: []string{"useridentity.sessioncontext.sessionissuer.principalid"}},
	{slot: sIssuerARN, paths: []string{"useridentity.sessioncontext.sessionissuer.arn"}},
	{slot: sIssuerAccount, paths: []string{"useridentity.sessioncontext.sessionissuer.accountid"}},
	{slot: sIssuerUserName, paths: []string{"useridentity.sessioncontext.sessionissuer.username"}},
	{slot: sMFA, paths: []string{"useridentity.sessioncontext.attributes.mfaauthenticated"}, want: wantFlag},
	{slot: sResourceARN, paths: []string{"resources.arn"}, list: true},
	{slot: sResourceAccount, paths: []string{"resources.accountid"}, list: true},
	{slot: sResourceType, paths: []string{"resources.type"}, list: true},
}

// identityPaths are the columns one of which a form needs to name who
// acted: without any, no record has a principal.
func identityPaths(f Form) []string {
	if f == Athena {
		return []string{"useridentity.type", "useridentity.arn"}
	}
	return []string{"actor.user.type", "actor.user.uid", "actor.user.uuid"}
}

func pathList(paths []string) string { return strings.Join(paths, " or ") }
