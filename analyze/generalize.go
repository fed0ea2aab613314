package analyze

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tailor-iam/tailor/arn"
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

// ParseGeneralize reads --generalize values: "s3-prefix=N" and "revisions",
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
					return g, fmt.Errorf("--generalize s3-prefix=%s: want a number of path segments from 0 to 64", val)
				}
				g.S3Prefix, g.S3PrefixSet = n, true
			case name == "revisions" && !hasVal:
				g.Revisions = true
			case name == "":
			default:
				return g, fmt.Errorf("--generalize %q: want s3-prefix=N or revisions", s)
			}
		}
	}
	return g, nil
}

// apply returns arn generalized, and a note for the report when it changed.
func (g Generalize) apply(arn string) (string, string) {
	if g.S3PrefixSet && strings.HasPrefix(arn, "arn:") {
		if out, ok := s3Prefix(arn, g.S3Prefix); ok {
			return out, fmt.Sprintf("--generalize s3-prefix=%d: object keys collapsed to %d path segments", g.S3Prefix, g.S3Prefix)
		}
	}
	if g.Revisions {
		if out, ok := revision(arn); ok {
			return out, "--generalize revisions: " + revisionKind(arn)
		}
	}
	return arn, ""
}

// s3Prefix collapses the key of an S3 object ARN to keep segments:
// arn:aws:s3:::b/2024/05/14/r.pdf at 2 becomes arn:aws:s3:::b/2024/05/*.
func s3Prefix(s string, keep int) (string, bool) {
	a, ok := arn.Parse(s)
	// Only bucket objects (arn:aws:s3:::bucket/key): access points, jobs
	// and Storage Lens ARNs carry a region and account, and their "/" are
	// not key segments.
	if !ok || a.Service != "s3" || a.Region != "" || a.Account != "" {
		return "", false
	}
	bucket, key, ok := strings.Cut(a.Resource, "/")
	if !ok || bucket == "" {
		return "", false
	}
	segs := strings.Split(key, "/")
	if len(segs) <= keep {
		return "", false // the key is no deeper than the prefix kept
	}
	head := a.Head() + bucket + "/"
	if keep == 0 {
		return head + "*", true
	}
	return head + strings.Join(segs[:keep], "/") + "/*", true
}

// revision turns task-definition/family:42 into task-definition/family:*
// and function:name:7 into function:name:*. Aliases stay: they are names a
// deployment keeps, not revisions it replaces.
func revision(s string) (string, bool) {
	a, ok := arn.Parse(s)
	if !ok {
		return "", false
	}
	res := a.Resource
	switch {
	case a.Service == "ecs" && strings.HasPrefix(res, "task-definition/"):
		family, rev, ok := strings.Cut(strings.TrimPrefix(res, "task-definition/"), ":")
		if !ok || family == "" || !digits(rev) {
			return "", false
		}
	case a.Service == "lambda" && strings.HasPrefix(res, "function:"):
		fields := strings.Split(res, ":")
		if len(fields) != 3 || fields[1] == "" || !digits(fields[2]) {
			return "", false
		}
	default:
		return "", false
	}
	return s[:strings.LastIndexByte(s, ':')+1] + "*", true
}

func revisionKind(arn string) string {
	if strings.Contains(arn, ":ecs:") {
		return "task-definition revisions collapsed to family:*"
	}
	return "function versions collapsed to function:name:*"
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
