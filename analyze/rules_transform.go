package analyze

import (
	"net/url"
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// Value transforms the rules use: each turns a raw request or response
// value into an ARN segment, or reports that the value does not fit.

func lambdaFunctionName(v string) (string, bool) {
	// A name, name:qualifier, or a partial ARN ACCOUNT:function:NAME[:Q].
	// Full ARNs matching the template are used whole before this runs.
	if i := strings.Index(v, ":function:"); i >= 0 {
		v = v[i+len(":function:"):]
	}
	return v, v != "" && !strings.HasPrefix(v, ":")
}

func lastColonSegment(v string) (string, bool) {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func kmsKeyID(v string) (string, bool) {
	if strings.HasPrefix(v, "alias/") || strings.HasPrefix(v, "arn:") {
		return "", false // an alias names no key; key ARNs are used whole
	}
	return v, v != ""
}

// kmsAlias strips "alias/": the template already has it.
func kmsAlias(v string) (string, bool) {
	name, ok := strings.CutPrefix(v, "alias/")
	return name, ok && name != ""
}

// secretWildcard: a secret named without its 6-character random suffix is
// matched by IAM only with "name-??????".
func secretWildcard(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return v + "-??????", v != ""
}

// hasSecretSuffix reports whether a secret ARN ends in the "-XXXXXX"
// random suffix Secrets Manager adds.
func hasSecretSuffix(arn string) bool {
	if len(arn) < 7 || arn[len(arn)-7] != '-' {
		return false
	}
	for _, c := range arn[len(arn)-6:] {
		if !isAlnum(c) {
			return false
		}
	}
	return true
}

// secretARNForms lists the ARNs a secret ARN with a suffix may stand for.
// Secrets Manager adds "-" and six random letters and digits to a secret's
// name; a name may itself end in "-" and six characters (prod/api-config),
// and AWS warns that a partial ARN of such a name is ambiguous. Six that do
// not mix letters of both cases or letters and digits are taken as
// possibly the name's own: the ARN as given and, for the partial reading,
// the ARN with any suffix.
func secretARNForms(arn string) []string {
	if !hasSecretSuffix(arn) || looksRandom(arn[len(arn)-6:]) {
		return []string{arn}
	}
	return []string{arn, arn + "-??????"}
}

// looksRandom reports whether s mixes at least two of upper-case letters,
// lower-case letters and digits, as a generated suffix nearly always does
// (about 99 in 100 of them).
func looksRandom(s string) bool {
	var upper, lower, digit int
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = 1
		case c >= 'a' && c <= 'z':
			lower = 1
		case c >= '0' && c <= '9':
			digit = 1
		}
	}
	return upper+lower+digit >= 2
}

func isAlnum(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// ssmParameterName drops the leading slash and a ":version" or ":label"
// selector, which IAM does not see. A path keeps its trailing slash:
// GetParametersByPath is checked against the path as given.
func ssmParameterName(v string) (string, bool) {
	v = strings.TrimPrefix(v, "/")
	v, _, _ = strings.Cut(v, ":")
	return v, v != ""
}

// ssmDocumentARN drops the account from the ARN of a document AWS owns:
// names starting "aws", "amazon" or "amzn" are reserved to AWS.
func ssmDocumentARN(arn string) string {
	i := strings.Index(arn, ":document/")
	if i < 0 {
		return arn
	}
	name := strings.ToLower(arn[i+len(":document/"):])
	if !strings.HasPrefix(name, "aws") && !strings.HasPrefix(name, "amazon") && !strings.HasPrefix(name, "amzn") {
		return arn
	}
	j := strings.LastIndexByte(arn[:i], ':')
	return arn[:j+1] + arn[i:]
}

func afterSlash(v string) (string, bool) {
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	return v, v != ""
}

func taskDefFamily(v string) (string, bool) {
	v, _ = afterSlash(v)
	fam, _, _ := strings.Cut(v, ":")
	return fam, fam != ""
}

func taskDefRevision(v string) (string, bool) {
	v, _ = afterSlash(v)
	_, rev, ok := strings.Cut(v, ":")
	return rev, ok && rev != ""
}

func afterStackPrefix(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		parts := strings.Split(v, "/")
		if len(parts) >= 2 {
			return parts[1], true
		}
		return "", false
	}
	return v, v != ""
}

// copySourceBucket and copySourceKey read a CopyObject or UploadPartCopy
// source: "bucket/key", optionally with a leading slash, URL-escaped, and
// with "?versionId=".
func copySourceBucket(v string) (string, bool) {
	b, _, ok := splitCopySource(v)
	return b, ok
}

func copySourceKey(v string) (string, bool) {
	_, k, ok := splitCopySource(v)
	return k, ok
}

func splitCopySource(v string) (bucket, key string, ok bool) {
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "/"), "?")
	bucket, key, ok = strings.Cut(v, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", false
	}
	return unescapePath(bucket), unescapePath(key), true
}

// idWithPrefix accepts only ids of one kind, by their prefix: an EC2
// CreateTags lists instances, volumes and groups in one resourcesSet.
func idWithPrefix(prefix string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		return v, strings.HasPrefix(v, prefix) && len(v) > len(prefix)
	}
}

// lower: RDS and ElastiCache store identifiers in lower case, and their
// ARNs carry the stored form.
func lower(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return strings.ToLower(v), v != ""
}

