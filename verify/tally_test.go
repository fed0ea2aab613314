package verify_test

import (
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/verify"
)

func TestCount(t *testing.T) {
	used := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:GetObject"}}
	denied := analyze.Fact{FactKey: analyze.FactKey{Action: "s3:PutObject", Denial: analyze.DenialKey{Reason: analyze.ReasonIdentityPolicy}}}
	manyOrigins := used
	manyOrigins.MoreOrigins = true
	tests := []struct {
		name    string
		results []verify.Result
		want    verify.Tally
	}{
		{"none", nil, verify.Tally{}},
		{"used and allowed", []verify.Result{{Fact: used, Allowed: true}}, verify.Tally{Replayed: 1}},
		{"used and denied", []verify.Result{{Fact: used}}, verify.Tally{Replayed: 1, WouldDeny: 1}},
		{"used, denied for what the trail does not say", []verify.Result{{Fact: used, Undetermined: true}}, verify.Tally{Replayed: 1, Undetermined: 1}},
		{"denied and still denied", []verify.Result{{Fact: denied}}, verify.Tally{Replayed: 1, StillDenied: 1}},
		{"denied, now allowed", []verify.Result{{Fact: denied, Allowed: true}}, verify.Tally{Replayed: 1, WouldAllow: 1}},
		{"denied, undetermined", []verify.Result{{Fact: denied, Undetermined: true}}, verify.Tally{Replayed: 1, Undetermined: 1}},
		{"more origins than kept", []verify.Result{{Fact: manyOrigins, Allowed: true}, {Fact: manyOrigins}}, verify.Tally{Replayed: 2, WouldDeny: 1, MoreOrigins: 2}},
		{"each once", []verify.Result{{Fact: used, Allowed: true}, {Fact: used}, {Fact: used, Undetermined: true}, {Fact: denied}, {Fact: denied, Allowed: true}},
			verify.Tally{Replayed: 5, WouldDeny: 1, StillDenied: 1, WouldAllow: 1, Undetermined: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := verify.Count(tc.results); got != tc.want {
				t.Errorf("Count = %+v, want %+v", got, tc.want)
			}
		})
	}
}
