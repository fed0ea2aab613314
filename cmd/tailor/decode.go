package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/tailor-iam/tailor/analyze"
)

// authDecoder is the one STS call --decode needs.
type authDecoder interface {
	DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput, optFns ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error)
}

// decodedMessage is the part of a decoded authorization message tailor
// reads; the whole document is passed through to the output.
type decodedMessage struct {
	Allowed      bool `json:"allowed"`
	ExplicitDeny bool `json:"explicitDeny"`
	Context      struct {
		Action   string `json:"action"`
		Resource string `json:"resource"`
	} `json:"context"`
}

// decodeEntries expands the encoded message of each entry that has one.
// The call needs sts:DecodeAuthorizationMessage; its failure stops the run
// with the error, since the user asked for it.
func decodeEntries(ctx context.Context, opts *deniedOptions, entries []deniedEntry) error {
	dec := opts.decoder
	for i := range entries {
		e := &entries[i]
		token := analyze.ParseDenial(e.Message).Encoded
		if token == "" {
			continue
		}
		if dec == nil {
			cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(opts.Read.Profile))
			if err != nil {
				return fmt.Errorf("--decode: load AWS configuration: %w", err)
			}
			if cfg.Region == "" {
				cfg.Region = "us-east-1"
			}
			dec = sts.NewFromConfig(cfg)
		}
		out, err := dec.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: &token})
		if err != nil {
			return fmt.Errorf("--decode: %s on %s: %w", e.Action, e.Resource, err)
		}
		if out.DecodedMessage == nil {
			continue
		}
		raw := []byte(*out.DecodedMessage)
		var m decodedMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("--decode: %s on %s: the decoded message is not JSON: %w", e.Action, e.Resource, err)
		}
		e.Decoded = raw
		// The decoded verdict does not name the policy type that denied,
		// so the reason stays what the message said; the summary adds
		// what the decoding shows.
		switch {
		case m.ExplicitDeny:
			e.Fix.Summary += " (decoded: an explicit Deny matched; see decoded.matchedStatements)"
		case !m.Allowed:
			e.Fix.Summary += " (decoded: no statement allowed the request, an implicit deny)"
		}
	}
	return nil
}
