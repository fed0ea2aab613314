package parquettrail

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/tailor-iam/tailor/internal/pq"
	"github.com/tailor-iam/tailor/trail"
)

// Stats say what Read read.
type Stats struct {
	Form Form
	Rows int64 // rows read, each handed on as a record
}

// Read reads the CloudTrail events of the Parquet file r of size bytes and
// hands each to fn as a record, which fn must not keep: it is reused. It
// tells the form from the file's columns, and reads one row group at a
// time and, of each, only the columns a record needs, a page at a time.
//
// A file of none of the forms is an error that wraps ErrUnknownForm. A
// damaged file, a column of a type its form does not have, a row of an
// OCSF class CloudTrail events are not in, and a file with no rows are
// errors too; records handed on before the error stay handed on, as the
// records of a JSON file cut short do.
func Read(r io.ReaderAt, size int64, fn func(*trail.Record)) (st Stats, err error) {
	// A damaged file must be an error, never a crash of the run: the
	// decoder checks much, not everything. A panic of fn is fn's own,
	// and goes on.
	inFn := false
	defer func() {
		if v := recover(); v != nil {
			if inFn {
				panic(v)
			}
			err = fmt.Errorf("corrupt Parquet file: %v", v)
		}
	}()
	f, err := pq.Open(r, size)
	if err != nil {
		return st, err
	}
	cols := columnsOf(f.Schema())
	form, err := detect(cols)
	if err != nil {
		return st, err
	}
	st.Form = form
	binds, err := bind(cols, form)
	if err != nil {
		return st, fmt.Errorf("%s: %w", form, err)
	}
	if f.NumRows() == 0 {
		return st, fmt.Errorf("%s with no rows", form)
	}
	var (
		row row
		b   builder
	)
	for g, rg := range f.RowGroups() {
		err := readGroup(rg, binds, &row, func() error {
			rec, err := b.build(form, &row)
			if err != nil {
				return fmt.Errorf("row %d: %w", st.Rows, err)
			}
			inFn = true
			fn(rec)
			inFn = false
			st.Rows++
			return nil
		})
		if err != nil {
			return st, fmt.Errorf("%s, row group %d: %w", form, g, err)
		}
	}
	return st, nil
}

// binding is a field found in the file, with how to read its values.
type binding struct {
	field
	leaf *leaf
	conv func(parquet.Value) string
}

// bind finds each field of the form in the columns and checks its type.
// A required field must be there; the others may be missing (a CTAS
// that left a column out, an older table), and stay empty.
func bind(c *columns, form Form) ([]binding, error) {
	var out []binding
	for _, f := range fieldsOf(form) {
		l, path, err := c.find(f.paths)
		if err != nil {
			return nil, err
		}
		if l == nil {
			if f.required {
				return nil, fmt.Errorf("no column %s", pathList(f.paths))
			}
			continue
		}
		conv := converter(l, f.want)
		if conv == nil {
			return nil, fmt.Errorf("column %s is %s; the form has %s there", path, l.node.Type().Kind(), f.want)
		}
		switch {
		case !f.list && l.maxRep > 0:
			return nil, fmt.Errorf("column %s is a list; the form has one value per event", path)
		case f.list && l.maxRep > 1:
			return nil, fmt.Errorf("column %s is a list of lists; the form has one list per event", path)
		}
		out = append(out, binding{field: f, leaf: l, conv: conv})
	}
	if !c.has(identityPaths(form)...) {
		return nil, fmt.Errorf("no column %s: no event would name who acted", pathList(identityPaths(form)))
	}
	return out, nil
}

// converter returns how to turn a value of the leaf's column into the
// text a record holds, or nil when the column's type is not one the field
// can take.
func converter(l *leaf, w want) func(parquet.Value) string {
	kind := l.node.Type().Kind()
	switch {
	case kind == parquet.ByteArray && w != wantInt:
		if w == wantTime {
			return func(v parquet.Value) string { return timeText(string(v.ByteArray())) }
		}
		return func(v parquet.Value) string { return string(v.ByteArray()) }
	case kind == parquet.Boolean && w == wantFlag:
		return func(v parquet.Value) string { return strconv.FormatBool(v.Boolean()) }
	case kind == parquet.Int32 && w == wantInt:
		return func(v parquet.Value) string { return strconv.FormatInt(int64(v.Int32()), 10) }
	case kind == parquet.Int64 && w == wantInt:
		return func(v parquet.Value) string { return strconv.FormatInt(v.Int64(), 10) }
	case kind == parquet.Int64 && w == wantTime:
		switch unitOf(l.node) {
		case time.Microsecond:
			return func(v parquet.Value) string { return formatTime(time.UnixMicro(v.Int64())) }
		case time.Nanosecond:
			return func(v parquet.Value) string { return formatTime(time.Unix(0, v.Int64())) }
		}
		return func(v parquet.Value) string { return formatTime(time.UnixMilli(v.Int64())) }
	case kind == parquet.Int96 && w == wantTime:
		return func(v parquet.Value) string { return formatTime(int96Time(v.Int96())) }
	}
	return nil
}

