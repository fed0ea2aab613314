package parquettrail_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures/parquetforms"
	"github.com/tailor-iam/tailor/parquettrail"
	"github.com/tailor-iam/tailor/trail"
)

// Rows of files that are not CloudTrail tables, or are damaged ones.
type (
	otherRow struct { // a table of something else
		EventName string `parquet:"event_name"`
		Count     int64  `parquet:"count"`
	}
	userType struct {
		Type string `parquet:"type"`
	}
	wrongTypeRow struct { // Athena's columns, eventname a number
		EventSource  string   `parquet:"eventsource"`
		EventName    int64    `parquet:"eventname"`
		EventTime    string   `parquet:"eventtime"`
		UserIdentity userType `parquet:"useridentity"`
	}
	lakeMapRow struct { // CloudTrail Lake's export: requestparameters a map
		EventSource       string            `parquet:"eventsource"`
		EventName         string            `parquet:"eventname"`
		EventTime         string            `parquet:"eventtime"`
		UserIdentity      userType          `parquet:"useridentity"`
		RequestParameters map[string]string `parquet:"requestparameters"`
	}
	listRow struct { // eventname repeated
		EventSource  string   `parquet:"eventsource"`
		EventName    []string `parquet:"eventname,list"`
		EventTime    string   `parquet:"eventtime"`
		UserIdentity userType `parquet:"useridentity"`
	}
	noTimeRow struct {
		EventSource  string   `parquet:"eventsource"`
		EventName    string   `parquet:"eventname"`
		UserIdentity userType `parquet:"useridentity"`
	}
	noIdentityRow struct {
		EventSource string `parquet:"eventsource"`
		EventName   string `parquet:"eventname"`
		EventTime   string `parquet:"eventtime"`
	}
	ocsfService struct {
		Name string `parquet:"name"`
	}
	ocsfAPI struct {
		Operation string      `parquet:"operation"`
		Service   ocsfService `parquet:"service"`
	}
	ocsfActor struct {
		User userType `parquet:"user"`
	}
	flowRow struct { // an OCSF row of another class (Network Activity)
		API      ocsfAPI   `parquet:"api"`
		Actor    ocsfActor `parquet:"actor"`
		Time     int64     `parquet:"time"`
		ClassUID int32     `parquet:"class_uid"`
	}
)

// badFiles are files Read must refuse, each with what its error says.
func badFiles(t testing.TB) map[string]struct {
	data []byte
	want string
} {
	ev := events(t)[:40]
	good := tableOf(t, parquetforms.Athena, ev)
	ocsf := tableOf(t, parquetforms.OCSF2, ev)
	id := userType{"IAMUser"}
	return map[string]struct {
		data []byte
		want string
	}{
		"truncated":                {good[:len(good)/2], "corrupt or truncated Parquet file"},
		"truncated OCSF":           {ocsf[:len(ocsf)-100], "corrupt or truncated Parquet file"},
		"not Parquet":              {[]byte(`{"Records": []}`), "corrupt or truncated Parquet file"},
		"another table":            {write(t, []otherRow{{"GetObject", 1}}), "no Security Lake OCSF columns"},
		"a column of another type": {write(t, []wrongTypeRow{{"s3.amazonaws.com", 1, "2026-11-01T00:00:00Z", id}}), "column eventname is INT64; the form has a string there"},
		"a map for a string":       {write(t, []lakeMapRow{{"s3.amazonaws.com", "GetObject", "2026-11-01T00:00:00Z", id, map[string]string{"bucketName": "b"}}}), "column requestparameters is a group of columns"},
		"a list for a string":      {write(t, []listRow{{"s3.amazonaws.com", []string{"GetObject"}, "2026-11-01T00:00:00Z", id}}), "column eventname is a list"},
		"no time":                  {write(t, []noTimeRow{{"s3.amazonaws.com", "GetObject", id}}), "no column eventtime"},
		"no identity":              {write(t, []noIdentityRow{{"s3.amazonaws.com", "GetObject", "2026-11-01T00:00:00Z"}}), "no event would name who acted"},
		"0 rows":                   {tableOf(t, parquetforms.Athena, nil), "Athena CloudTrail table with no rows"},
		"0 rows OCSF":              {tableOf(t, parquetforms.OCSF1, nil), "source version 1) with no rows"},
		"another OCSF class":       {write(t, []flowRow{{ocsfAPI{"GetObject", ocsfService{"s3.amazonaws.com"}}, ocsfActor{id}, 1, 4001}}), "class_uid 4001 is not a class CloudTrail events are in"},
	}
}

// TestReadBad: a file that is not a CloudTrail table, or a damaged one, is
// an error that says what is wrong, never a panic.
func TestReadBad(t *testing.T) {
	for name, tc := range badFiles(t) {
		t.Run(name, func(t *testing.T) {
			_, st, err := read(t, tc.data)
			if err == nil {
				t.Fatalf("read %d rows without an error", st.Rows)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if name == "another table" && !errors.Is(err, parquettrail.ErrUnknownForm) {
				t.Errorf("error %v is not ErrUnknownForm", err)
			}
		})
	}
}

// TestMissingColumns: a table without the columns a CTAS may leave out
// still reads, each record without those members.
func TestMissingColumns(t *testing.T) {
	ev := events(t)[:40]
	for _, tc := range []struct {
		form parquetforms.Form
		drop []string
		want []string // in every record
	}{
		{parquetforms.Athena, []string{"resources", "tlsdetails", "requestparameters", "responseelements", "sharedeventid"},
			[]string{`"resources":null`, `"tlsDetails":null`, `"requestParameters":null`, `"responseElements":null`}},
		{parquetforms.OCSF2, []string{"resources", "unmapped", "metadata", "class_uid"},
			[]string{`"resources":null`, `"tlsDetails":null`, `"eventType":""`, `"eventID":""`}},
	} {
		t.Run(string(tc.form), func(t *testing.T) {
			got, st, err := read(t, dropColumns(t, tableOf(t, tc.form, ev), tc.drop...))
			if err != nil {
				t.Fatal(err)
			}
			if st.Rows != int64(len(ev)) {
				t.Fatalf("%d rows, want %d", st.Rows, len(ev))
			}
			for _, r := range got {
				for _, w := range tc.want {
					if !strings.Contains(r, w) {
						t.Fatalf("record %s\nlacks %s", r, w)
					}
				}
				if !strings.Contains(r, `"eventName":"`) || strings.Contains(r, `"eventName":""`) {
					t.Fatalf("record without its event name: %s", r)
				}
			}
		})
	}
}

// dropColumns rewrites a Parquet file without the top-level fields named.
func dropColumns(t testing.TB, data []byte, names ...string) []byte {
	t.Helper()
	out, err := parquetforms.Drop(data, names...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzReadTable: whatever the bytes, Read hands on records and returns, or
// returns an error, and never panics; neither does the analyzer given
// the records. Seeds are small tables of each form (a few dozen rows, so
// each run stays cheap) and the bad files.
func FuzzReadTable(f *testing.F) {
	ev := events(f)[:24]
	for _, form := range parquetforms.Forms {
		f.Add(tableOf(f, form, ev))
	}
	for _, tc := range badFiles(f) {
		f.Add(tc.data)
	}
	an := analyze.New(catalog.Embedded(), analyze.Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		parquettrail.Read(bytes.NewReader(data), int64(len(data)), func(r *trail.Record) { an.Record(r) })
	})
}
