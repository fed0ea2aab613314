package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/pipeline"
)

// partition is one account's region's day: the unit the state keeps a
// partial of.
type partition struct {
	Account, Region string
	Day             string // YYYY/MM/DD
}

func (p partition) String() string { return p.Account + "/" + p.Region + "/" + p.Day }

func (c *Config) dayPrefix(p partition) string {
	return c.TrailPrefix + p.Account + "/CloudTrail/" + p.Region + "/" + p.Day + "/"
}

// Result is what a run did.
type Result struct {
	Folded     int  // files folded in this run
	Partitions int  // partitions whose partial changed
	Stopped    bool // the run stopped early for its deadline; the next continues
	Published  bool // the outputs were written
	Conflicted bool // another run kept moving the checkpoint: this one left the work to it
	Generation int64
}

// maxConflicts bounds how often a run starts over after another run moved
// the checkpoint under it.
const maxConflicts = 5

// Run folds the files delivered since the last run and publishes the
// outputs if the state changed. It is safe to retry after any failure, and
// to run twice at once.
func Run(ctx context.Context, client S3, c *Config, log *slog.Logger) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	return retryConflicts(ctx, log, func() (Result, error) { return run(ctx, client, c, log) })
}

// retryConflicts runs f again when another run moved the checkpoint under
// it, after a jittered pause, a few times; then it stops cleanly, leaving
// the work to the run that keeps winning: that one is alive and working.
func retryConflicts(ctx context.Context, log *slog.Logger, f func() (Result, error)) (Result, error) {
	for try := 1; ; try++ {
		res, err := f()
		if !errors.Is(err, errConflict) {
			return res, err
		}
		if try == maxConflicts {
			log.Info("another run keeps moving the checkpoint; stopping and leaving the work to it", "tries", try)
			res.Stopped, res.Conflicted = true, true
			return res, nil
		}
		log.Info("checkpoint moved by another run; reading it again", "try", try)
		pause := time.Duration(50+rand.IntN(200*try)) * time.Millisecond
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(pause):
		}
	}
}

func run(ctx context.Context, client S3, c *Config, log *slog.Logger) (Result, error) {
	var res Result
	cp, etag, err := loadCheckpoint(ctx, client, c)
	if err != nil {
		return res, err
	}
	parts, err := c.plan(ctx, client, cp)
	if err != nil {
		return res, err
	}
	log.Info("planned", "partitions", len(parts), "generation", cp.Generation)
	for _, p := range parts {
		if c.late(ctx) {
			res.Stopped = true
			break
		}
		n, err := c.foldPartition(ctx, client, cp, &etag, p, log, &res)
		res.Folded += n
		if err != nil {
			return res, err
		}
	}
	res.Generation = cp.Generation
	if res.Stopped {
		log.Info("stopped before the deadline; the next run continues", "folded", res.Folded)
		return res, nil
	}
	if c.close(cp, parts) {
		if err := c.fault("before-checkpoint"); err != nil {
			return res, err
		}
		if etag, err = saveCheckpoint(ctx, client, c, cp, etag); err != nil {
			return res, err
		}
	}
	if cp.Generation == cp.Published {
		log.Info("nothing new to publish", "generation", cp.Generation, "folded", res.Folded)
		return res, nil
	}
	if err := publish(ctx, client, c, cp, log); err != nil {
		return res, err
	}
	if err := c.fault("before-publish-checkpoint"); err != nil {
		return res, err
	}
	cp.Published = cp.Generation
	if _, err := saveCheckpoint(ctx, client, c, cp, etag); err != nil {
		return res, err
	}
	res.Published = true
	log.Info("published", "generation", cp.Generation)
	return res, nil
}

// late reports that the run has less than its margin left.
func (c *Config) late(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < c.Margin
}

