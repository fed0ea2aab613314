package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/catalog/cache"
	"github.com/tailor-iam/tailor/internal/progress"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/pipeline"
)

// readFlags are the flags every reading command shares.
type readFlags struct {
	Sources     []string
	Since       string
	Until       string
	Accounts    []string
	Regions     []string
	Profile     string
	EndpointURL string
	Strict      bool
	Workers     int
	MaxRes      int
	Generalize  []string // only on commands that register it
	Catalog     string
	Shard       string
	// EmitPartial is the file --emit-partial names, on the commands that
	// register it.
	EmitPartial string
	// keep, when set, keeps only the facts of principals it accepts.
	keep func(principal string) bool
	// observe, when set, gives each worker an observer of its facts
	// (tailor export).
	observe func() func(*analyze.Observed)
	// integrity is --verify-digests and its companions.
	integrity integrityFlags
}

func (f *readFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.Sources, "source", nil, "CloudTrail logs or partial aggregates (.parquet) to read: a file, a directory, or s3://bucket/prefix (repeatable; default: the bundled demo trail)")
	fl.StringVar(&f.Since, "since", "", "first event time, inclusive: RFC 3339, YYYY-MM-DD (UTC) or an age such as 30d")
	fl.StringVar(&f.Until, "until", "", "end of the time range, exclusive: RFC 3339, YYYY-MM-DD (UTC) or an age")
	fl.StringArrayVar(&f.Accounts, "account", nil, "only this trail account (repeatable; prunes the S3 listing)")
	fl.StringArrayVar(&f.Regions, "region", nil, "only this trail region (repeatable; prunes the S3 listing)")
	fl.StringVar(&f.Profile, "profile", "", "AWS shared-config profile for S3 and the CloudTrail API")
	fl.StringVar(&f.EndpointURL, "endpoint-url", "", "S3-compatible endpoint URL (path-style addressing), or the CloudTrail API's for cloudtrail:")
	fl.BoolVar(&f.Strict, "strict", false, "stop with exit 1 at the first unreadable or corrupt log file")
	f.Workers = runtime.GOMAXPROCS(0)
	fl.Var(&boundedInt{v: &f.Workers, ok: func(n int) bool { return n >= 1 }, want: "1 or more files read at once"}, "workers", "files read concurrently")
	fl.StringVar(&f.Catalog, "catalog", cache.ChoiceAuto, "IAM catalog: auto (the newer of the cache tailor catalog update writes and the embedded one), embedded, or a file")
	f.MaxRes = pipeline.DefaultMaxResources
	fl.StringVar(&f.Shard, "shard", "", "read only share i of n of the input, chosen by a stable hash of each file's path or S3 key (i/n, 1 <= i <= n)")
	fl.Var(&boundedInt{v: &f.MaxRes, ok: func(n int) bool { return n >= 1 || n == -1 }, want: "1 or more resources kept per action, or -1 for no cap"}, "max-resources", "distinct resources kept per principal and action before they fold into parent/* (-1: no cap)")
	f.integrity.register(cmd)
}

// registerGeneralize adds --generalize, for a command that writes
// resource ARNs a user may widen on purpose.
func (f *readFlags) registerGeneralize(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.Generalize, "generalize", nil, "widen ARNs on purpose: s3-prefix=N keeps N segments of object keys; revisions turns task-definition revisions and Lambda versions into * (repeatable)")
}

// registerEmitPartial adds --emit-partial, for a command whose run may be
// one part of a split (see tailor merge).
func (f *readFlags) registerEmitPartial(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.EmitPartial, "emit-partial", "", "also write the run's mergeable partial aggregate to this Parquet file (see tailor merge)")
}

