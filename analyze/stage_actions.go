package analyze

import "github.com/tailor-iam/tailor/trail"

// call is what the actions stage learned of one API call, for the facts
// stage. One lives on the stack of each Record.
type call struct {
	req    params
	denied bool
	denial Denial
	dk     DenialKey
	// needs are the actions the call needed (for a denied call, the ones
	// refused); granted are allowed actions of a call denied for another
	// one; companions are the call's other actions when one of its own was
	// refused, which join that action's fix.
	needs, granted, companions []Need
	refused                    []Need
	ts                         int64
}

// actions maps the call to the IAM actions it needed and, for a denied
// call, splits them by what the denial message says was refused. It
// reports false for a call that needs no permission or maps to no action
// (counted, and listed as unmapped).
func (a *Analyzer) actions(c *call, r *trail.Record, p Principal, info *PrincipalInfo) bool {
	agg := a.agg
	c.req, c.denied = parseParams(r.RequestParameters), IsDenial(r.ErrorCode)
	needs, status, name := mapActions(a.cat, r, c.req)
	switch {
	case c.denied:
		info.Denied++
		agg.Counts.Denials++
		c.denial = ParseDenial(r.ErrorMessage)
		needs, status = a.refusal(c, needs, status)
		c.dk = DenialKey{Reason: c.denial.Reason, Explicit: c.denial.Explicit, Code: r.ErrorCode, PolicyARN: c.denial.PolicyARN, ThroughSCP: c.denial.ThroughSCP}
	case r.ErrorCode != "":
		info.Errors++
	}
	switch status {
	case permissionlessCall:
		agg.Counts.Permissionless++
		return false
	case unmapped:
		agg.Counts.Unmapped++
		event := r.EventSource + " " + r.EventName + " (" + name + ")"
		agg.Unmapped[event]++
		uk := UnmappedKey{Principal: p.ARN, Event: event}
		if c.denied {
			uk.Denial, uk.Action = c.denial.Reason, c.denial.Action
		}
		agg.UnmappedBy[uk]++
		return false
	}
	c.needs = needs
	return true
}

// refusal reads which action a denied call was refused. The message names
// the action that was actually refused, which may be another one (an S3
// read refused for kms:Decrypt, a task definition refused for
// iam:PassRole): the event's own actions were then allowed, since IAM got
// past them. When it names one of the event's own actions, the others were
// refused with it or never reached: they join its fix (Via). A message
// naming "*" as the resource says what IAM evaluated.
func (a *Analyzer) refusal(c *call, needs []Need, status mapStatus) ([]Need, mapStatus) {
	act, ok := a.cat.Action(c.denial.Action)
	if c.denial.Action == "" || !ok {
		return needs, status
	}
	named := Need{Action: act}
	if c.denial.Resource == Wildcard {
		named.Template = Wildcard
	}
	switch {
	case status == mapped && needsAction(needs, act.Full()):
		for _, n := range needs {
			if n.Action != act {
				c.companions = append(c.companions, n)
				continue
			}
			n.mapped = false // as if the message had named it alone
			if named.Template != "" {
				n.Template = named.Template
			}
			c.refused = append(c.refused, n)
		}
		return c.refused, status
	case status == mapped:
		c.granted = needs
		return []Need{named}, status
	}
	return []Need{named}, mapped
}