// plan lists the partitions that can hold new files: the accounts and
// regions configured or found in the trail, each from the day after the
// last closed one (or the first run's lookback) to today. It notes a new
// account and region's first day in cp.
func (c *Config) plan(ctx context.Context, client S3, cp *checkpoint) ([]partition, error) {
	accounts := c.Accounts
	if len(accounts) == 0 {
		_, dirs, err := list(ctx, client, c.TrailBucket, c.TrailPrefix, true)
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			if a := lastDir(d); len(a) == 12 && strings.Trim(a, "0123456789") == "" {
				accounts = append(accounts, a)
			}
		}
	}
	today := c.Now().UTC()
	var out []partition
	for _, a := range accounts {
		regions := c.Regions
		if len(regions) == 0 {
			_, dirs, err := list(ctx, client, c.TrailBucket, c.TrailPrefix+a+"/CloudTrail/", true)
			if err != nil {
				return nil, err
			}
			for _, d := range dirs {
				regions = append(regions, lastDir(d))
			}
		}
		for _, r := range regions {
			ar := a + "/" + r
			if cp.From[ar] == "" {
				if cp.From == nil {
					cp.From = map[string]string{}
				}
				cp.From[ar] = today.AddDate(0, 0, 1-c.LookbackDays).Format(dayLayout)
			}
			day, _ := time.Parse(dayLayout, cp.From[ar])
			if closed, err := time.Parse(dayLayout, cp.Closed[ar]); err == nil && !closed.Before(day) {
				day = closed.AddDate(0, 0, 1)
			}
			for ; !day.After(today); day = day.AddDate(0, 0, 1) {
				out = append(out, partition{Account: a, Region: r, Day: day.Format(dayLayout)})
			}
		}
	}
	return out, nil
}

const dayLayout = "2006/01/02"

// mustDay reads a partition's day, which plan wrote.
func mustDay(s string) time.Time {
	t, _ := time.Parse(dayLayout, s)
	return t
}

// close notes, once a run has read every planned partition, the days no
// late delivery can reach any more: the next run starts after them. It
// reports whether cp changed.
func (c *Config) close(cp *checkpoint, parts []partition) bool {
	last := c.Now().UTC().AddDate(0, 0, -c.LateDays-1).Format(dayLayout)
	changed := false
	for _, p := range parts {
		ar := p.Account + "/" + p.Region
		closed := last
		// A day with files that could not be read stays open: the next
		// run tries them again.
		for part := range cp.Failed {
			if day, ok := strings.CutPrefix(part, ar+"/"); ok && day <= closed {
				closed = mustDay(day).AddDate(0, 0, -1).Format(dayLayout)
			}
		}
		if cp.Closed[ar] < closed && cp.From[ar] <= closed {
			if cp.Closed == nil {
				cp.Closed = map[string]string{}
			}
			cp.Closed[ar] = closed
			changed = true
		}
	}
	return changed
}

func lastDir(d string) string {
	d = strings.TrimSuffix(d, "/")
	return d[strings.LastIndexByte(d, '/')+1:]
}

