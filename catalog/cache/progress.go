// Progress of an update: the fetching workers only count; one goroutine
// here turns the count into lines, so output never interleaves.

package cache

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progressInterval is how often a running update reports its count.
const progressInterval = 2 * time.Second

type progress struct {
	w     io.Writer
	total int
	done  atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

// startProgress reports to w until finish is called; a nil w is silent.
func startProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, stop: make(chan struct{})}
	if w == nil {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		last := int64(-1)
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				if n := p.done.Load(); n != last {
					fmt.Fprintf(p.w, "catalog: fetched %d of %d service files\n", n, p.total)
					last = n
				}
			}
		}
	}()
	return p
}

// fetched counts one service file as done.
func (p *progress) fetched() { p.done.Add(1) }

// finish stops the reporting goroutine and waits for it, so that nothing is
// written to w after Update returns.
func (p *progress) finish() {
	close(p.stop)
	p.wg.Wait()
}
