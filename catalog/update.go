// Update: download AWS's service reference into the user cache.

package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/sync/errgroup"
)

// DefaultServiceReferenceURL is where AWS publishes the service list of its
// service reference; each entry points at one service's JSON file.
const DefaultServiceReferenceURL = "https://servicereference.us-east-1.amazonaws.com/"

// CacheFile is the name of the catalog file in the cache directory.
const CacheFile = "catalog.json.gz"

// updateWorkers bounds concurrent downloads: enough to fetch some 450 small
// files quickly without hammering a public endpoint.
const updateWorkers = 8

// Update downloads the service list at baseURL and every service file it
// names, converts them to the catalog's form and writes dir/catalog.json.gz,
// replacing any earlier cache only once everything has been fetched and
// checked. A file that cannot be fetched or decoded fails the whole update
// with an error naming its service and URL; the old cache, if any, stays.
// Progress lines go to progress (nil for none). A nil client means a
// default one with a timeout.
func Update(ctx context.Context, client *http.Client, baseURL string, dir string, progress io.Writer) (Info, error) {
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return Info{}, fmt.Errorf("service reference URL %q: %w", baseURL, err)
	}
	started := time.Now().UTC()
	index, err := fetchIndex(ctx, client, base)
	if err != nil {
		return Info{}, err
	}
	if progress != nil {
		fmt.Fprintf(progress, "catalog: fetching %d service files from %s\n", len(index), baseURL)
	}

	parts, err := fetchServices(ctx, client, index, progress)
	if err != nil {
		return Info{}, err
	}
	f, err := assemble(parts, started.Format(time.DateOnly), started.Format(time.RFC3339))
	if err != nil {
		return Info{}, fmt.Errorf("service reference at %s: %w", baseURL, err)
	}
	return writeCache(dir, f)
}

// fetchIndex gets the service list. Entry URLs may be relative to it.
func fetchIndex(ctx context.Context, client *http.Client, base *url.URL) ([]refIndexEntry, error) {
	body, err := fetch(ctx, client, base.String())
	if err != nil {
		return nil, fmt.Errorf("fetch service list %s: %w", base, err)
	}
	var index []refIndexEntry
	if err := json.Unmarshal(body, &index); err != nil {
		return nil, fmt.Errorf("decode service list %s: %w", base, err)
	}
	if len(index) == 0 {
		return nil, fmt.Errorf("service list %s names no services", base)
	}
	for i, e := range index {
		u, err := url.Parse(e.URL)
		if e.URL == "" || err != nil {
			return nil, fmt.Errorf("service list %s: service %q has no usable url %q", base, e.Service, e.URL)
		}
		index[i].URL = base.ResolveReference(u).String()
	}
	return index, nil
}

// fetchServices downloads and converts every service file, a bounded number
// at a time. Each worker fills its own slot of the result; nothing is shared.
func fetchServices(ctx context.Context, client *http.Client, index []refIndexEntry, w io.Writer) ([]convertedService, error) {
	parts := make([]convertedService, len(index))
	prog := startProgress(w, len(index))
	defer prog.finish()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(updateWorkers)
	for i, e := range index {
		g.Go(func() error {
			body, err := fetch(gctx, client, e.URL)
			if err != nil {
				return fmt.Errorf("fetch service %s from %s: %w", e.Service, e.URL, err)
			}
			var s refService
			if err := json.Unmarshal(body, &s); err != nil {
				return fmt.Errorf("decode service %s from %s: %w", e.Service, e.URL, err)
			}
			cs, err := convert(e.Service, &s)
			if err != nil {
				return fmt.Errorf("service %s from %s: %w", e.Service, e.URL, err)
			}
			parts[i] = cs
			prog.fetched()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return parts, nil
}

// writeCache encodes f, proves the bytes read back as a catalog, and
// renames them into place so that a reader never sees a partial file.
func writeCache(dir string, f *file) (Info, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return Info{}, err
	}
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		return Info{}, fmt.Errorf("encode catalog: %w", err)
	}
	if err := zw.Close(); err != nil {
		return Info{}, fmt.Errorf("encode catalog: %w", err)
	}
	c, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return Info{}, fmt.Errorf("check new catalog: %w", err)
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Info{}, fmt.Errorf("create cache directory: %w", err)
	}
	path := filepath.Join(dir, CacheFile)
	tmp, err := os.CreateTemp(dir, ".catalog-*.tmp")
	if err != nil {
		return Info{}, fmt.Errorf("write %s: %w", path, err)
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
		return Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Info{}, fmt.Errorf("write %s: %w", path, err)
	}
	done = true
	info := c.Info()
	info.Path = path
	return info, nil
}
