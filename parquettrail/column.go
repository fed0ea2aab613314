package parquettrail

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// cursor reads one column chunk of a row group, a row at a time. It
// holds one page and a small buffer of its values: memory stays a page
// per column read, whatever the size of the file.
type cursor struct {
	leaf   *leaf
	pages  parquet.Pages
	values parquet.ValueReader
	buf    []parquet.Value
	i, n   int
}

// valuesPerRead is how many values a cursor decodes at once.
const valuesPerRead = 256

func newCursor(l *leaf, chunk parquet.ColumnChunk) *cursor {
	return &cursor{leaf: l, pages: chunk.Pages(), buf: make([]parquet.Value, valuesPerRead)}
}

func (c *cursor) close() { c.pages.Close() }

// row calls fn with each value of the next row: one for a column that is
// not repeated, one per element (or a single null) for a list's. Each
// value is valid only during its call.
func (c *cursor) row(fn func(parquet.Value) error) error {
	first := true
	for {
		if c.i == c.n {
			err := c.fill()
			if err == io.EOF && !first {
				return nil // the chunk ends with this row
			}
			if err == io.EOF {
				return fmt.Errorf("column %s ends before the row group's last row", c.leaf.path)
			}
			if err != nil {
				return fmt.Errorf("column %s: %w", c.leaf.path, err)
			}
		}
		v := c.buf[c.i]
		if v.RepetitionLevel() == 0 && !first {
			return nil // the next row starts here
		}
		if first && v.RepetitionLevel() != 0 {
			return fmt.Errorf("column %s: a row starts inside a list (repetition level %d)", c.leaf.path, v.RepetitionLevel())
		}
		c.i++
		first = false
		if err := fn(v); err != nil {
			return err
		}
		if c.leaf.maxRep == 0 {
			return nil
		}
	}
}

// fill decodes the next values of the chunk, reading pages as they run
// out; io.EOF means the chunk has no more.
func (c *cursor) fill() error {
	for {
		if c.values != nil {
			n, err := c.values.ReadValues(c.buf)
			if n > 0 {
				c.i, c.n = 0, n
				return nil
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			c.values = nil // the page is done
		}
		page, err := c.pages.ReadPage()
		if err != nil {
			return err
		}
		c.values = page.Values()
	}
}
