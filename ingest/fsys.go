package ingest

import (
	"context"
	"io"
	"io/fs"
	"path"
)

// FS reads log files from an fs.FS, such as the demo trail embedded in the
// binary. Label prefixes object names in reports.
type FS struct {
	FS    fs.FS
	Root  string // "." for the whole FS
	Label string
}

// List walks the FS in lexical order.
func (f FS) List(ctx context.Context, fn func(Object) error) error {
	return fs.WalkDir(f.FS, f.Root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		name := path.Join(f.Label, p)
		if err != nil {
			return fn(Object{Name: name, Key: p, Size: -1, Err: err, Rel: p})
		}
		if d.IsDir() {
			return nil
		}
		size := int64(-1)
		if fi, err := d.Info(); err == nil {
			size = fi.Size()
		}
		return fn(Object{Name: name, Key: p, Size: size, Rel: p})
	})
}

// Open opens one file of the FS.
func (f FS) Open(_ context.Context, o Object) (io.ReadCloser, error) {
	return f.FS.Open(o.Key)
}
