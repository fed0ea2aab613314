package deploy

// Reading the CloudFormation template as CloudFormation does: the YAML with
// its short-form intrinsic functions (!Ref, !Sub, ...), and a small
// evaluator of those functions for given parameter values, so the tests can
// look at the policies and properties a stack would really get.

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const cloudFormationPath = "cloudformation/tailor.yaml"

// intrinsics maps each short-form tag to its long form; a tag not listed
// here is an error, so a typo such as !Reff fails the test.
var intrinsics = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If",
	"!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or",
	"!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split",
	"!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue",
	"!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

// loadCloudFormation returns the template as maps, slices and scalars, each
// short-form intrinsic rewritten to its long form ({"Fn::Sub": ...}).
func loadCloudFormation(t *testing.T) map[string]any {
	t.Helper()
	src, err := os.ReadFile(cloudFormationPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("parse %s: %v", cloudFormationPath, err)
	}
	v, err := fromNode(&doc)
	if err != nil {
		t.Fatalf("read %s: %v", cloudFormationPath, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: the document is not a mapping", cloudFormationPath)
	}
	return m
}

func fromNode(n *yaml.Node) (any, error) {
	if tag := n.ShortTag(); strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		long, ok := intrinsics[tag]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, tag)
		}
		inner := *n
		inner.Tag = ""
		if n.Kind == yaml.ScalarNode {
			inner.Tag = "!!str"
		}
		v, err := fromNode(&inner)
		if err != nil {
			return nil, err
		}
		if s, ok := v.(string); ok && long == "Fn::GetAtt" {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
		return map[string]any{long: v}, nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return nil, fmt.Errorf("want one document, have %d", len(n.Content))
		}
		return fromNode(n.Content[0])
	case yaml.AliasNode:
		return fromNode(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: key %s repeated", n.Content[i].Line, k)
			}
			v, err := fromNode(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return v, nil
	}
}

// noValue is what AWS::NoValue evaluates to: the list item or property
// that holds it disappears.
type noValueType struct{}

var noValue = noValueType{}

// A stack is the template with parameter values, its conditions decided and
// made-up but well-formed names and ARNs for the resources it creates.
type stack struct {
	params map[string]string
	conds  map[string]bool
	refs   map[string]string // Ref of a resource
	attrs  map[string]string // "Resource.Attribute"
}

const (
	testRegion  = "eu-west-1"
	testAccount = "111122223333"
)

// newStack evaluates tmpl with its parameters' defaults, overridden by
// params. A parameter without a default must be given.
func newStack(t *testing.T, tmpl map[string]any, params map[string]string) *stack {
	t.Helper()
	s := &stack{params: map[string]string{}, conds: map[string]bool{}, refs: map[string]string{}, attrs: map[string]string{}}
	for name, p := range asMap(tmpl["Parameters"]) {
		if d, ok := asMap(p)["Default"]; ok {
			s.params[name] = fmt.Sprint(d)
		}
	}
	for k, v := range params {
		if _, ok := asMap(tmpl["Parameters"])[k]; !ok {
			t.Fatalf("the template has no parameter %s", k)
		}
		s.params[k] = v
	}
	for name := range asMap(tmpl["Parameters"]) {
		if _, ok := s.params[name]; !ok {
			t.Fatalf("parameter %s has no default and the test gives it no value", name)
		}
	}
	for id, r := range asMap(tmpl["Resources"]) {
		typ, _ := asMap(r)["Type"].(string)
		arn := func(service, resource string) string {
			return "arn:aws:" + service + ":" + testRegion + ":" + testAccount + ":" + resource
		}
		ref := id
		switch typ {
		case "AWS::S3::Bucket":
			ref = strings.ToLower(id) + "-a1b2c3"
			s.attrs[id+".Arn"] = "arn:aws:s3:::" + ref
		case "AWS::Logs::LogGroup":
			ref = "/tailor/stack/" + id
			s.attrs[id+".Arn"] = arn("logs", "log-group:"+ref+":*")
		case "AWS::IAM::Role":
			s.attrs[id+".Arn"] = "arn:aws:iam::" + testAccount + ":role/" + id
		case "AWS::Lambda::Function":
			s.attrs[id+".Arn"] = arn("lambda", "function:"+id)
		case "AWS::SQS::Queue":
			ref = "https://sqs." + testRegion + ".amazonaws.com/" + testAccount + "/" + id
			s.attrs[id+".Arn"] = arn("sqs", id)
		case "AWS::StepFunctions::StateMachine":
			ref = arn("states", "stateMachine:"+id)
			s.attrs[id+".Name"] = id
		}
		s.refs[id] = ref
	}
	for name := range asMap(tmpl["Conditions"]) {
		if _, err := s.condition(tmpl, name); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *stack) condition(tmpl map[string]any, name string) (bool, error) {
	if v, ok := s.conds[name]; ok {
		return v, nil
	}
	def, ok := asMap(tmpl["Conditions"])[name]
	if !ok {
		return false, fmt.Errorf("no condition %s", name)
	}
	var decide func(v any) (bool, error)
	decide = func(v any) (bool, error) {
		m := asMap(v)
		switch {
		case m["Condition"] != nil:
			return s.condition(tmpl, fmt.Sprint(m["Condition"]))
		case m["Fn::Equals"] != nil:
			args := asList(m["Fn::Equals"])
			a, err := s.eval(args[0])
			if err != nil {
				return false, err
			}
			b, err := s.eval(args[1])
			return fmt.Sprint(a) == fmt.Sprint(b), err
		case m["Fn::Not"] != nil:
			c, err := decide(asList(m["Fn::Not"])[0])
			return !c, err
		case m["Fn::And"] != nil, m["Fn::Or"] != nil:
			and := m["Fn::And"] != nil
			args := asList(m["Fn::And"])
			if !and {
				args = asList(m["Fn::Or"])
			}
			for _, a := range args {
				c, err := decide(a)
				if err != nil {
					return false, err
				}
				if c != and {
					return c, nil
				}
			}
			return and, nil
		}
		return false, fmt.Errorf("condition %s: cannot decide %v", name, v)
	}
	v, err := decide(def)
	s.conds[name] = v
	return v, err
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// eval returns v with every intrinsic function replaced by its value.
func (s *stack) eval(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			e, err := s.eval(e)
			if err != nil {
				return nil, err
			}
			if e != noValue {
				out = append(out, e)
			}
		}
		return out, nil
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return s.intrinsic(k, arg)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			e, err := s.eval(e)
			if err != nil {
				return nil, err
			}
			if e != noValue {
				out[k] = e
			}
		}
		return out, nil
	}
	return v, nil
}

