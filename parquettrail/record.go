package parquettrail

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tailor-iam/tailor/trail"
)

// builder turns rows into records. It reuses one record and its parts:
// a handler does not keep the record it is given.
type builder struct {
	rec   trail.Record
	id    trail.UserIdentity
	sc    trail.SessionContext
	iss   trail.SessionIssuer
	attrs trail.SessionAttributes
	tls   trail.TLSDetails
	res   []trail.Resource
}

// ocsfClasses are the OCSF classes Security Lake puts CloudTrail events
// in: Account Change (3001), Authentication (3002), and API Activity,
// 3005 in OCSF 1.0.0-rc.2 and 6003 from 1.0.0 on. Its data-event tables
// (S3, Lambda) are API Activity too.
var ocsfClasses = map[string]bool{"3001": true, "3002": true, "3005": true, "6003": true}

func (b *builder) build(form Form, r *row) (*trail.Record, error) {
	ocsf := form != Athena
	if ocsf && r.set[sClass] && !ocsfClasses[r.val[sClass]] {
		return nil, fmt.Errorf("class_uid %s is not a class CloudTrail events are in (API Activity 6003 or 3005, Account Change 3001, Authentication 3002)", r.val[sClass])
	}
	var um unmapped
	if ocsf {
		um = unmapped{keys: r.list[sUnmappedKey], values: r.list[sUnmappedValue]}
	}
	b.rec = trail.Record{
		EventVersion:       r.val[sEventVersion],
		EventTime:          r.val[sEventTime],
		EventSource:        r.val[sEventSource],
		EventName:          r.val[sEventName],
		EventType:          first(r.val[sEventType], um.get("eventType")),
		EventCategory:      r.val[sEventCategory],
		EventID:            r.val[sEventID],
		SharedEventID:      first(r.val[sSharedEventID], um.get("sharedEventID")),
		AWSRegion:          r.val[sRegion],
		SourceIPAddress:    first(r.val[sSourceIP], r.val[sSourceDomain]),
		UserAgent:          r.val[sUserAgent],
		ErrorCode:          r.val[sErrorCode],
		ErrorMessage:       r.val[sErrorMessage],
		RecipientAccountID: first(r.val[sRecipient], um.get("recipientAccountId"), r.val[sPartitionAccount]),
		VPCEndpointID:      r.val[sVPCEndpoint],
		RequestParameters:  raw(first(r.val[sRequest], um.json("requestParameters"))),
		ResponseElements:   raw(first(r.val[sResponse], um.json("responseElements"))),
	}
	b.resources(r)
	b.tlsDetails(r, um)
	b.identity(r, um)
	return &b.rec, nil
}

func (b *builder) resources(r *row) {
	arns, accounts, types := r.list[sResourceARN], r.list[sResourceAccount], r.list[sResourceType]
	n := max(len(arns), len(accounts), len(types))
	if n == 0 {
		return
	}
	b.res = b.res[:0]
	for i := range n {
		b.res = append(b.res, trail.Resource{ARN: at(arns, i), AccountID: at(accounts, i), Type: at(types, i)})
	}
	b.rec.Resources = b.res
}

// tlsDetails: Athena's table has the struct; OCSF leaves tlsDetails
// unmapped.
func (b *builder) tlsDetails(r *row, um unmapped) {
	version := r.val[sTLSVersion]
	present := r.set[sTLSVersion] || r.set[sTLSCipher] || r.set[sTLSHost]
	if v, ok := um.lookup("tlsDetails.tlsVersion"); ok {
		version, present = v, true
	} else if doc := um.get("tlsDetails"); doc != "" {
		var t trail.TLSDetails
		_ = json.Unmarshal([]byte(doc), &t)
		version, present = t.TLSVersion, true
	} else if um.hasPrefix("tlsDetails.") {
		present = true
	}
	if present {
		b.tls = trail.TLSDetails{TLSVersion: version}
		b.rec.TLSDetails = &b.tls
	}
}

