package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/export"
	"github.com/tailor-iam/tailor/internal/testenv"
)

// An export given as --source gives the facts of the trail it was made
// from: every command about one principal prints what it prints from the
// trail, for every principal the export has rows of. What the export does
// not keep (calls that needed no permission or mapped to no action, AWS
// services' own calls, non-API events) is asserted precisely: analyze
// counts the exported calls only, and a principal with no exported call is
// not in the export.

// analyzed is one principal of analyze --format json.
type analyzed struct {
	Principal string   `json:"principal"`
	Kind      string   `json:"kind"`
	Account   string   `json:"account"`
	Events    int64    `json:"events"`
	Actions   int      `json:"actions"`
	Denied    int64    `json:"denied"`
	Errors    int64    `json:"errors"`
	Resources int      `json:"resources"`
	Services  []string `json:"services"`
	FirstSeen string   `json:"firstSeen"`
	LastSeen  string   `json:"lastSeen"`
}

func analyzeJSON(t *testing.T, args ...string) map[string]analyzed {
	t.Helper()
	out, errOut, code := run(t, append([]string{"analyze", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errOut)
	}
	var list []analyzed
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("analyze %v: %v", args, err)
	}
	m := map[string]analyzed{}
	for _, p := range list {
		m[p.Principal] = p
	}
	return m
}

