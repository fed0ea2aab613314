package analyze

import (
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
	// Template, when set, is the ARN template (catalog syntax) of the
	// need's resource, in place of the action's resource types: API
	// Gateway authorizes an HTTP verb on the request's path. Wildcard
	// means the path is unknown.
	Template string
	// ResourcesOf, when set, is the action whose resources this need
	// takes: a tag applied on create is on the resource the create makes.
	ResourcesOf *catalog.Action
	// mapped is set on needs mapping made from the event; a need without
	// it was named by a denial message (the analyzer builds those).
	mapped bool
}

// Outcome of mapping an event to actions.
type mapStatus int

const (
	mapped mapStatus = iota
	permissionlessCall
	unmapped
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
		name = trimLambdaSuffix(name)
	case "cloudfront":
		name = trimCloudFrontSuffix(name)
	}
	return prefix + ":" + name
}

// trimLambdaSuffix strips an API-version suffix `\d{8}(v\d+)?$`:
// UpdateFunctionCode20150331v2 is UpdateFunctionCode.
func trimLambdaSuffix(name string) string {
	s := name
	if i := strings.LastIndexByte(s, 'v'); i >= 0 && i+1 < len(s) && allDigits(s[i+1:]) {
		s = s[:i]
	}
	if len(s) > 8 && allDigits(s[len(s)-8:]) {
		return s[:len(s)-8]
	}
	return name
}

