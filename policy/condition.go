package policy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// operator is a parsed condition operator name, such as
// "ForAnyValue:StringLikeIfExists".
type operator struct {
	base     *baseOperator
	null     bool // the Null operator, which tests presence only
	set      setQualifier
	ifExists bool
}

type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAnyValue
	setForAllValues
)

// baseOperator compares one request value with one policy value. A negated
// operator (StringNotEquals, NotIpAddress...) is true when its positive
// twin matches none of the policy values.
type baseOperator struct {
	negated bool
	vars    bool                                 // policy values may hold policy variables
	match   func(e env, policy, req string) bool // the positive comparison
	check   func(policy string) error            // is the policy value well formed?
}

var baseOperators = map[string]*baseOperator{}

func init() {
	add := func(name string, negName string, vars bool, match func(env, string, string) bool, check func(string) error) {
		baseOperators[name] = &baseOperator{vars: vars, match: match, check: check}
		if negName != "" {
			baseOperators[negName] = &baseOperator{negated: true, vars: vars, match: match, check: check}
		}
	}
	add("StringEquals", "StringNotEquals", true, stringEquals, nil)
	add("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", true, stringEqualsFold, nil)
	add("StringLike", "StringNotLike", true, stringLike, nil)
	add("ArnEquals", "ArnNotEquals", true, arnLike, nil)
	add("ArnLike", "ArnNotLike", true, arnLike, nil)
	add("Bool", "", true, boolEquals, checkBool)
	add("BinaryEquals", "", false, func(_ env, p, r string) bool { return p == r }, nil)
	add("IpAddress", "NotIpAddress", false, ipIn, checkIP)
	add("NumericEquals", "NumericNotEquals", false, numeric(func(r, p float64) bool { return r == p }), checkNumber)
	add("NumericLessThan", "", false, numeric(func(r, p float64) bool { return r < p }), checkNumber)
	add("NumericLessThanEquals", "", false, numeric(func(r, p float64) bool { return r <= p }), checkNumber)
	add("NumericGreaterThan", "", false, numeric(func(r, p float64) bool { return r > p }), checkNumber)
	add("NumericGreaterThanEquals", "", false, numeric(func(r, p float64) bool { return r >= p }), checkNumber)
	add("DateEquals", "DateNotEquals", false, date(func(r, p time.Time) bool { return r.Equal(p) }), checkDate)
	add("DateLessThan", "", false, date(func(r, p time.Time) bool { return r.Before(p) }), checkDate)
	add("DateLessThanEquals", "", false, date(func(r, p time.Time) bool { return !r.After(p) }), checkDate)
	add("DateGreaterThan", "", false, date(func(r, p time.Time) bool { return r.After(p) }), checkDate)
	add("DateGreaterThanEquals", "", false, date(func(r, p time.Time) bool { return !r.Before(p) }), checkDate)
}

// parseOperator reads an operator name. Names are case-sensitive, as IAM
// rejects "stringEquals"; "IfExists" goes with any operator but Null, and
// so do the set qualifiers.
func parseOperator(name string) (operator, bool) {
	var op operator
	rest := name
	if r, ok := strings.CutPrefix(rest, "ForAnyValue:"); ok {
		op.set, rest = setForAnyValue, r
	} else if r, ok := strings.CutPrefix(rest, "ForAllValues:"); ok {
		op.set, rest = setForAllValues, r
	}
	if rest == "Null" {
		op.null = true
		return op, op.set == setNone
	}
	if r, ok := strings.CutSuffix(rest, "IfExists"); ok {
		op.ifExists, rest = true, r
	}
	op.base = baseOperators[rest]
	return op, op.base != nil
}

// eval decides one condition key: policy values are ORed, and for a
// negated operator the result is that none of them matches.
func (op operator) eval(e env, key string, policy []string) bool {
	req := e.req.values(key)
	present := len(req) > 0
	if op.null {
		for _, p := range policy {
			if strings.EqualFold(p, "true") && !present || strings.EqualFold(p, "false") && present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case op.ifExists:
			return true
		case op.set == setForAllValues:
			return true
		case op.set == setForAnyValue:
			return false
		}
		return op.base.negated
	}
	// holds says whether one request value satisfies the operator.
	holds := func(r string) bool {
		for _, p := range policy {
			if op.base.match(e, p, r) {
				return !op.base.negated
			}
		}
		return op.base.negated
	}
	all := op.set == setForAllValues || op.set == setNone && op.base.negated
	for _, r := range req {
		if holds(r) != all {
			return !all
		}
	}
	return all
}

