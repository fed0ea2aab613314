package progress

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// Intervals far below the default keep these tests fast.
const (
	testInterval = 2 * time.Millisecond
	waitLimit    = 2 * time.Second
)

// screen is the master side of a pseudo-terminal: what a Bar drew on the
// other side.
type screen struct {
	tty  *os.File // the side the Bar writes to
	ptmx *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	read chan struct{} // closed when the master side has nothing more
}

// openScreen opens a pseudo-terminal cols columns wide (0 leaves its size
// unset) and reads everything written to it.
func openScreen(t *testing.T, cols uint16) *screen {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		// As with MinIO in scripts/test.sh: CI must run these, a laptop
		// or container without /dev/ptmx may skip them.
		if os.Getenv("CI") == "true" {
			t.Fatalf("open a pseudo-terminal: %v", err)
		}
		t.Skipf("this machine cannot open a pseudo-terminal: %v", err)
	}
	if cols > 0 {
		if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: cols}); err != nil {
			t.Fatalf("set pseudo-terminal size: %v", err)
		}
	}
	s := &screen{tty: tty, ptmx: ptmx, read: make(chan struct{})}
	go func() {
		defer close(s.read)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return // EIO once the terminal side is closed and drained
			}
		}
	}()
	t.Cleanup(func() { s.close() })
	return s
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitFor waits until what was drawn satisfies ok.
func (s *screen) waitFor(t *testing.T, what string, ok func(string) bool) {
	t.Helper()
	for deadline := time.Now().Add(waitLimit); !ok(s.text()); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s; the terminal shows %q", waitLimit, what, s.text())
		}
	}
}

// close closes both sides and returns all that was drawn.
func (s *screen) close() string {
	s.tty.Close()
	<-s.read
	s.ptmx.Close()
	return s.text()
}

// frames splits what a Bar drew into the lines it drew, "" for an erase.
func frames(out string) []string {
	var lines []string
	for _, f := range strings.Split(out, "\r")[1:] {
		lines = append(lines, strings.TrimSuffix(f, clearToEnd))
	}
	return lines
}

// fdWriter is a writer wrapper that exposes its file's descriptor, as a
// caller's stream type might.
type fdWriter struct {
	io.Writer
	fd uintptr
}

func (w fdWriter) Fd() uintptr { return w.fd }

// listed lists ten files of 1.5 MB and reads done of them.
func listed(done int) *Counters {
	c := &Counters{}
	for range 10 {
		c.FileListed(1_500_000)
	}
	for range done {
		c.FileDone(1_500_000, 2_000)
	}
	return c
}

func TestBarOnTerminal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cols   uint16
		width  int // the width the line must fit
		writer func(*os.File) io.Writer
	}{
		{"os.File, 60 columns", 60, 60, func(f *os.File) io.Writer { return f }},
		{"os.File, size unknown", 0, fallbackWidth, func(f *os.File) io.Writer { return f }},
		{"writer with Fd", 100, 100, func(f *os.File) io.Writer { return fdWriter{f, f.Fd()} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scr := openScreen(t, tc.cols)
			c := listed(4)
			b := Start(t.Context(), tc.writer(scr.tty), c, Options{Interval: testInterval})

			scr.waitFor(t, "the listing's first figures", func(s string) bool {
				return strings.Contains(s, "\r4/10+ files  6.0/15.0+ MB")
			})
			c.ListingDone()
			for range 6 {
				c.FileDone(1_500_000, 2_000)
			}
			scr.waitFor(t, "the final figures", func(s string) bool {
				return strings.Contains(s, "\r10/10 files  15.0/15.0 MB")
			})
			b.Stop()
			b.Stop()
			out := scr.close()

			if !strings.HasSuffix(out, "\r"+clearToEnd) {
				t.Errorf("Stop left the line drawn; the terminal shows %q", out)
			}
			for _, line := range frames(out) {
				if len(line) >= tc.width || strings.ContainsAny(line, "\n\r") {
					t.Errorf("line of %d columns on a %d-column terminal: %q", len(line), tc.width, line)
				}
			}
		})
	}
}

func TestBarStopsWithContext(t *testing.T) {
	scr := openScreen(t, 80)
	ctx, cancel := context.WithCancel(t.Context())
	b := Start(ctx, scr.tty, listed(1), Options{Interval: testInterval})
	scr.waitFor(t, "a line", func(s string) bool { return strings.Contains(s, "1/10+ files") })
	cancel()
	scr.waitFor(t, "the line erased", func(s string) bool { return strings.HasSuffix(s, "\r"+clearToEnd) })
	b.Stop() // after the context ended: no second erase, no new line

	f := frames(scr.close())
	for i, line := range f {
		if (line == "") != (i == len(f)-1) {
			t.Errorf("want one erase, at the end; the bar drew %q", f)
			break
		}
	}
}

// TestBarSilent checks that nothing is written where no bar belongs.
func TestBarSilent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		quiet bool
		open  func(t *testing.T) (w io.Writer, written func() string)
	}{
		{"pipe", false, func(t *testing.T) (io.Writer, func() string) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatalf("pipe: %v", err)
			}
			return w, func() string {
				w.Close()
				b, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("read pipe: %v", err)
				}
				r.Close()
				return string(b)
			}
		}},
		{"buffer", false, func(t *testing.T) (io.Writer, func() string) {
			var b bytes.Buffer
			return &b, b.String
		}},
		{"quiet terminal", true, func(t *testing.T) (io.Writer, func() string) {
			scr := openScreen(t, 80)
			return scr.tty, scr.close
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, written := tc.open(t)
			c := listed(2)
			b := Start(t.Context(), w, c, Options{Quiet: tc.quiet, Interval: time.Millisecond})
			c.FileDone(1_500_000, 2_000)
			time.Sleep(20 * time.Millisecond) // many intervals: time to draw, if it were going to
			b.Stop()
			if got := written(); got != "" {
				t.Errorf("wrote %q", got)
			}
		})
	}
}

func TestStopWithoutBar(t *testing.T) {
	var none *Bar
	none.Stop()
	b := Start(t.Context(), io.Discard, nil, Options{})
	b.Stop()
	b.Stop()
}