func (s *stack) lookup(name string) (string, error) {
	switch name {
	case "AWS::Partition":
		return "aws", nil
	case "AWS::Region":
		return testRegion, nil
	case "AWS::AccountId":
		return testAccount, nil
	case "AWS::StackName":
		return "tailor", nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if strings.Contains(name, ".") {
		if v, ok := s.attrs[name]; ok {
			return v, nil
		}
		return "", fmt.Errorf("no attribute %s", name)
	}
	if v, ok := s.params[name]; ok {
		return v, nil
	}
	if v, ok := s.refs[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("nothing named %s", name)
}

func (s *stack) intrinsic(fn string, arg any) (any, error) {
	switch fn {
	case "Ref":
		if arg == "AWS::NoValue" {
			return noValue, nil
		}
		return s.lookup(fmt.Sprint(arg))
	case "Fn::GetAtt":
		a := asList(arg)
		return s.lookup(fmt.Sprint(a[0]) + "." + fmt.Sprint(a[1]))
	case "Fn::If":
		a := asList(arg)
		c, ok := s.conds[fmt.Sprint(a[0])]
		if !ok {
			return nil, fmt.Errorf("Fn::If: no condition %v", a[0])
		}
		if c {
			return s.eval(a[1])
		}
		return s.eval(a[2])
	case "Fn::Sub":
		text, vars := arg, map[string]any{}
		if a, ok := arg.([]any); ok {
			text, vars = a[0], asMap(a[1])
		}
		var err error
		out := subVar.ReplaceAllStringFunc(fmt.Sprint(text), func(m string) string {
			name := m[2 : len(m)-1]
			if strings.HasPrefix(name, "!") {
				return "${" + name[1:] + "}"
			}
			if v, ok := vars[name]; ok {
				ev, e := s.eval(v)
				if e != nil {
					err = e
				}
				return fmt.Sprint(ev)
			}
			v, e := s.lookup(name)
			if e != nil {
				err = fmt.Errorf("Fn::Sub %q: %w", text, e)
			}
			return v
		})
		return out, err
	case "Fn::Join":
		a := asList(arg)
		items, err := s.eval(a[1])
		if err != nil {
			return nil, err
		}
		var parts []string
		for _, e := range asList(items) {
			parts = append(parts, fmt.Sprint(e))
		}
		return strings.Join(parts, fmt.Sprint(a[0])), nil
	case "Fn::Split":
		a := asList(arg)
		str, err := s.eval(a[1])
		var out []any
		for _, p := range strings.Split(fmt.Sprint(str), fmt.Sprint(a[0])) {
			out = append(out, p)
		}
		return out, err
	case "Fn::Select":
		a := asList(arg)
		items, err := s.eval(a[1])
		if err != nil {
			return nil, err
		}
		var i int
		fmt.Sscan(fmt.Sprint(a[0]), &i)
		if l := asList(items); i >= 0 && i < len(l) {
			return l[i], nil
		}
		return nil, fmt.Errorf("Fn::Select: index %d out of range", i)
	}
	return nil, fmt.Errorf("the test cannot evaluate %s", fn)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// dig follows a path of keys through nested maps.
func dig(v any, path ...string) any {
	for _, k := range path {
		v = asMap(v)[k]
	}
	return v
}

// resourcesOfType returns the logical ids of the template's resources of a
// type.
func resourcesOfType(tmpl map[string]any, typ string) []string {
	var ids []string
	for id, r := range asMap(tmpl["Resources"]) {
		if dig(r, "Type") == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
