package parquettrail_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/fixtures/parquetforms"
	"github.com/tailor-iam/tailor/parquettrail"
	"github.com/tailor-iam/tailor/trail"
)

// demoEvents is the demo trail's events, decoded once.
var demoEvents = sync.OnceValues(func() ([]parquetforms.Event, error) { return parquetforms.Events(fixtures.Demo()) })

func events(t testing.TB) []parquetforms.Event {
	t.Helper()
	ev, err := demoEvents()
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// tableOf writes events as the form.
func tableOf(t testing.TB, form parquetforms.Form, ev []parquetforms.Event) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := parquetforms.Write(&b, form, ev); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// read reads a file's records, each as its JSON.
func read(t testing.TB, data []byte) ([]string, parquettrail.Stats, error) {
	t.Helper()
	var out []string
	st, err := parquettrail.Read(bytes.NewReader(data), int64(len(data)), func(r *trail.Record) {
		out = append(out, recordJSON(t, r))
	})
	return out, st, err
}

func recordJSON(t testing.TB, r *trail.Record) string {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonRecords is what trail's decoder makes of the demo trail's files, in
// the order parquetforms reads them.
func jsonRecords(t *testing.T) []string {
	demo := fixtures.Demo()
	var out []string
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "CloudTrail-Digest") || !strings.HasSuffix(path.Base(p), ".json.gz") {
			return err
		}
		f, err := demo.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		_, err = trail.Decode(zr, func(r *trail.Record) error {
			out = append(out, recordJSON(t, r))
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestForms: each form of the demo trail is told by its columns, and each
// row becomes the record its JSON event becomes, member for member: the
// identity Security Lake spreads over actor.* and unmapped comes back
// whole, session issuer included; tlsDetails keeps its version, the only
// member of it a record has.
func TestForms(t *testing.T) {
	want := jsonRecords(t)
	ev := events(t)
	if len(want) != len(ev) {
		t.Fatalf("trail decodes %d records, parquetforms %d events", len(want), len(ev))
	}
	for _, tc := range []struct {
		form parquetforms.Form
		want parquettrail.Form
	}{{parquetforms.OCSF1, parquettrail.SecurityLake1}, {parquetforms.OCSF2, parquettrail.SecurityLake2}, {parquetforms.Athena, parquettrail.Athena}} {
		t.Run(string(tc.form), func(t *testing.T) {
			data := tableOf(t, tc.form, ev)
			f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.RowGroups()) < 2 {
				t.Fatalf("the file has %d row groups; the test needs several", len(f.RowGroups()))
			}
			got, st, err := read(t, data)
			if err != nil {
				t.Fatal(err)
			}
			if st.Form != tc.want || st.Rows != int64(len(want)) {
				t.Fatalf("stats %+v, want form %v and %d rows", st, tc.want, len(want))
			}
			bad := 0
			for i := range want {
				if got[i] != want[i] && bad < 3 {
					bad++
					t.Errorf("record %d:\n got %s\nwant %s", i, got[i], want[i])
				}
			}
		})
	}
}

// TestFormsWithoutUnmapped: a Security Lake table whose unmapped map is
// gone, or holds none of CloudTrail's members, loses exactly these:
// sharedEventID, tlsDetails, the session issuer's principalId and
// userName (its type and account come from its ARN), and in source
// version 1, which maps them nowhere else, eventType, requestParameters
// and responseElements (recipientAccountId then comes from the accountid
// partition column). Everything else is as the JSON gives it.
func TestFormsWithoutUnmapped(t *testing.T) {
	want := jsonRecords(t)
	ev := events(t)
	for _, form := range []parquetforms.Form{parquetforms.OCSF1, parquetforms.OCSF2} {
		t.Run(string(form), func(t *testing.T) {
			got, _, err := read(t, dropColumns(t, tableOf(t, form, ev), "unmapped"))
			if err != nil {
				t.Fatal(err)
			}
			bad := 0
			for i := range want {
				w := withoutUnmapped(t, want[i], form == parquetforms.OCSF1)
				if got[i] != w && bad < 3 {
					bad++
					t.Errorf("record %d:\n got %s\nwant %s", i, got[i], w)
				}
			}
		})
	}
}

// withoutUnmapped is a record's JSON less what only unmapped carries.
func withoutUnmapped(t *testing.T, js string, v1 bool) string {
	var r trail.Record
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	r.SharedEventID, r.TLSDetails = "", nil
	if id := r.UserIdentity; id != nil && id.SessionContext != nil && id.SessionContext.SessionIssuer != nil {
		id.SessionContext.SessionIssuer.PrincipalID, id.SessionContext.SessionIssuer.UserName = "", ""
	}
	if v1 {
		r.EventType, r.RequestParameters, r.ResponseElements = "", nil, nil
	}
	return recordJSON(t, &r)
}

// Variants of a form that writers produce: names in another case, a list
// without the LIST wrapper, times as TIMESTAMP or INT96, columns left out,
// a source version 1 table whose unmapped map flattened requestParameters.
func TestVariants(t *testing.T) {
	type identity struct {
		Type string `parquet:"type"`
		ARN  string `parquet:"arn"`
	}
	type resource struct {
		ARN string `parquet:"ARN"`
	}
	type camel struct { // names as CloudTrail writes them; resources a bare repeated group
		EventSource  string     `parquet:"eventSource"`
		EventName    string     `parquet:"eventName"`
		EventTime    time.Time  `parquet:"eventTime,timestamp(microsecond)"`
		UserIdentity identity   `parquet:"userIdentity"`
		Resources    []resource `parquet:"resources"`
	}
	type int96Time struct { // Hive's and Athena's old timestamp
		EventSource  string           `parquet:"eventsource"`
		EventName    string           `parquet:"eventname"`
		EventTime    deprecated.Int96 `parquet:"eventtime"`
		UserIdentity identity         `parquet:"useridentity"`
	}
	type ocsfUser struct {
		Type string `parquet:"type"`
		UID  string `parquet:"uid"`
		UUID string `parquet:"uuid"`
	}
	type ocsfActor struct {
		User ocsfUser `parquet:"user"`
	}
	type ocsfService struct {
		Name string `parquet:"name"`
	}
	type ocsfAPI struct {
		Operation string      `parquet:"operation"`
		Service   ocsfService `parquet:"service"`
	}
	type flattened struct { // source version 1, requestParameters flattened, no resources, no class
		API      ocsfAPI           `parquet:"api"`
		Actor    ocsfActor         `parquet:"actor"`
		Time     int64             `parquet:"time"`
		Unmapped map[string]string `parquet:"unmapped"`
	}
	at := time.Date(2026, 11, 1, 10, 20, 30, 0, time.UTC)
	role := identity{Type: "IAMUser", ARN: "arn:aws:iam::111122223333:user/alice"}
	for _, tc := range []struct {
		name string
		data []byte
		want []string // substrings of the record's JSON
	}{
		{"camel case, repeated group, TIMESTAMP(MICROS)", write(t, []camel{{EventSource: "s3.amazonaws.com", EventName: "GetObject", EventTime: at, UserIdentity: role,
			Resources: []resource{{"arn:aws:s3:::b/k"}, {"arn:aws:s3:::b"}}}}),
			[]string{`"eventTime":"2026-11-01T10:20:30Z"`, `"resources":[{"ARN":"arn:aws:s3:::b/k","accountId":"","type":""},{"ARN":"arn:aws:s3:::b","accountId":"","type":""}]`, `"arn":"arn:aws:iam::111122223333:user/alice"`}},
		{"flattened unmapped", write(t, []flattened{{API: ocsfAPI{"GetObject", ocsfService{"s3.amazonaws.com"}}, Actor: ocsfActor{ocsfUser{"IAMUser", "AIDA", "arn:aws:iam::111122223333:user/alice"}},
			Time: at.UnixMilli() + 250, Unmapped: map[string]string{"requestParameters.bucketName": "b", "requestParameters.key": "k", "requestParameters.Host": "b.s3.amazonaws.com", "eventType": "AwsApiCall"}}}),
			[]string{`"eventTime":"2026-11-01T10:20:30.25Z"`, `"requestParameters":{"Host":"b.s3.amazonaws.com","bucketName":"b","key":"k"}`, `"principalId":"AIDA"`, `"eventType":"AwsApiCall"`}},
		{"INT96 time", write(t, []int96Time{{EventSource: "s3.amazonaws.com", EventName: "ListBuckets", EventTime: int96Of(at), UserIdentity: role}}),
			[]string{`"eventTime":"2026-11-01T10:20:30Z"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := read(t, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d records, want 1", len(got))
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("record %s\nlacks %s", got[0], w)
				}
			}
		})
	}
}

// write writes rows of T.
func write[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b)
	if len(rows) > 0 {
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// int96Of writes t as INT96: nanoseconds of the day, then the Julian day.
func int96Of(t time.Time) deprecated.Int96 {
	day := t.Unix()/86400 + 2440588
	nanos := uint64(t.Unix()%86400)*uint64(time.Second) + uint64(t.Nanosecond())
	return deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(day)}
}

// BenchmarkRead reads the demo trail as each table; MB/s are of the
// Parquet file.
func BenchmarkRead(b *testing.B) {
	ev := events(b)
	for _, form := range parquetforms.Forms {
		data := tableOf(b, form, ev)
		b.Run(string(form), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parquettrail.Read(bytes.NewReader(data), int64(len(data)), func(*trail.Record) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHandlerPanic: a panic of the handler is not taken for a damaged
// file.
func TestHandlerPanic(t *testing.T) {
	data := tableOf(t, parquetforms.Athena, events(t)[:3])
	defer func() {
		if v := recover(); v != "handler" {
			t.Errorf("recovered %v, want the handler's panic", v)
		}
	}()
	parquettrail.Read(bytes.NewReader(data), int64(len(data)), func(*trail.Record) { panic("handler") })
}
