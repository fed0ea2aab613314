package analyze

import (
	"encoding/json"
	"strings"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/rules"
	"github.com/tailor-iam/tailor/trail"
)

// Principal kinds, as userIdentity.type names them.
const (
	KindRole      = "Role" // an AssumedRole session, attributed to its role
	KindUser      = "IAMUser"
	KindRoot      = "Root"
	KindFederated = "FederatedUser"
	KindAccount   = "AWSAccount"
	KindService   = "AWSService"
	// Identities with no identity policy of their own; shown by analyze.
	KindIdentityCenter = "IdentityCenterUser"
	KindSAML           = "SAMLUser"
	KindWebIdentity    = "WebIdentityUser"
)

// Principal is who acted: the IAM entity an identity policy attaches to.
type Principal struct {
	ARN     string
	Kind    string
	Account string
	ID      string // principalId, kept for cross-account callers
}

// Name is the principal's last ARN segment (a role or user name).
func (p Principal) Name() string {
	i := strings.LastIndexByte(p.ARN, '/')
	if i < 0 {
		return p.ARN
	}
	return p.ARN[i+1:]
}

// PrincipalOf derives the acting principal of a record. ok is false when the
// record has no usable identity. An AWS service acting on its own (an
// AWSService identity) is reported with KindService and never as the role it
// assumes.
func PrincipalOf(r *trail.Record) (Principal, bool) {
	id := r.UserIdentity
	if id == nil {
		return Principal{}, false
	}
	partition := arn.PartitionOf(id.ARN)
	switch id.Type {
	case "AssumedRole":
		if sc := id.SessionContext; sc != nil && sc.SessionIssuer != nil && sc.SessionIssuer.ARN != "" {
			iss := sc.SessionIssuer
			kind := KindRole
			switch iss.Type {
			case "IAMUser", "User":
				kind = KindUser
			case "Root":
				kind = KindRoot
			}
			return Principal{ARN: iss.ARN, Kind: kind, Account: firstNonEmpty(iss.AccountID, id.AccountID)}, true
		}
		// No session issuer (seen in redacted samples): rebuild the role ARN
		// from the assumed-role ARN. Its path is unknown, so keep the name.
		if role, ok := rules.RoleOfSession(id.ARN); ok {
			return Principal{ARN: role, Kind: KindRole, Account: id.AccountID}, true
		}
		return Principal{}, false
	case "IAMUser":
		// Some published samples type a role session as IAMUser; the ARN
		// says what it is.
		if role, ok := rules.RoleOfSession(id.ARN); ok {
			return Principal{ARN: role, Kind: KindRole, Account: id.AccountID}, true
		}
		if id.ARN != "" {
			return Principal{ARN: id.ARN, Kind: KindUser, Account: id.AccountID, ID: id.PrincipalID}, true
		}
		if id.AccountID != "" && id.UserName != "" {
			return Principal{ARN: rules.UserARN(partition, id.AccountID, id.UserName), Kind: KindUser, Account: id.AccountID, ID: id.PrincipalID}, true
		}
	case "Root":
		acct := firstNonEmpty(id.AccountID, arn.AccountOf(id.ARN))
		if acct != "" {
			return Principal{ARN: rules.AccountRoot(partition, acct), Kind: KindRoot, Account: acct}, true
		}
	case "FederatedUser":
		// A GetFederationToken session is its own principal, named by its
		// sts federated-user ARN.
		if id.ARN != "" {
			return Principal{ARN: id.ARN, Kind: KindFederated, Account: id.AccountID}, true
		}
	case "AWSAccount":
		if id.AccountID != "" {
			return Principal{ARN: rules.AccountRoot(partition, id.AccountID), Kind: KindAccount, Account: id.AccountID, ID: id.PrincipalID}, true
		}
	case "AWSService":
		svc := firstNonEmpty(id.InvokedBy, r.SourceIPAddress)
		if svc != "" {
			return Principal{ARN: svc, Kind: KindService}, true
		}
	case "IdentityCenterUser", "SAMLUser", "WebIdentityUser":
		name := firstNonEmpty(id.UserName, id.PrincipalID)
		if name != "" {
			return Principal{ARN: id.Type + "/" + name, Kind: id.Type, Account: id.AccountID, ID: federatedID(r)}, true
		}
	}
	return Principal{}, false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// federatedID is what names a federated caller's identity provider, for
// the trust-policy fix of its denials: a web identity's principalId
// ("arn:…:oidc-provider/HOST:AUD:SUB", or "HOST:AUD:SUB"), or the SAML
// provider ARN an AssumeRoleWithSAML request names.
func federatedID(r *trail.Record) string {
	id := r.UserIdentity
	switch id.Type {
	case KindWebIdentity:
		return id.PrincipalID
	case KindSAML:
		if r.EventName == "AssumeRoleWithSAML" && len(r.RequestParameters) > 0 {
			var req struct {
				PrincipalArn string `json:"principalArn"`
			}
			if json.Unmarshal(r.RequestParameters, &req) == nil && strings.Contains(req.PrincipalArn, ":saml-provider/") {
				return req.PrincipalArn
			}
		}
	}
	return ""
}
