package export

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/trail"
)

// Options tune a Collector; the zero value is the default.
type Options struct {
	// Dir is where sorted runs are spilled; "" means os.TempDir(). The
	// command puts them beside the file it writes: a tmpfs /tmp is memory.
	Dir string
	// RunRows is how many rows a worker holds before it sorts and spills
	// them; 0 means DefaultRunRows.
	RunRows int
}

// DefaultRunRows bounds a worker's buffer (about 300 bytes a row).
const DefaultRunRows = 32 << 10

// Collector gathers the rows of a run's facts from its workers. Its
// methods are safe for concurrent use; each observer Worker returns is for
// one goroutine.
type Collector struct {
	opts Options

	mu      sync.Mutex
	dir     string   // made on the first spill
	runs    []string // the runs not yet merged, oldest first
	made    int      // runs made, to name the next
	workers []*worker
	err     error // the first spill error: the rows after it are not kept
}

// NewCollector returns an empty collector.
func NewCollector(opts Options) *Collector {
	if opts.RunRows <= 0 {
		opts.RunRows = DefaultRunRows
	}
	return &Collector{opts: opts}
}

// Worker returns an observer for one worker's analyzer: the function
// pipeline.Config.Observe calls for.
func (c *Collector) Worker() func(*analyze.Observed) {
	w := &worker{c: c, intern: map[string]string{}, copies: map[string][]string{}}
	c.mu.Lock()
	c.workers = append(c.workers, w)
	c.mu.Unlock()
	return w.observe
}

// worker is one worker's buffer.
type worker struct {
	c      *Collector
	rows   []Row
	intern map[string]string // the buffer's repeated strings, held once
	lastID string            // the last record's eventID, held once for its rows
	// copies are the eventIDs of each cross-account call's copies, by
	// analyze.SharedKey: the run counts the least, and Write keeps its rows.
	copies map[string][]string
	failed bool
}

func (w *worker) observe(o *analyze.Observed) {
	if w.failed {
		return
	}
	r := o.Record
	if r.EventID != w.lastID {
		w.lastID = strings.Clone(r.EventID)
	}
	row := Row{
		Principal:     w.str(o.Principal.ARN),
		PrincipalKind: w.str(o.Principal.Kind),
		Account:       w.str(r.RecipientAccountID),
		Region:        w.str(o.Fact.Region),
		EventTime:     eventTime(r),
		EventSource:   w.str(r.EventSource),
		EventName:     w.str(r.EventName),
		Action:        w.str(o.Fact.Action),
		Resource:      w.resource(o.Fact.Resource),
		Outcome:       outcome(o),
		ErrorCode:     w.str(r.ErrorCode),
		DenialReason:  string(o.Fact.Denial.Reason),
		DenyingPolicy: w.str(o.Fact.Denial.PolicyARN),
		SourceIP:      w.str(r.SourceIPAddress),
		VPCEndpoint:   w.str(r.VPCEndpointID),
		UserAgent:     w.str(r.UserAgent),
		EventID:       w.lastID,
		SharedEventID: strings.Clone(r.SharedEventID),
		LinkedID:      strings.Clone(o.Link.ID),

		PrincipalAccount: w.str(o.Principal.Account),
		PrincipalID:      w.str(o.Principal.ID),
		PassedTo:         w.str(o.Fact.PassedTo),
		Profile:          w.str(o.Fact.Profile),
		Via:              w.str(o.Fact.Via),
		Provider:         w.str(o.Fact.Provider),
		DenialExplicit:   o.Fact.Denial.Explicit,
		DenialThroughSCP: o.Fact.Denial.ThroughSCP,
		CallingService:   w.str(o.Origin.Service),
		TLS:              o.Origin.TLS,
		MFA:              w.str(o.Origin.MFA),
	}
	if o.Link.ID != "" {
		row.LinkedKind, row.LinkedAccount = w.str(o.Link.Kind), w.str(o.Link.Account)
	}
	if o.Fact.Denied() {
		row.ErrorMessage = w.str(r.ErrorMessage)
	}
	if r.SharedEventID != "" {
		if k := o.SharedKey(); k != "" && !slices.Contains(w.copies[k], row.EventID) {
			w.copies[k] = append(w.copies[k], row.EventID)
		}
	}
	w.rows = append(w.rows, row)
	if len(w.rows) >= w.c.opts.RunRows {
		w.spill()
	}
}

// str returns s, held once per buffer: the strings of a record are reused
// when the next one is read, so whatever a row keeps is copied.
func (w *worker) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := w.intern[s]; ok {
		return v
	}
	v := strings.Clone(s)
	w.intern[v] = v
	return v
}

func (w *worker) resource(s string) string {
	if s == analyze.Wildcard {
		return analyze.Wildcard
	}
	return strings.Clone(s)
}

// eventTime is a record's eventTime in Unix milliseconds; 0 (null) when
// it is missing or malformed.
func eventTime(r *trail.Record) int64 {
	t := r.Time()
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// spill sorts the buffer and writes it as a run.
func (w *worker) spill() {
	sortRows(w.rows)
	if err := w.c.spill(w.rows); err != nil {
		w.failed = true
	}
	clear(w.rows) // let the strings go
	w.rows = w.rows[:0]
	clear(w.intern)
}

func sortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int { return a.compare(&b) })
}

// spill writes sorted rows to a new run file.
func (c *Collector) spill(rows []Row) error {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp(c.opts.Dir, ".tailor-export-*")
		if err != nil {
			c.err = fmt.Errorf("export: spill sorted rows: %w", err)
			c.mu.Unlock()
			return c.err
		}
		c.dir = dir
	}
	name := c.runName()
	c.runs = append(c.runs, name)
	c.mu.Unlock()
	if err := writeRun(name, slices.Values(rows)); err != nil {
		c.mu.Lock()
		if c.err == nil {
			c.err = fmt.Errorf("export: spill sorted rows: %w", err)
		}
		c.mu.Unlock()
		return err
	}
	return nil
}

// runName names a new run; c.mu is held.
func (c *Collector) runName() string {
	c.made++
	return filepath.Join(c.dir, fmt.Sprintf("run-%06d.parquet", c.made))
}

// Close removes the runs. Call it once the collector is no longer used.
func (c *Collector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		return nil
	}
	err := os.RemoveAll(c.dir)
	c.dir, c.runs = "", nil
	return err
}

// losers are the eventIDs of the copies of cross-account calls that the
// run did not count: all but the least of each call's.
func (c *Collector) losers() map[string]bool {
	all := map[string][]string{}
	for _, w := range c.workers {
		for k, ids := range w.copies {
			all[k] = append(all[k], ids...)
		}
	}
	out := map[string]bool{}
	for _, ids := range all {
		least := slices.MinFunc(ids, cmp.Compare[string])
		for _, id := range ids {
			if id != least {
				out[id] = true
			}
		}
	}
	return out
}
