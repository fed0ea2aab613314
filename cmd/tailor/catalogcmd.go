package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/catalog/cache"
)

func newCatalogCmd(io streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Show or refresh the IAM catalog",
		Long: `The catalog lists every IAM action, its access level and resource types, with
their ARN templates. tailor embeds one; "tailor catalog update" downloads AWS's
published service reference into a user cache, which tailor then uses when
its data is newer than the embedded one's.`,
		Example: `  tailor catalog info
  tailor catalog update`,
		Args: cobra.NoArgs,
		// A bare "tailor catalog" shows the catalog in use.
		RunE: func(*cobra.Command, []string) error {
			return catalogInfoRun(&catalogInfoOptions{IO: io, Catalog: cache.ChoiceAuto})
		},
	}
	cmd.AddCommand(newCatalogInfoCmd(io, nil))
	cmd.AddCommand(newCatalogUpdateCmd(io, nil))
	return cmd
}

type catalogInfoOptions struct {
	IO      streams
	Catalog string // auto, embedded or a path, as cache.Load takes
}

func newCatalogInfoCmd(io streams, runF func(*catalogInfoOptions) error) *cobra.Command {
	opts := &catalogInfoOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Print the catalog's source, data date and counts",
		Long: `Print where the catalog in use comes from, the date of its data, how many
services, actions, resource types and operation mappings it holds, and which
one is in use: "embedded" or the file it was read from.`,
		Example: `  tailor catalog info
  tailor catalog info --catalog embedded
  tailor catalog info --catalog ./catalog.json.gz`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return catalogInfoRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Catalog, "catalog", cache.ChoiceAuto, "catalog to use: auto (the newer of the cache and the embedded one), embedded, or a file")
	return cmd
}

func catalogInfoRun(opts *catalogInfoOptions) error {
	c, err := cache.Load(opts.Catalog)
	rejected := errors.Is(err, cache.ErrRejected)
	if rejected {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %v\n", err)
	} else if err != nil {
		return err
	}
	i := c.Info()
	inUse := "embedded"
	if i.Path != "" {
		inUse = i.Path
	}
	fmt.Fprintf(opts.IO.Out, "source: %s %s\ndate: %s\nservices: %d\nactions: %d\nresource types: %d\noperations: %d\nin use: %s\n",
		i.Source, i.Version, i.Date, i.Services, i.Actions, i.ResourceTypes, i.Operations, inUse)
	if (opts.Catalog == "" || opts.Catalog == cache.ChoiceAuto) && i.Path == "" && !rejected {
		// Load only passes over an existing, readable cache when it is older.
		if path, err := cache.Path(); err == nil {
			if _, err := os.Stat(path); err == nil {
				fmt.Fprintf(opts.IO.ErrOut, "note: the cache %s is older than the embedded catalog; run `tailor catalog update` to refresh it\n", path)
			}
		}
	}
	return nil
}

type catalogUpdateOptions struct {
	IO     streams
	URL    string
	Dir    string       // "" means cache.Dir()
	Client *http.Client // nil means cache.Update's default
}

func newCatalogUpdateCmd(io streams, runF func(context.Context, *catalogUpdateOptions) error) *cobra.Command {
	opts := &catalogUpdateOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download AWS's service reference into the user cache",
		Long: `Download AWS's published service reference (the service list and one JSON
file per service) and write it, converted, to the user cache. From then on
tailor uses the cache whenever its data is newer than the embedded catalog's;
--catalog embedded still forces the embedded one.

Where AWS publishes which actions an API operation authorizes, the cache
keeps that mapping. The service reference has no "required" flag for an
action's resource types; none is marked required in the cache.

A file that cannot be fetched fails the update and leaves any earlier cache
as it was. Progress and a summary go to stderr.`,
		Example: `  tailor catalog update
  tailor catalog update --dir ./ci-cache
  TAILOR_CACHE_DIR=/tmp/tailor tailor catalog update`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, err := url.Parse(opts.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usageErrorf("--url %q: want an http or https URL", opts.URL)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return catalogUpdateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.URL, "url", cache.DefaultServiceReferenceURL, "URL of the service reference's service list")
	cmd.Flags().StringVar(&opts.Dir, "dir", "", "cache directory to write catalog.json.gz to (default: $"+cache.DirEnv+" or the user cache directory's tailor/); other commands read another directory only with "+cache.DirEnv+"=DIR or --catalog DIR/catalog.json.gz")
	return cmd
}

func catalogUpdateRun(ctx context.Context, opts *catalogUpdateOptions) error {
	dir := opts.Dir
	if dir == "" {
		d, err := cache.Dir()
		if err != nil {
			return fmt.Errorf("%w; or pass --dir", err)
		}
		dir = d
	}
	info, err := cache.Update(ctx, opts.Client, opts.URL, dir, opts.IO.ErrOut)
	if err != nil {
		// Update writes the cache by renaming a complete file into place.
		return fmt.Errorf("catalog update failed; the cache is unchanged: %w", err)
	}
	var s summary
	s.add("cache", "%s", info.Path)
	s.add("source", "%s %s", info.Source, info.Version)
	s.add("date", "%s", info.Date)
	s.add("services", "%d", info.Services)
	s.add("actions", "%d", info.Actions)
	s.add("resource types", "%d", info.ResourceTypes)
	s.add("operations", "%d", info.Operations)
	s.print(opts.IO)
	return nil
}
