package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quoted is s as a JSON string.
func quoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func record(name string) string {
	return fmt.Sprintf(`{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":%q,"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u"}}`, name)
}

func eventBridge(detailType, detail string) string {
	return `{"version":"0","id":"1","detail-type":"` + detailType + `","source":"aws.s3","detail":` + detail + `}`
}

func cloudWatch(messageType string, messages ...string) string {
	var evs []string
	for i, m := range messages {
		evs = append(evs, fmt.Sprintf(`{"id":"%d","timestamp":0,"message":%s}`, i, quoted(m)))
	}
	return `{"messageType":"` + messageType + `","logGroup":"g","logStream":"s","logEvents":[` + strings.Join(evs, ",") + `]}`
}

// TestRunEnvelopes: files of envelopes are read, not skipped; control
// messages and other EventBridge events are counted as skipped by design,
// and a message that holds no record as malformed, in a file that is read.
func TestRunEnvelopes(t *testing.T) {
	dir := t.TempDir()
	ct := "AWS API Call via CloudTrail"
	files := map[string][]byte{
		"eventbridge.jsonl": []byte(eventBridge(ct, record("A")) + "\n" + eventBridge("Object Created", `{}`) + "\n" + eventBridge(ct, record("B")) + "\n"),
		// Firehose writes CloudWatch Logs' gzip'd payloads one after the other.
		"cwl.json.gz":    append(gz(t, cloudWatch("CONTROL_MESSAGE", "CWL CONTROL MESSAGE: Checking health of destination Firehose.")), gz(t, cloudWatch("DATA_MESSAGE", record("C"), record("D")))...),
		"lookup.json":    []byte(`{"Events":[{"EventId":"1","CloudTrailEvent":` + quoted(record("E")) + `}],"NextToken":"t"}` + "\n" + `{"Events":[{"EventId":"2","CloudTrailEvent":` + quoted(record("F")) + `}]}`),
		"firehose.json":  []byte(record("G") + record("H") + eventBridge(ct, record("I"))),
		"bad-inner.json": []byte(cloudWatch("DATA_MESSAGE", "START RequestId: 1", record("J"))),
		"control.json":   []byte(cloudWatch("CONTROL_MESSAGE", "x")),
		"config.json":    []byte(`{"setting":true}`),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := &counter{}
	_, rep, err := Run(context.Background(), []Source{Local{Root: dir}}, Options{Workers: 1}, func() Handler { return c })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 6 || rep.Records != 10 || c.n != 10 || rep.Malformed != 1 || len(rep.Failed) != 0 {
		t.Errorf("files %d, records %d (%d handled), malformed %d, failed %v; want 6, 10, 1, none", rep.Files, rep.Records, c.n, rep.Malformed, rep.Failed)
	}
	wantSkipped := map[SkipReason]int{SkipControlMessage: 2, SkipOtherEvent: 1, SkipNotTrail: 1}
	if fmt.Sprint(rep.Skipped) != fmt.Sprint(wantSkipped) {
		t.Errorf("skipped %v, want %v", rep.Skipped, wantSkipped)
	}
	want := filepath.Join(dir, "bad-inner.json") + `: 1 malformed record skipped; first: entry 1 at byte 74: message holds no record: invalid character 'S' looking for beginning of value`
	if len(rep.MalformedIn) != 1 || !strings.HasPrefix(rep.MalformedIn[0].String(), want) {
		t.Errorf("malformed in %v, want %q…", rep.MalformedIn, want)
	}
}

// TestStdin: standard input is one object named stdin, read whatever its
// form, plain or gzip, and named in problems.
func TestStdin(t *testing.T) {
	lines := record("A") + "\n" + eventBridge("AWS API Call via CloudTrail", record("B")) + "\n"
	tests := []struct {
		name    string
		in      []byte
		records int
		skipped map[SkipReason]int
		failed  string
	}{
		{"plain", []byte(lines), 2, nil, ""},
		{"gzip", gz(t, lines), 2, nil, ""},
		{"CloudWatch Logs", gz(t, cloudWatch("DATA_MESSAGE", record("A"))), 1, nil, ""},
		{"empty", nil, 0, map[SkipReason]int{SkipEmpty: 1}, ""},
		{"not a trail", []byte(`{"a":1}`), 0, map[SkipReason]int{SkipNotTrail: 1}, ""},
		{"truncated", []byte(lines[:40]), 0, nil, "stdin: truncated JSON at byte 40: unexpected EOF"},
		{"corrupt gzip", gz(t, lines)[:30], 0, nil, "stdin: corrupt gzip: truncated stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &counter{}
			_, rep, err := Run(context.Background(), []Source{Stdin{R: bytes.NewReader(tc.in)}}, Options{Workers: 2}, func() Handler { return c })
			if err != nil {
				t.Fatal(err)
			}
			if rep.Listed != 1 || rep.Records != tc.records || c.n != tc.records || fmt.Sprint(rep.Skipped) != fmt.Sprint(tc.skipped) {
				t.Errorf("listed %d, records %d (%d handled), skipped %v; want 1, %d, %v", rep.Listed, rep.Records, c.n, rep.Skipped, tc.records, tc.skipped)
			}
			var failed string
			if len(rep.Failed) > 0 {
				failed = rep.Failed[0].String()
			}
			if !strings.HasPrefix(failed, tc.failed) || (failed == "") != (tc.failed == "") {
				t.Errorf("failed %q, want %q…", failed, tc.failed)
			}
		})
	}
}
