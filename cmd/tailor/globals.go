package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/catalog/cache"
)

// globalFlags are the flags every command takes.
type globalFlags struct {
	Output  string // write stdout's result to this file, atomically
	Quiet   bool   // stderr carries errors only
	Version bool
}

// redirect is a writer whose target is chosen after the flags are parsed.
type redirect struct{ w io.Writer }

func (r *redirect) Write(p []byte) (int, error) { return r.w.Write(p) }

// quietWriter passes on only the lines that report an error.
type quietWriter struct{ w io.Writer }

func (q quietWriter) Write(p []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if strings.HasPrefix(line, "error:") || strings.HasPrefix(line, "tailor:") || strings.HasPrefix(line, "  ") {
			if _, err := io.WriteString(q.w, line); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
}

func (g *globalFlags) register(root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.StringVarP(&g.Output, "output", "o", "", "write the result to this file (atomically: a whole file or none) instead of stdout")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "print only errors on stderr: no notes, warnings or summary")
	root.Flags().BoolVar(&g.Version, "version", false, "print tailor's version, Go version and catalog, and exit")
}

// writeAtomic writes data to path through a temporary file in the same
// folder, renamed over path once complete.
func writeAtomic(path string, data []byte) error {
	return writeFileAtomic("--output", path, data)
}

// writeFileAtomic is writeAtomic for the file a flag names.
func writeFileAtomic(flag, path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return nil
}

// versionText is what tailor version prints.
func versionText() string {
	version, revision, modified := "(devel)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "tailor %s\n", version)
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		if modified {
			revision += " (modified)"
		}
		fmt.Fprintf(&b, "commit: %s\n", revision)
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	cat, err := cache.Load(cache.ChoiceAuto)
	if err != nil {
		fmt.Fprintf(&b, "catalog: %v\n", err)
	} else {
		i := cat.Info()
		where := "embedded"
		if i.Path != "" {
			where = i.Path
		}
		fmt.Fprintf(&b, "catalog: %s (%s %s, %s; %d services, %d actions)\n", i.Date, i.Source, i.Version, where, i.Services, i.Actions)
	}
	return b.String()
}

func newVersionCmd(io streams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print tailor's version, Go version and the IAM catalog in use",
		Example: "  tailor version\n  tailor --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := io.Out.Write([]byte(versionText()))
			return err
		},
	}
}
