package trail

// The fast path's view of a record: which members it reads, and into
// which fields of a Record and its parts.

import "strings"

// An object's members, read by stringMembers: the string members by name,
// each with its slot in the interner, and the names of the others it reads
// itself. Every name is matched exactly; a key that matches one only when
// case is ignored goes to the general decoder, as encoding/json would
// match it.
type shape struct {
	names  []string // the string members
	slots  []int    // their interner slots, noIntern for none
	nested []string // the members read by the caller's own code
	folded map[string]bool
}

func newShape(slot0 int, names []string, nested ...string) *shape {
	s := &shape{names: names, nested: nested, folded: map[string]bool{}}
	for i, n := range names {
		s.slots = append(s.slots, slot0+i)
		s.folded[strings.ToLower(n)] = true
	}
	for _, n := range nested {
		s.folded[strings.ToLower(n)] = true
	}
	return s
}

// The record's string members, in the order of their slots, and those of
// its parts.
const (
	fEventVersion = iota
	fEventTime
	fEventSource
	fEventName
	fEventType
	fEventCategory
	fEventID
	fSharedEventID
	fAWSRegion
	fSourceIP
	fUserAgent
	fErrorCode
	fErrorMessage
	fRecipient
	fVPCEndpoint
)

var (
	recordShape = newShape(0, []string{"eventVersion", "eventTime", "eventSource", "eventName", "eventType", "eventCategory",
		"eventID", "sharedEventID", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage",
		"recipientAccountId", "vpcEndpointId"}, "tlsDetails", "userIdentity", "resources", "requestParameters", "responseElements")
	identityShape = newShape(slotID, []string{"type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy",
		"identityStoreArn"}, "sessionContext")
	contextShape   = newShape(0, nil, "sessionIssuer", "attributes")
	issuerShape    = newShape(slotIss, []string{"type", "principalId", "arn", "accountId", "userName"})
	attributeShape = newShape(slotAttrs, []string{"mfaAuthenticated"})
	tlsShape       = newShape(slotTLS, []string{"tlsVersion"})
	resourceShape  = newShape(slotRes, []string{"ARN", "accountId", "type"})
)

func init() {
	// New in every record: not worth remembering.
	for _, n := range []int{fEventTime, fEventID, fSharedEventID} {
		recordShape.slots[n] = noIntern
	}
}

// foldsTo reports whether key, which matched no member exactly, matches
// one of keys when case is ignored.
func foldsTo(key []byte, keys map[string]bool) bool {
	var low [32]byte
	if len(key) > len(low) {
		return false // longer than every member's name
	}
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return keys[string(low[:len(key)])]
}

// stringMembers reads the object at i as sh says: its string members into
// dsts (by name's index), nested ones by calling nested with the index in
// sh.nested, and skips the rest. A member given twice gives up.
func (f *fast) stringMembers(sh *shape, dsts []*string, depth int, nested func(i int) error) error {
	var seen fieldSet
	return f.object(func(key []byte) error {
		for i, name := range sh.names {
			if string(key) == name {
				if !seen.first(uint(i)) {
					return giveUp
				}
				return f.str(dsts[i], sh.slots[i])
			}
		}
		for i, name := range sh.nested {
			if string(key) == name {
				if !seen.first(uint(len(sh.names) + i)) {
					return giveUp
				}
				return nested(i)
			}
		}
		if foldsTo(key, sh.folded) {
			return giveUp
		}
		return f.skip(depth)
	})
}

func (f *fast) record(r *Record) error {
	dsts := [...]*string{&r.EventVersion, &r.EventTime, &r.EventSource, &r.EventName, &r.EventType, &r.EventCategory,
		&r.EventID, &r.SharedEventID, &r.AWSRegion, &r.SourceIPAddress, &r.UserAgent, &r.ErrorCode, &r.ErrorMessage,
		&r.RecipientAccountID, &r.VPCEndpointID}
	return f.stringMembers(recordShape, dsts[:], 0, func(i int) error {
		switch i {
		case 0:
			return f.tls(&r.TLSDetails)
		case 1:
			return f.userIdentity(&r.UserIdentity)
		case 2:
			return f.resources(&r.Resources)
		case 3:
			return f.raw(&r.RequestParameters)
		}
		return f.raw(&r.ResponseElements)
	})
}

// part returns p, zeroed, for a record's part when the value is an
// object; nil for null, which leaves the record's pointer nil.
func part[T any](f *fast, p *T) (*T, error) {
	if f.b[f.i] == 'n' {
		return nil, f.null()
	}
	var zero T
	*p = zero
	return p, nil
}

func (f *fast) tls(dst **TLSDetails) error {
	t, err := part(f, &f.spare.tls)
	if t == nil {
		return err
	}
	*dst = t
	return f.stringMembers(tlsShape, []*string{&t.TLSVersion}, 1, nil)
}

func (f *fast) userIdentity(dst **UserIdentity) error {
	id, err := part(f, &f.spare.id)
	if id == nil {
		return err
	}
	*dst = id
	dsts := [...]*string{&id.Type, &id.PrincipalID, &id.ARN, &id.AccountID, &id.AccessKeyID, &id.UserName, &id.InvokedBy, &id.IdentityStore}
	return f.stringMembers(identityShape, dsts[:], 1, func(int) error { return f.sessionContext(&id.SessionContext) })
}

func (f *fast) sessionContext(dst **SessionContext) error {
	c, err := part(f, &f.spare.ctx)
	if c == nil {
		return err
	}
	*dst = c
	return f.stringMembers(contextShape, nil, 2, func(i int) error {
		if i == 0 {
			return f.issuer(&c.SessionIssuer)
		}
		return f.attributes(&c.Attributes)
	})
}

func (f *fast) issuer(dst **SessionIssuer) error {
	is, err := part(f, &f.spare.iss)
	if is == nil {
		return err
	}
	*dst = is
	dsts := [...]*string{&is.Type, &is.PrincipalID, &is.ARN, &is.AccountID, &is.UserName}
	return f.stringMembers(issuerShape, dsts[:], 3, nil)
}

func (f *fast) attributes(dst **SessionAttributes) error {
	a, err := part(f, &f.spare.attr)
	if a == nil {
		return err
	}
	*dst = a
	return f.stringMembers(attributeShape, []*string{&a.MFAAuthenticated}, 3, nil)
}

func (f *fast) resources(dst *[]Resource) error {
	if f.b[f.i] == 'n' {
		return f.null()
	}
	out := f.spare.res[:0]
	err := f.array(func() error {
		out = append(out, Resource{})
		res := &out[len(out)-1]
		if f.peek() == 'n' {
			return f.null() // a null element is a zero Resource
		}
		return f.stringMembers(resourceShape, []*string{&res.ARN, &res.AccountID, &res.Type}, 2, nil)
	})
	if out == nil {
		out = []Resource{}
	}
	f.spare.res = out
	*dst = out
	return err
}
