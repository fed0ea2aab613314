package analyze

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/rules"
)

// Generalize holds the generalizations a user asked for with --generalize.
// Each widens an exact ARN on purpose, so a policy keeps working on the
// next object key or the next deployment; the zero value widens nothing.
type Generalize struct {
	// S3Prefix, when S3PrefixSet, keeps this many "/" segments of an object
	// key and replaces the rest with "*".
	S3Prefix    int
	S3PrefixSet bool
	// Revisions turns ECS task-definition revisions into family:* and
	// Lambda function versions into function:name:*.
	Revisions bool
}

// ParseGeneralize reads generalization values (--generalize): "s3-prefix=N" and "revisions",
// each given once or joined with commas.
func ParseGeneralize(specs []string) (Generalize, error) {
	var g Generalize
	for _, spec := range specs {
		for _, s := range strings.Split(spec, ",") {
			name, val, hasVal := strings.Cut(strings.TrimSpace(s), "=")
			switch {
			case name == "s3-prefix" && hasVal:
				n, err := strconv.Atoi(val)
				if err != nil || n < 0 || n > 64 {
					return g, fmt.Errorf("s3-prefix=%s: want a number of path segments from 0 to 64", val)
				}
				g.S3Prefix, g.S3PrefixSet = n, true
			case name == "revisions" && !hasVal:
				g.Revisions = true
			case name == "":
			default:
				return g, fmt.Errorf("%q: want s3-prefix=N or revisions", s)
			}
		}
	}
	return g, nil
}

// apply returns an ARN generalized, and a note for the report when it
// changed. The service's rules say what a prefix or a revision is.
func (g Generalize) apply(s string) (string, string) {
	a, ok := arn.Parse(s)
	if !ok {
		return s, ""
	}
	svc := rules.For(a.Service)
	if g.S3PrefixSet && svc.KeyPrefix != nil {
		if out, ok := svc.KeyPrefix(a, g.S3Prefix); ok {
			return out, fmt.Sprintf("s3-prefix=%d: object keys collapsed to %d path segments", g.S3Prefix, g.S3Prefix)
		}
	}
	if g.Revisions && svc.Revision != nil {
		if out, note, ok := svc.Revision(a); ok {
			return out, "revisions: " + note
		}
	}
	return s, ""
}
