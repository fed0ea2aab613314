package policy

import "strings"

// Caller is who makes a request, as a resource-based policy's Principal
// names it.
type Caller struct {
	ARN     string // the principal: a role (for its sessions), a user, an account root
	Account string // its account
}

// Grant is how a resource-based policy decided a request for a caller.
type Grant struct {
	Decision
	// ViaAccount reports that the deciding Allow named the caller's
	// account (its id or root ARN) rather than the caller: the account's
	// identity policies must allow the request too.
	ViaAccount bool
}

// EvaluateFor decides a request against a resource-based policy for the
// caller: a statement applies only when its Principal names the caller, or
// its NotPrincipal does not. An explicit Deny wins; an Allow naming the
// caller (or "*") is preferred to one naming only its account.
func (d *Document) EvaluateFor(req Request, c Caller) Grant {
	var direct, account Document
	direct.Version, account.Version = d.Version, d.Version
	for _, s := range d.Statement {
		switch names(s, c) {
		case namesCaller:
			direct.Statement = append(direct.Statement, s)
		case namesAccount:
			account.Statement = append(account.Statement, s)
			if s.Effect == EffectDeny {
				direct.Statement = append(direct.Statement, s) // a Deny of the account denies its principals
			}
		}
	}
	dd := direct.Evaluate(req)
	if dd.Effect != ImplicitDeny {
		return Grant{Decision: dd}
	}
	if ad := account.Evaluate(req); ad.Allowed() {
		return Grant{Decision: ad, ViaAccount: true}
	}
	if len(direct.Statement)+len(account.Statement) == 0 {
		dd.Reason = "no statement of the resource policy names " + c.ARN
	}
	return Grant{Decision: dd}
}

// naming is how a statement's Principal names a caller.
type naming uint8

const (
	namesNone naming = iota
	namesCaller
	namesAccount
)

func names(s Statement, c Caller) naming {
	switch {
	case s.Principal != nil:
		return s.Principal.names(c)
	case s.NotPrincipal != nil:
		if s.NotPrincipal.names(c) == namesNone {
			return namesCaller
		}
	}
	return namesNone
}

// names reports how p names c: "*" or the caller's own ARN name it; the
// account's id or root ARN name its account. A Service, Federated or
// CanonicalUser principal never names an IAM caller.
func (p *Principal) names(c Caller) naming {
	if p.Wildcard {
		return namesCaller
	}
	best := namesNone
	for _, id := range p.IDs["AWS"] {
		switch {
		case id == "*" || (c.ARN != "" && id == c.ARN):
			return namesCaller
		case c.Account != "" && (id == c.Account || isRootOf(id, c.Account)):
			best = namesAccount
		}
	}
	return best
}

// isRootOf reports whether id is arn:PARTITION:iam::ACCOUNT:root.
func isRootOf(id, account string) bool {
	rest, ok := strings.CutPrefix(id, "arn:")
	if !ok {
		return false
	}
	_, rest, ok = strings.Cut(rest, ":") // the partition
	return ok && rest == "iam::"+account+":root"
}
