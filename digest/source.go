package digest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Object is a log or digest file under a Source.
type Object struct {
	// Name is how reports name it: the path as a walk of the directory
	// gives it, or s3://bucket/key, as tailor's reading commands name the
	// files they read.
	Name string
	// Key is what Open needs: the path, or the S3 key.
	Key string
	// Ref is what the Source's Ref returns for the place a digest would
	// give it.
	Ref string
}

// Metadata is an object's user metadata (S3's x-amz-meta-*), keys in lower
// case without the prefix; nil for a local file.
type Metadata map[string]string

// Source is where a trail is read from: a local copy or an S3 bucket.
type Source interface {
	// List calls fn for every file in CloudTrail/ and CloudTrail-Digest/
	// day folders whose day may hold files in w (a Source may list more).
	List(ctx context.Context, w Window, fn func(Object) error) error
	// Open reads an object, with its metadata.
	Open(ctx context.Context, o Object) (io.ReadCloser, Metadata, error)
	// Ref is how the object a digest names (bucket and key) is matched
	// with the listed ones: it equals that object's Ref.
	Ref(bucket, key string) string
	// Name is how a report names the object at ref when there is none to
	// list: where it should be.
	Name(ref string) string
}

// Local is a copy of a trail in a directory, in the AWSLogs layout. Its
// objects are matched with the keys digests name from the account folder
// on: the bucket and any prefix are not part of a local path, so a digest
// moved to another bucket is not seen as moved here.
type Local struct {
	Root string
	base string // the directory holding the account folders, once seen
}

// List walks the root in lexical order.
func (l *Local) List(ctx context.Context, w Window, fn func(Object) error) error {
	info, err := os.Stat(l.Root)
	if err != nil {
		return fmt.Errorf("source %s: %w", l.Root, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("source %s: a file; give the directory that holds the trail (AWSLogs/…)", l.Root)
	}
	return filepath.WalkDir(l.Root, func(p string, d fs.DirEntry, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		if d.IsDir() {
			return nil
		}
		pl, ok := locate(filepath.ToSlash(p))
		if !ok || !w.holds(pl) {
			return nil
		}
		if l.base == "" {
			l.base = strings.TrimSuffix(p, filepath.FromSlash(pl.ref))
		}
		return fn(Object{Name: p, Key: p, Ref: pl.ref})
	})
}

// Open opens the file; a file that is not there is fs.ErrNotExist.
func (l *Local) Open(_ context.Context, o Object) (io.ReadCloser, Metadata, error) {
	f, err := os.Open(o.Key)
	return f, nil, err
}

// Ref is the key from the account folder on.
func (l *Local) Ref(_, key string) string { return layoutRef(key) }

// Name is the path ref would have beside the files listed.
func (l *Local) Name(ref string) string {
	if l.base == "" {
		return filepath.Join(l.Root, filepath.FromSlash(ref))
	}
	return l.base + filepath.FromSlash(ref)
}
