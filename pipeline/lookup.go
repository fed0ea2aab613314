package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/tailor-iam/tailor/ingest"
)

// addLookup reads spec, a cloudtrail: source, with the run's one Lookup
// source, made at the first: each cloudtrail: given adds its regions to
// it, so a region named twice is read once, and every region reads the
// same window.
func addLookup(ctx context.Context, out []ingest.Source, spec string, cfg Config) ([]ingest.Source, error) {
	var l *ingest.Lookup
	for _, s := range out {
		if lk, ok := s.(*ingest.Lookup); ok {
			l = lk
		}
	}
	if l == nil {
		var err error
		l, err = ingest.NewLookup(ctx, ingest.LookupConfig{
			Profile:     cfg.S3.Profile,
			EndpointURL: cfg.S3.EndpointURL,
			Since:       cfg.Since,
			Until:       cfg.Until,
			Regions:     cfg.Regions,
		})
		if err != nil {
			return nil, lookupErr(spec, err)
		}
		out = append(out, l)
	}
	if err := l.Add(spec); err != nil {
		return nil, lookupErr(spec, err)
	}
	return out, nil
}

// lookupErr names the source; a source that cannot be read as given is a
// usage error.
func lookupErr(spec string, err error) error {
	var ae *ingest.LookupArgsError
	if errors.As(err, &ae) {
		return &UsageError{Msg: fmt.Sprintf("source %s: %v", spec, err)}
	}
	return fmt.Errorf("source %s: %w", spec, err)
}
