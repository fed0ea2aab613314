package analyze

import (
	"regexp"
	"strings"
)

// template is a compiled catalog ARN template such as
// arn:${Partition}:s3:::${BucketName}/${ObjectName}.
type template struct {
	raw   string
	parts []tplPart
	re    *regexp.Regexp // matches a concrete ARN of this type
}

type tplPart struct {
	lit  string // literal text, when name is ""
	name string
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
		t.parts = append(t.parts, tplPart{name: name})
		next := ""
		if m[1] < len(raw) {
			next = raw[m[1] : m[1]+1]
		}
		lastVar := i == len(locs)-1 && m[1] == len(raw)
		switch {
		case lastVar && varPatterns[name] != "":
			re.WriteString(varPatterns[name])
		case name == "Partition":
			re.WriteString(`aws[a-z-]*`)
		case name == "Region" || name == "Account":
			re.WriteString(`[a-z0-9-]*`)
		case lastVar && freeFormVar(name):
			re.WriteString(`.+`)
		case next == "/":
			re.WriteString(`[^/:]+`)
		default:
			re.WriteString(`[^:]+`)
		}
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

// varPatterns match variables whose values may hold a separator the
// default pattern stops at, when they end a template: a Lambda function is
// named with an optional ":version" or ":alias" qualifier, and IAM matches
// the qualified ARN.
var varPatterns = map[string]string{
	"FunctionName": `[^:]+(?::[^:]+)?`,
}

// freeFormVar names variables whose values may hold any character, so an
// ARN ending in one is matched to its end.
func freeFormVar(name string) bool {
	return strings.Contains(name, "ObjectName") || strings.HasPrefix(name, "ParameterName") ||
		strings.HasSuffix(name, "Path") || name == "LogGroupName" || name == "KeyName"
}

// vars lists the template's variables other than Partition, Region, Account.
func (t *template) vars() []string {
	var out []string
	for _, p := range t.parts {
		if p.name != "" && p.name != "Partition" && p.name != "Region" && p.name != "Account" {
			out = append(out, p.name)
		}
	}
	return out
}

// fill renders the template with the given values; ok is false when a
// variable has no value.
func (t *template) fill(vals map[string]string) (string, bool) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := vals[p.name]
		if !ok {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}
