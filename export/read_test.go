package export

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
)

// replay reads an export into a new analyzer, as a run's worker does.
func replay(t testing.TB, b []byte, opts analyze.Options) (*analyze.Aggregate, int, error) {
	t.Helper()
	an := analyze.New(catalog.Embedded(), opts)
	l, n, err := Read(bytes.NewReader(b), int64(len(b)), an.Replay)
	l.AddTo(an.Aggregate())
	return an.Aggregate(), n, err
}

// TestReadDemo: the demo's export read back gives the facts, pending
// facts and denials the trail gave, one event per exported call, however
// its rows are spread over row groups.
func TestReadDemo(t *testing.T) {
	b, st, want := exportDemo(t, 2, Options{}, nil)
	rows := readRows(t, b)
	small := writeRows(t, rows, 7, strconv.Itoa(Version))
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"as written", b},
		{"row groups of 7 rows", small},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n, err := replay(t, tc.file, analyze.Options{MaxResources: -1, Shared: analyze.NewEventSet()})
			if err != nil {
				t.Fatal(err)
			}
			if int64(n) != st.Events || got.Counts.APICalls != st.Events || got.Counts.Records != st.Events {
				t.Errorf("%d events read, %+v counted; %d written", n, got.Counts, st.Events)
			}
			if !reflect.DeepEqual(got.Facts, want.Facts) {
				t.Errorf("%d facts read back, the trail gave %d", len(got.Facts), len(want.Facts))
			}
			if !reflect.DeepEqual(got.Pending, want.Pending) {
				t.Errorf("%d pending facts read back, the trail gave %d", len(got.Pending), len(want.Pending))
			}
			if g, w := messages(got), messages(want); got.Counts.Denials != want.Counts.Denials || len(w) == 0 || !reflect.DeepEqual(g, w) {
				t.Errorf("denials: %d read back with messages %v; the trail %d with %v", got.Counts.Denials, g, want.Counts.Denials, w)
			}
		})
	}
}

// TestReadLearned: the links and instance profiles' roles the header
// carries come back.
func TestReadLearned(t *testing.T) {
	link := analyze.LinkKey{Kind: "athena query execution", Account: "111122223333", Region: "us-east-1", ID: "q-1"}
	prof := analyze.ProfileKey{Account: "111122223333", Name: "web"}
	h := Header{Tailor: "test", Learned: Learned{
		Links:        map[analyze.LinkKey]map[string]bool{link: {"arn:aws:athena:us-east-1:111122223333:workgroup/a": true}},
		ProfileRoles: map[analyze.ProfileKey]map[string]bool{prof: {"arn:aws:iam::111122223333:role/web": true}},
	}}
	c := NewCollector(Options{Dir: t.TempDir()})
	defer c.Close()
	var buf bytes.Buffer
	if _, err := c.Write(&buf, h, nil); err != nil {
		t.Fatal(err)
	}
	l, n, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), func(*analyze.Event) { t.Error("an event in an empty export") })
	if err != nil || n != 0 {
		t.Fatalf("%d events, %v", n, err)
	}
	if !reflect.DeepEqual(l, h.Learned) {
		t.Errorf("learned %+v, wrote %+v", l, h.Learned)
	}
}

// rowV1 is a version 1 export's row.
type rowV1 struct {
	Principal     string `parquet:"principal,dict"`
	PrincipalKind string `parquet:"principal_kind,dict"`
	Account       string `parquet:"account,optional,dict"`
	Region        string `parquet:"region,optional,dict"`
	EventTime     int64  `parquet:"event_time,optional,timestamp(millisecond)"`
	EventSource   string `parquet:"event_source,dict"`
	EventName     string `parquet:"event_name,dict"`
	Action        string `parquet:"action,dict"`
	Resource      string `parquet:"resource,dict"`
	Outcome       string `parquet:"outcome,dict"`
	ErrorCode     string `parquet:"error_code,optional,dict"`
	DenialReason  string `parquet:"denial_reason,optional,dict"`
	DenyingPolicy string `parquet:"denying_policy_arn,optional,dict"`
	SourceIP      string `parquet:"source_ip,optional,dict"`
	VPCEndpoint   string `parquet:"vpc_endpoint,optional,dict"`
	UserAgent     string `parquet:"user_agent,optional,dict"`
	EventID       string `parquet:"event_id,optional"`
	SharedEventID string `parquet:"shared_event_id,optional"`
	LinkedID      string `parquet:"linked_id,optional"`
}

