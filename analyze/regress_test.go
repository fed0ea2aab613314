package analyze

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// The regression suite lives in testdata/regress/*.txt, one file per
// service family, so that adding a case is adding a few lines of data.
//
// A case starts with an unindented header "eventSource EventName", with an
// optional " -- note". Indented lines that follow fill it in:
//
//	request   {requestParameters}
//	response  {responseElements}
//	resources [resources[] entries]
//	region    awsRegion (default us-east-1)
//	user      the caller is this IAM user (default: the checkout-api role's session)
//	error     errorCode errorMessage…
//	want      action resource   (one line per fact, as factLines renders it)
//	want      nothing           (the call yields no fact)
//	dropped   permissionless|unmapped
//	generalized substring       (of a generalization the case must record)
//
// Lines starting with "#" are comments. Each case is wrapped into a full
// record made by checkoutSession (account 111122223333) and its facts must
// match the want lines exactly. iam:PassRole facts are compared only when
// the case names one: inferring PassRole is the analyzer's, not the
// mapping's, so the cases of this suite stay about mapping and scoping.
type regressCase struct {
	file, name  string
	line        int
	source      string
	event       string
	region      string
	request     string
	response    string
	resources   string
	errorCode   string
	errorMsg    string
	want        []string
	dropped     string
	generalized []string
	user        string // the caller, when it is this IAM user instead of checkoutSession
}

// regressServices are the services every release must scope well, each
// with its least number of cases (keyed by the IAM prefix of the event).
var regressServices = map[string]int{
	"s3": 20, "dynamodb": 8, "kms": 6, "sqs": 6, "sns": 5, "lambda": 8, "sts": 3,
	"iam": 8, "ec2": 10, "ecs": 6, "ecr": 4, "eks": 3, "logs": 5, "cloudwatch": 3,
	"events": 4, "states": 4, "secretsmanager": 4, "ssm": 5, "kinesis": 4,
	"firehose": 3, "glue": 8, "athena": 4, "cloudformation": 4, "cloudfront": 4,
	"route53": 3, "rds": 4, "elasticache": 3, "apigateway": 4, "ses": 3,
	"cognito-idp": 3, "cognito-identity": 2,
}

func TestRegression(t *testing.T) {
	cases := readRegressCases(t)
	if len(cases) < 220 {
		t.Errorf("only %d regression cases; the suite holds at least 220", len(cases))
	}
	perService := map[string]int{}
	for _, tc := range cases {
		perService[servicePrefix(tc.source)]++
	}
	for svc, least := range regressServices {
		if perService[svc] < least {
			t.Errorf("%s has %d regression cases, want at least %d", svc, perService[svc], least)
		}
	}
	cat := catalog.Embedded()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			agg := analyzeRecords(t, tc.record(t))
			where := fmt.Sprintf("%s:%d", tc.file, tc.line)
			for k := range agg.Facts {
				if !cat.Exists(k.Action) {
					t.Errorf("%s: fact names %s, which is not in the catalog", where, k.Action)
				}
			}
			got := factLines(agg.FactsOf(firstNonEmpty(tc.user, checkoutRole)))
			if !slices.ContainsFunc(tc.want, isPassRole) {
				got = slices.DeleteFunc(got, isPassRole)
			}
			want := tc.want
			if len(want) == 1 && want[0] == "nothing" {
				want = nil
			}
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
				t.Errorf("%s: facts differ\n got:\n\t%s\nwant:\n\t%s", where,
					strings.Join(slices.Sorted(slices.Values(got)), "\n\t"), strings.Join(slices.Sorted(slices.Values(want)), "\n\t"))
			}
			switch tc.dropped {
			case "permissionless":
				if agg.Counts.Permissionless != 1 {
					t.Errorf("%s: Permissionless = %d, want 1", where, agg.Counts.Permissionless)
				}
			case "unmapped":
				if agg.Counts.Unmapped != 1 {
					t.Errorf("%s: Unmapped = %d, want 1", where, agg.Counts.Unmapped)
				}
			default:
				if agg.Counts.Unmapped != 0 || agg.Counts.Permissionless != 0 {
					t.Errorf("%s: dropped the call (unmapped %v, permissionless %d)", where, agg.Unmapped, agg.Counts.Permissionless)
				}
			}
			gens := agg.GeneralizationsOf(checkoutRole)
			if !slices.ContainsFunc(tc.want, isPassRole) {
				gens = slices.DeleteFunc(gens, func(g string) bool { return strings.HasPrefix(g, "iam:PassRole") })
			}
			for _, g := range tc.generalized {
				if !slices.ContainsFunc(gens, func(s string) bool { return strings.Contains(s, g) }) {
					t.Errorf("%s: no generalization mentions %q; got %q", where, g, gens)
				}
			}
			if tc.generalized == nil && len(gens) > 0 {
				t.Errorf("%s: unexpected generalizations %q", where, gens)
			}
		})
	}
}

func isPassRole(line string) bool { return strings.HasPrefix(line, "iam:PassRole ") }

