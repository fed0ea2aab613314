// Resource-policy and trust-policy statements, and the trust fix of web
// identity and SAML callers.

package synth

import (
	"strings"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/policy"
)

// withPrincipal turns identity statements into resource-policy statements
// that name the principal.
func withPrincipal(p *policy.Document, principal string) *policy.Document {
	if p == nil {
		return nil
	}
	for i := range p.Statement {
		p.Statement[i].Principal = &policy.Principal{IDs: map[string][]string{"AWS": {principal}}}
	}
	assignSids(p.Statement)
	return p
}

// trustStatement is the trust-policy statement that lets principal assume
// a role with action (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, …).
func trustStatement(action string, principal map[string][]string, cond policy.Condition) *policy.Document {
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{
		Effect:    policy.EffectAllow,
		Principal: &policy.Principal{IDs: principal},
		Action:    []string{action},
		Condition: cond,
	}}}
	assignSids(p.Statement)
	return p
}

// federatedActions are the calls of web identity and SAML callers, whom
// only the role's trust policy can let in.
var federatedActions = map[string]bool{
	"sts:AssumeRoleWithWebIdentity": true,
	"sts:AssumeRoleWithSAML":        true,
}

// builtinProviders are the web identity providers a trust policy names by
// host; any other OIDC provider is named by its IAM provider ARN.
var builtinProviders = map[string]bool{
	"accounts.google.com":            true,
	"cognito-identity.amazonaws.com": true,
	"graph.facebook.com":             true,
	"www.amazon.com":                 true,
}

// Placeholders stand for the identity provider when the events do not
// name it.
const (
	oidcPlaceholder = "<oidc-provider-host>"
	samlPlaceholder = "<saml-provider-name>"
)

// federatedTrustFix is the trust-policy statement that lets a web identity
// or SAML caller assume the role f names: Principal Federated, and for a
// web identity, conditions on the token's audience and subject.
func federatedTrustFix(caller analyze.Principal, f analyze.Fact) Fix {
	role := f.Resource
	partition, acct := "aws", arn.AccountOf(role)
	if p := strings.SplitN(role, ":", 3); len(p) == 3 && p[0] == "arn" {
		partition = p[1]
	}
	if acct == "" {
		acct = "<account>"
	}
	if f.Provider != "" {
		caller.ID = f.Provider // this call's own provider, not the principal's first seen
	}
	provider, aud, sub := federationOf(caller)
	fix := Fix{Kind: FixTrustPolicyStatement, Target: role, Owner: trustOwner(role)}
	var federated, unnamed string
	var cond policy.Condition
	if f.Action == "sts:AssumeRoleWithSAML" {
		federated = provider
		if !strings.Contains(provider, ":saml-provider/") {
			federated = "arn:" + partition + ":iam::" + acct + ":saml-provider/" + samlPlaceholder
			unnamed = "; the events do not name the SAML provider: replace " + samlPlaceholder + " with the IAM SAML provider the assertion came from"
		}
		fix.Summary = "only the role's trust policy applies to a SAML caller: add this statement to the trust policy of " + role + unnamed
	} else {
		host := provider
		if h, ok := strings.CutPrefix(provider[strings.LastIndexByte(provider, ':')+1:], "oidc-provider/"); ok && strings.HasPrefix(provider, "arn:") {
			host, federated = h, provider
		} else if builtinProviders[provider] {
			federated = provider
		} else {
			if provider == "" {
				host = oidcPlaceholder
				unnamed = "; the events do not name the identity provider: replace " + oidcPlaceholder + " with the host of the OIDC provider that issued the token"
			}
			federated = "arn:" + partition + ":iam::" + acct + ":oidc-provider/" + host
		}
		keys := map[string][]string{}
		if aud != "" {
			keys[host+":aud"] = []string{aud}
		}
		if sub != "" && host != "cognito-identity.amazonaws.com" { // a Cognito subject is one end user
			keys[host+":sub"] = []string{sub}
		}
		if len(keys) > 0 {
			cond = policy.Condition{"StringEquals": keys}
		}
		fix.Summary = "only the role's trust policy applies to a web identity caller: add this statement to the trust policy of " + role + ", for tokens with subject " + sub + unnamed
	}
	if f.Denial.Reason == analyze.ReasonUnknown {
		fix.Summary = "the message does not say which policy denied " + f.Action + ", but " + fix.Summary
	}
	fix.ResourcePolicy = trustStatement(f.Action, map[string][]string{"Federated": {federated}}, cond)
	return fix
}

// federationOf reads a web identity or SAML caller's identity provider,
// audience and subject, as far as the analysis kept them. The caller's
// name is its userName, which for a web identity is the token's subject;
// its ID, when kept, is the principalId: PROVIDER:AUDIENCE:SUBJECT for a
// web identity, where PROVIDER is an OIDC provider's ARN or a host such as
// accounts.google.com.
func federationOf(caller analyze.Principal) (provider, aud, sub string) {
	_, sub, _ = strings.Cut(caller.ARN, "/")
	id := caller.ID
	if id == "" {
		return "", "", sub
	}
	var rest string
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 7)
		if len(parts) < 6 {
			return "", "", sub
		}
		provider = strings.Join(parts[:6], ":")
		if len(parts) == 7 {
			rest = parts[6]
		}
	} else {
		provider, rest, _ = strings.Cut(id, ":")
	}
	switch {
	case sub == id: // no userName: the name is the principalId
		aud, sub, _ = strings.Cut(rest, ":")
	case sub != "" && strings.HasSuffix(rest, ":"+sub):
		aud = strings.TrimSuffix(rest, ":"+sub)
	}
	return provider, aud, sub
}