// foldPartition folds a partition's new files into its partial, MaxFiles
// at a time, moving the checkpoint after each fold. It returns the files
// folded.
func (c *Config) foldPartition(ctx context.Context, client S3, cp *checkpoint, etag *string, p partition, log *slog.Logger, res *Result) (int, error) {
	objs, _, err := list(ctx, client, c.TrailBucket, c.dayPrefix(p), false)
	if err != nil {
		return 0, err
	}
	if err := c.fault("listed"); err != nil {
		return 0, err
	}
	folded := map[string]bool{}
	key := cp.Partitions[p.String()]
	if key != "" {
		old, err := readPartial(ctx, client, c.StateBucket, key)
		if err != nil {
			return 0, err
		}
		for _, in := range old.Header.Inputs {
			folded[in.Name] = true
		}
	}
	var fresh []pipeline.S3Object
	for _, o := range objs {
		name := "s3://" + c.TrailBucket + "/" + o.Key
		if !folded[name] && pipeline.Classify(o.Key, o.Size) == "" {
			fresh = append(fresh, pipeline.S3Object{Bucket: c.TrailBucket, Key: o.Key, Size: o.Size})
		}
	}
	done := 0
	var runFailed []Problem // this run's, over all its folds of p
	for len(fresh) > 0 {
		if c.late(ctx) {
			res.Stopped = true
			return done, nil
		}
		chunk := fresh[:min(len(fresh), c.MaxFiles)]
		fresh = fresh[len(chunk):]
		newKey, failed, err := c.fold(ctx, client, p, key, chunk)
		if err != nil {
			return done, err
		}
		done += len(chunk) - len(failed)
		runFailed = append(runFailed, failed...)
		sortProblems(runFailed)
		if newKey == key && sameProblems(cp.Failed[p.String()], runFailed) {
			continue // nothing read (every file failed again)
		}
		if err := c.fault("before-checkpoint"); err != nil {
			return done, err
		}
		cp.Partitions[p.String()] = newKey
		setFailed(cp, p.String(), runFailed)
		cp.Generation++
		if !c.noCheckpoint {
			if *etag, err = saveCheckpoint(ctx, client, c, cp, *etag); err != nil {
				return done, err
			}
		}
		if err := c.fault("after-checkpoint"); err != nil {
			return done, err
		}
		key = newKey
		res.Partitions++
		log.Info("folded", "partition", p.String(), "files", len(chunk), "failed", len(failed), "generation", cp.Generation)
	}
	return done, nil
}

// fold reads the partition's partial (key, "" for none) and chunk into a
// new partial, writes it, and returns its key and the files that could not
// be read.
func (c *Config) fold(ctx context.Context, client S3, p partition, key string, chunk []pipeline.S3Object) (string, []Problem, error) {
	gen, err := pipeline.ParseGeneralize(c.Generalize)
	if err != nil {
		return "", nil, fmt.Errorf("TAILOR_GENERALIZE: %w", err)
	}
	var objs []pipeline.S3Object
	if key != "" {
		objs = append(objs, pipeline.S3Object{Bucket: c.StateBucket, Key: key, Size: -1})
	}
	objs = append(objs, chunk...)
	var body []byte
	res, err := pipeline.Run(ctx, pipeline.Config{Objects: objs, Client: client, Generalize: gen, Workers: 2,
		Partial: func(a *partial.Aggregate) error {
			var b bytes.Buffer
			if err := partial.Write(&b, a); err != nil {
				return err
			}
			body = b.Bytes()
			return nil
		}})
	if err != nil {
		return "", nil, fmt.Errorf("fold %s: %w", p, err)
	}
	for _, f := range res.Report.Failed {
		if key != "" && f.Name == "s3://"+c.StateBucket+"/"+key {
			return "", nil, fmt.Errorf("fold %s: its partial: %v", p, f.Err)
		}
	}
	if err := c.fault("folded"); err != nil {
		return "", nil, err
	}
	var failed []Problem
	for _, f := range res.Report.Failed {
		failed = append(failed, Problem{File: f.Name, Error: f.Err.Error()})
	}
	newKey := c.partialKey("partials", p.String(), body)
	if newKey != key {
		if err := putObject(ctx, client, c.StateBucket, newKey, "application/vnd.apache.parquet", body); err != nil {
			return "", nil, err
		}
	}
	if err := c.fault("partial-written"); err != nil {
		return "", nil, err
	}
	return newKey, failed, nil
}

func setFailed(cp *checkpoint, p string, failed []Problem) {
	if len(failed) == 0 {
		delete(cp.Failed, p)
		return
	}
	if cp.Failed == nil {
		cp.Failed = map[string][]Problem{}
	}
	cp.Failed[p] = append([]Problem(nil), failed...)
}

func sortProblems(ps []Problem) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].File < ps[j].File })
}

func sameProblems(a, b []Problem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
