package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/tailor-iam/tailor/digest"
	"github.com/tailor-iam/tailor/internal/safetext"
	"github.com/tailor-iam/tailor/internal/words"
	"github.com/tailor-iam/tailor/pipeline"
	"github.com/tailor-iam/tailor/report"
)

// integrityFlags are --verify-digests and its companions, on every reading
// command: the trail is checked against its signed digests before it is
// read (tailor digests verify does the same check on its own).
type integrityFlags struct {
	Verify            bool
	PublicKeys        []string
	Signatures        string
	SaveSignatures    string
	ExcludeUnverified bool

	// report is what the check found, for the integrity section of
	// --format json outputs; nil without --verify-digests.
	report *digest.Report
}

// integritySection is the "integrity" member of --format json outputs
// under --verify-digests: what tailor digests verify --format json says,
// without its per-file and per-digest lists.
type integritySection struct {
	Summary           digest.Counts    `json:"summary"`
	Since             time.Time        `json:"since,omitzero"`
	Until             time.Time        `json:"until,omitzero"`
	Findings          []digest.Finding `json:"findings"`
	ExcludeUnverified bool             `json:"excludeUnverified"`
}

// section is the integrity section, nil without --verify-digests.
func (f *integrityFlags) section() *integritySection {
	if f.report == nil {
		return nil
	}
	s := &integritySection{Summary: f.report.Counts(), Since: f.report.Since, Until: f.report.Until,
		Findings: f.report.Findings, ExcludeUnverified: f.ExcludeUnverified}
	if s.Findings == nil {
		s.Findings = []digest.Finding{}
	}
	return s
}

// writeJSON writes a command's --format json output, v (an array), as
// tailor's reports are written; under --verify-digests it becomes
// {"integrity": {...}, "results": v}.
func (f *integrityFlags) writeJSON(w io.Writer, v any) error {
	if sec := f.section(); sec != nil {
		v = struct {
			Integrity *integritySection `json:"integrity"`
			Results   any               `json:"results"`
		}{sec, v}
	}
	out, err := report.JSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func (f *integrityFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.Verify, "verify-digests", false, "check every log file against the trail's signed digest files first (see tailor digests verify); failures go to stderr, and --strict makes them fatal")
	fl.StringArrayVar(&f.PublicKeys, "digest-public-keys", nil, "with --verify-digests: CloudTrail's public keys, the JSON of aws cloudtrail list-public-keys (repeatable), or api to ask CloudTrail")
	fl.StringVar(&f.Signatures, "digest-signatures", "", "with --verify-digests: the digests' signatures for a local copy (written by tailor digests verify --save-digest-signatures)")
	fl.StringVar(&f.SaveSignatures, "save-digest-signatures", "", "with --verify-digests: write the signatures read from S3 metadata to this file, for a later check of a local copy (--digest-signatures)")
	fl.BoolVar(&f.ExcludeUnverified, "exclude-unverified", false, "with --verify-digests: read only the log files the digests verify")
}

// check verifies the run's sources against their digests, says what it
// found on stderr, and, with --exclude-unverified, leaves the files it
// could not verify out of cfg's run. Under --strict a failure, or a
// signature it could not check, stops the command.
func (f *integrityFlags) check(ctx context.Context, io streams, r *readFlags, cfg *pipeline.Config) error {
	if !f.Verify {
		if len(f.PublicKeys) > 0 || f.Signatures != "" || f.SaveSignatures != "" || f.ExcludeUnverified {
			return usageErrorf("--digest-public-keys, --digest-signatures, --save-digest-signatures and --exclude-unverified need --verify-digests")
		}
		return nil
	}
	if len(r.Sources) == 0 {
		return usageErrorf("--verify-digests: the bundled demo trail has no digests; give --source")
	}
	for _, src := range r.Sources {
		if err := digestSourceErr(src); err != nil {
			return usageErrorf("--verify-digests: source %s: %v", safetext.Clean(src), err)
		}
	}
	opts := &digestsVerifyOptions{IO: io, Sources: r.Sources, Profile: r.Profile, EndpointURL: r.EndpointURL,
		PublicKeys: f.PublicKeys, Signatures: f.Signatures, Workers: r.Workers}
	vo, err := opts.verifyOptions(ctx)
	if err != nil {
		return err
	}
	// The digests of the hours around the range list its files too.
	if !cfg.Since.IsZero() {
		vo.Since = cfg.Since.Add(-24 * time.Hour)
	}
	if !cfg.Until.IsZero() {
		vo.Until = cfg.Until.Add(24 * time.Hour)
	}
	sources, err := digestSources(ctx, opts)
	if err != nil {
		return err
	}
	rep, err := digest.Verify(ctx, sources, vo)
	if err != nil {
		return fmt.Errorf("--verify-digests: %w", err)
	}
	f.report = rep
	if err := saveSignatures(io, f.SaveSignatures, rep); err != nil {
		return err
	}
	c := rep.Counts()
	fmt.Fprintf(io.ErrOut, "integrity: %s verified against %s; %s, %s unchecked\n", words.Nouns(c.Verified, "log file"),
		words.Nouns(c.Digests, "digest"), words.Count(c.Failures, "failure", "failures"), words.Count(c.UncheckedSignatures, "signature", "signatures"))
	for _, fd := range rep.Findings {
		fmt.Fprintf(io.ErrOut, "integrity: %s %s: %s\n", fd.Kind, safetext.Clean(fd.Name), safetext.Line(fd.Detail))
	}
	if r.Strict && !rep.Trusted() {
		return &exitErr{code: exitError, err: fmt.Errorf("--strict --verify-digests: %s, %s unchecked", words.Count(c.Failures, "integrity failure", "integrity failures"),
			words.Count(c.UncheckedSignatures, "signature", "signatures"))}
	}
	if f.ExcludeUnverified {
		cfg.Skip = func(name string) bool { return !rep.Verified(name) }
	}
	return nil
}
