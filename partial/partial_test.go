package partial_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/ingest"
	"github.com/tailor-iam/tailor/partial"
)

// demoPartial analyzes the demo trail into a partial, with the cap given.
func demoPartial(t testing.TB, maxRes int) *partial.Aggregate {
	t.Helper()
	opts := analyze.Options{MaxResources: maxRes}
	handlers, _, err := ingest.Run(context.Background(), []ingest.Source{ingest.FS{FS: fixtures.Demo(), Root: "."}}, ingest.Options{Workers: 3},
		func() ingest.Handler { return partial.NewAnalyzer(analyze.New(catalog.Embedded(), opts)) })
	if err != nil {
		t.Fatal(err)
	}
	p := partial.NewAnalyzer(analyze.New(catalog.Embedded(), opts)).Partial()
	for _, h := range handlers {
		p.Merge(h.(*partial.Analyzer).Partial())
	}
	p.Header.CatalogDate = "2025-01-01"
	p.Header.Inputs = []partial.Input{{Name: "demo/a.json", Size: 10}, {Name: "demo/b.json", Size: -1}}
	return p
}

func encode(t testing.TB, p *partial.Aggregate) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := partial.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func decode(t testing.TB, data []byte) *partial.Aggregate {
	t.Helper()
	p, err := partial.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRoundTrip: a partial written and read back is the same partial,
// folds, links, shared events and messages included, and writes the same
// bytes.
func TestRoundTrip(t *testing.T) {
	for _, maxRes := range []int{analyze.DefaultMaxResources, 2} {
		p := demoPartial(t, maxRes)
		if maxRes == 2 && len(p.Main.Folds()) == 0 {
			t.Fatal("no group folded at --max-resources 2")
		}
		if len(p.Shared) == 0 || len(p.Main.Messages()) == 0 || len(p.Main.Pending) == 0 {
			t.Fatalf("the demo gives %d shared events, %d messages, %d pending facts; the test needs some of each", len(p.Shared), len(p.Main.Messages()), len(p.Main.Pending))
		}
		data := encode(t, p)
		if again := encode(t, p); !bytes.Equal(data, again) {
			t.Fatal("the same partial wrote different bytes")
		}
		q := decode(t, data)
		if !bytes.Equal(encode(t, q), data) {
			t.Error("a partial read back writes different bytes")
		}
		if !reflect.DeepEqual(q.Header, withRange(p)) {
			t.Errorf("header %+v, want %+v", q.Header, p.Header)
		}
		for k, s := range p.Shared {
			if q.Shared[k] == nil || q.Shared[k].EventID != s.EventID {
				t.Errorf("shared event %q lost", k)
				continue
			}
			sameAggregate(t, q.Shared[k].Aggregate, s.Aggregate)
		}
		sameAggregate(t, q.Main, p.Main)
	}
}

// withRange is p's header as Write records it.
func withRange(p *partial.Aggregate) partial.Header {
	h := p.Header
	for _, a := range append([]*analyze.Aggregate{p.Main}, sharedAggs(p)...) {
		for _, info := range a.Principals {
			if info.First != 0 && (h.First == 0 || info.First < h.First) {
				h.First = info.First
			}
			h.Last = max(h.Last, info.Last)
		}
	}
	return h
}

func sharedAggs(p *partial.Aggregate) []*analyze.Aggregate {
	var out []*analyze.Aggregate
	for _, s := range p.Shared {
		out = append(out, s.Aggregate)
	}
	return out
}

func sameAggregate(t *testing.T, got, want *analyze.Aggregate) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"principals", got.Principals, want.Principals},
		{"facts", got.Facts, want.Facts},
		{"unmapped", got.Unmapped, want.Unmapped},
		{"unmapped by", got.UnmappedBy, want.UnmappedBy},
		{"generalized", got.Generalized, want.Generalized},
		{"warnings", got.Warnings, want.Warnings},
		{"profile roles", got.ProfileRoles, want.ProfileRoles},
		{"links", got.Links, want.Links},
		{"pending", got.Pending, want.Pending},
		{"counts", got.Counts, want.Counts},
		{"max resources", got.MaxResources, want.MaxResources},
		{"folds", sortedFolds(got), sortedFolds(want)},
		{"messages", sortedMessages(got), sortedMessages(want)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s differ after the round trip:\n got %v\nwant %v", c.name, c.got, c.want)
		}
	}
}

