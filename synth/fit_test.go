package synth

import (
	"errors"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
)

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		name         string
		objects      int
		kind         string
		inline       bool
		err          error
		limit, docs  int
		overInline   bool
		overAttached bool
		target       Target
	}{
		{name: "managed, fits", objects: 10, kind: analyze.KindRole, limit: MaxManaged, docs: 1, target: Target{Attach: "role"}},
		{name: "managed, split", objects: 400, kind: analyze.KindUser, limit: MaxManaged, docs: 4, target: Target{Attach: "user"}},
		{name: "managed, over the attached quota", objects: 1200, kind: analyze.KindRole, limit: MaxManaged, docs: 11, overAttached: true, target: Target{Attach: "role"}},
		{name: "managed, for a kind that holds none", objects: 10, kind: analyze.KindAccount, limit: MaxManaged, docs: 1, target: Target{}},
		{name: "inline role, fits", objects: 10, kind: analyze.KindRole, inline: true, limit: MaxInlineRole, docs: 1, target: Target{Inline: "role"}},
		{name: "inline role, over", objects: 400, kind: analyze.KindRole, inline: true, limit: MaxInlineRole, docs: 3, overInline: true, target: Target{Inline: "role"}},
		{name: "inline user", objects: 10, kind: analyze.KindUser, inline: true, limit: MaxInlineUser, docs: 1, target: Target{Inline: "user"}},
		{name: "inline for a kind that has none", objects: 10, kind: analyze.KindFederated, inline: true, err: ErrNoInline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := bigPolicy(tc.objects)
			f, err := Fit(p, tc.kind, tc.inline)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if f.Limit != tc.limit || len(f.Docs) != tc.docs || f.Size != Size(p) {
				t.Errorf("limit %d, %d documents, size %d; want %d, %d, %d", f.Limit, len(f.Docs), f.Size, tc.limit, tc.docs, Size(p))
			}
			if f.OverInline() != tc.overInline || f.OverAttached() != tc.overAttached {
				t.Errorf("over inline %v, over attached %v; want %v, %v", f.OverInline(), f.OverAttached(), tc.overInline, tc.overAttached)
			}
			total := 0
			for _, d := range f.Docs {
				total += Size(d)
			}
			if f.Total() != total {
				t.Errorf("Total %d, want %d", f.Total(), total)
			}
			tc.target.Name, tc.target.Description = "app", "for app"
			if got := f.Target("app", "for app"); got != tc.target {
				t.Errorf("Target = %+v, want %+v", got, tc.target)
			}
		})
	}
}
