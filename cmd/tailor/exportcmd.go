package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/export"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/pipeline"
)

type exportOptions struct {
	IO   streams
	Read readFlags
	principalFlags
	Out string
	// runRows, when set, is how many rows a worker holds before it spills
	// them (tests: to spill the demo trail).
	runRows int
}

func newExportCmd(io streams, runF func(context.Context, *exportOptions) error) *cobra.Command {
	opts := &exportOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "export --out FILE.parquet [--role NAME|ARN | --user NAME|ARN | --principal ARN]",
		Short: "Write the trail's normalized events to Parquet, one row per event, action and resource",
		Long: `Write the facts tailor derives from the trail to a Parquet file, for Athena,
Spark or DuckDB: one row per event, IAM action and resource, with who made
the call, when, from where, and whether it was allowed, denied (and by what)
or failed. The schema is in README.md; the file's metadata names its
version (tailor.export.version).

Rows are sorted by event time, then event id and the rest of the columns,
so the same input gives the same bytes. The file is written whole or not at
all; --out - writes it to stdout instead, which must not be a terminal.
Sorted runs are spilled beside the output file while the trail is read, and
removed at the end. A role, user or principal flag keeps only its rows.
The file can be given back to --source: the other commands read its events
as the facts the trail gave.`,
		Example: `  tailor export --out events.parquet
  tailor export --source s3://trail-bucket/AWSLogs/ --since 30d --out events.parquet
  tailor export --role checkout-api --source ./logs --out checkout-api.parquet
  tailor export --source ./logs --out - | aws s3 cp - s3://analytics/tailor/events.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case opts.Out == "":
				return usageErrorf("export: --out FILE.parquet is required (- for stdout)")
			case opts.Out == "-" && opts.IO.OutTTY:
				return usageErrorf("export: --out -: Parquet is binary, not for a terminal; redirect stdout or name a file")
			case opts.given() > 1:
				return usageErrorf("give at most one of --role, --user and --principal")
			}
			if opts.Out != "-" {
				dir := filepath.Dir(opts.Out)
				if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
					return usageErrorf("--out %s: %s is not a directory", safetext.Clean(opts.Out), safetext.Clean(dir))
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	opts.Read.register(cmd)
	opts.principalFlags.register(cmd, "only this", &opts.Read)
	cmd.Flags().StringVar(&opts.Out, "out", "", "the Parquet file to write, atomically; - for stdout")
	// Rows are per event: never folded into parent/*.
	cmd.Flags().MarkHidden("max-resources")
	return cmd
}

func exportRun(ctx context.Context, opts *exportOptions) error {
	spill := os.TempDir()
	if opts.Out != "-" {
		spill = filepath.Dir(opts.Out)
	}
	col := export.NewCollector(export.Options{Dir: spill, RunRows: opts.runRows})
	defer col.Close()
	opts.Read.keep = opts.principalFlags.keep()
	opts.Read.observe = col.Worker
	res, err := read(ctx, opts.IO, &opts.Read)
	if err != nil {
		return err
	}
	agg := res.Aggregate
	if n := agg.Counts.Records - int64(res.Report.Records) - res.Replayed; n > 0 {
		return usageErrorf("export: the sources hold partial aggregates (%d records counted in them): a partial keeps counts, not events; export the logs it was made from", n)
	}
	h := export.Header{Tailor: pipeline.Version(), CatalogDate: res.Catalog.Info().Date,
		Learned: export.Learned{Links: agg.Links, ProfileRoles: agg.ProfileRoles}}
	var keep func(string) bool
	if opts.given() > 0 {
		arn, _, err := opts.choose(agg)
		if err != nil {
			return err
		}
		h.Principal = arn
		keep = func(p string) bool { return p == arn }
	}
	var st export.Stats
	var size int64
	write := func(w io.Writer) error {
		cw := &countingWriter{w: w}
		bw := bufio.NewWriterSize(cw, 1<<20)
		if st, err = col.Write(bw, h, keep); err != nil {
			return err
		}
		err := bw.Flush()
		size = cw.n
		return err
	}
	if opts.Out == "-" {
		err = write(opts.IO.Out)
	} else {
		err = createAtomic("--out", opts.Out, write)
	}
	if err != nil {
		return err
	}
	c := agg.Counts
	var s summary
	inputSummary(&s, res, catalogLabel(res.Catalog))
	s.add("api calls", "%d", c.APICalls)
	s.add("unmapped calls", "%d (no IAM action in the catalog: not exported)", c.Unmapped)
	s.add("events", "%d exported", st.Events)
	s.add("rows", "%d (one per event, action and resource)", st.Rows)
	out := opts.Out
	if out == "-" {
		out = "stdout"
	}
	s.add("out", "%s (%d bytes)", out, size)
	s.print(opts.IO)
	printUnmapped(opts.IO.ErrOut, agg)
	return nil
}

// createAtomic writes path through write, into a temporary file in the same
// folder renamed over path once complete: a whole file or none, however
// large (writeFileAtomic holds it in memory).
func createAtomic(flag, path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	err = f.Chmod(0o644)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
