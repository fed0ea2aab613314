package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Local reads a file, or a directory searched recursively in lexical order.
type Local struct {
	Root string
}

// List walks the root. A file that cannot be stat'ed is still listed, so the
// open fails and the problem is reported with its name.
func (l Local) List(ctx context.Context, fn func(Object) error) error {
	info, err := os.Stat(l.Root)
	if err != nil {
		return fmt.Errorf("source %s: %w", l.Root, err)
	}
	if !info.IsDir() {
		return fn(Object{Name: l.Root, Key: l.Root, Size: info.Size(), Rel: filepath.Base(l.Root), Named: true})
	}
	return filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			if p == l.Root {
				return err
			}
			// An unreadable subdirectory or entry is reported by name.
			return fn(Object{Name: p, Key: p, Size: -1, Err: err, Rel: rel(l.Root, p)})
		}
		if d.IsDir() {
			return nil
		}
		size := int64(-1)
		if fi, err := d.Info(); err == nil {
			size = fi.Size()
		}
		return fn(Object{Name: p, Key: p, Size: size, Rel: rel(l.Root, p)})
	})
}

// rel is p under root, "/"-separated.
func rel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		r = p
	}
	return filepath.ToSlash(r)
}

// Open opens the file.
func (l Local) Open(_ context.Context, o Object) (io.ReadCloser, error) {
	return os.Open(o.Key)
}