// TestReadVersion1: a version 1 file, without what version 2 added, is
// read: its facts are the trail's but for the fields it lacks, and its
// linked rows wait for the link their service makes.
func TestReadVersion1(t *testing.T) {
	b, st, want := exportDemo(t, 1, Options{}, nil)
	var old []rowV1
	for _, r := range readRows(t, b) {
		old = append(old, rowV1{r.Principal, r.PrincipalKind, r.Account, r.Region, r.EventTime, r.EventSource, r.EventName,
			r.Action, r.Resource, r.Outcome, r.ErrorCode, r.DenialReason, r.DenyingPolicy, r.SourceIP, r.VPCEndpoint,
			r.UserAgent, r.EventID, r.SharedEventID, r.LinkedID})
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[rowV1](&buf, parquet.KeyValueMetadata(KeyVersion, "1"))
	if _, err := w.Write(old); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, n, err := replay(t, buf.Bytes(), analyze.Options{MaxResources: -1})
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) != st.Events {
		t.Errorf("%d events, %d written", n, st.Events)
	}
	// Version 1 lacks PassedTo, Via, Provider, Profile and the denial's
	// flags: compare the facts without them.
	strip := func(m map[analyze.FactKey]*analyze.Stat) map[analyze.FactKey]int64 {
		out := map[analyze.FactKey]int64{}
		for k, s := range m {
			k.PassedTo, k.Via, k.Provider, k.Profile = "", "", "", ""
			k.Denial.Explicit, k.Denial.ThroughSCP = false, false
			out[k] += s.Count
		}
		return out
	}
	if g, w := strip(got.Facts), strip(want.Facts); !reflect.DeepEqual(g, w) {
		t.Errorf("%d facts read from version 1, the trail gave %d", len(g), len(w))
	}
	pending := func(m map[analyze.PendingKey]*analyze.Stat) map[analyze.LinkKey]int64 {
		out := map[analyze.LinkKey]int64{}
		for k, s := range m {
			out[k.Link] += s.Count
		}
		return out
	}
	if g, w := pending(got.Pending), pending(want.Pending); len(w) == 0 || !reflect.DeepEqual(g, w) {
		t.Errorf("links waited for: %v from version 1, %v from the trail", g, w)
	}
}

// writeRows writes rows as an export of the given version, in row groups
// of groupRows.
func writeRows[T any](t testing.TB, rows []T, groupRows int64, version string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, parquet.MaxRowsPerRowGroup(groupRows), parquet.KeyValueMetadata(KeyVersion, version))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadBad: a file tailor cannot read as an export is an error that
// says why, never a panic; a file without the version key is
// ErrNotExport, for the next reader to try.
func TestReadBad(t *testing.T) {
	b, _, _ := exportDemo(t, 1, Options{}, nil)
	rows := readRows(t, b)[:40]
	type wrongType struct {
		Principal string `parquet:"principal"`
		Action    int64  `parquet:"action"`
	}
	type notExport struct {
		A string `parquet:"a"`
	}
	bad := func(f func(*Row)) []byte {
		rs := append([]Row(nil), rows...)
		f(&rs[len(rs)-1])
		return writeRows(t, rs, 1000, strconv.Itoa(Version))
	}
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"truncated", b[:len(b)/2], "truncated"},
		{"footer only", b[len(b)-100:], "corrupt"},
		{"a newer version", writeRows(t, rows, 1000, "3"), "version 3; this tailor reads versions 1 to 2"},
		{"not a number", writeRows(t, rows, 1000, "two"), `"two", not a version number`},
		{"a column of another type", writeRows(t, []wrongType{{"p", 1}}, 10, "2"), "column action is INT64"},
		{"version 2 without its columns", func() []byte {
			var old []rowV1
			for _, r := range rows {
				old = append(old, rowV1{Principal: r.Principal, Action: r.Action})
			}
			return writeRows(t, old, 10, "2")
		}(), "no column principal_account"},
		{"an unknown outcome", bad(func(r *Row) { r.Outcome = "maybe" }), `row 39: outcome "maybe"`},
		{"denied without a reason", bad(func(r *Row) { r.Outcome, r.DenialReason, r.ErrorCode = Denied, "", "AccessDenied" }), "denial_reason"},
		{"a row without its action", bad(func(r *Row) { r.Action = "" }), "without its principal, action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := replay(t, tc.file, analyze.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("not an export", func(t *testing.T) {
		_, _, err := replay(t, writeRows(t, []notExport{{"x"}}, 10, "2")[:0], analyze.Options{})
		if err == nil {
			t.Error("an empty file read")
		}
		var buf bytes.Buffer
		w := parquet.NewGenericWriter[notExport](&buf)
		w.Write([]notExport{{"x"}})
		w.Close()
		if _, _, err := replay(t, buf.Bytes(), analyze.Options{}); !errors.Is(err, ErrNotExport) {
			t.Errorf("error %v, want ErrNotExport", err)
		}
	})
}

// FuzzReadExport: no file, however damaged, panics the reader; what it
// reads it hands on as whole events.
func FuzzReadExport(f *testing.F) {
	b, _, _ := exportDemo(f, 1, Options{}, nil)
	rows := readRows(f, b)[:30]
	small := writeRows(f, rows, 8, strconv.Itoa(Version))
	f.Add(small)
	f.Add(small[:len(small)-9])
	f.Add(writeRows(f, rows, 8, "1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Read(bytes.NewReader(data), int64(len(data)), func(e *analyze.Event) {
			if len(e.Facts) == 0 || e.Principal.ARN == "" {
				t.Fatalf("event %+v", e)
			}
		})
	})
}

func messages(a *analyze.Aggregate) map[analyze.DeniedMessage]bool {
	m := map[analyze.DeniedMessage]bool{}
	for _, x := range a.Messages() {
		m[x] = true
	}
	return m
}

// BenchmarkReadExport reads the demo's export back into an analyzer.
func BenchmarkReadExport(b *testing.B) {
	data, _, _ := exportDemo(b, 1, Options{}, nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		an := analyze.New(catalog.Embedded(), analyze.Options{})
		if _, _, err := Read(bytes.NewReader(data), int64(len(data)), an.Replay); err != nil {
			b.Fatal(err)
		}
	}
}
