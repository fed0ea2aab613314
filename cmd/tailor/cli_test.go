package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), args, streams{Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/tailor -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

// TestGolden runs the commands on the bundled demo trail and compares
// stdout with golden files; stderr is checked for its key lines.
func TestGolden(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		golden     string   // stdout golden file; "" means stdout must be empty
		stderrHas  []string // lines stderr must contain
		stderrLack []string
	}{
		{name: "checkout-api", args: []string{"suggest", "--role", "checkout-api"}, golden: "suggest-checkout-api.json",
			stderrHas: []string{"principal: arn:aws:iam::111122223333:role/service/checkout-api", "skipped inputs: 17 (digest 17)", "generalized: secretsmanager:GetSecretValue",
				"generalized: s3:PutObject: 212 keys under acme-checkout-receipts/receipts/, new on 4 of 4 days (51 to 54 a day), none reused a day later → arn:aws:s3:::acme-checkout-receipts/receipts/*",
				"denials added: 0", "denials left out: 3 (identity-policy 1, resource-policy 1, scp 1)",
				"denied, not granted: s3:PutObject on arn:aws:s3:::acme-finance-exports/report.csv: 1 call denied, identity-policy; --include-denied grants it",
				"denied, not granted: dynamodb:DeleteTable on arn:aws:dynamodb:us-east-1:111122223333:table/orders: 1 call denied, scp; no identity-policy Allow can fix it",
				"size: 2307 characters (managed limit 6144)"}},
		{name: "checkout-api by path", args: []string{"suggest", "--role", "/service/checkout-api"}, golden: "suggest-checkout-api.json"},
		{name: "checkout-api with denials", args: []string{"suggest", "--role", "service/checkout-api", "--include-denied"}, golden: "suggest-checkout-api-include-denied.json",
			stderrHas: []string{"denials added: 1", "denied, granted: s3:PutObject on arn:aws:s3:::acme-finance-exports/report.csv: 1 call denied, identity-policy (--include-denied)",
				"denials left out: 2 (resource-policy 1, scp 1)"},
			stderrLack: []string{"denied, not granted: s3:PutObject"}},
		{name: "checkout-api exact", args: []string{"suggest", "--role", "checkout-api", "--exact"}, golden: "suggest-checkout-api-exact.json",
			stderrHas: []string{"generalized: 0 name sets learned as per-run (--exact: learning off)", "over the managed limit of 6144: split into 5 documents",
				"warning: the policy does not fit one document: its largest statements are S3573F8044 (1 action on 218 resources, 17734 characters; --generalize s3-prefix=N or dropping --exact would shrink it)"},
			stderrLack: []string{"generalized: s3:PutObject"}},
		{name: "the size hint offers only what helps", args: []string{"suggest", "--role", "checkout-api", "--exact", "--compact"}, golden: "suggest-checkout-api-exact.json",
			stderrHas:  []string{"warning: the policy does not fit one document: its largest statements are S3573F8044 (1 action on 218 resources, 17734 characters; --generalize s3-prefix=N or dropping --exact would shrink it)"},
			stderrLack: []string{"--compact would"}},
		{name: "report-builder", args: []string{"suggest", "--role", "report-builder"}, golden: "suggest-report-builder.json",
			stderrHas: []string{"denials left out: 2 (identity-policy 1, permissions-boundary 1)",
				"generalized: s3:PutObject: 60 keys under acme-athena-results/analytics/, new on 4 of 4 days (12 to 18 a day), none reused a day later → arn:aws:s3:::acme-athena-results/analytics/*",
				"generalized: states:DescribeExecution: 5 names under arn:aws:states:us-east-1:111122223333:execution:nightly-report:nightly-, 1 new on each of 5 days, none reused a day later → arn:aws:states:us-east-1:111122223333:execution:nightly-report:nightly-*",
				"denied, not granted: glue:GetTable on arn:aws:glue:us-east-1:111122223333:catalog, arn:aws:glue:us-east-1:111122223333:database/hr, arn:aws:glue:us-east-1:111122223333:table/hr/salaries: 1 call denied, identity-policy; --include-denied grants it"},
			stderrLack: []string{`athena:GetQueryExecution: the events do not reveal`}},
		{name: "report-builder with denials", args: []string{"suggest", "--role", "report-builder", "--include-denied"}, golden: "suggest-report-builder-include-denied.json",
			stderrHas: []string{"denied, granted: glue:GetTable on arn:aws:glue:us-east-1:111122223333:catalog, arn:aws:glue:us-east-1:111122223333:database/hr, arn:aws:glue:us-east-1:111122223333:table/hr/salaries: 1 call denied, identity-policy (--include-denied)",
				"denied, not granted: s3:DeleteObject", "denials left out: 1 (permissions-boundary 1)"}},
		{name: "report-builder explained", args: []string{"suggest", "--role", "report-builder", "--explain"}, golden: "suggest-report-builder-explain.json"},
		{name: "explain is JSON only", args: []string{"suggest", "--role", "report-builder", "--explain", "--format", "terraform"}, code: exitUsage},
		{name: "ci-deployer", args: []string{"suggest", "--role", "ci-deployer"}, golden: "suggest-ci-deployer.json"},
		{name: "alice", args: []string{"suggest", "--user", "alice"}, golden: "suggest-alice.json",
			stderrHas: []string{`warning: 1 action was called without any of its optional resource types and is granted on "*": cloudwatch:GetMetricData`,
				`warning: 2 actions have no resource-level permissions in IAM and are granted on "*": ec2:DescribeInstances, iam:ListRoles`,
				"denied, not granted: ec2:TerminateInstances on arn:aws:ec2:us-east-1:111122223333:instance/i-0abc5678def901234: 1 call denied, identity-policy; --include-denied grants it"},
			stderrLack: []string{"the events do not reveal"}},
		{name: "deployer in staging by ARN", args: []string{"suggest", "--role", "arn:aws:iam::444455556666:role/deployer"}, golden: "suggest-deployer-staging.json"},
		{name: "one day", args: []string{"suggest", "--role", "checkout-api", "--since", "2026-11-02", "--until", "2026-11-03"}, golden: "suggest-checkout-api-nov02.json",
			stderrHas: []string{"generalized: 0 name sets learned as per-run"}},
		{name: "folded past the resource cap", args: []string{"suggest", "--role", "checkout-api", "--max-resources", "20", "--exact"}, golden: "suggest-checkout-api-folded.json",
			stderrHas: []string{"generalized: s3:PutObject: more than 20 resources; folded to 5 path segments"}},
		{name: "folds learned from", args: []string{"suggest", "--role", "checkout-api", "--max-resources", "20"}, golden: "suggest-checkout-api.json",
			stderrHas: []string{"generalized: s3:PutObject: more than 20 resources; folded to 5 path segments", "→ arn:aws:s3:::acme-checkout-receipts/receipts/*"}},
		{name: "ambiguous name", args: []string{"suggest", "--role", "deployer"}, code: exitUsage,
			stderrHas: []string{"arn:aws:iam::111122223333:role/deployer", "arn:aws:iam::444455556666:role/deployer"}},
		{name: "no events", args: []string{"suggest", "--role", "nobody"}, code: exitNoEvents, stderrHas: []string{`no events for role "nobody"`}},
		{name: "did you mean", args: []string{"suggest", "--role", "checkout-apj"}, code: exitNoEvents,
			stderrHas: []string{"tailor: no events for role \"checkout-apj\" in the input; did you mean:\n  arn:aws:iam::111122223333:role/service/checkout-api\n"}},
		{name: "same name in another account", args: []string{"suggest", "--role", "arn:aws:iam::999999999999:role/report-builder"}, code: exitNoEvents,
			stderrHas: []string{"did you mean:\n  arn:aws:iam::111122223333:role/report-builder\n"}},
		{name: "the session ARN get-caller-identity prints", args: []string{"suggest", "--role", "arn:aws:sts::111122223333:assumed-role/checkout-api/4b1d2c3e"}, golden: "suggest-checkout-api.json",
			stderrHas: []string{"principal: arn:aws:iam::111122223333:role/service/checkout-api"}},
		{name: "a role ARN without its path", args: []string{"suggest", "--role", "arn:aws:iam::111122223333:role/checkout-api"}, golden: "suggest-checkout-api.json"},
		{name: "everything out of range", args: []string{"suggest", "--role", "checkout-api", "--since", "2027-01-01"}, code: exitNoEvents,
			stderrHas: []string{"all 2958 records read were outside --since/--until, --account or --region"}},
		{name: "an empty directory", args: []string{"analyze", "--source", emptyDir()}, code: exitNoEvents,
			stderrHas: []string{"found no CloudTrail records: the sources hold no files"}},
		{name: "lookup-events output without a record", args: []string{"denied", "--source", lookupEventsDir()}, code: exitNoEvents,
			stderrHas: []string{"events.json: 1 malformed record skipped; first: entry 1 at byte 11: no eventSource or eventName",
				"events.jsonl: 2 malformed records skipped; first: entry 1 at byte 0: no eventSource or eventName",
				"found no CloudTrail records in 2 files: 2 log files without a record"}},
		{name: "envelopes without a record", args: []string{"analyze", "--source", envelopesDir()}, code: exitNoEvents,
			stderrHas: []string{"cwl.json: 1 malformed record skipped; first: entry 1 at byte 62: no eventSource or eventName",
				"found no CloudTrail records in 3 files: 1 JSON file that holds no CloudTrail records, 2 log files without a record"}},
		{name: "root gets a note instead", args: []string{"suggest", "--principal", "arn:aws:iam::111122223333:root"}, code: exitUsage,
			stderrHas: []string{"tailor: arn:aws:iam::111122223333:root is the account's root user: no identity policy applies to it"}},
		{name: "a federated user gets a session policy", args: []string{"suggest", "--principal", "arn:aws:sts::111122223333:federated-user/partner-portal"}, golden: "suggest-federated-user.json",
			stderrHas: []string{"note: arn:aws:sts::111122223333:federated-user/partner-portal is a federated user (sts:GetFederationToken)"}},
		{name: "a role is not a user", args: []string{"suggest", "--user", "checkout-api"}, code: exitNoEvents},
		{name: "no principal", args: []string{"suggest"}, code: exitUsage},
		{name: "two principals", args: []string{"suggest", "--role", "a", "--user", "b"}, code: exitUsage},
		{name: "bad format", args: []string{"suggest", "--role", "checkout-api", "--format", "yaml"}, code: exitUsage},
		{name: "bad since", args: []string{"suggest", "--role", "checkout-api", "--since", "yesterday"}, code: exitUsage},
		{name: "unknown flag", args: []string{"suggest", "--rolle", "x"}, code: exitUsage},
		{name: "a region that is no name", args: []string{"suggest", "--role", "x", "--source", "cloudtrail:us-east-1,us east"}, code: exitUsage, stderrHas: []string{`source cloudtrail:us-east-1,us east: "us east" is not a region name`}},
		{name: "missing source", args: []string{"suggest", "--role", "x", "--source", "/nonexistent/trail"}, code: exitUsage, stderrHas: []string{"--source /nonexistent/trail: no such file or directory"}},
		{name: "no resources kept", args: []string{"suggest", "--role", "x", "--max-resources", "0"}, code: exitUsage, stderrHas: []string{`invalid argument "0" for "--max-resources" flag: 0: want 1 or more`}},
		{name: "negative resources", args: []string{"analyze", "--max-resources", "-5"}, code: exitUsage},
		{name: "no cap", args: []string{"suggest", "--role", "checkout-api", "--max-resources", "-1"}, golden: "suggest-checkout-api.json"},
		{name: "no workers", args: []string{"analyze", "--workers", "0"}, code: exitUsage, stderrHas: []string{`invalid argument "0" for "--workers" flag: 0: want 1 or more`}},
		{name: "negative workers", args: []string{"denied", "--workers", "-2"}, code: exitUsage},
		{name: "terraform", args: []string{"suggest", "--role", "ci-deployer", "--format", "terraform"}, golden: "suggest-ci-deployer.tf"},
		{name: "cloudformation", args: []string{"suggest", "--role", "ci-deployer", "--format", "cloudformation"}, golden: "suggest-ci-deployer.yaml"},
		{name: "split for size", args: []string{"suggest", "--role", "checkout-api", "--exact"}, golden: "suggest-checkout-api-exact.json",
			stderrHas: []string{"over the managed limit of 6144: split into 5 documents"}},
		{name: "inline limit", args: []string{"suggest", "--role", "checkout-api", "--max-size", "inline", "--exact"}, golden: "suggest-checkout-api-inline.json",
			stderrHas: []string{"over the inline limit of 10240: split into 3 documents", "warning: IAM limits all of a role's inline policies together to 10240 characters"}},
		{name: "inline", args: []string{"suggest", "--role", "checkout-api", "--max-size", "inline", "--format", "terraform"},
			golden: "suggest-checkout-api-inline.tf", stderrHas: []string{"(inline limit 10240)"}, stderrLack: []string{"warning: IAM limits"}},
		{name: "bad max-size", args: []string{"suggest", "--role", "checkout-api", "--max-size", "huge"}, code: exitUsage},
		{name: "analyze json", args: []string{"analyze", "--format", "json"}, golden: "analyze.json",
			stderrHas: []string{"principals: 11", "denials: 6", "permissionless calls:", "duplicates: 5 cross-account events delivered to two trails, counted once"}},
		{name: "analyze table", args: []string{"analyze"}, golden: "analyze.txt"},
		{name: "catalog info", args: []string{"catalog", "info", "--catalog", "embedded"}, golden: "catalog-info.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if tc.golden == "" {
				if stdout != "" {
					t.Errorf("stdout should be empty, got:\n%s", stdout)
				}
			} else {
				golden(t, tc.golden, stdout)
				if tc.args[0] == "suggest" && (!strings.Contains(tc.golden, ".json") || slices.Contains(tc.args, "--explain")) {
					// Terraform and CloudFormation are checked in synth.
				} else if tc.args[0] == "suggest" {
					limit := synth.MaxManaged
					if slices.Contains(tc.args, "inline") {
						limit = synth.MaxInlineRole
					}
					checkActions(t, stdout, limit)
				}
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			for _, s := range tc.stderrLack {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// TestDeterministic: the same input gives byte-identical output whatever
// the number of workers.
func TestDeterministic(t *testing.T) {
	first, _, _ := run(t, "suggest", "--role", "checkout-api", "--workers", "1")
	for _, w := range []string{"2", "4", "7"} {
		got, _, _ := run(t, "suggest", "--role", "checkout-api", "--workers", w)
		if got != first {
			t.Fatalf("--workers %s changed the output", w)
		}
	}
}

// TestHelp: every command has help with examples.
func TestHelp(t *testing.T) {
	for _, cmd := range [][]string{{}, {"suggest"}, {"analyze"}, {"catalog"}, {"catalog", "info"}, {"catalog", "update"}, {"denied"}, {"verify"}, {"diff"}} {
		stdout, _, code := run(t, append(cmd, "--help")...)
		if code != 0 || !strings.Contains(stdout, "Examples:") {
			t.Errorf("%v --help: exit %d, no examples:\n%s", cmd, code, stdout)
		}
		// A back-quoted word in a flag's usage becomes its placeholder
		// (--catalog tailor catalog update): no usage may hold one.
		if strings.Contains(stdout, "`") || strings.Contains(stdout, "--catalog tailor") {
			t.Errorf("%v --help: a flag's usage lost a word to a placeholder:\n%s", cmd, stdout)
		}
	}
}

// checkActions fails when a policy grants an action the catalog lacks.
func checkActions(t *testing.T, out string, limit int) {
	t.Helper()
	for _, doc := range parseDocs(t, out) {
		if err := doc.Validate(); err != nil {
			t.Errorf("policy: %v", err)
		}
		if n := synth.Size(doc); n > limit {
			t.Errorf("a document of %d characters is over the limit of %d", n, limit)
		}
		cat := catalog.Embedded()
		for _, st := range doc.Statement {
			for _, a := range st.Action {
				if !cat.Exists(a) && len(synth.Expand(cat, a)) == 0 {
					t.Errorf("policy grants %s, which is not in the catalog", a)
				}
			}
		}
	}
}

// parseDocs reads suggest's JSON output: one document or an array of them.
func parseDocs(t *testing.T, out string) []*policy.Document {
	t.Helper()
	if strings.HasPrefix(out, "[") {
		var docs []*policy.Document
		if err := json.Unmarshal([]byte(out), &docs); err != nil {
			t.Fatalf("policy array: %v", err)
		}
		return docs
	}
	doc, err := policy.Parse([]byte(out))
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	return []*policy.Document{doc}
}

// emptyDir is an empty directory for the whole test run.
var emptyDir = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "tailor-empty-")
	if err != nil {
		panic(err)
	}
	return dir
})

// lookupEventsDir holds what aws cloudtrail lookup-events prints, as one
// document and as JSON lines, of a record that is no event.
var lookupEventsDir = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "tailor-lookup-")
	if err != nil {
		panic(err)
	}
	ev := `{"EventId":"e1","EventName":"GetObject","CloudTrailEvent":"{\"eventVersion\":\"1.09\"}"}`
	os.WriteFile(filepath.Join(dir, "events.json"), []byte(`{"Events":[`+ev+`]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "events.jsonl"), []byte(ev+"\n"+ev+"\n"), 0o644)
	return dir
})

// TestGlobalFlags: version, --output written whole or not at all, --quiet.
func TestGlobalFlags(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		stdout, _, code := run(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "tailor ") || !strings.Contains(stdout, "\ngo: go1.") || !strings.Contains(stdout, "\ncatalog: 2026-") {
			t.Errorf("%v: exit %d\n%s", args, code, stdout)
		}
	}
	path := filepath.Join(t.TempDir(), "policy.json")
	stdout, stderr, code := run(t, "suggest", "--role", "checkout-api", "--output", path, "--quiet")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("--output --quiet: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	want, _, _ := run(t, "suggest", "--role", "checkout-api")
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Fatalf("--output wrote %d bytes (%v), want the %d of stdout", len(got), err, len(want))
	}
	// A run that fails leaves the file as it was.
	if _, stderr, code := run(t, "suggest", "--role", "nobody", "-o", path, "-q"); code != exitNoEvents || !strings.HasPrefix(stderr, "tailor: no events") {
		t.Errorf("failed run: exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(path); string(got) != want {
		t.Error("a failed run changed the --output file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("--output left %d files behind", len(entries))
	}
}

// TestCompletion: --format values, and principals' names from the trail
// the command line names.
func TestCompletion(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "suggest", "--format", ""}, "json\nterraform\ncloudformation\n:4\n"},
		{[]string{"__complete", "suggest", "--role", "che"}, "checkout-api\n:4\n"},
		{[]string{"__complete", "denied", "--source", "../../fixtures/denials", "--user", ""}, "bob\n:4\n"},
		{[]string{"__complete", "verify", "--role", "arn:aws:iam::4444"}, "arn:aws:iam::444455556666:role/deployer\n:4\n"},
	}
	for _, tc := range tests {
		stdout, _, code := run(t, tc.args...)
		if code != 0 || stdout != tc.want {
			t.Errorf("%v: exit %d, %q, want %q", tc.args, code, stdout, tc.want)
		}
	}
}

// TestDemoInScripts: with stdout not a terminal and no --source, the demo
// note is a warning, and JSON with a summary says "demo": true.
func TestDemoInScripts(t *testing.T) {
	_, stderr, _ := run(t, "suggest", "--role", "checkout-api")
	if !strings.Contains(stderr, "warning: no --source given: this is the demo trail bundled with tailor, not yours (pass --source)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	var out, errOut bytes.Buffer
	execute(context.Background(), []string{"suggest", "--role", "checkout-api"}, streams{Out: &out, ErrOut: &errOut, OutTTY: true})
	if !strings.Contains(errOut.String(), "note: no --source given") {
		t.Errorf("on a terminal, stderr:\n%s", errOut.String())
	}
	for _, args := range [][]string{{"suggest", "--role", "checkout-api", "--explain"}, {"diff", "--role", "checkout-api", "--policy", "testdata/suggest-checkout-api.json", "--format", "json"}} {
		stdout, _, _ := run(t, args...)
		if !strings.Contains(stdout, `"demo": true`) {
			t.Errorf("%v: no \"demo\": true in\n%.300s", args, stdout)
		}
	}
}

// envelopesDir holds an EventBridge event and a CloudWatch Logs
// subscription payload whose records are no events, and other JSON.
var envelopesDir = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "tailor-envelopes-")
	if err != nil {
		panic(err)
	}
	os.WriteFile(filepath.Join(dir, "eb.json"), []byte(`{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{"eventVersion":"1.09"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "cwl.json"), []byte(`{"messageType":"DATA_MESSAGE","logGroup":"trail","logEvents":[{"id":"1","message":"{}"}]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"hello":"world"}`), 0o644)
	return dir
})
