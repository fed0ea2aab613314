package export

import (
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/parquet-go/parquet-go"
)

// A run is a temporary Parquet file of sorted rows, written by a worker
// whose buffer filled, or by a merge of runs when there are too many to
// read at once. Snappy and small pages: runs are read back once, many at a
// time.

// writeRun writes rows, already sorted, to a new file.
func writeRun(name string, rows iter.Seq[Row]) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	pw := parquet.NewGenericWriter[Row](f,
		parquet.Compression(&parquet.Snappy),
		parquet.PageBufferSize(runPageBytes),
		parquet.MaxRowsPerRowGroup(DefaultRunRows))
	batch := make([]Row, 0, readBatch)
	for r := range rows {
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			if _, err := pw.Write(batch); err != nil {
				f.Close()
				return err
			}
			batch = batch[:0]
		}
	}
	if _, err := pw.Write(batch); err != nil {
		f.Close()
		return err
	}
	if err := pw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runPageBytes bounds a page of a run, and so what reading it holds per
// column.
const runPageBytes = 32 << 10

// readBatch is how many rows a run's reader decodes at once.
const readBatch = 256

// stream yields sorted rows: a run read back, or a buffer in memory.
type stream interface {
	// next returns the next row, or nil at the end.
	next() (*Row, error)
	close() error
}

// runReader reads a run file.
type runReader struct {
	f    *os.File
	r    *parquet.GenericReader[Row]
	buf  []Row
	i, n int
	eof  bool
	left int64 // rows not yet read
}

func openRun(name string) (*runReader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r := parquet.NewGenericReader[Row](f)
	return &runReader{f: f, r: r, buf: make([]Row, readBatch), left: r.NumRows()}, nil
}

func (r *runReader) next() (*Row, error) {
	for r.i == r.n {
		if r.eof || r.left <= 0 {
			return nil, nil
		}
		clear(r.buf)
		// No more than are left: asked for more, parquet-go's reader
		// retries every column for each missing row.
		n, err := r.r.Read(r.buf[:min(int64(len(r.buf)), r.left)])
		r.i, r.n = 0, n
		r.left -= int64(n)
		if err == io.EOF && r.left > 0 || err == nil && n == 0 {
			return nil, fmt.Errorf("read sorted run %s: %d rows fewer than its metadata says", r.f.Name(), r.left)
		}
		if err == io.EOF {
			r.eof = true
		} else if err != nil {
			return nil, fmt.Errorf("read sorted run %s: %w", r.f.Name(), err)
		}
	}
	r.i++
	return &r.buf[r.i-1], nil
}

func (r *runReader) close() error {
	err := r.r.Close()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// memRun yields a sorted buffer.
type memRun struct {
	rows []Row
	i    int
}

func (m *memRun) next() (*Row, error) {
	if m.i == len(m.rows) {
		return nil, nil
	}
	m.i++
	return &m.rows[m.i-1], nil
}

func (m *memRun) close() error { return nil }
