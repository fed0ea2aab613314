package main

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/fixtures/envelopes"
)

// runStdin runs tailor with in as its standard input.
func runStdin(t *testing.T, in []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), args, streams{In: bytes.NewReader(in), Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), code
}

// TestEnvelopes: suggest and analyze print over the demo trail in each
// envelope, given as a file and on standard input, exactly what they print
// over its delivery files.
func TestEnvelopes(t *testing.T) {
	files, err := envelopes.WriteDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	suggest := []string{"suggest", "--role", "checkout-api"}
	analyze := []string{"analyze", "--format", "json"}
	wantSuggest, _, code := run(t, suggest...)
	wantAnalyze, _, code2 := run(t, analyze...)
	if code != 0 || code2 != 0 || wantSuggest == "" || wantAnalyze == "" {
		t.Fatalf("the demo: exit %d, %d", code, code2)
	}
	for _, form := range envelopes.Forms {
		t.Run(string(form), func(t *testing.T) {
			data, err := os.ReadFile(files[form])
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name string
				args []string
				want string
			}{
				{"suggest", slices.Concat(suggest, []string{"--source", files[form]}), wantSuggest},
				{"analyze", slices.Concat(analyze, []string{"--source", files[form]}), wantAnalyze},
				{"analyze from stdin", slices.Concat(analyze, []string{"--source", "-"}), wantAnalyze},
			} {
				stdout, stderr, code := runStdin(t, data, tc.args...)
				if code != 0 || stdout != tc.want {
					t.Errorf("%s: exit %d, output %s\nstderr:\n%s", tc.name, code, firstDiff(tc.want, stdout), stderr)
				}
				if !strings.Contains(stderr, "files: 1 read\nrecords: 2958\n") || strings.Contains(stderr, "warning:") {
					t.Errorf("%s: stderr:\n%s", tc.name, stderr)
				}
			}
		})
	}
}

// TestStdinTwice: standard input is read once; naming it twice is a usage
// error.
func TestStdinTwice(t *testing.T) {
	_, stderr, code := runStdin(t, nil, "analyze", "--source", "-", "--source", "-")
	if code != exitUsage || !strings.Contains(stderr, "source -: given twice") {
		t.Errorf("exit %d, stderr %q; want %d and a message", code, stderr, exitUsage)
	}
}
