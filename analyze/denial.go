package analyze

import (
	"regexp"
	"strings"
)

// Reason is why a call was denied: which kind of policy refused it.
type Reason string

// Grantable reports whether an identity-policy Allow could fix a denial
// of this reason that is not an explicit Deny.
func (r Reason) Grantable() bool { return r == ReasonIdentityPolicy || r == ReasonUnknown }

// Denial reasons, as `denied` reports them.
const (
	ReasonIdentityPolicy      Reason = "identity-policy"
	ReasonExplicitDenyIdent          = "explicit-deny-identity"
	ReasonSCP                        = "scp"
	ReasonRCP                        = "rcp"
	ReasonBoundary                   = "permissions-boundary"
	ReasonSessionPolicy              = "session-policy"
	ReasonResourcePolicy             = "resource-policy"
	ReasonVPCEndpointPolicy          = "vpc-endpoint-policy"
	ReasonRoleTrustPolicy            = "role-trust-policy"
	ReasonS3BlockPublicAccess        = "s3-block-public-access"
	// ReasonExplicitDenyUnknown is an explicit Deny whose message does not
	// say which policy holds it (the older "… with an explicit deny" form).
	ReasonExplicitDenyUnknown = "explicit-deny-unknown"
	// ReasonUnknown is a message that gives no reason at all: no "because"
	// clause and no explicit deny ("Access Denied", an encoded message).
	ReasonUnknown = "unknown"
)

// Denial is what an AccessDenied record says about why it was denied.
type Denial struct {
	Reason    Reason
	Explicit  bool
	Action    string // from the message, when it names one
	Resource  string // from the message, unquoted
	PolicyARN string // the denying policy, when the message names it
	// Encoded holds the token of an "Encoded authorization failure
	// message", which sts:DecodeAuthorizationMessage expands (EC2).
	Encoded string
	// AuthorizationID is the Access Troubleshooter id, when given.
	AuthorizationID string
	// Truncated reports a message CloudTrail cut at its length limit: what
	// follows the cut (a reason, a policy ARN) is lost.
	Truncated bool
	// ThroughSCP marks "a VPC endpoint policy transitively through a
	// service control policy".
	ThroughSCP bool
}

// MessageLimit is the length at which CloudTrail truncates errorMessage.
const MessageLimit = 1024

// Grantable reports whether adding an identity-policy Allow would fix the
// denial. Denials with no reason given count as grantable (PRODUCT.md); an
// explicit Deny never does, whatever policy holds it.
func (d Denial) Grantable() bool { return grantable(d.Reason, d.Explicit) }

// Grantable reports whether an identity-policy Allow would fix a denied
// fact: the one rule suggest, verify and diff share.
func (k DenialKey) Grantable() bool { return grantable(k.Reason, k.Explicit) }

func grantable(reason Reason, explicit bool) bool { return !explicit && reason.Grantable() }

// denialCodes are the errorCode values AWS uses for authorization failures.
// Cognito's NotAuthorizedException is absent on purpose: it means bad
// credentials, not a missing IAM permission.
var denialCodes = map[string]bool{
	"AccessDenied":                 true,
	"AccessDeniedException":        true,
	"UnauthorizedOperation":        true,
	"Client.UnauthorizedOperation": true,
	"UnauthorizedAccess":           true,
	"AuthorizationError":           true,
	"AuthorizationErrorException":  true,
	"Forbidden":                    true,
	"ForbiddenException":           true,
	"NotAuthorized":                true,
	"NotAuthorizedException":       false, // Cognito: bad credentials, not IAM
	"UnauthorizedException":        true,
}

// IsDenial reports whether an errorCode is an authorization failure.
func IsDenial(code string) bool { return denialCodes[code] }

var (
	reImplicit = regexp.MustCompile(`(?i)because no (identity-based|resource-based|permissions boundary|session|vpc endpoint|service control|resource control|role trust)( policy| policies)? allows?`)
	reExplicit = regexp.MustCompile(`(?i)explicit deny in (?:a|an|the) (identity-based policy|resource-based policy|permissions boundary|service control policy|resource control policy|vpc endpoint policy|sessions? policy|role trust policy)( transitively through a service control policy)?(?::\s*((?-i:arn:)[^\s"]+))?`)
	// reExplicitAny is an explicit deny the message does not place: the
	// older "… with an explicit deny" form, a policy type tailor does not
	// know, or a type cut off by CloudTrail's length limit. Its ARN, when
	// given, follows the policy type as in reExplicit.
	reExplicitAny = regexp.MustCompile(`(?i)explicit(?:ly)? den(?:y|ied)\b(?: in (?:a|an|the) [a-z -]+?:\s*((?-i:arn:)[^\s"]+))?`)
	rePerform     = regexp.MustCompile(`is not authorized to perform: ([A-Za-z0-9-]+):([A-Za-z0-9*]+)(?: on resource: (.*))?`)
	reExecute     = regexp.MustCompile(`is not allowed to execute \[([A-Za-z0-9-]+):([A-Za-z0-9*]+)\]`)
	reBPA         = regexp.MustCompile(`(?i)prevented by the Block\w+ setting in S3 Block Public Access`)
	reEncoded     = regexp.MustCompile(`Encoded authorization failure message: ([A-Za-z0-9_\-]+)`)
	reAuthID      = regexp.MustCompile(`(?:authorization id: |authorization-details/)([A-Za-z0-9_\-]+)`)
)