// unitOf is the unit of an INT64 time column: its TIMESTAMP annotation's,
// or milliseconds, which OCSF's time is in.
func unitOf(n parquet.Node) time.Duration {
	t := n.Type()
	if lt := t.LogicalType(); lt != nil {
		if ts, ok := lt.Value.(*format.TimestampType); ok && ts.Unit.Value != nil {
			return ts.Unit.Value.Duration()
		}
	}
	if ct := t.ConvertedType(); ct != nil && *ct == deprecated.TimestampMicros {
		return time.Microsecond
	}
	return time.Millisecond
}

// int96Time reads the INT96 timestamps Hive and Athena write: nanoseconds
// of the day, then the Julian day.
func int96Time(i deprecated.Int96) time.Time {
	const unixEpochJulianDay = 2440588
	nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
	return time.Unix((int64(i[2])-unixEpochJulianDay)*86400, nanos)
}

// formatTime writes a time as CloudTrail's eventTime does: RFC 3339 in
// UTC, with a fraction only when there is one.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// timeText is a time written as text: kept when it is RFC 3339, as
// CloudTrail writes it; rewritten when it is the "2006-01-02 15:04:05.000"
// a cast of Athena's timestamp to a string gives.
func timeText(s string) string {
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return s
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999 UTC"} {
		if t, err := time.Parse(layout, s); err == nil {
			return formatTime(t)
		}
	}
	return s
}

// row holds one row's values by slot until its record is built.
type row struct {
	val  [numSlots]string
	set  [numSlots]bool
	list [numSlots][]string
}

func (r *row) reset() {
	for i := range r.val {
		r.val[i], r.set[i], r.list[i] = "", false, r.list[i][:0]
	}
}

// readGroup reads the bound columns of one row group, a row at a time,
// calling each with the row filled in.
func readGroup(rg parquet.RowGroup, binds []binding, r *row, each func() error) error {
	chunks := rg.ColumnChunks()
	cursors := make([]*cursor, len(binds))
	adds := make([]func(parquet.Value) error, len(binds))
	defer func() {
		for _, c := range cursors {
			if c != nil {
				c.close()
			}
		}
	}()
	for i := range binds {
		b := &binds[i]
		if b.leaf.index >= len(chunks) {
			return fmt.Errorf("column %s: no column chunk (the row group has %d)", b.leaf.path, len(chunks))
		}
		cursors[i] = newCursor(b.leaf, chunks[b.leaf.index])
		adds[i] = b.adder(r)
	}
	n := rg.NumRows()
	for i := int64(0); i < n; i++ {
		r.reset()
		for j, c := range cursors {
			if err := c.row(adds[j]); err != nil {
				return err
			}
		}
		if err := each(); err != nil {
			return err
		}
	}
	return nil
}

// adder returns what keeps a value of the binding's column in r.
func (b *binding) adder(r *row) func(parquet.Value) error {
	s, l := b.slot, b.leaf
	if !b.list {
		return func(v parquet.Value) error {
			if !v.IsNull() {
				r.val[s], r.set[s] = b.conv(v), true
			}
			return nil
		}
	}
	return func(v parquet.Value) error {
		switch {
		case l.maxRep == 0 && v.IsNull(), v.DefinitionLevel() < l.elemDef:
			return nil // no element: a null or empty list
		case v.IsNull():
			r.list[s] = append(r.list[s], "")
		default:
			r.list[s] = append(r.list[s], b.conv(v))
		}
		if len(r.list[s]) > maxElements {
			return errors.New(l.path + ": more elements in one event than any CloudTrail event has")
		}
		return nil
	}
}

// maxElements bounds the elements of one event's list: CloudTrail's
// resources[] hold a few, Security Lake's unmapped some dozens.
const maxElements = 1 << 16
