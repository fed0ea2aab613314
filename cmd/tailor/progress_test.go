package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/tailor-iam/tailor/internal/testenv"
)

// bigTrail copies the demo trail n times into a directory, so that reading
// it takes long enough for the bar to draw.
func bigTrail(t *testing.T, n int) string {
	t.Helper()
	src := filepath.Join(testenv.ModuleRoot(t), "fixtures", "demo")
	dst := t.TempDir()
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		for _, f := range files {
			rel, _ := filepath.Rel(src, f)
			to := filepath.Join(dst, "copy"+strconv.Itoa(i), rel)
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(to, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dst
}

// TestProgressBar runs a reading command with its stderr a terminal: the
// bar is drawn there while the trail is read (files and MB done out of the
// total) and erased before the summary; with --quiet, or when stderr is no
// terminal, nothing is drawn.
func TestProgressBar(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a large trail")
	}
	dir := bigTrail(t, 40)
	for _, quiet := range []bool{false, true} {
		ptmx, tty, err := pty.Open()
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("open a pseudo-terminal: %v", err)
			}
			t.Skipf("this machine cannot open a pseudo-terminal: %v", err)
		}
		if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
			t.Fatal(err)
		}
		var drawn bytes.Buffer
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(&drawn, ptmx) // until the terminal side closes
		}()
		args := []string{"analyze", "--source", dir, "--format", "json"}
		if quiet {
			args = append(args, "--quiet")
		}
		var out, errOut bytes.Buffer
		start := time.Now()
		code := execute(context.Background(), args, streams{Out: &out, ErrOut: &errOut, Bar: &barTarget{W: tty}})
		took := time.Since(start)
		tty.Close()
		wg.Wait()
		ptmx.Close()
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		screen := drawn.String()
		switch {
		case quiet && screen != "":
			t.Errorf("--quiet: the terminal shows %q", screen)
		case !quiet && took > 600*time.Millisecond:
			// Long enough for the bar's first frame at 200 ms.
			if !strings.Contains(screen, " files ") || !strings.Contains(screen, " MB ") || !strings.Contains(screen, "events/s") {
				t.Errorf("after %v the terminal shows no bar: %q", took, screen)
			}
			if !strings.HasSuffix(screen, "\r\x1b[K") {
				t.Errorf("the bar is not erased at the end: %q", screen[max(0, len(screen)-80):])
			}
			if strings.Contains(errOut.String(), "\r") {
				t.Errorf("the bar reached the summary's stream: %q", errOut.String())
			}
		case !quiet:
			t.Logf("the run took only %v: the bar had no time to draw", took)
		}
	}
}
