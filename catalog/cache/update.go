// Update: download AWS's service reference into the user cache.

package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

// DefaultServiceReferenceURL is where AWS publishes the service list of its
// service reference; each entry points at one service's JSON file.
const DefaultServiceReferenceURL = "https://servicereference.us-east-1.amazonaws.com/"

// updateWorkers bounds concurrent downloads: enough to fetch some 450 small
// files quickly without hammering a public endpoint.
const updateWorkers = 8

// Update downloads the service list at baseURL and every service file it
// names, converts them to the catalog's form and writes dir/catalog.json.gz.
// Nothing is installed until all of it has been fetched and checked: every
// download is bounded while it is read (catalog/internal/limits), the
// result must pass catalog.New's checks, and catalog.Compare must accept it
// as a replacement for the embedded catalog, whose services and actions it
// may lose only a few of. A file
// that cannot be fetched or decoded, or a check that fails, fails the whole
// update with an error naming what failed; the old cache, if any, stays.
// Progress lines, and warnings about what the new catalog lacks, go to
// progress (nil for none). A nil client means a default one with a timeout.
func Update(ctx context.Context, client *http.Client, baseURL string, dir string, progress io.Writer) (catalog.Info, error) {
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return catalog.Info{}, fmt.Errorf("service reference URL %q: %w", baseURL, err)
	}
	started := time.Now().UTC()
	index, err := fetchIndex(ctx, client, base)
	if err != nil {
		return catalog.Info{}, err
	}
	// A list too short to hold the embedded catalog's services cannot
	// pass catalog.Compare: refuse it before downloading anything.
	if need := int(float64(baseline().Info().Services) * catalog.MinShare); len(index) < need {
		return catalog.Info{}, fmt.Errorf("service reference at %s: the service list names %d services, fewer than %d (%.0f%% of the embedded catalog's %d)",
			baseURL, len(index), need, catalog.MinShare*100, baseline().Info().Services)
	}
	if progress != nil {
		fmt.Fprintf(progress, "catalog: fetching %d service files from %s\n", len(index), baseURL)
	}

	parts, err := fetchServices(ctx, client, index, progress)
	if err != nil {
		return catalog.Info{}, err
	}
	f := assemble(parts, started.Format(time.DateOnly), started.Format(time.RFC3339))
	c, err := catalog.New(f)
	if err != nil {
		return catalog.Info{}, fmt.Errorf("service reference at %s: %w", baseURL, err)
	}
	warnings, err := catalog.Compare(baseline(), c)
	if err != nil {
		return catalog.Info{}, fmt.Errorf("service reference at %s: %w", baseURL, err)
	}
	info, err := writeCache(dir, f)
	if err != nil {
		return catalog.Info{}, err
	}
	if progress != nil {
		for _, w := range warnings {
			fmt.Fprintf(progress, "catalog: warning: %s\n", w)
		}
	}
	return info, nil
}

// fetchIndex gets the service list. Entry URLs may be relative to it.
func fetchIndex(ctx context.Context, client *http.Client, base *url.URL) ([]refIndexEntry, error) {
	var index []refIndexEntry
	err := fetch(ctx, client, base.String(), limits.IndexSize, nil, func(r io.Reader) error {
		return json.NewDecoder(r).Decode(&index)
	})
	if err != nil {
		return nil, fmt.Errorf("fetch service list %s: %w", base, err)
	}
	if len(index) == 0 {
		return nil, fmt.Errorf("service list %s names no services", base)
	}
	if len(index) > limits.Services {
		return nil, fmt.Errorf("service list %s names %d services, more than the limit of %d", base, len(index), limits.Services)
	}
	for i, e := range index {
		if !limits.IsText(e.Service, limits.NameLen) {
			return nil, fmt.Errorf("service list %s: entry %d names the service %s", base, i, limits.Quote(e.Service))
		}
		u, err := url.Parse(e.URL)
		if e.URL == "" || len(e.URL) > limits.ARNLen || err != nil || (u.IsAbs() && u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("service list %s: service %s has no usable url %s", base, limits.Quote(e.Service), limits.Quote(e.URL))
		}
		index[i].URL = base.ResolveReference(u).String()
	}
	return index, nil
}

// fetchServices downloads and converts every service file, a bounded number
// at a time. Each worker fills its own slot of the result; nothing is shared
// but the budgets of bytes and entries that bound the whole update.
func fetchServices(ctx context.Context, client *http.Client, index []refIndexEntry, w io.Writer) ([]convertedService, error) {
	parts := make([]convertedService, len(index))
	prog := startProgress(w, len(index))
	defer prog.finish()
	var read, entries atomic.Int64 // bytes read and entries kept, by all workers
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(updateWorkers)
	for i, e := range index {
		g.Go(func() error {
			var s *refService
			err := fetch(gctx, client, e.URL, limits.ServiceFileSize, &read, func(r io.Reader) error {
				var err error
				s, err = decodeService(r, &entries)
				return err
			})
			if err != nil {
				return fmt.Errorf("service %s from %s: %w", e.Service, e.URL, err)
			}
			cs, err := convert(e.Service, s)
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
