// Package pipeline is the one path from sources to analyzed facts that the
// CLI and the Lambda job share: resolve sources, stream records through
// ingest's workers into per-worker analyzers, merge their aggregates.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/ingest"
	"github.com/tailor-iam/tailor/internal/progress"
	"github.com/tailor-iam/tailor/partial"
)

// Config describes one run.
type Config struct {
	Sources  []string // paths, s3:// URIs or "-" (Stdin); none means the demo trail
	Since    time.Time
	Until    time.Time
	Accounts []string
	Regions  []string
	Workers  int
	Strict   bool
	// MaxResources caps distinct resources per principal and action before
	// they fold into parent/*; 0 means DefaultMaxResources, <0 none.
	MaxResources int
	Generalize   Generalize
	S3           S3Options
	Catalog      *catalog.Catalog // nil means the embedded catalog
	// Keep, when set, keeps only these principals' facts.
	Keep func(principal string) bool
	// Shard, when its Count is above 1, reads only that share of the
	// input (--shard).
	Shard Shard
	// Partial, when set, receives the run's partial aggregate, before the
	// last merge settles it and links resolve (--emit-partial). It must
	// not keep it.
	Partial func(*partial.Aggregate) error
	// Observe, when set, is called once per worker for the function that
	// sees each fact that worker derives from one record (see
	// analyze.Observed), in that worker's goroutine. The run then keeps
	// both copies of a cross-account call apart until the end, as a run
	// that emits a partial does, and counts the one with the least eventID:
	// the observer sees both, and can tell which one that is.
	Observe func() func(*analyze.Observed)
	// Progress, when set, is advanced as objects are listed and read, for
	// a progress bar; the stages never print.
	Progress *progress.Counters
	// Objects are S3 objects read by key, without listing, after Sources:
	// the scheduled job names the files it has not folded yet.
	Objects []S3Object
	// Client, when set, reads Objects; without it a client is built from
	// S3 for each bucket.
	Client S3Client
	// Skip, when set, leaves out the files it names, counted as skipped
	// (SkipUnverified): the CLI's --exclude-unverified.
	Skip func(name string) bool
	// Stdin is what the source "-" reads, once; nil means os.Stdin.
	Stdin io.Reader
}

// Result is what a run gathered.
type Result struct {
	Aggregate *analyze.Aggregate
	Catalog   *catalog.Catalog // the catalog the run used
	Report    *Report
	Demo      bool // the bundled demo trail was read
	Elapsed   time.Duration
	// Replayed are the events read from tailor's exports, each counted as
	// a record by the Aggregate.
	Replayed int64
}

// UsageError marks a bad request (a source tailor cannot read yet, a
// malformed argument): the CLI exits 2 for it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// demoLabel names the bundled demo trail in reports.
const demoLabel = "demo:"

// Run reads every source and returns the merged aggregate.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	cat := cfg.Catalog
	if cat == nil {
		cat = catalog.Embedded()
	}
	filter := ingest.Filter{Since: cfg.Since, Until: cfg.Until, Accounts: cfg.Accounts, Regions: cfg.Regions}
	sources, demo, err := resolve(ctx, cfg, filter)
	if err != nil {
		return nil, err
	}
	// A run that emits a partial cannot know whether another part holds
	// a cross-account call's other copy: it keeps such calls apart, for
	// the last merge to count once. Other runs count them once as they go.
	deferShared := cfg.Partial != nil || cfg.Observe != nil
	opts := analyze.Options{Since: cfg.Since, Until: cfg.Until, Accounts: cfg.Accounts, Regions: cfg.Regions, MaxResources: cfg.MaxResources,
		Generalize: analyze.Generalize(cfg.Generalize), Keep: cfg.Keep}
	if !deferShared {
		opts.Shared = analyze.NewEventSet()
	}
	total := partial.New(analyze.New(cat, opts).Aggregate().MaxResources)
	run := &runInfo{maxResources: total.Main.MaxResources, generalize: generalizeText(cfg.Generalize),
		filtered: !cfg.Since.IsZero() || !cfg.Until.IsZero() || len(cfg.Accounts) > 0 || len(cfg.Regions) > 0}
	var read inputs
	var workers []*worker
	track := tracker{read: &read, counters: cfg.Progress}
	var skipped atomic.Int64
	var replayed int64
	listed := sources
	if cfg.Skip != nil {
		listed = withSkip(sources, cfg.Skip, &skipped)
	}
	handlers, rep, err := ingest.Run(ctx, listed, ingest.Options{Workers: cfg.Workers, Strict: cfg.Strict, Progress: track, Shard: ingest.Shard(cfg.Shard)},
		func() ingest.Handler {
			o := opts
			if cfg.Observe != nil {
				o.Observe = cfg.Observe()
			}
			return newWorker(analyze.New(cat, o), deferShared, run)
		})
	rep.Lookup = ingest.LookupWindowOf(sources)
	if n := int(skipped.Load()); n > 0 {
		if rep.Skipped == nil {
			rep.Skipped = map[SkipReason]int{}
		}
		rep.Skipped[SkipUnverified] += n
		rep.Listed += n
	}
	if run.partials != nil {
		total.Absorb(run.partials) // first: the largest, taken whole
		run.partials = nil
	}
	for _, h := range handlers {
		w := h.(*worker)
		workers = append(workers, w)
		replayed += w.replayed
		total.Absorb(w.part)     // the first is taken whole: its facts are not held twice
		w.part, w.rec = nil, nil // and the others' go as soon as they are merged
	}
	res := &Result{Report: rep, Demo: demo, Catalog: cat, Replayed: replayed}
	if err == nil && cfg.Partial != nil {
		h := &total.Header
		h.Tailor, h.CatalogDate, h.Generalize, h.Since, h.Until = Version(), cat.Info().Date, run.generalize, cfg.Since, cfg.Until
		h.Inputs = append(h.Inputs, read.list(rep, workers)...)
		sortInputs(h.Inputs)
		err = cfg.Partial(total)
	}
	res.Aggregate = total.Settle(opts.Shared)
	res.Aggregate.ResolveLinks()
	res.Elapsed = time.Since(start)
	if err != nil {
		return res, err
	}
	return res, nil
}

