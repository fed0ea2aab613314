package pq

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// Open opens a Parquet file to read it row by row: its bloom filters and
// page index are not read. A file that cannot be opened is "corrupt or
// truncated".
func Open(r io.ReaderAt, size int64) (*parquet.File, error) {
	f, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
	if err != nil {
		return nil, fmt.Errorf("corrupt or truncated Parquet file: %w", err)
	}
	return f, nil
}

// EachRow reads f's rows, row group by row group, into buf a batch at a
// time, and calls fn with each, in order; an error from fn stops it and is
// returned as is. It never asks a group for more rows than the group has
// left: asked for more, parquet-go's reader tries every column again for
// each row missing, a page header allocated each time (13 MB for a group
// whose last batch is short). A group that ends before its metadata says
// is an error.
func EachRow[T any](f *parquet.File, buf []T, fn func(group int, r *T) error) error {
	for g, rg := range f.RowGroups() {
		if err := eachRowOf(g, rg, buf, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachRowOf[T any](g int, rg parquet.RowGroup, buf []T, fn func(int, *T) error) (err error) {
	rr := parquet.NewGenericRowGroupReader[T](rg)
	defer func() {
		if cerr := rr.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("row group %d: corrupt Parquet file: %w", g, cerr)
		}
	}()
	for left := rg.NumRows(); left > 0; {
		clear(buf)
		n, rerr := rr.Read(buf[:min(int64(len(buf)), left)])
		left -= int64(n)
		if rerr == io.EOF && left > 0 || rerr == nil && n == 0 {
			return fmt.Errorf("row group %d: corrupt Parquet file: %d rows fewer than its metadata says", g, left)
		}
		for i := range buf[:n] {
			if err := fn(g, &buf[i]); err != nil {
				return err
			}
		}
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("row group %d: corrupt Parquet file: %w", g, rerr)
		}
	}
	return nil
}
