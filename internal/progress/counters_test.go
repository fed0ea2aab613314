package progress

import (
	"sync"
	"testing"
)

// TestCountersConcurrent updates the counters from several goroutines, as
// the listing and the readers do, while another takes snapshots: every
// snapshot holds no more done than listed, and the last holds every update.
func TestCountersConcurrent(t *testing.T) {
	const workers, files = 4, 500
	var c Counters
	stop := make(chan struct{})
	var snapshots sync.WaitGroup
	snapshots.Go(func() {
		for {
			s := c.Snapshot()
			if s.FilesDone > s.FilesListed || s.BytesDone > s.BytesListed {
				t.Errorf("snapshot shows more done than listed: %+v", s)
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range files {
				c.FileListed(1000)
				c.FileDone(1000, 7)
			}
		})
	}
	wg.Wait()
	c.ListingDone()
	close(stop)
	snapshots.Wait()

	want := Snapshot{
		FilesListed: workers * files, BytesListed: workers * files * 1000, ListingDone: true,
		FilesDone: workers * files, BytesDone: workers * files * 1000, Events: workers * files * 7,
	}
	if got := c.Snapshot(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func BenchmarkFileDone(b *testing.B) {
	var c Counters
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.FileDone(1000, 7)
		}
	})
}
