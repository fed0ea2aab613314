package analyze

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/trail"
)

// Need is one IAM action an event needed. Role says which of the event's
// resources it applies to when an event needs several actions on different
// resources ("" for the main one, "source" or "destination").
type Need struct {
	Action *catalog.Action
	Role   string
}

// Outcome of mapping an event to actions.
type mapStatus int

const (
	mapped mapStatus = iota
	permissionlessCall
	unmapped
)

var (
	lambdaSuffix     = regexp.MustCompile(`\d{8}(v\d+)?$`)
	cloudfrontSuffix = regexp.MustCompile(`\d{4}_\d{2}_\d{2}$`)
)

// servicePrefix turns an eventSource into an IAM service prefix.
func servicePrefix(eventSource string) string {
	host := strings.TrimSuffix(eventSource, ".amazonaws.com")
	if p, ok := sourcePrefix[host]; ok {
		return p
	}
	return host
}

// eventAction returns "prefix:Name" for an event, with only the Lambda and
// CloudFront version suffixes stripped; a generic rule would break real
// actions such as rds:RestoreDBInstanceFromS3.
func eventAction(r *trail.Record) string {
	prefix := servicePrefix(r.EventSource)
	name := r.EventName
	switch prefix {
	case "lambda":
		name = lambdaSuffix.ReplaceAllString(name, "")
	case "cloudfront":
		name = cloudfrontSuffix.ReplaceAllString(name, "")
	}
	return prefix + ":" + name
}

// mapActions returns the actions an API call needed. The unmapped name is
// returned for reports when the status is unmapped.
func mapActions(cat *catalog.Catalog, r *trail.Record, req params) ([]Need, mapStatus, string) {
	ev := eventAction(r)
	if permissionless[ev] {
		return nil, permissionlessCall, ev
	}
	names := special(ev, req)
	if names == nil {
		names = renamed[ev]
	}
	if names == nil {
		names = []string{ev}
	}
	needs := make([]Need, 0, len(names))
	for _, n := range names {
		name, role, _ := strings.Cut(n, "@")
		a, ok := cat.Action(name)
		if !ok {
			return nil, unmapped, name
		}
		needs = append(needs, Need{Action: a, Role: role})
	}
	return needs, mapped, ""
}

// s3Versioned maps object actions to their version variants, used when the
// request names a versionId.
var s3Versioned = map[string]string{
	"s3:GetObject":           "s3:GetObjectVersion",
	"s3:HeadObject":          "s3:GetObjectVersion",
	"s3:DeleteObject":        "s3:DeleteObjectVersion",
	"s3:GetObjectAcl":        "s3:GetObjectVersionAcl",
	"s3:PutObjectAcl":        "s3:PutObjectVersionAcl",
	"s3:GetObjectTagging":    "s3:GetObjectVersionTagging",
	"s3:PutObjectTagging":    "s3:PutObjectVersionTagging",
	"s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging",
}

// special handles events whose actions depend on the request.
func special(ev string, req params) []string {
	if v, ok := s3Versioned[ev]; ok && req.has("versionId") {
		return []string{v}
	}
	switch ev {
	case "s3:CopyObject", "s3:UploadPartCopy":
		// A source named with ?versionId= is read as that version.
		src := firstNonEmpty(req.first("x-amz-copy-source"), req.first("copySource"))
		if !strings.Contains(src, "versionId=") {
			return nil
		}
		out := slices.Clone(renamed[ev])
		for i, n := range out {
			if name, role, ok := strings.Cut(n, "@"); ok && role == "source" && s3Versioned[name] != "" {
				out[i] = s3Versioned[name] + "@" + role
			}
		}
		return out
	case "dynamodb:ExecuteStatement":
		return partiQL(req.strings("statement"))
	case "dynamodb:BatchExecuteStatement":
		return partiQL(req.strings("statements.statement"))
	case "dynamodb:ExecuteTransaction":
		return partiQL(req.strings("transactStatements.statement"))
	case "dynamodb:TransactWriteItems":
		// Each item kind is its own action on its own tables; the role
		// (rules.go) says which tables.
		var out []string
		for key, action := range map[string]string{"put": "dynamodb:PutItem", "update": "dynamodb:UpdateItem", "delete": "dynamodb:DeleteItem", "conditionCheck": "dynamodb:ConditionCheckItem"} {
			if len(req.strings("transactItems."+key+".tableName")) > 0 {
				out = append(out, action+"@"+key)
			}
		}
		if out == nil {
			return nil
		}
		return sortedUnique(out)
	}
	return nil
}

// partiQL picks the PartiQL action from each statement's verb.
func partiQL(statements []string) []string {
	var out []string
	for _, s := range statements {
		verb, _, _ := strings.Cut(strings.TrimSpace(s), " ")
		switch strings.ToUpper(verb) {
		case "SELECT":
			out = append(out, "dynamodb:PartiQLSelect")
		case "INSERT":
			out = append(out, "dynamodb:PartiQLInsert")
		case "UPDATE":
			out = append(out, "dynamodb:PartiQLUpdate")
		case "DELETE":
			out = append(out, "dynamodb:PartiQLDelete")
		}
	}
	if out == nil {
		return nil
	}
	return sortedUnique(out)
}
