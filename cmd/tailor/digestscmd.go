package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/digest"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/pipeline"
)

func newDigestsCmd(io streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "digests",
		Short: "Check a trail against CloudTrail's signed digest files",
		Long: `CloudTrail writes an hourly digest file per region, when log file validation
is on: the SHA-256 of every log file it delivered in the hour, and a link to
the digest before, signed with CloudTrail's key. "tailor digests verify"
checks a trail against them.`,
		Example: `  tailor digests verify --source s3://trail-bucket/AWSLogs/ --digest-public-keys keys.json`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDigestsVerifyCmd(io, nil))
	return cmd
}

type digestsVerifyOptions struct {
	IO          streams
	Sources     []string
	Since       string
	Until       string
	PublicKeys  []string // files of aws cloudtrail list-public-keys output
	Signatures  string   // the sidecar to read
	SaveSigs    string   // the sidecar to write
	Strict      bool
	Format      string
	Profile     string
	EndpointURL string
	Workers     int
	// now is the time ages in --since and --until count back from.
	now func() time.Time
}

func newDigestsVerifyCmd(io streams, runF func(context.Context, *digestsVerifyOptions) error) *cobra.Command {
	opts := &digestsVerifyOptions{IO: io, now: time.Now}
	cmd := &cobra.Command{
		Use:   "verify --source DIR|s3://bucket/prefix",
		Short: "Check every log file against the trail's signed digests",
		Long: `Check a trail against its digest files, for the log files delivered in
--since/--until (all of them without):

  - each log file's SHA-256 (of its uncompressed content, as CloudTrail
    hashes it; bytes after its first gzip member are a change) against the
    digest that lists it: modified, missing (listed, not there) and
    unlisted (there, in no digest) files are named;
  - the chain of digests: a digest missing, an hour without one (gap), a
    link whose previous hash or signature does not match (broken-link), a
    digest read elsewhere than where CloudTrail delivered it (moved);
    backfill digests are a chain of their own;
  - each digest's signature (RSA, SHA-256) with CloudTrail's public key of
    its fingerprint, from --digest-public-keys.

A digest's signature is kept in its S3 metadata. A local copy loses it:
pass --digest-signatures FILE, written by --save-digest-signatures when the
trail was read from S3. A digest is also checked by the copy of its
signature that the next digest records, so without the sidecar only the
newest digest of each chain stays unchecked. An unchecked signature is
never reported as valid, and the log files it lists are unverified.

The report goes to stdout (findings and unchecked digests as a table, or
everything with --format json), a summary to stderr. Failures exit 0 unless
--strict: then any failure, or any signature left unchecked, exits 1.`,
		Example: `  aws cloudtrail list-public-keys --start-time 2026-10-01 > keys.json
  tailor digests verify --source s3://trail-bucket/AWSLogs/ --since 2026-11-01 --until 2026-11-02 \
    --digest-public-keys keys.json --save-digest-signatures sigs.json
  tailor digests verify --source ./AWSLogs/ --digest-public-keys keys.json --digest-signatures sigs.json --strict
  tailor digests verify --source ./AWSLogs/ --digest-public-keys keys.json --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return digestsVerifyRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Sources, "source", nil, "the trail: a directory in the AWSLogs layout, or s3://bucket/prefix (repeatable)")
	fl.StringVar(&opts.Since, "since", "", "first delivery time, inclusive: RFC 3339, YYYY-MM-DD (UTC) or an age such as 30d")
	fl.StringVar(&opts.Until, "until", "", "end of the delivery times, exclusive: RFC 3339, YYYY-MM-DD (UTC) or an age")
	fl.StringArrayVar(&opts.PublicKeys, "digest-public-keys", nil, "CloudTrail's public keys: the JSON of aws cloudtrail list-public-keys, one file per region (repeatable), or api to ask CloudTrail's ListPublicKeys in each digest's region")
	fl.StringVar(&opts.Signatures, "digest-signatures", "", "the digests' signatures for a local copy: a JSON map of digest key to hex signature")
	fl.StringVar(&opts.SaveSigs, "save-digest-signatures", "", "write the signatures read from S3 metadata to this file, for a later check of a local copy")
	fl.BoolVar(&opts.Strict, "strict", false, "exit 1 on any integrity failure or unchecked signature")
	fl.StringVar(&opts.Format, "format", "table", "output format: table or json")
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
	fl.StringVar(&opts.Profile, "profile", "", "AWS shared-config profile for S3")
	fl.StringVar(&opts.EndpointURL, "endpoint-url", "", "S3-compatible endpoint URL (path-style addressing)")
	opts.Workers = runtime.GOMAXPROCS(0)
	fl.Var(&boundedInt{v: &opts.Workers, ok: func(n int) bool { return n >= 1 }, want: "1 or more files read at once"}, "workers", "files read concurrently")
	return cmd
}

func (o *digestsVerifyOptions) check() error {
	if len(o.Sources) == 0 {
		return usageErrorf("--source is required: the trail's directory or s3://bucket/prefix")
	}
	if o.Format != "table" && o.Format != "json" {
		return usageErrorf("--format %s: want table or json", o.Format)
	}
	for _, src := range o.Sources {
		if err := digestSourceErr(src); err != nil {
			return usageErrorf("--source %s: %v", safetext.Clean(src), err)
		}
	}
	return nil
}

// digestSourceErr says why a source cannot be checked against digests, or
// nil: digests sit beside a trail's files, in its directory or bucket.
func digestSourceErr(src string) error {
	switch {
	case strings.HasPrefix(src, "s3://"):
		return nil
	case src == "-":
		return errors.New("standard input has no digest files; give the directory or s3://bucket/prefix that holds the trail")
	case strings.HasPrefix(src, "cloudtrail:"):
		return errors.New("LookupEvents has no digest files: only a trail's delivered files can be checked; give its directory or s3://bucket/prefix")
	case strings.Contains(src, "://"):
		return errors.New("unknown scheme; use a directory or s3://bucket/prefix")
	}
	fi, err := os.Stat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("no such directory")
	} else if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("a file; give the directory that holds the trail (AWSLogs/…)")
	}
	return nil
}

// digestsReport is `tailor digests verify --format json`.
type digestsReport struct {
	Summary digest.Counts `json:"summary"`
	*digest.Report
}

func digestsVerifyRun(ctx context.Context, opts *digestsVerifyOptions) error {
	start := time.Now()
	vo := digest.Options{Workers: opts.Workers}
	var err error
	now := opts.now()
	if vo.Since, err = pipeline.ParseTime(opts.Since, now); err != nil {
		return usageErrorf("--since: %v", err)
	}
	if vo.Until, err = pipeline.ParseTime(opts.Until, now); err != nil {
		return usageErrorf("--until: %v", err)
	}
	if !vo.Since.IsZero() && !vo.Until.IsZero() && !vo.Since.Before(vo.Until) {
		return usageErrorf("--since %s is not before --until %s", vo.Since.Format(time.RFC3339), vo.Until.Format(time.RFC3339))
	}
	if err := opts.keysAndSignatures(ctx, &vo); err != nil {
		return err
	}
	sources, err := digestSources(ctx, opts)
	if err != nil {
		return err
	}
	rep, err := digest.Verify(ctx, sources, vo)
	if err != nil {
		return err
	}
	if err := saveSignatures(opts.IO, opts.SaveSigs, rep); err != nil {
		return err
	}
	c := rep.Counts()
	if c.Digests == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "warning: no digest file in range: is log file validation on for the trail (aws cloudtrail update-trail --enable-log-file-validation)?")
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(digestsReport{Summary: c, Report: rep}); err != nil {
			return err
		}
	} else if err := writeDigestsTable(opts.IO.Out, rep, c); err != nil {
		return err
	}
	var s summary
	s.add("digests", "%d (%d valid, %d invalid, %d unchecked)", c.Digests, c.ValidSignatures, c.InvalidSignatures, c.UncheckedSignatures)
	s.add("log files", "%d (%d verified, %d unverified, %d modified, %d missing, %d unlisted, %d unreadable)",
		c.Files, c.Verified, c.Unverified, c.Modified, c.Missing, c.Unlisted, c.Unreadable)
	s.add("failures", "%d", c.Failures)
	if opts.SaveSigs != "" {
		s.add("signatures saved", "%d to %s", len(rep.Signatures), opts.SaveSigs)
	}
	s.add("elapsed", "%s", time.Since(start).Round(time.Millisecond))
	s.print(opts.IO)
	if opts.Strict && !rep.Trusted() {
		return &exitErr{code: exitError, err: fmt.Errorf("--strict: %s, %s unchecked, %s not verified",
			words.Nouns(c.Failures, "integrity failure"), words.Nouns(c.UncheckedSignatures, "digest signature"), words.Nouns(c.Files-c.Verified, "log file"))}
	}
	return nil
}

// readFlagFile opens the file a flag names and reads it with read; either
// failing is a usage error naming the flag.
func readFlagFile[T any](path, flag string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, usageErrorf("%s %s: %v", flag, safetext.Clean(path), err)
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, usageErrorf("%s %s: %v", flag, safetext.Clean(path), err)
	}
	return v, nil
}

// digestSources opens each --source; S3 sources share one client.
func digestSources(ctx context.Context, opts *digestsVerifyOptions) ([]digest.Source, error) {
	var out []digest.Source
	var client *s3.Client
	for _, src := range opts.Sources {
		if !strings.HasPrefix(src, "s3://") {
			out = append(out, &digest.Local{Root: src})
			continue
		}
		if client == nil {
			c, err := pipeline.NewS3Client(ctx, pipeline.S3Options{Profile: opts.Profile, EndpointURL: opts.EndpointURL})
			if err != nil {
				return nil, err
			}
			client = c
		}
		s, err := digest.NewS3(ctx, client, src)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// writeDigestsTable prints the findings, then the digests whose signature
// is not valid, each name on its line and what was found under it.
func writeDigestsTable(w io.Writer, rep *digest.Report, c digest.Counts) error {
	bw := bufio.NewWriter(w)
	if c.Failures == 0 && c.UncheckedSignatures == 0 && c.InvalidSignatures == 0 {
		fmt.Fprintf(bw, "verified: %s against %s; no failures\n", words.Nouns(c.Verified, "log file"), words.Nouns(c.Digests, "signed digest"))
		return bw.Flush()
	}
	fmt.Fprintf(bw, "integrity failures: %s\n", words.Thousands(c.Failures))
	for _, f := range rep.Findings {
		fmt.Fprintf(bw, "  %-15s %s\n", f.Kind, safetext.Clean(f.Name))
		fmt.Fprintf(bw, "  %-15s %s\n", "", safetext.Line(f.Detail))
	}
	var unchecked []digest.DigestVerdict
	for _, d := range rep.Digests {
		if d.Signature == digest.SignatureUnchecked {
			unchecked = append(unchecked, d)
		}
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(bw, "\nunchecked signatures: %s (the log files they list are unverified)\n", words.Nouns(len(unchecked), "digest"))
		for _, d := range unchecked {
			fmt.Fprintf(bw, "  %s\n  %s\n", safetext.Clean(d.Name), safetext.Line(d.Detail))
		}
	}
	fmt.Fprintf(bw, "\nlog files: %s verified, %s not\n", words.Thousands(c.Verified), words.Thousands(c.Files-c.Verified))
	return bw.Flush()
}

// apiKeys asks CloudTrail for its public keys (cloudtrail:ListPublicKeys),
// in each digest's region, with the profile's credentials.
func apiKeys(ctx context.Context, profile string) (*digest.APIKeys, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("--digest-public-keys api: load AWS config: %w", err)
	}
	return &digest.APIKeys{Client: func(region string) digest.ListPublicKeysAPI {
		return cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = region })
	}}, nil
}

// keysAndSignatures reads the public keys and the signatures sidecar the
// flags name into vo.
func (opts *digestsVerifyOptions) keysAndSignatures(ctx context.Context, vo *digest.Options) error {
	var err error
	if slices.Equal(opts.PublicKeys, []string{"api"}) {
		keys, err := apiKeys(ctx, opts.Profile)
		if err != nil {
			return err
		}
		vo.Keys = keys
	} else if len(opts.PublicKeys) > 0 {
		var keys digest.KeyList
		for _, path := range opts.PublicKeys {
			k, err := readFlagFile(path, "--digest-public-keys", digest.ReadPublicKeys)
			if err != nil {
				return err
			}
			keys = append(keys, k...)
		}
		vo.Keys = keys
	}
	if opts.Signatures != "" {
		if vo.Signatures, err = readFlagFile(opts.Signatures, "--digest-signatures", digest.ReadSignatures); err != nil {
			return err
		}
	}
	return nil
}

// verifyOptions are the options of a check with the flags' keys and
// signatures, and no range.
func (opts *digestsVerifyOptions) verifyOptions(ctx context.Context) (digest.Options, error) {
	vo := digest.Options{Workers: opts.Workers}
	return vo, opts.keysAndSignatures(ctx, &vo)
}

// saveSignatures writes the signatures a check read from S3 metadata to
// path (--save-digest-signatures), when it is set.
func saveSignatures(io streams, path string, rep *digest.Report) error {
	if path == "" {
		return nil
	}
	var b bytes.Buffer
	if err := digest.WriteSignatures(&b, rep.Signatures); err != nil {
		return err
	}
	if err := writeFileAtomic("--save-digest-signatures", path, b.Bytes()); err != nil {
		return err
	}
	if len(rep.Signatures) == 0 {
		fmt.Fprintf(io.ErrOut, "warning: --save-digest-signatures %s: no signature to save: signatures are read from S3 metadata, and no digest read had one\n", safetext.Clean(path))
	}
	return nil
}
