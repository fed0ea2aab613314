package pipeline

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/export"
	"github.com/tailor-iam/tailor/ingest"
	"github.com/tailor-iam/tailor/internal/progress"
	"github.com/tailor-iam/tailor/parquettrail"
	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/trail"
)

// worker is one ingest worker's handler: it analyzes records, those of
// JSON files and of CloudTrail tables in Parquet alike, replays the facts
// of tailor's exports, and merges the partial aggregates it is given as
// Parquet files.
type worker struct {
	rec  handler            // the analyzer: analyze's, or partial's in a run that emits a partial
	part *partial.Aggregate // what it gathered; Main is the analyzer's aggregate
	run  *runInfo

	mu       sync.Mutex
	partials []string // the partial files read
	replayed int64    // the events of the exports read
}

// runInfo is what a worker checks a partial against.
type runInfo struct {
	maxResources int
	generalize   string
	filtered     bool // --since, --until, --account or --region given

	// partials gathers the partial aggregates the run reads, merged as
	// each is read, whatever worker read it: one aggregate of them, not
	// one per worker (each near the size of all of them when the
	// partials hold the same principals and actions).
	mu       sync.Mutex
	partials *partial.Aggregate
}

// mergePartial merges p into the run's partials.
func (r *runInfo) mergePartial(p *partial.Aggregate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.partials == nil {
		r.partials = partial.New(r.maxResources)
	}
	r.partials.Absorb(p) // the first is taken whole when its cap is the run's

}

// handler is what a worker's analyzer does: analyze a record, or replay
// an exported event.
type handler interface {
	ingest.Handler
	Replay(*analyze.Event)
}

func newWorker(an *analyze.Analyzer, deferShared bool, run *runInfo) *worker {
	if deferShared {
		pa := partial.NewAnalyzer(an)
		return &worker{rec: pa, part: pa.Partial(), run: run}
	}
	p := partial.New(an.Aggregate().MaxResources)
	p.Main = an.Aggregate()
	return &worker{rec: an, part: p, run: run}
}

func (w *worker) Record(r *trail.Record) { w.rec.Record(r) }

// Parquet reads a Parquet file by what it holds, told by its metadata
// and schema: a tailor export (tailor.export.version) is replayed event by
// event into the analyzer; a partial aggregate (tailor.partial.version in
// its metadata) is merged into the worker's, when the run can give the
// result a single run would; a CloudTrail table (Security Lake's OCSF
// tables, the Athena table) is read row by row into the analyzer, as a
// JSON file's records are.
func (w *worker) Parquet(name string, f io.ReaderAt, size int64) error {
	learned, n, err := export.Read(f, size, w.rec.Replay)
	if !errors.Is(err, export.ErrNotExport) {
		w.mu.Lock()
		w.replayed += int64(n)
		w.mu.Unlock()
		// What other calls showed scopes the rows read, even of a file
		// cut short.
		learned.AddTo(w.part.Main)
		return err
	}
	p, err := partial.Read(f, size)
	if errors.Is(err, partial.ErrNotPartial) {
		return w.table(f, size)
	}
	if err != nil {
		return err
	}
	switch {
	case w.run.filtered:
		return fmt.Errorf("a partial aggregate cannot be narrowed by --since, --until, --account or --region (its facts are counted already); give them when it is made")
	case p.Header.Generalize != w.run.generalize:
		return fmt.Errorf("partial made with --generalize %q; this run has %q", p.Header.Generalize, w.run.generalize)
	case !partial.Compatible(p.Header.MaxResources, w.run.maxResources, p.Folded()):
		return fmt.Errorf("partial folded resources at --max-resources %s; read it with that cap or a lower one (this run: %s)", capText(p.Header.MaxResources), capText(w.run.maxResources))
	}
	w.run.mergePartial(p)
	w.mu.Lock()
	w.partials = append(w.partials, name)
	w.mu.Unlock()
	return nil
}

// table reads a CloudTrail table's events into the analyzer.
func (w *worker) table(f io.ReaderAt, size int64) error {
	_, err := parquettrail.Read(f, size, w.rec.Record)
	if errors.Is(err, parquettrail.ErrUnknownForm) {
		return fmt.Errorf("a Parquet file that is neither a tailor partial (no tailor.partial.version metadata) nor a CloudTrail table tailor reads: %w", err)
	}
	return err
}

func capText(n int) string {
	if n == 0 {
		return "-1 (no cap)"
	}
	return fmt.Sprint(n)
}

// generalizeText is a canonical --generalize.
func generalizeText(g Generalize) string {
	var parts []string
	if g.S3PrefixSet {
		parts = append(parts, fmt.Sprintf("s3-prefix=%d", g.S3Prefix))
	}
	if g.Revisions {
		parts = append(parts, "revisions")
	}
	return strings.Join(parts, ",")
}

// inputs records the objects a run read, for the partial's header.
type inputs struct {
	mu   sync.Mutex
	objs map[string]int64
}

func (in *inputs) add(o ingest.Object) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.objs == nil {
		in.objs = map[string]int64{}
	}
	in.objs[o.Name] = o.Size
}

// tracker hears the run's progress: what was read, for the partial's
// header, and the counters of a progress bar, if there is one.
type tracker struct {
	read     *inputs
	counters *progress.Counters
}

func (t tracker) Listed(o ingest.Object) {
	if t.counters != nil {
		t.counters.FileListed(max(o.Size, 0))
	}
}

func (t tracker) ListingDone() {
	if t.counters != nil {
		t.counters.ListingDone()
	}
}

func (t tracker) Read(o ingest.Object, records int) {
	t.read.add(o)
	if t.counters != nil {
		t.counters.FileDone(max(o.Size, 0), int64(records))
	}
}

func (t tracker) Skipped(o ingest.Object) {
	if t.counters != nil {
		t.counters.FileDone(max(o.Size, 0), 0)
	}
}

// list is the objects read in full: not those that failed, nor the
// partial files (their own inputs are in their headers).
func (in *inputs) list(rep *ingest.Report, workers []*worker) []partial.Input {
	drop := map[string]bool{}
	for _, p := range rep.Failed {
		drop[p.Name] = true
	}
	for _, w := range workers {
		for _, name := range w.partials {
			drop[name] = true
		}
	}
	var out []partial.Input
	for name, size := range in.objs {
		if !drop[name] {
			out = append(out, partial.Input{Name: name, Size: size})
		}
	}
	return out
}

// Version is the module version tailor was built as, for the headers of
// what it writes.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