func sortInputs(in []partial.Input) {
	sort.Slice(in, func(i, j int) bool { return in[i].Name < in[j].Name })
}

func resolve(ctx context.Context, cfg Config, filter ingest.Filter) (out []ingest.Source, demo bool, err error) {
	if len(cfg.Sources) == 0 && len(cfg.Objects) == 0 {
		return []ingest.Source{ingest.FS{FS: fixtures.Demo(), Root: ".", Label: demoLabel}}, true, nil
	}
	defer func() {
		if len(cfg.Objects) > 0 && err == nil {
			var objs []ingest.Source
			objs, err = objectSources(ctx, cfg)
			out = append(out, objs...)
		}
	}()
	stdin := false
	for _, s := range cfg.Sources {
		switch {
		case s == "-":
			if stdin {
				return nil, false, &UsageError{Msg: "source -: given twice; standard input is one stream, read once"}
			}
			stdin = true
			r := cfg.Stdin
			if r == nil {
				r = os.Stdin
			}
			out = append(out, ingest.Stdin{R: r})
		case strings.HasPrefix(s, "s3://"):
			src, err := ingest.OpenS3Source(ctx, s, cfg.S3.ingest(), filter)
			if err != nil {
				return nil, false, fmt.Errorf("source %s: %w", s, err)
			}
			out = append(out, src)
		case strings.HasPrefix(s, "cloudtrail:"):
			if out, err = addLookup(ctx, out, s, cfg); err != nil {
				return nil, false, err
			}
		case strings.Contains(s, "://"):
			return nil, false, &UsageError{Msg: fmt.Sprintf("source %s: unknown scheme; use a local path or s3://bucket/prefix", s)}
		default:
			out = append(out, ingest.Local{Root: s})
		}
	}
	return out, false, nil
}

// objectSources reads cfg.Objects, one source per bucket in the order the
// buckets first appear.
func objectSources(ctx context.Context, cfg Config) ([]ingest.Source, error) {
	var buckets []string
	byBucket := map[string][]ingest.S3Object{}
	for _, o := range cfg.Objects {
		if _, ok := byBucket[o.Bucket]; !ok {
			buckets = append(buckets, o.Bucket)
		}
		byBucket[o.Bucket] = append(byBucket[o.Bucket], ingest.S3Object{Key: o.Key, Size: o.Size})
	}
	var out []ingest.Source
	for _, b := range buckets {
		var client ingest.S3API = cfg.Client
		if cfg.Client == nil {
			src, err := ingest.OpenS3Source(ctx, "s3://"+b+"/", cfg.S3.ingest(), ingest.Filter{})
			if err != nil {
				return nil, fmt.Errorf("source s3://%s: %w", b, err)
			}
			client = src.Client()
		}
		src, err := ingest.NewS3Objects(client, b, byBucket[b])
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}