// exported reads an export back as the analyzer is given it: each
// principal's events, as analyze would count them.
func exported(t *testing.T, file string) map[string]analyzed {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]analyzed{}
	_, _, err = export.Read(bytes.NewReader(b), int64(len(b)), func(e *analyze.Event) {
		p := m[e.Principal.ARN]
		p.Events++
		switch {
		case analyze.IsDenial(e.ErrorCode):
			p.Denied++
		case e.ErrorCode != "":
			p.Errors++
		}
		ts := e.Time.Format(time.RFC3339)
		if p.FirstSeen == "" || ts < p.FirstSeen {
			p.FirstSeen = ts
		}
		p.LastSeen = max(p.LastSeen, ts)
		m[e.Principal.ARN] = p
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestExportAsSource: for the demo trail and the shared corpus, every
// principal's suggest, denied, verify and diff from the export are the
// trail's, byte for byte and exit code for exit code; analyze differs
// only as exported says.
func TestExportAsSource(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"demo", func(t *testing.T) string { return filepath.Join(testenv.ModuleRoot(t), "fixtures", "demo") }},
		{"corpus", func(t *testing.T) string { return testenv.Shared(t, "corpus") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			file := filepath.Join(t.TempDir(), "events.parquet")
			if _, errOut, code := run(t, "export", "--source", dir, "--out", file); code != exitOK {
				t.Fatalf("export: exit %d: %s", code, errOut)
			}
			fromTrail := analyzeJSON(t, "--source", dir)
			fromExport := analyzeJSON(t, "--source", file)
			rows := exported(t, file)
			for arn, want := range fromTrail {
				got, ok := fromExport[arn]
				r, has := rows[arn]
				if ok != has {
					t.Errorf("%s: in analyze of the export %v, has exported calls %v", arn, ok, has)
				}
				if !has {
					continue
				}
				// What the facts say is the trail's; the counts are of the
				// exported calls.
				want.Events, want.Errors, want.FirstSeen, want.LastSeen = r.Events, r.Errors, r.FirstSeen, r.LastSeen
				if !equalJSON(got, want) {
					t.Errorf("analyze %s:\n got %+v\nwant %+v", arn, got, want)
				}
				if r.Denied != want.Denied {
					t.Errorf("%s: %d denied calls exported, the trail has %d", arn, r.Denied, want.Denied)
				}
			}
			if len(fromExport) != len(rows) {
				t.Errorf("analyze of the export lists %d principals, it has rows of %d", len(fromExport), len(rows))
			}
			policy := filepath.Join(t.TempDir(), "policy.json")
			for arn := range fromTrail {
				_, exported := rows[arn]
				pol, _, _ := run(t, "suggest", "--principal", arn, "--source", dir)
				if pol == "" {
					pol = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`
				}
				if err := os.WriteFile(policy, []byte(pol), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, cmd := range [][]string{
					{"suggest"},
					{"suggest", "--format", "terraform", "--include-denied"},
					{"denied"},
					{"denied", "--format", "json"},
					{"verify", "--policy", policy},
					{"verify", "--policy", policy, "--format", "json"},
					{"diff", "--policy", policy, "--full"},
					{"diff", "--policy", policy, "--format", "json"},
				} {
					args := append(slices.Clone(cmd), "--principal", arn)
					want, _, wantCode := run(t, append(args, "--source", dir)...)
					got, errOut, code := run(t, append(args, "--source", file)...)
					if !exported {
						// Only calls that needed a permission are exported.
						if code != exitNoEvents {
							t.Errorf("%v of a principal without exported calls: exit %d, want %d: %s", args, code, exitNoEvents, errOut)
						}
						continue
					}
					if code != wantCode || got != want {
						t.Errorf("%v: exit %d from the export, %d from the trail; output:\n%s", args, code, wantCode, firstDiff(want, got))
					}
				}
			}
		})
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestExportWithTrail: an export of some days' files read with the JSON
// files of the other days gives every principal the policy the whole
// trail gives: the export's links (Athena's query ids) scope the other
// days' calls, and a cross-account call's copies count once.
func TestExportWithTrail(t *testing.T) {
	demo := filepath.Join(testenv.ModuleRoot(t), "fixtures", "demo")
	early, late := t.TempDir(), t.TempDir()
	err := filepath.WalkDir(demo, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "CloudTrail-Digest") {
			return err
		}
		rel, _ := filepath.Rel(demo, p)
		to := late
		if strings.Contains(rel, "/2026/10/") || strings.Contains(rel, "/2026/11/01/") || strings.Contains(rel, "/2026/11/02/") {
			to = early
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "early.parquet")
	if _, errOut, code := run(t, "export", "--source", early, "--out", file); code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	whole := analyzeJSON(t, "--source", demo)
	mixed := analyzeJSON(t, "--source", file, "--source", late)
	n := 0
	for arn, p := range whole {
		if p.Actions == 0 {
			continue
		}
		if q := mixed[arn]; q.Actions != p.Actions || q.Denied != p.Denied || q.Resources != p.Resources {
			t.Errorf("analyze %s: %+v, the whole trail %+v", arn, q, p)
		}
		want, _, wantCode := run(t, "suggest", "--principal", arn, "--source", demo)
		got, errOut, code := run(t, "suggest", "--principal", arn, "--source", file, "--source", late)
		if code != wantCode || got != want {
			t.Errorf("suggest %s: exit %d, the whole trail's %d:\n%s\n%s", arn, code, wantCode, firstDiff(want, got), errOut)
		}
		n++
	}
	if n < 5 {
		t.Errorf("only %d principals compared", n)
	}
	// The time range narrows an export's rows as it narrows records.
	since := []string{"--since", "2026-11-03T00:00:00Z"}
	narrowed := analyzeJSON(t, append(since, "--source", file, "--source", late)...)
	for arn, p := range analyzeJSON(t, append(since, "--source", demo)...) {
		if q := narrowed[arn]; p.Actions != q.Actions || p.Resources != q.Resources {
			t.Errorf("--since: analyze %s: %+v, the whole trail %+v", arn, q, p)
		}
	}
}

// TestExportOfExport: an export exported again is the same file, byte for
// byte: what a replayed event shows the export is what its record showed.
func TestExportOfExport(t *testing.T) {
	first, _ := exportFile(t)
	file := filepath.Join(t.TempDir(), "first.parquet")
	if err := os.WriteFile(file, first, 0o644); err != nil {
		t.Fatal(err)
	}
	again, errOut := exportFile(t, "--source", file, "--workers", "3")
	if !bytes.Equal(again, first) {
		t.Errorf("%d bytes, the first export's %d:\n%s", len(again), len(first), errOut)
	}
}
