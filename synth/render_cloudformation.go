// CloudFormation output, and reading it back.

package synth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tailor-iam/tailor/policy"
)

func renderCloudFormation(docs []*policy.Document, t Target) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\n")
	fmt.Fprintf(&b, "Description: %s\n", yamlQuote(descriptionText(t.Description)))
	b.WriteString("Resources:\n")
	for i, d := range docs {
		fmt.Fprintf(&b, "  %s:\n", logicalID(t.Name, i, len(docs)))
		fmt.Fprintf(&b, "    Type: %s\n", cfnType(t))
		b.WriteString("    Properties:\n")
		props := cfnProperties(t, i, len(docs))
		for _, k := range []string{"PolicyName", "RoleName", "UserName", "Description"} {
			if v, ok := props[k]; ok {
				fmt.Fprintf(&b, "      %s: %s\n", k, yamlQuote(v))
			}
		}
		if key, ok := cfnAttach(t); ok {
			yamlList(&b, "      ", key+":", []string{t.Name})
		}
		b.WriteString("      PolicyDocument:\n")
		fmt.Fprintf(&b, "        Version: %s\n", yamlQuote(d.Version))
		b.WriteString("        Statement:\n")
		for _, st := range d.Statement {
			fmt.Fprintf(&b, "          - Sid: %s\n", yamlQuote(st.Sid))
			fmt.Fprintf(&b, "            Effect: %s\n", yamlQuote(st.Effect))
			if principal := principalIDs(st); len(principal) > 0 {
				b.WriteString("            Principal:\n")
				for _, typ := range slices.Sorted(maps.Keys(principal)) {
					yamlList(&b, "              ", yamlKey("              ", typ), principal[typ])
				}
			}
			yamlList(&b, "            ", "Action:", st.Action)
			if len(st.Resource) > 0 {
				yamlList(&b, "            ", "Resource:", st.Resource)
			}
			if len(st.Condition) > 0 {
				b.WriteString("            Condition:\n")
				for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
					b.WriteString("              " + yamlKey("              ", op))
					if len(st.Condition[op]) == 0 {
						b.WriteString(" {}\n")
						continue
					}
					b.WriteString("\n")
					for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
						yamlList(&b, "                ", yamlKey("                ", key), st.Condition[op][key])
					}
				}
			}
		}
	}
	return []byte(b.String())
}

func cfnType(t Target) string {
	switch t.Inline {
	case "role":
		return "AWS::IAM::RolePolicy"
	case "user":
		return "AWS::IAM::UserPolicy"
	}
	return "AWS::IAM::ManagedPolicy"
}

// cfnProperties are document i's resource properties besides its policy.
func cfnProperties(t Target, i, n int) map[string]string {
	switch t.Inline {
	case "role":
		return map[string]string{"PolicyName": identifier("tailor-"+t.Name, "-", i, n), "RoleName": t.Name}
	case "user":
		return map[string]string{"PolicyName": identifier("tailor-"+t.Name, "-", i, n), "UserName": t.Name}
	}
	return map[string]string{"Description": descriptionText(t.Description)}
}

// yamlKey writes a quoted mapping key and its colon. YAML allows an
// implicit key of at most 1024 characters; a longer one is written as an
// explicit "? key" on a line of its own, its colon on the next.
func yamlKey(pad, key string) string {
	q := yamlQuote(key)
	if utf8.RuneCountInString(q) > 1000 {
		return "? " + q + "\n" + pad + ":"
	}
	return q + ":"
}

// yamlList writes a key, as yamlKey returns it, and its list of values.
func yamlList(b *strings.Builder, pad, key string, values []string) {
	b.WriteString(pad + key)
	if len(values) == 0 {
		b.WriteString(" []\n")
		return
	}
	b.WriteString("\n")
	for _, v := range values {
		fmt.Fprintf(b, "%s  - %s\n", pad, yamlQuote(v))
	}
}

// cfnIntrinsic refuses a document CloudFormation would not pass to IAM as
// written: it reads a mapping whose only key is Ref, Condition or Fn::...
// as a function call, and no quoting changes that.
func cfnIntrinsic(docs []*policy.Document) error {
	function := func(keys []string) string {
		if len(keys) == 1 && (keys[0] == "Ref" || keys[0] == "Condition" || strings.HasPrefix(keys[0], "Fn::")) {
			return keys[0]
		}
		return ""
	}
	for n, d := range docs {
		for _, st := range d.Statement {
			f := function(slices.Collect(maps.Keys(st.Condition)))
			for _, keys := range st.Condition {
				if f == "" {
					f = function(slices.Collect(maps.Keys(keys)))
				}
			}
			if f != "" {
				return fmt.Errorf("render cloudformation: document %d: statement %s: CloudFormation would read the condition element %s as a function; write it as JSON or Terraform", n+1, st.Sid, shown(f))
			}
		}
	}
	return nil
}

