package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/pipeline"
)

// Exit codes, as PRODUCT.md defines them.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitNoEvents  = 3
	exitFinding   = 4
	exitUnallowed = 5
)

// streams is where a command reads and writes; tests pass buffers.
type streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY says whether Out is a terminal (tables by default there).
	OutTTY bool
	// Bar is where a progress bar may be drawn while a trail is read: the
	// process's stderr, drawn on only when it is a terminal; nil for none.
	// --quiet turns it off.
	Bar *barTarget
}

// barTarget is the writer a progress bar draws on, shared by every copy of
// the streams so that --quiet, read after they are handed out, reaches
// all.
type barTarget struct {
	W   io.Writer
	Off bool
}

func systemStreams() streams {
	tty := false
	if fi, err := os.Stdout.Stat(); err == nil {
		tty = fi.Mode()&os.ModeCharDevice != 0
	}
	return streams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, OutTTY: tty, Bar: &barTarget{W: os.Stderr}}
}

// exitErr carries an exit code through cobra.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return &exitErr{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// newRootCmd builds the command tree; g receives the global flags.
func newRootCmd(io streams, g *globalFlags) *cobra.Command {
	root := &cobra.Command{
		Use:   "tailor",
		Short: "Least-privilege IAM policies from CloudTrail logs",
		Long: `tailor reads CloudTrail logs (local files or S3), finds what each IAM principal
really did and what it was denied, and writes the least-privilege IAM policy
that grants exactly that, scoped to the resource ARNs it saw.

With no --source, commands read the demo trail bundled with tailor.`,
		Example: `  tailor suggest --role checkout-api
  tailor suggest --role checkout-api --source s3://trail-bucket/AWSLogs/ --since 30d
  tailor analyze --source ./logs --format json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.Version {
				_, err := io.Out.Write([]byte(versionText()))
				return err
			}
			return cmd.Help()
		},
	}
	g.register(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitErr{code: exitUsage, err: err}
	})
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.AddCommand(newSuggestCmd(io, nil))
	root.AddCommand(newAnalyzeCmd(io, nil))
	root.AddCommand(newDeniedCmd(io, nil))
	root.AddCommand(newVerifyCmd(io, nil))
	root.AddCommand(newDiffCmd(io, nil))
	root.AddCommand(newMergeCmd(io, nil))
	root.AddCommand(newExportCmd(io, nil))
	root.AddCommand(newDigestsCmd(io))
	root.AddCommand(newCatalogCmd(io))
	root.AddCommand(newVersionCmd(io))
	registerCompletions(root)
	return root
}

// execute runs the CLI and returns the process exit code.
func execute(ctx context.Context, args []string, io streams) int {
	// Whatever reaches stderr has its control characters escaped and its
	// lines cut: values from logs are written by whoever called AWS.
	stdout, stderr := io.Out, io.ErrOut
	out := &redirect{w: stdout}
	errOut := &redirect{w: safetext.Writer{W: stderr}}
	io.Out, io.ErrOut = out, errOut
	g := &globalFlags{}
	root := newRootCmd(io, g)
	var result bytes.Buffer
	root.PersistentPreRun = func(*cobra.Command, []string) {
		if g.Output != "" {
			out.w = &result
		}
		if g.Quiet {
			errOut.w = quietWriter{w: errOut.w}
			if io.Bar != nil {
				io.Bar.Off = true
			}
		}
	}
	root.SetArgs(args)
	code := exitCode(io, root.ExecuteContext(ctx))
	// --output gets the whole result or nothing: a usage error or a
	// failed run leaves the file as it was.
	if g.Output != "" && result.Len() > 0 && (code == exitOK || code == exitUnallowed) {
		if err := writeAtomic(g.Output, result.Bytes()); err != nil {
			fmt.Fprintln(io.ErrOut, "tailor:", err)
			return exitError
		}
	}
	return code
}

// exitCode prints a command's error and returns its exit code.
func exitCode(io streams, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(io.ErrOut, "tailor:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(io.ErrOut, "tailor:", err)
	var ue *pipeline.UsageError
	if errors.As(err, &ue) || isFlagError(err) {
		return exitUsage
	}
	return exitError
}

// isFlagError recognizes cobra's errors for a bad command line that do not
// pass through the flag error func (an unknown subcommand, bad arguments).
func isFlagError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "accepts ") ||
		strings.Contains(msg, "if any flags in the group")
}
