package policy

import (
	"fmt"
	"strings"
)

// Request is one request to decide: an action on a resource, and the
// request context that conditions and policy variables read.
type Request struct {
	Action   string              // such as "s3:GetObject"; case is ignored
	Resource string              // an ARN, or "*" for an action that takes no resource
	Context  map[string][]string // condition keys ("aws:SourceIp") to values; keys are case-insensitive
}

// Effect is the outcome of an evaluation.
type Effect uint8

// The zero Effect is ImplicitDeny: nothing allows the request.
const (
	ImplicitDeny Effect = iota
	Allow
	ExplicitDeny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Decision is the outcome of evaluating a request, with the statement that
// decided it and why.
type Decision struct {
	Effect Effect
	// Statement labels the deciding statement: its Sid, else
	// "Statement[i]"; prefixed with "Policy[j]." when several documents
	// were evaluated. It is empty for an implicit deny.
	Statement string
	// Reason is one line for a person, such as
	// `allowed by statement "S3Read"` or
	// `no statement allows s3:PutObject on arn:aws:s3:::b/k; statement
	// "S3Read" matches the action but not the resource`.
	Reason string
}

// Allowed reports whether the decision allows the request.
func (d Decision) Allowed() bool { return d.Effect == Allow }

// Evaluate decides a request against this document alone.
func (d *Document) Evaluate(req Request) Decision {
	return evaluate([]*Document{d}, req, false)
}

// Evaluate decides a request against the identity policies of one
// principal, as IAM does: an explicit Deny in any statement wins, else an
// Allow in any statement, else the request is implicitly denied. Principal
// and NotPrincipal are not consulted: in an identity policy the principal
// is the one the policy is attached to. A statement applies when its
// action, resource and every condition match; one with neither Resource
// nor NotResource (as in a role trust policy) matches every resource; one
// that uses a policy variable the request context cannot fill, or an
// unknown condition operator, never applies. nil documents are skipped.
func Evaluate(docs []*Document, req Request) Decision {
	return evaluate(docs, req, len(docs) > 1)
}

func evaluate(docs []*Document, req Request, multi bool) Decision {
	var allow *Decision
	var near stage
	var nearLabel, nearWhy string
	for j, d := range docs {
		if d == nil {
			continue
		}
		e := env{req: &req, vars: d.Version == Version2012}
		for i := range d.Statement {
			s := &d.Statement[i]
			if s.Effect != EffectAllow && s.Effect != EffectDeny {
				continue
			}
			st, why := s.match(e)
			// The label is built only for the statements a decision names:
			// a policy of many statements costs one pass, not one string each.
			switch {
			case st == stageApplies && s.Effect == EffectDeny:
				label := statementLabel(multi, j, i, s.Sid)
				return Decision{Effect: ExplicitDeny, Statement: label, Reason: fmt.Sprintf("denied explicitly by statement %q", label)}
			case st == stageApplies:
				if allow == nil {
					label := statementLabel(multi, j, i, s.Sid)
					allow = &Decision{Effect: Allow, Statement: label, Reason: fmt.Sprintf("allowed by statement %q", label)}
				}
			case s.Effect == EffectAllow && st > near:
				near, nearLabel, nearWhy = st, statementLabel(multi, j, i, s.Sid), why
			}
		}
	}
	if allow != nil {
		return *allow
	}
	reason := fmt.Sprintf("no statement allows %s on %s", req.Action, req.Resource)
	if near > stageNone {
		reason += fmt.Sprintf("; statement %q %s", nearLabel, nearWhy)
	}
	return Decision{Effect: ImplicitDeny, Reason: reason}
}

func statementLabel(multi bool, doc, i int, sid string) string {
	label := sid
	if label == "" {
		label = fmt.Sprintf("Statement[%d]", i)
	}
	if multi {
		label = fmt.Sprintf("Policy[%d].%s", doc, label)
	}
	return label
}

// stage is how far a statement matched a request.
type stage uint8

const (
	stageNone     stage = iota // not even the action
	stageAction                // the action, not the resource
	stageResource              // action and resource, not the condition
	stageApplies               // everything: the statement's effect applies
)

// match says how far the statement matches the request in e, and why it
// stopped there.
func (s *Statement) match(e env) (stage, string) {
	action := e.req.Action
	switch {
	case s.Action != nil:
		if !anyMatch(s.Action, func(p string) bool { return MatchAction(p, action) }) {
			return stageNone, ""
		}
	case s.NotAction != nil:
		if anyMatch(s.NotAction, func(p string) bool { return MatchAction(p, action) }) {
			return stageNone, ""
		}
	default:
		return stageNone, ""
	}
	if name := e.unresolved(s); name != "" {
		return stageAction, fmt.Sprintf("matches the action but the request context has no single value for %s", name)
	}
	resource := func(p string) bool {
		ok, _ := e.matchARN(p, e.req.Resource)
		return ok
	}
	switch {
	case s.Resource != nil && !anyMatch(s.Resource, resource),
		s.NotResource != nil && anyMatch(s.NotResource, resource):
		return stageAction, "matches the action but not the resource"
	}
	if ok, why := evalCondition(e, s.Condition); !ok {
		return stageResource, "matches but " + why
	}
	return stageApplies, ""
}

func anyMatch(patterns []string, match func(string) bool) bool {
	for _, p := range patterns {
		if match(p) {
			return true
		}
	}
	return false
}

// unresolved returns a policy variable, such as "${aws:username}", in the
// statement's resources or condition values that the request context
// cannot fill (the first in sorted order), or "". IAM treats such a
// statement as invalid, so it never applies.
func (e env) unresolved(s *Statement) string {
	if !e.vars {
		return ""
	}
	var first string
	note := func(v string) {
		if !strings.Contains(v, "${") {
			return
		}
		if _, name := e.expand(v, false); name != "" && (first == "" || name < first) {
			first = name
		}
	}
	for _, p := range s.Resource {
		note(p)
	}
	for _, p := range s.NotResource {
		note(p)
	}
	for name, keys := range s.Condition {
		if op, ok := parseOperator(name); ok && op.base != nil && op.base.vars {
			for _, vals := range keys {
				for _, v := range vals {
					note(v)
				}
			}
		}
	}
	return first
}
