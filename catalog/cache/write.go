// Writing the cache: the new catalog is checked as catalog.Read will check
// it, then renamed into place, so that a reader never sees a partial file.

package cache

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

// writeCache encodes f, proves the bytes read back as a catalog, and
// renames them into place as dir/catalog.json.gz.
func writeCache(dir string, f *file) (catalog.Info, error) {
	var buf bytes.Buffer
	if err := encodeFile(&buf, f); err != nil {
		return catalog.Info{}, err
	}
	// Read checks what Open will check, the size of the JSON included: a
	// cache that Open would refuse is never written.
	if buf.Len() > limits.CacheFileSize {
		return catalog.Info{}, fmt.Errorf("check new catalog: %w", &limits.SizeError{What: "compressed catalog", Limit: limits.CacheFileSize})
	}
	c, err := catalog.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return catalog.Info{}, fmt.Errorf("check new catalog: %w", err)
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return catalog.Info{}, fmt.Errorf("create cache directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	tmp, err := os.CreateTemp(dir, ".catalog-*.tmp")
	if err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done { // closing twice is harmless; the temp file must go
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file private; a cache of public data need not be.
	if err := tmp.Chmod(0o644); err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return catalog.Info{}, fmt.Errorf("write %s: %w", path, err)
	}
	done = true
	info := c.Info()
	info.Path = path
	return info, nil
}

// encodeFile writes f to w as a gzip'd catalog file.
func encodeFile(w io.Writer, f *file) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		return fmt.Errorf("encode catalog: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("encode catalog: %w", err)
	}
	return nil
}
