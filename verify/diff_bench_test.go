package verify

import (
	"context"
	"fmt"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/policy"
)

// BenchmarkDiffManyStatements: diff of a policy of 9,000 statements (the
// most a 1 MB file holds) against the demo role's facts: linear in
// statements × facts (10.8 s for the command before; about 1.5 s now).
func BenchmarkDiffManyStatements(b *testing.B) {
	doc := &policy.Document{Version: policy.Version2012}
	for i := 0; i < 9000; i++ {
		doc.Statement = append(doc.Statement, policy.Statement{Sid: fmt.Sprintf("S%d", i), Effect: policy.EffectAllow,
			Action: []string{"s3:GetObject"}, Resource: []string{fmt.Sprintf("arn:aws:s3:::bucket-%d/*", i)}})
	}
	cat, p, facts := demoRole(b)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		Compare(cat, p, []*policy.Document{doc}, facts)
	}
}

// BenchmarkDiffAllActions: diff of "Action": "*" (over 22,000 catalog
// actions in over 400 services) against the demo role's facts, with the
// summary by service.
func BenchmarkDiffAllActions(b *testing.B) {
	doc := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Sid: "Admin", Effect: policy.EffectAllow,
		Action: []string{"*"}, Resource: []string{"*"}}}}
	cat, p, facts := demoRole(b)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if d := Compare(cat, p, []*policy.Document{doc}, facts); len(d.Services) == 0 {
			b.Fatal("no services")
		}
	}
}

// demoRole is the demo trail's checkout-api with its facts.
func demoRole(b *testing.B) (*catalog.Catalog, analyze.Principal, []analyze.Fact) {
	res, err := pipeline.Run(context.Background(), pipeline.Config{})
	if err != nil {
		b.Fatal(err)
	}
	arn := "arn:aws:iam::111122223333:role/service/checkout-api"
	return catalog.Embedded(), res.Aggregate.Principals[arn].Principal, res.Aggregate.FactsOf(arn)
}
