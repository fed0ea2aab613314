package synth

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

func TestSizeIgnoresWhitespace(t *testing.T) {
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Sid: "A", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"*"}}}}
	want := len(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}`)
	if got := Size(p); got != want {
		t.Errorf("Size = %d, want %d", got, want)
	}
}

// bigPolicy grants n objects of a bucket to a few actions, and more.
func bigPolicy(n int) *policy.Document {
	var objects []string
	for i := 0; i < n; i++ {
		objects = append(objects, fmt.Sprintf("arn:aws:s3:::receipts/2026/11/%02d/order-%05d.pdf", i%30, i))
	}
	slices.Sort(objects)
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{
		{Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: objects},
		{Effect: "Allow", Action: []string{"dynamodb:GetItem"}, Resource: []string{"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}},
		{Effect: "Allow", Action: []string{"iam:PassRole"}, Resource: []string{"arn:aws:iam::111122223333:role/task"},
			Condition: map[string]map[string][]string{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}},
	}}
	assignSids(p.Statement)
	return p
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		objects int
		limit   int
		docs    int
	}{
		{"fits", 10, MaxManaged, 1},
		{"managed", 400, MaxManaged, 4},   // the fewest too
		{"inline", 400, MaxInlineRole, 3}, // 20,869 characters: 3 is the fewest
		{"tiny limit", 40, 600, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := bigPolicy(tc.objects)
			docs, err := Split(p, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != tc.docs {
				t.Errorf("%d documents, want %d", len(docs), tc.docs)
			}
			var parsed []*policy.Document
			for i, d := range docs {
				if n := Size(d); n > tc.limit {
					t.Errorf("document %d: %d characters, limit %d", i, n, tc.limit)
				}
				raw, err := render(d)
				if err != nil {
					t.Fatalf("document %d: %v", i, err)
				}
				doc, err := policy.Parse(raw)
				if err != nil {
					t.Fatal(err)
				}
				parsed = append(parsed, doc)
			}
			// Together the parts grant exactly what the whole did.
			whole, _ := render(p)
			orig, _ := policy.Parse(whole)
			for _, st := range p.Statement {
				for _, a := range st.Action {
					for _, r := range st.Resource {
						req := policy.Request{Action: a, Resource: r, Context: map[string][]string{"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}
						if !policy.Evaluate(parsed, req).Allowed() {
							t.Errorf("the split documents do not allow %s on %s", a, r)
						}
					}
				}
			}
			for _, req := range []policy.Request{
				{Action: "s3:DeleteObject", Resource: p.Statement[0].Resource[0]},
				{Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/task", Context: map[string][]string{"iam:PassedToService": {"lambda.amazonaws.com"}}},
				{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/other"},
			} {
				if policy.Evaluate(parsed, req).Allowed() != orig.Evaluate(req).Allowed() {
					t.Errorf("split changes the decision on %s %s", req.Action, req.Resource)
				}
			}
		})
	}
}

func TestSplitImpossible(t *testing.T) {
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Sid: "A", Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/" + strings.Repeat("k", 200)}}}}
	if _, err := Split(p, 100); err == nil {
		t.Error("a statement larger than the limit on its own should fail")
	}
}

func TestCompact(t *testing.T) {
	cat := catalog.Embedded()
	expand := func(p string) []string { return Expand(cat, p) }
	// Every s3 action starting "GetObjectVersion" is here, so they fold;
	// the other Get actions don't cover a whole family.
	family := Expand(cat, "s3:GetObjectVersion*")
	if len(family) < 2 {
		t.Fatalf("catalog has %v for s3:GetObjectVersion*", family)
	}
	actions := append(slices.Clone(family), "s3:GetObject", "s3:PutObject", "sqs:SendMessage")
	slices.Sort(actions)
	p := &policy.Document{Version: policy.Version2012, Statement: []policy.Statement{{Effect: "Allow", Action: actions, Resource: []string{"*"}}}}
	n := Compact(p, expand)
	got := p.Statement[0].Action
	covers := false
	for _, a := range got {
		covers = covers || slices.Equal(expand(a), family)
	}
	if !covers || n != len(family)-1 {
		t.Errorf("Compact folded %d into %v", n, got)
	}
	// Nothing granted that was not in the list.
	for _, a := range got {
		for _, x := range expand(a) {
			if !slices.Contains(actions, x) {
				t.Errorf("%s widens to %s", a, x)
			}
		}
	}
	if err := validate(p); err != nil {
		t.Error(err)
	}
}
