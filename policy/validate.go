package policy

import (
	"errors"
	"fmt"
	"strings"
)

// Validate reports what Evaluate cannot honour as written, one error per
// problem, joined (errors.Join); nil means none. Parse leaves these to
// Validate because IAM itself may accept the document: a caller that
// evaluates policies it did not write should print them as warnings.
//
// It reports: an Effect other than Allow or Deny, a statement without
// Action or NotAction (possible in documents built in code); an action with
// no service prefix; a resource that is neither "*" nor an ARN; an unknown
// condition operator (the statement never applies); a condition value that
// its operator cannot read (a number, date, IP address or CIDR block,
// boolean, or Null's true or false); and a policy variable in a document
// whose Version is not 2012-10-17, where IAM reads it as literal text.
func (d *Document) Validate() error {
	var errs []error
	report := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("policy: %s: %s", path, fmt.Sprintf(format, args...)))
	}
	for i := range d.Statement {
		s := &d.Statement[i]
		path := fmt.Sprintf("Statement[%d]", i)
		if s.Effect != EffectAllow && s.Effect != EffectDeny {
			report(path+".Effect", "%q is not Allow or Deny", s.Effect)
		}
		if s.Action == nil && s.NotAction == nil {
			report(path, "no Action or NotAction")
		}
		for _, l := range []struct {
			name string
			list []string
		}{{"Action", s.Action}, {"NotAction", s.NotAction}} {
			for k, a := range l.list {
				if a != "*" && !strings.Contains(a, ":") {
					report(fmt.Sprintf("%s.%s[%d]", path, l.name, k), "%q has no service prefix", a)
				}
			}
		}
		for _, l := range []struct {
			name string
			list []string
		}{{"Resource", s.Resource}, {"NotResource", s.NotResource}} {
			for k, r := range l.list {
				p := fmt.Sprintf("%s.%s[%d]", path, l.name, k)
				if r != "*" && !strings.HasPrefix(r, "arn:") {
					report(p, "%q is neither \"*\" nor an ARN", r)
				}
				if d.Version != Version2012 && strings.Contains(r, "${") {
					report(p, "policy variables are literal text unless Version is %s", Version2012)
				}
			}
		}
		for _, name := range sortedKeys(s.Condition) {
			op, ok := parseOperator(name)
			if !ok {
				report(path+".Condition", "unknown operator %q: the statement never applies", name)
				continue
			}
			if len(s.Condition[name]) == 0 {
				report(path+".Condition."+name, "no condition keys: the operator tests nothing")
			}
			for _, key := range sortedKeys(s.Condition[name]) {
				p := fmt.Sprintf("%s.Condition.%s.%s", path, name, key)
				for _, v := range s.Condition[name][key] {
					if err := op.check(v); err != nil {
						report(p, "%v", err)
					}
					if op.base != nil && op.base.vars && d.Version != Version2012 && strings.Contains(v, "${") {
						report(p, "policy variables are literal text unless Version is %s", Version2012)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// check says whether the operator can read a policy value.
func (op operator) check(v string) error {
	if op.null {
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return fmt.Errorf("%q is not true or false", v)
		}
		return nil
	}
	if op.base.check == nil {
		return nil
	}
	return op.base.check(v)
}

// ValidateIdentity checks what IAM requires of an identity-based policy (a
// principal's policies, a permissions boundary, a session policy) beyond
// Validate: no Principal, since the policy's holder is the principal, and
// Sids of letters and digits only.
func (d *Document) ValidateIdentity() error {
	var errs []error
	for i, s := range d.Statement {
		path := fmt.Sprintf("Statement[%d]", i)
		if s.Principal != nil || s.NotPrincipal != nil {
			errs = append(errs, fmt.Errorf("policy: %s: an identity-based policy names no Principal; IAM rejects it", path))
		}
		for _, c := range s.Sid {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				errs = append(errs, fmt.Errorf("policy: %s.Sid: %q: IAM accepts only letters and digits in an identity-based policy", path, s.Sid))
				break
			}
		}
	}
	return errors.Join(errs...)
}