// subscriptionTopic turns an SNS subscription ARN (TOPIC-ARN:ID) into its
// topic's ARN: IAM authorizes a subscription's calls on its topic.
func subscriptionTopic(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return v, v != "" // a topic's name (CreateTopic)
	}
	i := strings.LastIndexByte(v, ':')
	if i < 0 || strings.Count(v, ":") != 6 {
		return "", false
	}
	return v[:i], true
}

// route53ID strips the "/hostedzone/", "/change/" or "/healthcheck/"
// prefix Route 53 ids may carry.
func route53ID(v string) (string, bool) {
	if strings.HasPrefix(v, "/") {
		v, _ = afterSlash(v)
	}
	return v, v != ""
}

func route53Type(typ string) func(params) bool {
	return func(req params) bool {
		t := req.first("resourceType")
		return t == "" || strings.EqualFold(t, typ)
	}
}

// onDefaultBus reports whether a rule call is about the default event bus.
func onDefaultBus(req params) bool {
	b := req.first("eventBusName")
	return b == "" || b == "default" || strings.HasSuffix(b, ":event-bus/default")
}

// customBusName reads a custom bus's name from its name or ARN; the
// default bus has no name in its rules' ARNs.
func customBusName(v string) (string, bool) {
	if i := strings.Index(v, ":event-bus/"); i >= 0 {
		v = v[i+len(":event-bus/"):]
	}
	return v, v != "" && v != "default" && !strings.HasPrefix(v, "arn:")
}

// busName reads an event bus's name from its name or ARN.
func busName(v string) (string, bool) {
	if i := strings.Index(v, ":event-bus/"); i >= 0 {
		v = v[i+len(":event-bus/"):]
	}
	return v, v != "" && !strings.HasPrefix(v, "arn:")
}

// absent is a when-predicate: the variable is known only if the request
// lacks field (Lex V2 names bots by id: botName then is not the V1 name).
func absent(field string) func(params) bool {
	return func(req params) bool { return !req.has(field) }
}

// sesSenderIdentities: SES authorizes sending from an address against the
// address's identity when that is verified, else its domain's. The event
// does not say which, so both stand. A sender may be `"Name" <addr>`.
func sesSenderIdentities(v string) []string {
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		v = strings.TrimSuffix(v[i+1:], ">")
	}
	v = strings.TrimSpace(v)
	_, domain, ok := strings.Cut(v, "@")
	if !ok || domain == "" || strings.ContainsAny(v, " ,") {
		return nil
	}
	return []string{v, domain}
}

// iamIdentityType, iamIdentityAccount and iamIdentityName read an EKS
// access entry's principal ARN: arn:aws:iam::ACCOUNT:role/NAME.
func iamIdentityType(v string) (string, bool) {
	a, ok := arn.Parse(v)
	if !ok {
		return "", false
	}
	typ, _, ok := strings.Cut(a.Resource, "/")
	return typ, ok && (typ == "role" || typ == "user")
}

func iamIdentityAccount(v string) (string, bool) {
	a, ok := arn.Parse(v)
	if !ok || a.Account == "" {
		return "", false
	}
	return a.Account, true
}

func iamIdentityName(v string) (string, bool) {
	if !strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return afterSlash(v)
}

// bedrockFoundationModel and bedrockInferenceProfile tell a foundation
// model's id (anthropic.claude-3-5-sonnet-20240620-v1:0) from a
// cross-region inference profile's, which starts with a geography.
func bedrockFoundationModel(v string) (string, bool) {
	return v, v != "" && !strings.Contains(v, "/") && !strings.HasPrefix(v, "arn:") && bedrockGeography(v) == ""
}

func bedrockInferenceProfile(v string) (string, bool) {
	return v, bedrockGeography(v) != "" && !strings.Contains(v, "/")
}

func bedrockGeography(v string) string {
	for _, g := range []string{"us.", "eu.", "apac.", "us-gov.", "ca.", "jp.", "au.", "global."} {
		if strings.HasPrefix(v, g) {
			return g
		}
	}
	return ""
}

// urlHost strips a URL's scheme: an OIDC provider's ARN names its issuer's
// host and path.
func urlHost(v string) (string, bool) {
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	return v, v != ""
}

// urlEscaped escapes a whole ARN as IAM's /tags/ resource holds it:
// arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa1b2.
func urlEscaped(v string) (string, bool) {
	return strings.ReplaceAll(url.QueryEscape(v), "+", "%20"), strings.HasPrefix(v, "arn:")
}

func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// iamLiteral escapes the characters an IAM policy reads specially, so a
// name holding them matches only itself: "$" as ${$}, "*" as ${*}, "?" as
// ${?}.
func iamLiteral(v string) (string, bool) {
	if !strings.ContainsAny(v, "$*?") {
		return v, v != ""
	}
	var b strings.Builder
	for _, r := range v {
		switch r {
		case '$', '*', '?':
			b.WriteString("${")
			b.WriteRune(r)
			b.WriteString("}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// wafScope turns a WAF request's Scope into its ARN segment: REGIONAL is
// "regional", CLOUDFRONT "global".
func wafScope(v string) (string, bool) {
	switch strings.ToUpper(v) {
	case "REGIONAL":
		return "regional", true
	case "CLOUDFRONT":
		return "global", true
	}
	return "", false
}

// buildProject reads the project of a CodeBuild build id (project:uuid).
func buildProject(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	project, _, _ := strings.Cut(v, ":")
	return project, project != ""
}
