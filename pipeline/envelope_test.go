package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/tailor-iam/tailor/fixtures/envelopes"
)

// runStdin is runOf over standard input, read from in.
func runStdin(t *testing.T, in []byte) tableRun {
	t.Helper()
	return runConfig(t, Config{Sources: []string{"-"}, Stdin: bytes.NewReader(in)})
}

// TestEnvelopes: the demo trail in each envelope (EventBridge events,
// CloudWatch Logs payloads with control messages, Firehose's concatenated
// JSON, lookup-events pages), read from a file and from standard input,
// gives what its delivery files give: the same partial aggregate byte for
// byte, so the same output of every command. Control messages and the
// event CloudTrail did not send are counted as skipped, nothing as
// malformed.
func TestEnvelopes(t *testing.T) {
	files, err := envelopes.WriteDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := runOf(t)
	for _, form := range envelopes.Forms {
		t.Run(string(form), func(t *testing.T) {
			data, err := os.ReadFile(files[form])
			if err != nil {
				t.Fatal(err)
			}
			wantSkipped := map[SkipReason]int{}
			switch form {
			case envelopes.CloudWatchLogs:
				wantSkipped[SkipControlMessage] = envelopes.ControlMessages
			case envelopes.EventBridgeLines:
				wantSkipped[SkipOtherEvent] = envelopes.OtherEvents
			}
			for name, got := range map[string]tableRun{"file": runOf(t, files[form]), "stdin": runStdin(t, data)} {
				rep := got.rep
				if rep.Files != 1 || len(rep.Failed) != 0 || rep.Malformed != 0 || rep.Records != want.rep.Records {
					t.Errorf("%s: report %+v, want one file read, %d records", name, rep, want.rep.Records)
				}
				if fmt.Sprint(rep.Skipped) != fmt.Sprint(wantSkipped) {
					t.Errorf("%s: skipped %v, want %v", name, rep.Skipped, wantSkipped)
				}
				if !bytes.Equal(got.partial, want.partial) {
					t.Errorf("%s: the partial aggregate differs from the delivery files':\n%s", name, aggDiff(got.agg, want.agg))
				}
			}
		})
	}
}

// TestStdinSource: "-" reads standard input once, named stdin in reports;
// given twice it is a usage error.
func TestStdinSource(t *testing.T) {
	in := []byte(`{"Records":[{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventType":"AwsApiCall","eventTime":"2026-11-01T00:00:00Z","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333"}}]`)
	res, err := Run(context.Background(), Config{Sources: []string{"-"}, Stdin: bytes.NewReader(in)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Failed) != 1 || res.Report.Failed[0].Name != "stdin" {
		t.Errorf("failed %v, want the truncated input named stdin", res.Report.Failed)
	}
	if res.Aggregate.Counts.Records != 1 {
		t.Errorf("%d records, want the one before the cut", res.Aggregate.Counts.Records)
	}
	_, err = Run(context.Background(), Config{Sources: []string{"-", "-"}, Stdin: bytes.NewReader(in)})
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Errorf("source - twice: err %v, want a usage error", err)
	}
}