func sortedFolds(a *analyze.Aggregate) []analyze.Fold {
	f := a.Folds()
	slices.SortFunc(f, func(x, y analyze.Fold) int {
		if x.Principal+x.Action+string(x.Denial.Reason) < y.Principal+y.Action+string(y.Denial.Reason) {
			return -1
		}
		return 1
	})
	return f
}

func sortedMessages(a *analyze.Aggregate) map[string]analyze.DeniedMessage {
	out := map[string]analyze.DeniedMessage{}
	for _, m := range a.Messages() {
		out[m.Principal+"|"+m.Action+"|"+string(m.Denial.Reason)+"|"+m.Denial.Code+"|"+m.Denial.PolicyARN] = m
	}
	return out
}

// TestAbsorb: absorbing parts gives what merging them gives, whether the
// first is taken whole or copied, and leaves the absorbed part empty.
func TestAbsorb(t *testing.T) {
	for _, maxRes := range []int{analyze.DefaultMaxResources, 2} {
		merged, absorbed := demoPartial(t, maxRes), demoPartial(t, maxRes)
		want := partial.New(merged.Main.MaxResources)
		want.Merge(merged)
		want.Merge(demoPartial(t, maxRes))
		got := partial.New(absorbed.Main.MaxResources)
		got.Absorb(absorbed) // taken whole
		if absorbed.Main != nil {
			t.Fatal("Absorb into a new partial left its part holding the facts")
		}
		got.Absorb(demoPartial(t, maxRes)) // merged
		if !bytes.Equal(encode(t, got), encode(t, want)) {
			t.Errorf("cap %d: absorbing and merging give different partials", maxRes)
		}
	}
}

// TestReadChunks: a partial read in pieces and merged piece by piece into
// another gives the bytes of merging it whole, whatever the piece size,
// with folds (a low cap) and cross-account calls; an error from fn stops
// the read.
func TestReadChunks(t *testing.T) {
	for _, maxRes := range []int{analyze.DefaultMaxResources, 2} {
		data := encode(t, demoPartial(t, maxRes))
		other := demoPartial(t, maxRes) // what each is merged into: not empty, so not taken whole
		other.Header.Inputs = []partial.Input{{Name: "demo/c.json", Size: 3}}
		otherData := encode(t, other)
		whole := decode(t, otherData)
		whole.Merge(decode(t, data))
		want := encode(t, whole)
		if len(decode(t, data).Shared) == 0 {
			t.Fatal("the demo partial keeps no cross-account call apart: the test wants one")
		}
		for _, chunk := range []int{1, 7, 100, 1 << 20} {
			got := decode(t, otherData)
			pieces := 0
			err := partial.ReadChunks(bytes.NewReader(data), int64(len(data)), chunk, func(p *partial.Aggregate) error {
				pieces++
				got.Merge(p)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if facts := len(decode(t, data).Main.Facts); chunk == 1 && pieces != facts || chunk == 1<<20 && pieces != 1 {
				t.Errorf("chunk %d: %d pieces", chunk, pieces)
			}
			if !bytes.Equal(encode(t, got), want) {
				t.Errorf("max resources %d, chunk %d (%d pieces): merging the pieces differs from merging the whole", maxRes, chunk, pieces)
			}
		}
		stop := errors.New("stop")
		if err := partial.ReadChunks(bytes.NewReader(data), int64(len(data)), 5, func(*partial.Aggregate) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("an error from fn: %v", err)
		}
	}
}
