package progress

import (
	"context"
	"io"
	"sync"
	"time"

	"golang.org/x/term"
)

// DefaultInterval is how often a Bar redraws: often enough to look alive,
// rarely enough to cost nothing next to reading a trail.
const DefaultInterval = 200 * time.Millisecond

const (
	fallbackWidth = 80
	clearToEnd    = "\x1b[K" // erases from the cursor to the end of the line
)

// Options sets up a Bar.
type Options struct {
	// Quiet draws nothing, as for --quiet.
	Quiet bool
	// Interval is the time between redraws; zero means DefaultInterval.
	Interval time.Duration
}

// Bar redraws one line from a Counters until Stop. Nothing else may write
// to its writer while it runs: stop the bar before printing there.
type Bar struct {
	w        io.Writer
	fd       int
	c        *Counters
	interval time.Duration
	start    time.Time
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
}

// Start draws c's progress on w until Stop or until ctx ends, and only if w
// is a terminal: an *os.File on one, or any writer with an Fd() uintptr
// method whose descriptor is one. On anything else, or with opts.Quiet, it
// writes nothing, and the Bar it returns only has to be stopped.
func Start(ctx context.Context, w io.Writer, c *Counters, opts Options) *Bar {
	b := &Bar{}
	fd, ok := terminal(w)
	if opts.Quiet || c == nil || !ok {
		return b
	}
	b.w, b.fd, b.c = w, fd, c
	b.interval = opts.Interval
	if b.interval <= 0 {
		b.interval = DefaultInterval
	}
	b.start = time.Now()
	b.stop = make(chan struct{})
	b.done = make(chan struct{})
	go b.run(ctx)
	return b
}

// Stop ends the drawing, erases the line if one was drawn so that what
// the command prints next starts on a clean line, and returns once the
// drawing has stopped. It may be called more than once.
func (b *Bar) Stop() {
	if b == nil || b.done == nil {
		return
	}
	b.once.Do(func() { close(b.stop) })
	<-b.done
}

func (b *Bar) run(ctx context.Context) {
	defer close(b.done)
	tick := time.NewTicker(b.interval)
	defer tick.Stop()
	var last string
	for {
		select {
		case <-ctx.Done():
			b.erase(last)
			return
		case <-b.stop:
			b.erase(last)
			return
		case <-tick.C:
		}
		line := Render(b.c.Snapshot(), time.Since(b.start), b.width())
		if line == last {
			continue
		}
		// Progress is a courtesy: a terminal that refuses a write gets no
		// more, and the run goes on.
		if _, err := io.WriteString(b.w, "\r"+line+clearToEnd); err != nil {
			return
		}
		last = line
	}
}

// erase clears the line, if anything was drawn on it.
func (b *Bar) erase(last string) {
	if last != "" {
		_, _ = io.WriteString(b.w, "\r"+clearToEnd) // the bar is going away either way
	}
}

// width asks the terminal at each redraw, so that a resized window gets a
// line that fits.
func (b *Bar) width() int {
	if w, _, err := term.GetSize(b.fd); err == nil && w > 0 {
		return w
	}
	return fallbackWidth
}

// terminal is w's file descriptor, if w is a terminal.
func terminal(w io.Writer) (int, bool) {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}
