package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// parquetMagic starts every Parquet file.
const parquetMagic = "PAR1"

// readParquet hands a Parquet object to h. Parquet needs random access: a
// local file is read in place; a stream (an S3 body) is first copied to a
// temporary file.
func readParquet(o Object, rc io.ReadCloser, br io.Reader, h Handler) error {
	ph, ok := h.(ParquetHandler)
	if !ok {
		return errors.New("a Parquet file, which this command does not read")
	}
	if f, ok := rc.(*os.File); ok {
		fi, err := f.Stat()
		if err != nil {
			return fmt.Errorf("stat: %w", err)
		}
		return ph.Parquet(o.Name, f, fi.Size())
	}
	if ra, ok := rc.(io.ReaderAt); ok && o.Size >= 0 {
		return ph.Parquet(o.Name, ra, o.Size)
	}
	tmp, err := os.CreateTemp("", "tailor-*.parquet")
	if err != nil {
		return fmt.Errorf("spool Parquet file: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, br)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	return ph.Parquet(o.Name, tmp, n)
}