// config turns the flags into a pipeline configuration.
func (f *readFlags) config(now time.Time) (pipeline.Config, error) {
	since, err := pipeline.ParseTime(f.Since, now)
	if err != nil {
		return pipeline.Config{}, usageErrorf("--since: %v", err)
	}
	until, err := pipeline.ParseTime(f.Until, now)
	if err != nil {
		return pipeline.Config{}, usageErrorf("--until: %v", err)
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return pipeline.Config{}, usageErrorf("--since %s is not before --until %s", since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	for _, src := range f.Sources {
		if src == "" {
			return pipeline.Config{}, usageErrorf("--source: empty; give a file, a directory or s3://bucket/prefix")
		}
		if src == "-" || strings.Contains(src, "://") || strings.HasPrefix(src, "cloudtrail:") {
			continue
		}
		if _, err := os.Stat(src); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return pipeline.Config{}, usageErrorf("--source %s: no such file or directory", safetext.Clean(src))
			}
			return pipeline.Config{}, usageErrorf("--source %s: %v", safetext.Clean(src), err)
		}
	}
	var shard pipeline.Shard
	if f.Shard != "" {
		if shard, err = pipeline.ParseShard(f.Shard); err != nil {
			return pipeline.Config{}, usageErrorf("--shard %v", err)
		}
	}
	var emit func(*partial.Aggregate) error
	if f.EmitPartial != "" {
		path := f.EmitPartial
		emit = func(p *partial.Aggregate) error {
			var b bytes.Buffer
			if err := partial.Write(&b, p); err != nil {
				return fmt.Errorf("--emit-partial %s: %w", path, err)
			}
			return writeFileAtomic("--emit-partial", path, b.Bytes())
		}
	}
	// A partial holds every principal whatever the command prints: it is
	// merged with others later.
	keep := f.keep
	if emit != nil {
		keep = nil
	}
	gen, err := pipeline.ParseGeneralize(f.Generalize)
	if err != nil {
		return pipeline.Config{}, usageErrorf("--generalize %v", err)
	}
	cat, err := cache.Load(f.Catalog)
	if err != nil && !errors.Is(err, cache.ErrRejected) {
		return pipeline.Config{}, fmt.Errorf("--catalog %s: %w", f.Catalog, err)
	}
	return pipeline.Config{
		Catalog:      cat,
		Generalize:   gen,
		Sources:      f.Sources,
		Since:        since,
		Until:        until,
		Accounts:     f.Accounts,
		Regions:      f.Regions,
		Workers:      f.Workers,
		Strict:       f.Strict,
		MaxResources: f.MaxRes,
		S3:           pipeline.S3Options{Profile: f.Profile, EndpointURL: f.EndpointURL},
		Keep:         keep,
		Observe:      f.observe,
		Shard:        shard,
		Partial:      emit,
	}, err // nil, or the cache rejected in favour of the embedded catalog
}

// runWithBar runs the pipeline with a progress bar on stderr when it is a
// terminal and --quiet is not given. The bar is gone before anything else
// is printed.
func runWithBar(ctx context.Context, io streams, cfg pipeline.Config) (*pipeline.Result, error) {
	if io.Bar == nil || io.Bar.Off || io.Bar.W == nil {
		return pipeline.Run(ctx, cfg)
	}
	cfg.Progress = &progress.Counters{}
	bar := progress.Start(ctx, io.Bar.W, cfg.Progress, progress.Options{})
	defer bar.Stop()
	return pipeline.Run(ctx, cfg)
}

// read runs the pipeline and prints per-file problems to stderr. A --strict
// stop exits 1 after naming the file.
func read(ctx context.Context, io streams, f *readFlags) (*pipeline.Result, error) {
	cfg, err := f.config(time.Now())
	if errors.Is(err, cache.ErrRejected) {
		fmt.Fprintf(io.ErrOut, "warning: %s\n", safetext.Line(err.Error()))
	} else if err != nil {
		return nil, err
	}
	if err := f.integrity.check(ctx, io, f, &cfg); err != nil {
		return nil, err
	}
	cfg.Stdin = io.In
	res, err := runWithBar(ctx, io, cfg)
	if res != nil && res.Report != nil {
		for _, p := range res.Report.Failed {
			fmt.Fprintf(io.ErrOut, "error: %s\n", safetext.Line(p.String()))
		}
		for _, p := range res.Report.MalformedIn {
			fmt.Fprintf(io.ErrOut, "warning: %s\n", safetext.Line(p.String()))
		}
		if w := res.Report.Lookup; w != nil {
			lookupNotes(io, w.Asked, w.Start)
		}
	}
	if err != nil {
		var se *pipeline.StrictError
		if errors.As(err, &se) {
			return nil, &exitErr{code: exitError, err: fmt.Errorf("--strict: stopped at %s", safetext.Clean(se.Problem.Name))}
		}
		return nil, err
	}
	if res.Demo {
		if io.OutTTY {
			fmt.Fprintln(io.ErrOut, "note: no --source given; reading the demo trail bundled with tailor")
		} else {
			// In a script a forgotten --source must not pass for a result.
			fmt.Fprintln(io.ErrOut, "warning: no --source given: this is the demo trail bundled with tailor, not yours (pass --source)")
		}
	}
	if res.Aggregate.Counts.Records == 0 {
		rep := res.Report
		if cfg.Partial != nil && cfg.Shard.Count > 1 && rep.OtherShares > 0 && rep.Files+rep.SkippedTotal()+len(rep.Failed) == 0 {
			// n workers over a few files: a share may hold none. Its
			// (empty) partial is still a worker's answer, not a failure.
			fmt.Fprintf(io.ErrOut, "note: --shard %d/%d: this share holds none of the %s listed; they fall to other shares\n", cfg.Shard.Index, cfg.Shard.Count, words.Nouns(rep.OtherShares, "file"))
			return res, nil
		}
		return res, &exitErr{code: exitNoEvents, err: errors.New(noRecords(res.Report))}
	}
	return res, nil
}