// cfnTemplate is the template RenderCloudFormation writes, for reading it
// back: a field it does not write is an error.
type cfnTemplate struct {
	AWSTemplateFormatVersion string                 `yaml:"AWSTemplateFormatVersion"`
	Description              string                 `yaml:"Description"`
	Resources                map[string]cfnResource `yaml:"Resources"`
}

type cfnResource struct {
	Type       string `yaml:"Type"`
	Properties struct {
		PolicyName     *string     `yaml:"PolicyName"`
		RoleName       *string     `yaml:"RoleName"`
		Roles          []string    `yaml:"Roles"`
		Users          []string    `yaml:"Users"`
		UserName       *string     `yaml:"UserName"`
		Description    *string     `yaml:"Description"`
		PolicyDocument cfnDocument `yaml:"PolicyDocument"`
	} `yaml:"Properties"`
}

type cfnDocument struct {
	Version   string `yaml:"Version"`
	Statement []struct {
		Sid       string                         `yaml:"Sid"`
		Effect    string                         `yaml:"Effect"`
		Principal map[string][]string            `yaml:"Principal"`
		Action    []string                       `yaml:"Action"`
		Resource  []string                       `yaml:"Resource"`
		Condition map[string]map[string][]string `yaml:"Condition"`
	} `yaml:"Statement"`
}

// checkCloudFormation reads out back with a YAML parser and compares it
// with what was rendered.
func checkCloudFormation(out []byte, docs []*policy.Document, t Target) error {
	dec := yaml.NewDecoder(bytes.NewReader(out))
	dec.KnownFields(true)
	var tpl cfnTemplate
	if err := dec.Decode(&tpl); err != nil {
		return fmt.Errorf("render cloudformation: the output does not read back: %w", err)
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return fmt.Errorf("render cloudformation: the output holds more than one YAML document")
	}
	if tpl.AWSTemplateFormatVersion != "2010-09-09" || tpl.Description != descriptionText(t.Description) || len(tpl.Resources) != len(docs) {
		return fmt.Errorf("render cloudformation: the template does not read back as written")
	}
	got := make([]*policy.Document, len(docs))
	for i := range docs {
		id := logicalID(t.Name, i, len(docs))
		r, ok := tpl.Resources[id]
		if !ok || r.Type != cfnType(t) {
			return fmt.Errorf("render cloudformation: resource %s does not read back as written", id)
		}
		props := map[string]string{}
		for k, v := range map[string]*string{"PolicyName": r.Properties.PolicyName, "RoleName": r.Properties.RoleName, "UserName": r.Properties.UserName, "Description": r.Properties.Description} {
			if v != nil {
				props[k] = *v
			}
		}
		var attached []string
		if key, ok := cfnAttach(t); ok {
			attached = []string{t.Name}
			if key == "Users" {
				r.Properties.Roles, r.Properties.Users = r.Properties.Users, r.Properties.Roles
			}
		}
		if !slices.Equal(r.Properties.Roles, attached) || len(r.Properties.Users) > 0 {
			return fmt.Errorf("render cloudformation: resource %s's attachment does not read back as written", id)
		}
		if !maps.Equal(props, cfnProperties(t, i, len(docs))) {
			return fmt.Errorf("render cloudformation: resource %s's properties do not read back as written", id)
		}
		d := r.Properties.PolicyDocument
		p := &policy.Document{Version: d.Version}
		for _, s := range d.Statement {
			st := policy.Statement{Sid: s.Sid, Effect: s.Effect, Action: s.Action, Resource: s.Resource, Condition: s.Condition}
			if s.Principal != nil {
				st.Principal = &policy.Principal{IDs: s.Principal}
			}
			p.Statement = append(p.Statement, st)
		}
		got[i] = p
	}
	return checkReadBack("cloudformation", docs, got)
}

// cfnAttach is the ManagedPolicy property that attaches it to Target's
// role or user, when it asks for one.
func cfnAttach(t Target) (string, bool) {
	switch {
	case t.Inline != "":
		return "", false
	case t.Attach == "role":
		return "Roles", true
	case t.Attach == "user":
		return "Users", true
	}
	return "", false
}