// identity rebuilds userIdentity. The Athena table has it whole. OCSF
// maps its type, ARN, principalId, account, access key, user name and
// invokedBy to actor.user and actor.invoked_by, and of the session only
// the issuer's ARN and whether MFA was used; the issuer's type, account,
// principalId and name come from unmapped when it has them, else its type
// and account from its ARN (a role, a user or root).
func (b *builder) identity(r *row, um unmapped) {
	has := func(slots ...slot) bool {
		for _, s := range slots {
			if r.set[s] {
				return true
			}
		}
		return false
	}
	if !has(sIDType, sIDPrincipalID, sIDARN, sIDAccount, sIDAccessKey, sIDUserName, sIDInvokedBy,
		sIssuerType, sIssuerPrincipalID, sIssuerARN, sIssuerAccount, sIssuerUserName, sMFA) {
		return // no userIdentity: the record is counted as such
	}
	b.id = trail.UserIdentity{
		Type:        r.val[sIDType],
		PrincipalID: r.val[sIDPrincipalID],
		ARN:         r.val[sIDARN],
		AccountID:   r.val[sIDAccount],
		AccessKeyID: r.val[sIDAccessKey],
		UserName:    r.val[sIDUserName],
		InvokedBy:   r.val[sIDInvokedBy],
	}
	b.rec.UserIdentity = &b.id
	const issuer = "userIdentity.sessionContext.sessionIssuer."
	b.iss = trail.SessionIssuer{
		Type:        first(r.val[sIssuerType], um.get(issuer+"type")),
		PrincipalID: first(r.val[sIssuerPrincipalID], um.get(issuer+"principalId")),
		ARN:         r.val[sIssuerARN],
		AccountID:   first(r.val[sIssuerAccount], um.get(issuer+"accountId")),
		UserName:    first(r.val[sIssuerUserName], um.get(issuer+"userName")),
	}
	if b.iss.ARN != "" {
		kind, account := issuerOf(b.iss.ARN)
		b.iss.Type = first(b.iss.Type, kind)
		b.iss.AccountID = first(b.iss.AccountID, account)
	}
	hasIssuer := b.iss != (trail.SessionIssuer{})
	if !hasIssuer && !r.set[sMFA] {
		return
	}
	b.sc = trail.SessionContext{}
	if hasIssuer {
		b.sc.SessionIssuer = &b.iss
	}
	if r.set[sMFA] {
		b.attrs = trail.SessionAttributes{MFAAuthenticated: r.val[sMFA]}
		b.sc.Attributes = &b.attrs
	}
	b.id.SessionContext = &b.sc
}

// issuerOf tells a session issuer's type and account from its ARN.
func issuerOf(arn string) (kind, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "", ""
	}
	account = parts[4]
	switch res := parts[5]; {
	case strings.HasPrefix(res, "role/"):
		kind = "Role"
	case strings.HasPrefix(res, "user/"):
		kind = "IAMUser"
	case res == "root":
		kind = "Root"
	}
	return kind, account
}

// unmapped is an OCSF row's unmapped map: what the mapping left out,
// under CloudTrail's names. A nested member is there whole as JSON
// ("requestParameters") or, flattened, under its dotted path
// ("tlsDetails.tlsVersion"); both are read.
type unmapped struct{ keys, values []string }

func (u unmapped) lookup(key string) (string, bool) {
	for i, k := range u.keys {
		if k == key {
			return at(u.values, i), true
		}
	}
	return "", false
}

func (u unmapped) get(key string) string {
	v, _ := u.lookup(key)
	return v
}

func (u unmapped) hasPrefix(prefix string) bool {
	for _, k := range u.keys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// json is the member key as JSON text: its entry, or the object its
// flattened entries (key.a, key.a.b) make, their values as strings (a
// flattened map keeps no types) unless one is a JSON object or array.
func (u unmapped) json(key string) string {
	if v, ok := u.lookup(key); ok {
		return v
	}
	prefix := key + "."
	root := map[string]any{}
	found := false
	for i, k := range u.keys {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || rest == "" {
			continue
		}
		found = true
		put(root, strings.Split(rest, "."), at(u.values, i))
	}
	if !found {
		return ""
	}
	out, err := json.Marshal(root) // sorts keys
	if err != nil {
		return ""
	}
	return string(out)
}

func put(m map[string]any, path []string, v string) {
	for _, name := range path[:len(path)-1] {
		next, ok := m[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[name] = next
		}
		m = next
	}
	var val any = v
	if t := strings.TrimSpace(v); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Valid([]byte(t)) {
		val = json.RawMessage(t)
	}
	m[path[len(path)-1]] = val
}

// raw is JSON text as the record's member; empty when there is none.
func raw(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}