// lookupNotes says, once a run, what a cloudtrail: source cannot read:
// data events, and a --since further back than the API keeps.
func lookupNotes(io streams, asked, start time.Time) {
	fmt.Fprintln(io.ErrOut, "note: cloudtrail: LookupEvents returns management events only; data events (S3 object reads and writes, Lambda invokes, DynamoDB item calls) are only in a trail's files (--source s3://BUCKET/AWSLogs/)")
	if !asked.IsZero() {
		fmt.Fprintf(io.ErrOut, "warning: cloudtrail: --since %s is more than 90 days ago and LookupEvents keeps 90 days: reading from %s (older events are only in a trail's files)\n",
			asked.Format(time.RFC3339), start.Format(time.RFC3339))
	}
}

// noRecords says what a run that found no CloudTrail record did find.
func noRecords(rep *pipeline.Report) string {
	listed := rep.Files + rep.SkippedTotal() + len(rep.Failed)
	if listed == 0 {
		return "found no CloudTrail records: the sources hold no files (an empty directory, or a prefix with nothing under it?)"
	}
	var found []string
	for _, why := range slices.Sorted(maps.Keys(rep.Skipped)) {
		w := skipWhat[why]
		found = append(found, words.Count(rep.Skipped[why], w[0], w[1]))
	}
	if len(rep.Failed) > 0 {
		found = append(found, fmt.Sprintf("%d that could not be read (above)", len(rep.Failed)))
	}
	if rep.Files > 0 {
		found = append(found, fmt.Sprintf("%d log files without a record", rep.Files))
	}
	return fmt.Sprintf("found no CloudTrail records in %s: %s", words.Nouns(listed, "file"), strings.Join(found, ", "))
}

// skipWhat says what a skipped file was, by reason: one, and many.
var skipWhat = map[pipeline.SkipReason][2]string{
	pipeline.SkipDigest:         {"CloudTrail digest file (skipped by design)", "CloudTrail digest files (skipped by design)"},
	pipeline.SkipNotLog:         {"file that holds no log (by its name or its content)", "files that hold no log (by their names or content)"},
	pipeline.SkipEmpty:          {"empty file", "empty files"},
	pipeline.SkipNotTrail:       {"JSON file that holds no CloudTrail records", "JSON files that hold no CloudTrail records"},
	pipeline.SkipControlMessage: {"CloudWatch Logs control message (skipped by design)", "CloudWatch Logs control messages (skipped by design)"},
	pipeline.SkipOtherEvent:     {"EventBridge event that CloudTrail did not send", "EventBridge events that CloudTrail did not send"},
}

// summary prints the stderr summary block: one "name: value" per line.
type summary [][2]string

func (s *summary) add(name, format string, a ...any) {
	*s = append(*s, [2]string{name, fmt.Sprintf(format, a...)})
}

func (s summary) print(io streams) {
	for _, kv := range s {
		fmt.Fprintf(io.ErrOut, "%s: %s\n", kv[0], safetext.Line(kv[1]))
	}
}

// inputSummary adds the lines about what was read.
func inputSummary(s *summary, res *pipeline.Result, catalogDate string) {
	rep := res.Report
	s.add("files", "%d read", rep.Files)
	s.add("records", "%d", res.Aggregate.Counts.Records)
	s.add("skipped inputs", "%s", skipText(rep))
	s.add("failed inputs", "%d", len(rep.Failed))
	if rep.Malformed > 0 {
		s.add("malformed records", "%d", rep.Malformed)
	}
	if w := rep.Lookup; w != nil {
		s.add("cloudtrail window", "%s to %s (end exclusive; events the API had not received by then are not read)", w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339))
	}
	if n := res.Aggregate.Counts.Duplicates; n > 0 {
		s.add("duplicates", "%d cross-account events delivered to two trails, counted once", n)
	}
	s.add("catalog", "%s", catalogDate)
	s.add("elapsed", "%s", res.Elapsed.Round(time.Millisecond))
}

func skipText(rep *pipeline.Report) string {
	if rep.SkippedTotal() == 0 {
		return "0"
	}
	var parts []string
	for k, v := range rep.Skipped {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d (%s)", rep.SkippedTotal(), strings.Join(parts, ", "))
}

// boundedInt is an int flag that refuses impossible values as it is
// parsed: a usage error, exit 2.
type boundedInt struct {
	v    *int
	ok   func(int) bool
	want string
}

func (b *boundedInt) String() string {
	if b.v == nil {
		return "0"
	}
	return strconv.Itoa(*b.v)
}

func (b *boundedInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	if !b.ok(n) {
		return fmt.Errorf("%d: want %s", n, b.want)
	}
	*b.v = n
	return nil
}

func (b *boundedInt) Type() string { return "int" }