// trimCloudFrontSuffix strips an API-version suffix `\d{4}_\d{2}_\d{2}$`:
// UpdateDistribution2020_05_31 is UpdateDistribution.
func trimCloudFrontSuffix(name string) string {
	const n = len("2020_05_31")
	if len(name) <= n {
		return name
	}
	sfx := name[len(name)-n:]
	if allDigits(sfx[:4]) && sfx[4] == '_' && allDigits(sfx[5:7]) && sfx[7] == '_' && allDigits(sfx[8:]) {
		return name[:len(name)-n]
	}
	return name
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// mapActions returns the actions an API call needed. The unmapped name is
// returned for reports when the status is unmapped.
func mapActions(cat *catalog.Catalog, r *trail.Record, req params) ([]Need, mapStatus, string) {
	ev := eventAction(r)
	if permissionless[ev] {
		return nil, permissionlessCall, ev
	}
	ev = outpostsEvent(ev, req) // S3's and S3 Control's calls on an Outpost are s3-outposts actions
	prefix, name, _ := strings.Cut(ev, ":")
	if prefix == "apigateway" {
		return apigatewayNeeds(cat, name, req)
	}
	names := special(ev, req)
	if names == nil {
		names = published(cat, prefix, name, ev)
	}
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
		if !ok && len(names) == 1 && sessionAction[prefix] != "" {
			a, ok = cat.Action(sessionAction[prefix])
		}
		if !ok {
			return nil, unmapped, name
		}
		needs = append(needs, Need{Action: a, Role: role, mapped: true})
	}
	return append(needs, impliedNeeds(cat, ev, req, needs)...), mapped, ""
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

// s3ACLHeaders are the request headers that set a new object's ACL.
var s3ACLHeaders = []string{"x-amz-acl", "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"}

// special handles events whose actions depend on the request.
func special(ev string, req params) []string {
	if v, ok := s3Versioned[ev]; ok && req.has("versionId") {
		return []string{v}
	}
	switch ev {
	case "s3:CopyObject", "s3:UploadPartCopy":
		return s3Copy(ev, req)
	case "s3:GetPublicAccessBlock", "s3:PutPublicAccessBlock", "s3:DeletePublicAccessBlock":
		// The s3control form of these calls names no bucket: it is the
		// account's public access block.
		if !req.has("bucketName") {
			if ev == "s3:GetPublicAccessBlock" {
				return []string{"s3:GetAccountPublicAccessBlock"}
			}
			return []string{"s3:PutAccountPublicAccessBlock"}
		}
	case "sts:AssumeRole":
		// Session tags and a source identity need their own permission on
		// the role.
		out := []string{"sts:AssumeRole"}
		if req.has("tags.key") || req.has("transitiveTagKeys") {
			out = append(out, "sts:TagSession")
		}
		if req.has("sourceIdentity") {
			out = append(out, "sts:SetSourceIdentity")
		}
		if len(out) > 1 {
			return out
		}
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
		for _, kind := range []struct{ key, action string }{
			{"put", "dynamodb:PutItem"}, {"update", "dynamodb:UpdateItem"},
			{"delete", "dynamodb:DeleteItem"}, {"conditionCheck", "dynamodb:ConditionCheckItem"},
		} {
			if req.has("transactItems." + kind.key + ".tableName") {
				out = append(out, kind.action+"@"+kind.key)
			}
		}
		return out
	}
	return nil
}

// s3Copy lists what a copy needs (reference §4 B): PutObject on the
// destination, plus PutObjectTagging when it sets tags and PutObjectAcl
// when it sets an ACL; GetObject on the source, plus GetObjectTagging
// when the tags are copied (the default) rather than replaced. A source
// named with ?versionId= is read as that version.
func s3Copy(ev string, req params) []string {
	src := firstNonEmpty(req.first("x-amz-copy-source"), req.first("copySource"))
	versioned := strings.Contains(src, "versionId=")
	read := func(action string) string {
		if versioned {
			action = s3Versioned[action]
		}
		return action + "@source"
	}
	out := []string{"s3:PutObject", read("s3:GetObject")}
	if ev == "s3:UploadPartCopy" {
		return out
	}
	if !strings.EqualFold(req.first("x-amz-tagging-directive"), "REPLACE") {
		out = append(out, read("s3:GetObjectTagging"))
	}
	if req.has("x-amz-tagging") {
		out = append(out, "s3:PutObjectTagging")
	}
	for _, h := range s3ACLHeaders {
		if req.has(h) {
			out = append(out, "s3:PutObjectAcl")
			break
		}
	}
	return out
}

// partiQL picks the PartiQL action from each statement's verb; the role
// (rules.go) scopes each action to its own statements' tables.
func partiQL(statements []string) []string {
	var out []string
	for _, s := range statements {
		verb, _, _, _ := partiQLTarget(s)
		switch verb {
		case "SELECT", "INSERT", "UPDATE", "DELETE":
			out = append(out, "dynamodb:PartiQL"+verb[:1]+strings.ToLower(verb[1:])+"@partiql-"+strings.ToLower(verb))
		}
	}
	if out == nil {
		return nil
	}
	return sortedUnique(out)
}

// published returns the actions AWS's service reference says an operation
// authorizes, where that overrides the hand-kept tables: request-dependent
// rules (special) still come first, and the list is used only where the
// operation is not itself an action. AWS lists every action an operation
// may need (GetObject also lists GetObjectVersion, used only with a
// versionId), so an operation whose own name is an action keeps it alone;
// and where the hand table picks among the actions listed, its choice (and
// the resources it assigns each, such as DeleteObjects' bucket/*) stands.
func published(cat *catalog.Catalog, prefix, name, ev string) []string {
	listed, ok := cat.Operation(prefix, name)
	if !ok || len(listed) == 0 {
		return nil
	}
	var valid []string
	for _, a := range listed {
		if strings.EqualFold(a, ev) {
			return nil
		}
		if cat.Exists(a) {
			valid = append(valid, a)
		}
	}
	if len(valid) == 0 {
		return nil
	}
	if own := renamed[ev]; len(own) > 0 {
		confirmed := true
		for _, n := range own {
			base, _, _ := strings.Cut(n, "@")
			confirmed = confirmed && slices.ContainsFunc(valid, func(a string) bool { return strings.EqualFold(a, base) })
		}
		if confirmed {
			return own
		}
	}
	return valid
}
