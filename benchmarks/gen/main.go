// Command gen writes a large synthetic CloudTrail trail for throughput runs:
// gzip'd delivery files ({"Records":[...]}, about 1,000 records each) in
// the S3 layout AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/, until their
// total uncompressed size reaches -mb (1 MB = 10^6 bytes).
//
//	go run ./benchmarks/gen -out /tmp/trail -mb 200
//
// The output depends only on -seed and -mb. Records are drawn from a pool of
// pre-rendered templates (records.go); each copy gets a fresh eventTime,
// eventID and requestID, and new object keys, item keys and message IDs
// where the template has placeholders for them, so no two records are equal
// and gzip sees about the entropy of a real trail. Files are independent, so they are written in
// parallel. A summary of what was written goes to stdout as "name: value"
// lines.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
)

func main() {
	out := flag.String("out", "", "directory to write the trail into (required)")
	mb := flag.Int("mb", 200, "total uncompressed size in MB (10^6 bytes)")
	seed := flag.Uint64("seed", 20261125, "random seed; the same seed and -mb give the same files")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "files written concurrently")
	flag.Parse()
	if *out == "" || *mb <= 0 || *workers <= 0 {
		fmt.Fprintln(os.Stderr, "usage: gen -out DIR [-mb N] [-seed N] [-workers N]")
		os.Exit(2)
	}
	if err := run(*out, int64(*mb)*1_000_000, *seed, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// fileSpec is one delivery file: where it goes, which template pool it
// draws from, the time window its records fall in, and its target size.
type fileSpec struct {
	index  int
	pool   *pool
	start  time.Time
	target int
	path   string
}

// The trail's time: each (account, region) delivers one file every 7
// minutes, each covering the 5 minutes before it, from this start.
var (
	trailStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fileEvery  = 7 * time.Minute
	fileWindow = 5 * time.Minute
)

func run(out string, total int64, seed uint64, workers int) error {
	began := time.Now()
	pools := buildPools(seed)
	specs := plan(out, total, seed, pools)

	var (
		records, raw, packed atomic.Int64
		denied, failed       atomic.Int64
		wg                   sync.WaitGroup
		errOnce              sync.Once
		firstErr             error
	)
	jobs := make(chan fileSpec)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fw := newFileWriter()
			for s := range jobs {
				st, err := fw.write(s, seed)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					continue
				}
				records.Add(int64(st.records))
				raw.Add(int64(st.size))
				packed.Add(st.packed)
				denied.Add(int64(st.denied))
				failed.Add(int64(st.failed))
			}
		}()
	}
	for _, s := range specs {
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Printf("files: %d\n", len(specs))
	fmt.Printf("records: %d\n", records.Load())
	fmt.Printf("uncompressed bytes: %d\n", raw.Load())
	fmt.Printf("compressed bytes: %d\n", packed.Load())
	fmt.Printf("compression ratio: %.1f\n", float64(raw.Load())/float64(packed.Load()))
	fmt.Printf("records per file: %d\n", records.Load()/int64(len(specs)))
	fmt.Printf("denials: %d (%.1f%%)\n", denied.Load(), 100*float64(denied.Load())/float64(records.Load()))
	fmt.Printf("other errors: %d\n", failed.Load())
	// Over the templates: a small trail may not use them all.
	fmt.Printf("principals: %d\n", union(pools, func(p *pool) map[string]bool { return p.principals }))
	fmt.Printf("event sources: %d\n", union(pools, func(p *pool) map[string]bool { return p.sources }))
	fmt.Printf("elapsed: %s\n", time.Since(began).Round(time.Millisecond))
	return nil
}

// plan decides every file up front, sequentially, so the set of files and
// their sizes do not depend on how many workers write them.
func plan(out string, total int64, seed uint64, pools []*pool) []fileSpec {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var weights int
	for _, p := range pools {
		weights += p.weight
	}
	next := make([]int, len(pools)) // files so far per pool
	var specs []fileSpec
	for planned := int64(0); planned < total; {
		w := rng.IntN(weights)
		var p *pool
		for _, c := range pools {
			if w < c.weight {
				p = c
				break
			}
			w -= c.weight
		}
		// 200 to 1,800 records, 1,000 on average, as CloudTrail delivers
		// from a busy account every five minutes.
		target := (200 + rng.IntN(1601)) * p.meanSize
		if rest := total - planned; int64(target) > rest {
			target = int(rest)
		}
		planned += int64(target)
		start := trailStart.Add(time.Duration(next[p.index]) * fileEvery)
		next[p.index]++
		delivered := start.Add(fileWindow + time.Duration(rng.IntN(120))*time.Second)
		name := fmt.Sprintf("%s_CloudTrail_%s_%s_%s.json.gz", p.account, p.region,
			delivered.Format("20060102T1504Z"), randString(rng, 16, mixedAlnum))
		path := filepath.Join(out, "AWSLogs", p.account, "CloudTrail", p.region,
			delivered.Format("2006"), delivered.Format("01"), delivered.Format("02"), name)
		specs = append(specs, fileSpec{index: len(specs), pool: p, start: start, target: target, path: path})
	}
	return specs
}

// fileWriter keeps one worker's buffers across files.
type fileWriter struct {
	buf []byte
	zw  *gzip.Writer
	bw  *bufio.Writer
}

func newFileWriter() *fileWriter {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return &fileWriter{buf: make([]byte, 0, 6<<20), zw: zw, bw: bufio.NewWriterSize(nil, 256<<10)}
}

// fileStats is what write wrote: records, uncompressed and compressed
// bytes, denials and other errors.
type fileStats struct {
	records, size, denied, failed int
	packed                        int64
}

// write renders and writes one file.
func (fw *fileWriter) write(s fileSpec, seed uint64) (fileStats, error) {
	var st fileStats
	rng := rand.New(rand.NewPCG(seed, uint64(s.index)+1))
	buf := append(fw.buf[:0], `{"Records":[`...)
	// Space the records evenly over the window, in order, as CloudTrail
	// roughly does; the count is estimated from the pool's mean size.
	step := fileWindow / time.Duration(max(1, s.target/s.pool.meanSize))
	at := s.start
	n := 0
	for n == 0 || len(buf) < s.target {
		if n > 0 {
			buf = append(buf, ',')
		}
		t := &s.pool.templates[rng.IntN(len(s.pool.templates))]
		buf = t.appendTo(buf, at, rng)
		n++
		if t.denied {
			st.denied++
		} else if t.failed {
			st.failed++
		}
		if next := at.Add(step); next.Before(s.start.Add(fileWindow)) {
			at = next
		}
	}
	buf = append(buf, "]}"...)
	fw.buf = buf

	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return st, err
	}
	f, err := os.Create(s.path)
	if err != nil {
		return st, err
	}
	cw := &countingWriter{w: f}
	fw.bw.Reset(cw)
	fw.zw.Reset(fw.bw)
	if _, err := fw.zw.Write(buf); err != nil {
		f.Close()
		return st, fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := fw.zw.Close(); err != nil {
		f.Close()
		return st, fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := fw.bw.Flush(); err != nil {
		f.Close()
		return st, fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := f.Close(); err != nil {
		return st, fmt.Errorf("close %s: %w", s.path, err)
	}
	st.records, st.size, st.packed = n, len(buf), cw.n
	return st, nil
}

type countingWriter struct {
	w *os.File
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
