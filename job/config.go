// Package job is the scheduled job: on each run it folds the CloudTrail
// files delivered since the last one into per-day partial aggregates kept
// in S3, then publishes fresh policies, the denied report, a summary and
// what changed. It is what cmd/tailor-lambda runs; the Lambda adapter only
// reads its configuration and hands over the event.
//
// The state is one checkpoint object and the partials it names. A run
// never changes a partial: it writes a new one, named by its content, and
// then moves the checkpoint to it with an S3 conditional write, so a crash
// at any step, followed by a retry, neither skips nor counts a file twice,
// and two runs at once cannot both move it. The outputs are a function of
// the checkpoint alone, so a run that publishes again after a crash writes
// the same bytes.
package job

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Config is one deployment's settings.
type Config struct {
	TrailBucket string
	TrailPrefix string // "AWSLogs/" or "AWSLogs/o-xxxx/"
	Accounts    []string
	Regions     []string
	// Principals names whose policies to publish: role or user names, ARNs,
	// or path globs ("service/*"); empty publishes every role and user.
	Principals   []string
	LookbackDays int // days read on the first run
	LateDays     int // days before today a late delivery may still reach

	StateBucket  string
	StatePrefix  string
	OutputBucket string
	OutputPrefix string

	Formats    []string // json, terraform, cloudformation
	Inline     bool     // inline policies rather than managed ones
	Generalize []string // as --generalize

	// MaxFiles is how many files one fold reads before it commits; a run
	// commits after each fold, so a timeout loses at most one.
	MaxFiles int
	// Margin is the time a run keeps in hand before its context's
	// deadline: it starts no fold with less left.
	Margin time.Duration
	// Now is the clock, for tests; nil is time.Now.
	Now func() time.Time
	// Fault, when set, is called at each step boundary with the step's
	// name; an error stops the run there, as a crash would (tests).
	Fault func(step string) error

	noCheckpoint bool // a map step's folds move no checkpoint
}

// Steps are the boundaries at which Fault is called, in a run's order.
var Steps = []string{"listed", "folded", "partial-written", "before-checkpoint", "after-checkpoint", "outputs", "before-publish-checkpoint"}

// Validate fills defaults and says what is wrong, naming the setting, so a
// deployment fails before it touches S3.
func (c *Config) Validate() error {
	var errs []error
	if c.TrailBucket == "" {
		errs = append(errs, errors.New("TAILOR_TRAIL_BUCKET: required: the bucket CloudTrail delivers to"))
	}
	if c.StateBucket == "" {
		errs = append(errs, errors.New("TAILOR_STATE_BUCKET: required: the bucket tailor keeps its state in"))
	}
	if c.TrailPrefix == "" {
		c.TrailPrefix = "AWSLogs/"
	}
	if !strings.HasSuffix(c.TrailPrefix, "/") {
		c.TrailPrefix += "/"
	}
	if c.StatePrefix == "" {
		c.StatePrefix = "tailor/state/"
	}
	if c.OutputBucket == "" {
		c.OutputBucket = c.StateBucket
	}
	if c.OutputPrefix == "" {
		c.OutputPrefix = "tailor/out/"
	}
	for _, p := range []*string{&c.StatePrefix, &c.OutputPrefix} {
		if !strings.HasSuffix(*p, "/") {
			*p += "/"
		}
	}
	if c.OutputBucket == c.StateBucket && (strings.HasPrefix(c.OutputPrefix, c.StatePrefix) || strings.HasPrefix(c.StatePrefix, c.OutputPrefix)) {
		errs = append(errs, fmt.Errorf("TAILOR_OUTPUT_PREFIX: %q overlaps TAILOR_STATE_PREFIX %q in the same bucket", c.OutputPrefix, c.StatePrefix))
	}
	if c.LookbackDays == 0 {
		c.LookbackDays = 7
	}
	if c.LookbackDays < 1 || c.LookbackDays > 90 {
		errs = append(errs, fmt.Errorf("TAILOR_LOOKBACK_DAYS: %d: want 1 to 90", c.LookbackDays))
	}
	if c.LateDays < 0 || c.LateDays > 30 {
		errs = append(errs, fmt.Errorf("TAILOR_LATE_DAYS: %d: want 0 to 30", c.LateDays))
	}
	for _, a := range c.Accounts {
		if len(a) != 12 || strings.Trim(a, "0123456789") != "" {
			errs = append(errs, fmt.Errorf("TAILOR_ACCOUNTS: %q is not a 12-digit account id", a))
		}
	}
	for _, p := range c.Principals {
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, fmt.Errorf("TAILOR_PRINCIPALS: %q: %v", p, err))
		}
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"json"}
	}
	for _, f := range c.Formats {
		if _, ok := formatExt[f]; !ok {
			errs = append(errs, fmt.Errorf("TAILOR_FORMATS: %q: want json, terraform or cloudformation", f))
		}
	}
	if c.MaxFiles <= 0 {
		c.MaxFiles = 200
	}
	if c.Margin <= 0 {
		c.Margin = 30 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return errors.Join(errs...)
}

// formatExt is each output format's file extension.
var formatExt = map[string]string{"json": ".json", "terraform": ".tf", "cloudformation": ".yaml"}

func (c *Config) fault(step string) error {
	if c.Fault == nil {
		return nil
	}
	if err := c.Fault(step); err != nil {
		return fmt.Errorf("fault at %s: %w", step, err)
	}
	return nil
}
