package analyze

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/rules"
)

// template is a compiled catalog ARN template such as
// arn:${Partition}:s3:::${BucketName}/${ObjectName}. match tells whether a
// concrete ARN is of its type without a regexp on the hot path; re is the
// same test as a regular expression, for tests and tools.
type template struct {
	raw      string
	parts    []tplPart
	varNames []string       // vars(), once computed
	re       *regexp.Regexp // matches a concrete ARN of this type
}

type tplPart struct {
	lit   string // literal text, when name is ""
	name  string
	class varClass // the characters a variable's value may hold
	// idx numbers a variable: idxPartition, idxRegion, idxAccount, then
	// the others in vars() order, so values go in slices, not maps.
	idx int
}

// The numbers of the variables every template may have.
const (
	idxPartition = iota
	idxRegion
	idxAccount
	idxOthers
)

// varClass is the set of values a template variable matches.
type varClass int

const (
	classPartition varClass = iota // aws[a-z-]*
	classRegion                    // [a-z0-9-]*, Region and Account
	classNoColon                   // [^:]+
	classSegment                   // [^/:]+, before a "/"
	classAny                       // .+, a free-form value ending the template
	classQualified                 // [^:]+(:[^:]+)?, a Lambda function and its qualifier
	classTimestamp                 // [0-9T:.-]+, a DynamoDB stream label
)

var classPatterns = map[varClass]string{
	classPartition: `aws[a-z-]*`,
	classRegion:    `[a-z0-9-]*`,
	classNoColon:   `[^:]+`,
	classSegment:   `[^/:]+`,
	classAny:       `.+`,
	classQualified: `[^:]+(?::[^:]+)?`,
	classTimestamp: `[0-9T:.-]+`,
}

var tplVar = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

func compileTemplate(raw string) *template {
	t := &template{raw: raw}
	var re strings.Builder
	re.WriteString("^")
	last := 0
	locs := tplVar.FindAllStringSubmatchIndex(raw, -1)
	for i, m := range locs {
		if m[0] > last {
			lit := raw[last:m[0]]
			t.parts = append(t.parts, tplPart{lit: lit})
			re.WriteString(regexp.QuoteMeta(lit))
		}
		name := raw[m[2]:m[3]]
		next := ""
		if m[1] < len(raw) {
			next = raw[m[1] : m[1]+1]
		}
		lastVar := i == len(locs)-1 && m[1] == len(raw)
		class, special := endingClass(name)
		switch {
		case lastVar && special:
		case name == "Partition":
			class = classPartition
		case name == "Region" || name == "Account":
			class = classRegion
		case lastVar && freeFormVar(name):
			class = classAny
		case next == "/":
			class = classSegment
		default:
			class = classNoColon
		}
		idx := slices.Index([]string{"Partition", "Region", "Account"}, name)
		if idx < 0 {
			if idx = slices.Index(t.varNames, name); idx < 0 {
				idx = len(t.varNames)
				t.varNames = append(t.varNames, name)
			}
			idx += idxOthers
		}
		t.parts = append(t.parts, tplPart{name: name, class: class, idx: idx})
		re.WriteString(classPatterns[class])
		last = m[1]
	}
	if last < len(raw) {
		t.parts = append(t.parts, tplPart{lit: raw[last:]})
		re.WriteString(regexp.QuoteMeta(raw[last:]))
	}
	re.WriteString("$")
	t.re = regexp.MustCompile(re.String())
	return t
}

// endingClass is the class of a variable that ends a template when its
// service's rules give its values a shape of their own.
func endingClass(name string) (varClass, bool) {
	switch shape, _ := rules.EndingVar(name); shape {
	case rules.Qualified:
		return classQualified, true
	case rules.Timestamp:
		return classTimestamp, true
	case rules.FreeForm:
		return classAny, true
	}
	return 0, false
}

// match reports whether arn is a concrete ARN of t's type.
func (t *template) match(arn string) bool { return matchParts(t.parts, arn) }

func matchParts(parts []tplPart, s string) bool {
	if len(parts) == 0 {
		return s == ""
	}
	p := parts[0]
	if p.name == "" {
		rest, ok := strings.CutPrefix(s, p.lit)
		return ok && matchParts(parts[1:], rest)
	}
	if len(parts) == 1 {
		return p.class.matchesAll(s)
	}
	// Try the longest run of allowed characters first, then shorter ones:
	// the literal that follows decides.
	lo, hi := p.class.run(s)
	for n := hi; n >= lo; n-- {
		if matchParts(parts[1:], s[n:]) {
			return true
		}
	}
	return false
}

// run gives the shortest and longest prefix of s the class can match.
func (c varClass) run(s string) (lo, hi int) {
	n := 0
	switch c {
	case classPartition:
		if !strings.HasPrefix(s, "aws") {
			return 1, 0
		}
		n = 3
		for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] == '-') {
			n++
		}
		return 3, n
	case classRegion:
		for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= '0' && s[n] <= '9' || s[n] == '-') {
			n++
		}
		return 0, n
	case classSegment:
		for n < len(s) && s[n] != ':' && s[n] != '/' {
			n++
		}
	default:
		for n < len(s) && s[n] != ':' {
			n++
		}
	}
	return 1, n
}

// matchesAll reports whether all of s is a value of the class, for the
// variable that ends a template.
func (c varClass) matchesAll(s string) bool {
	switch c {
	case classAny:
		return s != "" && !strings.Contains(s, "\n")
	case classQualified:
		name, qualifier, ok := strings.Cut(s, ":")
		return name != "" && (!ok || qualifier != "" && !strings.Contains(qualifier, ":"))
	case classTimestamp:
		for i := 0; i < len(s); i++ {
			if c := s[i]; !(c >= '0' && c <= '9' || c == 'T' || c == ':' || c == '.' || c == '-') {
				return false
			}
		}
		return s != ""
	}
	lo, hi := c.run(s)
	return hi == len(s) && hi >= lo
}

// freeFormVar names variables whose values may hold any character, so an
// ARN ending in one is matched to its end.
func freeFormVar(name string) bool {
	return strings.Contains(name, "ObjectName") || strings.HasPrefix(name, "ParameterName") ||
		strings.HasSuffix(name, "Path") || name == "LogGroupName" || name == "KeyName"
}

// vars lists the template's variables other than Partition, Region, Account.
func (t *template) vars() []string { return t.varNames }

// anyOf renders the template for any resource of its type in the event's
// partition, region and account: every other variable becomes "*".
func (t *template) anyOf(ev *eventFacts) (string, bool) {
	var b strings.Builder
	for _, p := range t.parts {
		switch p.name {
		case "":
			b.WriteString(p.lit)
		case "Partition":
			b.WriteString(ev.partition)
		case "Region":
			b.WriteString(ev.region)
		case "Account":
			if ev.account == "" {
				return "", false
			}
			b.WriteString(ev.account)
		default:
			b.WriteString("*")
		}
	}
	return b.String(), true
}

// fill renders the template with the given values, by variable number;
// ok is false when a variable has no value.
func (t *template) fill(vals []string, set []bool) (string, bool) {
	n := 0
	for _, p := range t.parts {
		if p.name == "" {
			n += len(p.lit)
			continue
		}
		if !set[p.idx] {
			return "", false
		}
		n += len(vals[p.idx])
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
		} else {
			b.WriteString(vals[p.idx])
		}
	}
	return b.String(), true
}
