package trail

import (
	"bytes"
	"testing"

	"github.com/tailor-iam/tailor/internal/benchtrail"
)

// BenchmarkDecode decodes one in-memory delivery file of about 4 MB, the
// size of a busy account's five minutes, with the record mix of
// benchmarks/gen: mostly S3, DynamoDB, SQS, KMS and Lambda data events,
// some management events, 1% denied. MB/s is of uncompressed JSON.
func BenchmarkDecode(b *testing.B) {
	doc := benchtrail.DeliveryFile(4 << 20)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	records := 0
	for b.Loop() {
		st, err := Decode(bytes.NewReader(doc), func(*Record) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		records += st.Records
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
