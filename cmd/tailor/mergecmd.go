package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/partial"
	"github.com/tailor-iam/tailor/pipeline"
)

type mergeOptions struct {
	IO       streams
	Partials []string
	Out      string
}

func newMergeCmd(io streams, runF func(context.Context, *mergeOptions) error) *cobra.Command {
	opts := &mergeOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "merge PARTIAL...",
		Short: "Combine partial aggregates into one",
		Long: `Combine partial aggregates, written by tailor analyze --emit-partial, into one
partial: what a single run over all their inputs would have written. A
cross-account call whose two copies are in different partials counts once;
resources fold under the lowest --max-resources of the partials. Every
reading command reads the result (or the partials themselves) as --source.`,
		Example: `  tailor analyze --source ./logs --shard 1/2 --emit-partial a.parquet
  tailor analyze --source ./logs --shard 2/2 --emit-partial b.parquet
  tailor merge a.parquet b.parquet --out all.parquet
  tailor suggest --role checkout-api --source all.parquet`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("merge: name one or more partial aggregates")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Partials = args
			if opts.Out == "" && opts.IO.OutTTY {
				return usageErrorf("merge: --out FILE.parquet: a partial aggregate is binary, not for a terminal")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return mergeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "write the merged partial to this Parquet file (default: stdout)")
	return cmd
}

// mergeRun reads the headers first, to fold under the lowest cap, then
// merges one partial at a time. A partial that cannot be read stops the
// merge: leaving it out would pass for the whole.
// mergeChunk is how many facts of a partial merge reads at once.
const mergeChunk = 4096

func mergeRun(_ context.Context, opts *mergeOptions) error {
	headers := make([]partial.Header, len(opts.Partials))
	cap := -1
	for i, name := range opts.Partials {
		err := withFile(name, func(f *os.File, size int64) (err error) {
			headers[i], err = partial.ReadHeader(f, size)
			return err
		})
		if err != nil {
			return err
		}
		h := headers[i]
		if h.Generalize != headers[0].Generalize {
			return usageErrorf("merge: %s was made with --generalize %q, %s with %q: they do not merge", safetext.Clean(name), h.Generalize, safetext.Clean(opts.Partials[0]), headers[0].Generalize)
		}
		if h.MaxResources != 0 && (cap < 0 || h.MaxResources < cap) {
			cap = h.MaxResources
		}
	}
	merged := partial.New(max(cap, 0))
	merged.Header = headers[0]
	merged.Header.Inputs = nil
	merged.Header.MaxResources = max(cap, 0)
	merged.Header.Tailor = pipeline.Version()
	seen := map[string]string{}
	for _, name := range opts.Partials {
		// A piece at a time: merging never holds a whole partial beside
		// the merged one. A partial that fails part way stops the merge.
		err := withFile(name, func(f *os.File, size int64) error {
			return partial.ReadChunks(f, size, mergeChunk, func(p *partial.Aggregate) error {
				for _, in := range p.Header.Inputs {
					if other, ok := seen[in.Name]; ok {
						fmt.Fprintf(opts.IO.ErrOut, "warning: %s is in both %s and %s: its events count twice\n", safetext.Clean(in.Name), safetext.Clean(other), safetext.Clean(name))
					}
					seen[in.Name] = name
				}
				merged.Merge(p)
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if err := partial.Write(&b, merged); err != nil {
		return err
	}
	if opts.Out != "" {
		if err := writeFileAtomic("--out", opts.Out, b.Bytes()); err != nil {
			return err
		}
	} else if _, err := opts.IO.Out.Write(b.Bytes()); err != nil {
		return err
	}
	var s summary
	s.add("partials", "%d", len(opts.Partials))
	s.add("inputs", "%d", len(merged.Header.Inputs))
	s.add("records", "%d", merged.Main.Counts.Records)
	s.add("principals", "%d", len(merged.Main.Principals))
	s.add("facts", "%d", len(merged.Main.Facts))
	s.add("cross-account calls", "%d kept apart for the last merge, %d duplicates counted once", len(merged.Shared), merged.Main.Counts.Duplicates)
	s.add("max resources", "%s", capLabel(merged.Header.MaxResources))
	s.print(opts.IO)
	return nil
}

func capLabel(n int) string {
	if n == 0 {
		return "no cap"
	}
	return fmt.Sprint(n)
}

// withFile opens a partial for fn; errors name the file, exit 1.
func withFile(name string, fn func(f *os.File, size int64) error) error {
	f, err := os.Open(name)
	if err != nil {
		return &exitErr{code: exitError, err: fmt.Errorf("merge: %w", err)}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		return usageErrorf("merge: %s: a directory; merge takes partial files (written by --emit-partial); to read a directory of partials or logs, give it to --source", safetext.Clean(name))
	}
	if err == nil {
		err = fn(f, fi.Size())
	}
	if err != nil {
		return &exitErr{code: exitError, err: fmt.Errorf("merge: %s: %w", safetext.Clean(name), err)}
	}
	return nil
}