var policyReasons = map[string]Reason{
	"identity-based":          ReasonIdentityPolicy,
	"identity-based policy":   ReasonIdentityPolicy,
	"resource-based":          ReasonResourcePolicy,
	"resource-based policy":   ReasonResourcePolicy,
	"permissions boundary":    ReasonBoundary,
	"session":                 ReasonSessionPolicy,
	"session policy":          ReasonSessionPolicy,
	"sessions policy":         ReasonSessionPolicy,
	"vpc endpoint":            ReasonVPCEndpointPolicy,
	"vpc endpoint policy":     ReasonVPCEndpointPolicy,
	"service control":         ReasonSCP,
	"service control policy":  ReasonSCP,
	"resource control":        ReasonRCP,
	"resource control policy": ReasonRCP,
	"role trust":              ReasonRoleTrustPolicy,
	"role trust policy":       ReasonRoleTrustPolicy,
}

// ParseDenial classifies an AccessDenied errorMessage.
func ParseDenial(msg string) Denial {
	d := Denial{Reason: ReasonUnknown}
	d.Truncated = len(msg) >= MessageLimit-3 && strings.HasSuffix(msg, "...")
	if m := reEncoded.FindStringSubmatch(msg); m != nil && !(d.Truncated && strings.HasSuffix(msg, m[1]+"...")) {
		d.Encoded = m[1] // a cut token cannot be decoded
	}
	if m := reAuthID.FindStringSubmatch(msg); m != nil {
		d.AuthorizationID = m[1]
	}
	if m := rePerform.FindStringSubmatch(msg); m != nil {
		// Some services write the prefix in upper case (SNS:Publish).
		d.Action = strings.ToLower(m[1]) + ":" + m[2]
		var whole bool
		d.Resource, whole = denialResource(m[3])
		if d.Truncated && !whole {
			d.Resource = "" // the cut ran into it: a prefix of an ARN names another resource
		}
	} else if m := reExecute.FindStringSubmatch(msg); m != nil {
		d.Action = strings.ToLower(m[1]) + ":" + m[2]
	}
	if m := reExplicit.FindStringSubmatch(msg); m != nil {
		d.Explicit = true
		d.Reason = policyReasons[strings.ToLower(m[1])]
		if d.Reason == ReasonIdentityPolicy {
			d.Reason = ReasonExplicitDenyIdent
		}
		if m[2] != "" { // a VPC endpoint policy denied through an SCP
			d.Reason = ReasonVPCEndpointPolicy
			d.ThroughSCP = true
		}
		d.PolicyARN = policyARN(msg, m[3], d.Truncated)
		return d
	}
	if m := reExplicitAny.FindStringSubmatch(msg); m != nil {
		// No Allow can override it, wherever it is: never unknown, which
		// reads as a missing identity-policy Allow.
		d.Explicit = true
		d.Reason = ReasonExplicitDenyUnknown
		d.PolicyARN = policyARN(msg, m[1], d.Truncated)
		return d
	}
	if m := reImplicit.FindStringSubmatch(msg); m != nil {
		d.Reason = policyReasons[strings.ToLower(m[1])]
		return d
	}
	if reBPA.MatchString(msg) {
		d.Reason = ReasonS3BlockPublicAccess
	}
	return d
}

// policyARN cleans the denying policy's ARN a message names: the sentence
// around it may end with a period. An ARN that runs into CloudTrail's cut is
// the prefix of another policy's ARN, so it is dropped.
func policyARN(msg, arn string, truncated bool) string {
	if arn == "" || truncated && strings.HasSuffix(msg, arn) {
		return ""
	}
	return strings.TrimRight(arn, ".,;")
}

// resourceEnds are where the resource named after "on resource: " ends when
// it is not quoted: it may be an ARN, "*", or a kind and a name ("role
// deploy-admin").
var resourceEnds = []string{" because ", " with an explicit deny", " due to an explicit deny", " with explicit deny", ". ", " (Service:", "\n"}

// denialResource reads the resource that starts rest. S3 quotes it. whole
// reports whether something after the resource was found (a closing quote,
// a clause): if not, the resource runs to the message's end.
func denialResource(rest string) (res string, whole bool) {
	if q, ok := strings.CutPrefix(rest, `"`); ok {
		if i := strings.IndexByte(q, '"'); i >= 0 {
			return q[:i], true
		}
		rest = q
	}
	for _, e := range resourceEnds {
		if i := strings.Index(rest, e); i >= 0 {
			rest = rest[:i]
			whole = true
		}
	}
	rest = strings.TrimLeft(rest, `" `)
	return strings.TrimRight(rest, `".,; `), whole
}
