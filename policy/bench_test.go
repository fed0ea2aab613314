package policy

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "awsdocs", "s3-home-folder.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate decides one request against a role's typical policies:
// a deny-outside-regions guard and a scoped allow list.
func BenchmarkEvaluate(b *testing.B) {
	var docs []*Document
	for _, name := range []string{"deny-requested-region", "s3-home-folder", "run-instances-ifexists"} {
		d, err := parseFile(filepath.Join("testdata", "awsdocs", name+".json"))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	r := req("s3:GetObject", "arn:aws:s3:::BUCKET-NAME/home/alice/notes.txt", "aws:username", "alice", "aws:RequestedRegion", "eu-west-1")
	for b.Loop() {
		if d := Evaluate(docs, r); d.Effect != Allow {
			b.Fatal(d.Reason)
		}
	}
}
