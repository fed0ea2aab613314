package partial_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/partial"
)

// parquetFile writes rows of T with the key-value metadata given.
func parquetFile[T any](t testing.TB, rows []T, kv ...string) []byte {
	t.Helper()
	var opts []parquet.WriterOption
	for i := 0; i+1 < len(kv); i += 2 {
		opts = append(opts, parquet.KeyValueMetadata(kv[i], kv[i+1]))
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b, opts...)
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

type otherRow struct {
	EventName string `parquet:"event_name"`
	Count     int64  `parquet:"count"`
}

// wrongTypeRow has the schema's first columns, kind of the wrong type.
type wrongTypeRow struct {
	Kind   int64  `parquet:"kind"`
	Shared string `parquet:"shared"`
}

// badFiles are the damaged partials every reader must refuse with an error
// that says what is wrong.
func badFiles(t testing.TB) map[string]struct {
	data []byte
	want string
} {
	good := encode(t, demoPartial(t, 0))
	meta := []string{"tailor.partial.version", "1", "tailor.max_resources", "0", "tailor.first_seen", "0", "tailor.last_seen", "0"}
	return map[string]struct {
		data []byte
		want string
	}{
		"truncated":                  {good[:len(good)/2], "truncated"},
		"truncated footer":           {good[:len(good)-3], "truncated"},
		"no Parquet":                 {[]byte(`{"Records": []}`), "Parquet"},
		"empty":                      {nil, "Parquet"},
		"another Parquet schema":     {parquetFile(t, []otherRow{{"GetObject", 1}}), "not a tailor partial"},
		"wrong schema":               {parquetFile(t, []otherRow{{"GetObject", 1}}, meta...), "unexpected schema"},
		"a column of the wrong type": {parquetFile(t, []wrongTypeRow{{Kind: 1}}, meta...), "unexpected schema"},
		"unknown version":            {parquetFile(t, []otherRow{{"GetObject", 1}}, "tailor.partial.version", "2"), "version \"2\""},
		"0 rows":                     {emptyPartial(t, meta), "no rows"},
	}
}

// emptyPartial has the partial schema and metadata but no row.
func emptyPartial(t testing.TB, meta []string) []byte {
	good := encode(t, demoPartial(t, 0))
	var opts []parquet.WriterOption
	for i := 0; i+1 < len(meta); i += 2 {
		opts = append(opts, parquet.KeyValueMetadata(meta[i], meta[i+1]))
	}
	f, err := parquet.OpenFile(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := parquet.NewWriter(&b, append(opts, f.Schema())...)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadBad(t *testing.T) {
	for name, tc := range badFiles(t) {
		t.Run(name, func(t *testing.T) {
			p, err := partial.Read(bytes.NewReader(tc.data), int64(len(tc.data)))
			if err == nil {
				t.Fatalf("read %d rows' worth without an error: %+v", len(p.Main.Facts), p.Header)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if name == "another Parquet schema" && !errors.Is(err, partial.ErrNotPartial) {
				t.Errorf("error %v is not ErrNotPartial", err)
			}
		})
	}
}

// FuzzReadPartial: whatever the bytes, Read returns a partial or an
// error, and never panics.
func FuzzReadPartial(f *testing.F) {
	good := encode(f, demoPartial(f, 2))
	f.Add(good)
	for _, tc := range badFiles(f) {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := partial.Read(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			var b bytes.Buffer
			if err := partial.Write(&b, p); err != nil {
				t.Fatalf("a partial read writes no file: %v", err)
			}
		}
	})
}
