package analyze

import (
	"bytes"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/internal/benchtrail"
	"github.com/tailor-iam/tailor/trail"
)

// BenchmarkAnalyze feeds decoded records through one Analyzer over the
// embedded catalog, as one ingest worker does. The records are the mix of
// trail's BenchmarkDecode (internal/benchtrail): mostly S3, DynamoDB, SQS, KMS and Lambda data events,
// some management events, 1% denied. MB/s is of the records' JSON, so it
// reads against BenchmarkDecode's. The analyzer is warmed with one pass
// first: on a long trail the facts stop growing and this is the steady
// state.
func BenchmarkAnalyze(b *testing.B) {
	doc := benchtrail.DeliveryFile(4 << 20)
	var recs []trail.Record
	if _, err := trail.Decode(bytes.NewReader(doc), func(r *trail.Record) error {
		recs = append(recs, *r) // Decode resets *r before each record, so the copy owns its fields
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	a := New(catalog.Embedded(), Options{})
	for i := range recs {
		a.Record(&recs[i])
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range recs {
			a.Record(&recs[i])
		}
		n += len(recs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	if c := a.Aggregate().Counts; c.Unmapped > 0 {
		b.Fatalf("%d benchmark records map to no action: %v", c.Unmapped, a.Aggregate().Unmapped)
	}
}