// evalCondition ANDs every operator and key of a statement's condition. On
// failure it names the first operator and key that failed, in sorted order.
func evalCondition(e env, c Condition) (ok bool, failed string) {
	pass := true
	for name, keys := range c {
		op, known := parseOperator(name)
		pass = known
		for key, vals := range keys {
			if !pass {
				break
			}
			pass = op.eval(e, key, vals)
		}
		if !pass {
			break
		}
	}
	if pass {
		return true, ""
	}
	for _, name := range sortedKeys(c) {
		op, known := parseOperator(name)
		if !known {
			return false, fmt.Sprintf("its condition operator %q is unknown", name)
		}
		for _, key := range sortedKeys(c[name]) {
			if !op.eval(e, key, c[name][key]) {
				return false, fmt.Sprintf("its condition %s %s is not met", name, key)
			}
		}
	}
	return false, "its condition is not met"
}

func stringEquals(e env, p, r string) bool {
	p, missing := e.expand(p, false)
	return missing == "" && p == r
}

func stringEqualsFold(e env, p, r string) bool {
	p, missing := e.expand(p, false)
	return missing == "" && strings.EqualFold(p, r)
}

func stringLike(e env, p, r string) bool {
	p, missing := e.expand(p, true)
	return missing == "" && glob(p, r, false)
}

func arnLike(e env, p, r string) bool {
	ok, _ := e.matchARN(p, r)
	return ok
}

func boolEquals(e env, p, r string) bool {
	p, missing := e.expand(p, false)
	return missing == "" && strings.EqualFold(p, r)
}

func checkBool(p string) error {
	if strings.Contains(p, "${") || strings.EqualFold(p, "true") || strings.EqualFold(p, "false") {
		return nil
	}
	return fmt.Errorf("%q is not true or false", p)
}

func ipIn(_ env, p, r string) bool {
	prefix, err := parsePrefix(p)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(strings.TrimSpace(r))
	if err != nil {
		return false
	}
	return prefix.Contains(addr.Unmap())
}

// parsePrefix reads a CIDR block, or one address as its own block.
func parsePrefix(p string) (netip.Prefix, error) {
	p = strings.TrimSpace(p)
	if strings.Contains(p, "/") {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return netip.Prefix{}, err
		}
		if prefix.Addr().Is4In6() && prefix.Bits() >= 96 {
			prefix = netip.PrefixFrom(prefix.Addr().Unmap(), prefix.Bits()-96)
		}
		return prefix.Masked(), nil
	}
	addr, err := netip.ParseAddr(p)
	if err != nil {
		return netip.Prefix{}, err
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

func checkIP(p string) error {
	if _, err := parsePrefix(p); err != nil {
		return fmt.Errorf("%q is not an IP address or CIDR block", p)
	}
	return nil
}

func numeric(cmp func(r, p float64) bool) func(env, string, string) bool {
	return func(_ env, p, r string) bool {
		pf, err1 := strconv.ParseFloat(strings.TrimSpace(p), 64)
		rf, err2 := strconv.ParseFloat(strings.TrimSpace(r), 64)
		return err1 == nil && err2 == nil && cmp(rf, pf)
	}
}

func checkNumber(p string) error {
	if _, err := strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil {
		return fmt.Errorf("%q is not a number", p)
	}
	return nil
}

func date(cmp func(r, p time.Time) bool) func(env, string, string) bool {
	return func(_ env, p, r string) bool {
		pt, ok1 := parseTime(p)
		rt, ok2 := parseTime(r)
		return ok1 && ok2 && cmp(rt, pt)
	}
}

func checkDate(p string) error {
	if _, ok := parseTime(p); !ok {
		return fmt.Errorf("%q is not an ISO 8601 date or epoch time", p)
	}
	return nil
}

// timeLayouts are the W3C profiles of ISO 8601 that IAM accepts; a time
// without a zone is UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseTime reads an ISO 8601 time or epoch seconds (IAM's
// aws:EpochTime). A four-digit number is a year, as in ISO 8601.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 4 {
		if t, ok := parseEpoch(s); ok {
			return t, true
		}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseEpoch reads seconds since 1970, with an optional fraction.
func parseEpoch(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if !allDigits(strings.TrimPrefix(whole, "-")) || strings.Contains(s, ".") && !allDigits(frac) {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	frac = (frac + "000000000")[:9]
	nanos, _ := strconv.ParseInt(frac, 10, 64) // nine digits
	if strings.HasPrefix(whole, "-") {
		nanos = -nanos
	}
	return time.Unix(secs, nanos).UTC(), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
