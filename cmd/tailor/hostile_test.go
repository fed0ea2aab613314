package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileValuesOnTerminal: values from logs (an event name holding a
// newline, a forged "error:" line and a terminal escape, 1 MB long) never
// reach stderr or a table raw: control characters are escaped, the value
// is cut with its length, and no line of output is forged.
func TestHostileValuesOnTerminal(t *testing.T) {
	forged := "Get\n error: s3://trail/x.json.gz: forged \x1b[2J\u202e" + strings.Repeat("A", 1<<20)
	rec := map[string]any{
		"eventVersion": "1.09", "eventTime": "2026-11-01T10:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": forged,
		"awsRegion": "us-east-1", "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
		"userIdentity": map[string]any{"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/app/s", "accountId": "111122223333",
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "arn": "arn:aws:iam::111122223333:role/app\n error: forged\x1b[31m", "accountId": "111122223333"}}},
	}
	data, err := json.Marshal(map[string]any{"Records": []any{rec}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "trail.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"analyze", "--source", dir},
		{"analyze", "--source", dir, "--format", "table"},
		{"denied", "--source", dir, "--all"},
		{"suggest", "--principal", "arn:aws:iam::111122223333:role/app\n error: forged\x1b[31m", "--source", dir},
	} {
		stdout, stderr, _ := run(t, args...)
		for name, out := range map[string]string{"stderr": stderr, "stdout": stdout} {
			if name == "stdout" && strings.Contains(strings.Join(args, " "), "json") {
				continue
			}
			if strings.ContainsAny(out, "\x1b\u202e\r") {
				t.Errorf("%s %s: a raw control character", args[0], name)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "error: s3://trail") || strings.HasPrefix(strings.TrimSpace(line), "error: forged") {
					t.Errorf("%s %s: a forged line: %q", args[0], name, line)
				}
			}
			if len(out) > 64<<10 {
				t.Errorf("%s %s: %d bytes: a 1 MB value was not cut", args[0], name, len(out))
			}
		}
	}
}