// record wraps the case into a CloudTrail record as the service logs it.
func (tc *regressCase) record(t *testing.T) string {
	t.Helper()
	raw := func(s, empty string) json.RawMessage {
		if s == "" {
			s = empty
		}
		return json.RawMessage(s)
	}
	rec := map[string]any{
		"eventVersion":       "1.09",
		"userIdentity":       json.RawMessage(checkoutSession),
		"eventTime":          "2024-05-14T10:00:00Z",
		"eventSource":        tc.source,
		"eventName":          tc.event,
		"awsRegion":          firstNonEmpty(tc.region, "us-east-1"),
		"sourceIPAddress":    "10.20.3.41",
		"userAgent":          "aws-sdk-go-v2/1.30.1 os/linux lang/go#1.22.4",
		"requestParameters":  raw(tc.request, "null"),
		"responseElements":   raw(tc.response, "null"),
		"requestID":          "7f3c1a2b-9d8e-4f6a-b5c4-d3e2f1a0b9c8",
		"eventID":            fmt.Sprintf("00000000-0000-4000-8000-%012d", tc.line),
		"readOnly":           false,
		"eventType":          "AwsApiCall",
		"managementEvent":    true,
		"recipientAccountId": "111122223333",
		"eventCategory":      "Management",
	}
	if tc.resources != "" {
		rec["resources"] = json.RawMessage(tc.resources)
	}
	if tc.user != "" {
		name := tc.user[strings.LastIndexByte(tc.user, '/')+1:]
		rec["userIdentity"] = map[string]any{"type": "IAMUser", "principalId": "AIDAYREGRESSUSER0001", "arn": tc.user,
			"accountId": "111122223333", "accessKeyId": "AKIAYREGRESSUSER0001", "userName": name}
	}
	if tc.errorCode != "" {
		rec["errorCode"] = tc.errorCode
		rec["errorMessage"] = tc.errorMsg
	}
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("%s:%d: %v", tc.file, tc.line, err)
	}
	return string(b)
}

func readRegressCases(t *testing.T) []*regressCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "regress", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no regression files in testdata/regress (%v)", err)
	}
	var cases []*regressCase
	names := map[string]bool{}
	for _, path := range files {
		got, err := parseRegressFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range got {
			if names[tc.name] {
				tc.name = fmt.Sprintf("%s@%d", tc.name, tc.line)
			}
			names[tc.name] = true
		}
		cases = append(cases, got...)
	}
	return cases
}

func parseRegressFile(path string) ([]*regressCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	file := filepath.Base(path)
	var cases []*regressCase
	var cur *regressCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", file, n, fmt.Sprintf(format, args...))
		}
		if line[0] != ' ' && line[0] != '\t' {
			head, note, _ := strings.Cut(trimmed, " -- ")
			source, event, ok := strings.Cut(strings.TrimSpace(head), " ")
			if !ok || !strings.HasSuffix(source, ".amazonaws.com") || strings.Contains(event, " ") {
				return nil, fail("header %q is not \"eventSource EventName [-- note]\"", trimmed)
			}
			name := strings.TrimSuffix(file, ".txt") + "/" + strings.TrimSuffix(source, ".amazonaws.com") + " " + event
			if note != "" {
				name += " " + note
			}
			cur = &regressCase{file: file, line: n, name: name, source: source, event: event}
			cases = append(cases, cur)
			continue
		}
		if cur == nil {
			return nil, fail("field before the first case header")
		}
		key, val, _ := strings.Cut(trimmed, " ")
		val = strings.TrimSpace(val)
		switch key {
		case "request", "response", "resources":
			if !json.Valid([]byte(val)) {
				return nil, fail("%s is not valid JSON", key)
			}
			switch key {
			case "request":
				cur.request = val
			case "response":
				cur.response = val
			default:
				cur.resources = val
			}
		case "region":
			cur.region = val
		case "user":
			cur.user = val
		case "error":
			cur.errorCode, cur.errorMsg, _ = strings.Cut(val, " ")
		case "want":
			cur.want = append(cur.want, val)
		case "dropped":
			if val != "permissionless" && val != "unmapped" {
				return nil, fail("dropped %q: want permissionless or unmapped", val)
			}
			cur.dropped = val
		case "generalized":
			cur.generalized = append(cur.generalized, val)
		default:
			return nil, fail("unknown field %q", key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for _, tc := range cases {
		if len(tc.want) == 0 {
			return nil, fmt.Errorf("%s:%d: case has no want line", file, tc.line)
		}
	}
	return cases, nil
}

// The deriver matches ARNs to templates without regexps; this holds the
// matcher to the regular expression of every catalog template, over the
// ARNs of the regression cases and variants of them that must not match.
func TestTemplateMatch(t *testing.T) {
	var arns []string
	for _, tc := range readRegressCases(t) {
		for _, w := range tc.want {
			fields := strings.Fields(w)
			if len(fields) < 2 || !strings.HasPrefix(fields[1], "arn:") {
				continue
			}
			a := fields[1]
			arns = append(arns, a, a+":x", a+"/x", a[:len(a)-1], strings.Replace(a, ":", "::", 1), a+"\n")
		}
	}
	cat := catalog.Embedded()
	seen := map[string]bool{}
	for _, svc := range cat.Services() {
		for _, act := range svc.Actions() {
			for _, rt := range cat.ResourceTypes(act) {
				for _, form := range arnTemplateForms(rt.ARN) {
					if seen[form] {
						continue
					}
					seen[form] = true
					tpl := compileTemplate(form)
					for _, a := range arns {
						if got, want := tpl.match(a), tpl.re.MatchString(a); got != want {
							t.Errorf("%s: match(%q) = %v, the regexp says %v", form, a, got, want)
						}
					}
				}
			}
		}
	}
	if len(seen) < 1000 {
		t.Errorf("only %d templates checked", len(seen))
	}
}
