package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/tailor-iam/tailor/synth"
)

// authDecoder is the one STS call --decode needs.
type authDecoder interface {
	DecodeAuthorizationMessage(ctx context.Context, in *sts.DecodeAuthorizationMessageInput, optFns ...func(*sts.Options)) (*sts.DecodeAuthorizationMessageOutput, error)
}

// decodedMessage is the part of a decoded authorization message tailor
// reads; the whole document is passed through to the output.
type decodedMessage struct {
	Allowed           bool `json:"allowed"`
	ExplicitDeny      bool `json:"explicitDeny"`
	MatchedStatements struct {
		Items []struct {
			StatementID string `json:"statementId"`
			Effect      string `json:"effect"`
		} `json:"items"`
	} `json:"matchedStatements"`
	Context struct {
		Action   string `json:"action"`
		Resource string `json:"resource"`
	} `json:"context"`
}

// decodeDenials expands the encoded message of each denial that has one,
// applies the decoded verdict to it, and returns the decoded documents by
// index (nil where none). Decoding is best effort: the report is printed
// either way, and what could not be decoded, and why, goes to stderr as a
// warning. decoded counts the messages expanded, of encoded.
func decodeDenials(ctx context.Context, opts *deniedOptions, denials []synth.Denial) (raw []json.RawMessage, decoded, encoded int) {
	raw = make([]json.RawMessage, len(denials))
	warn := func(format string, args ...any) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: --decode: "+format+"\n", args...)
	}
	dec := opts.decoder
	for i := range denials {
		d := &denials[i]
		if d.EncodedCut {
			encoded++
			warn("%s on %s: CloudTrail cut the encoded message at 1,024 characters; it cannot be decoded", d.Action, d.Resource)
			continue
		}
		token := d.Parsed.Encoded
		if token == "" {
			continue
		}
		encoded++
		if dec == nil {
			var err error
			if dec, err = stsDecoder(ctx, opts.Read.Profile); err != nil {
				warn("%v; the report is printed undecoded", err)
				return raw, decoded, encoded
			}
		}
		out, err := dec.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: &token})
		var invalid *types.InvalidAuthorizationMessageException
		switch {
		case errors.As(err, &invalid):
			warn("%s on %s: STS cannot decode the message: %v", d.Action, d.Resource, err)
			continue
		case err != nil:
			// Every other failure (no permission to decode, no network)
			// would repeat for each message.
			warn("%s on %s: %v; the rest of the report is printed undecoded", d.Action, d.Resource, err)
			return raw, decoded, encoded
		case out.DecodedMessage == nil:
			continue
		}
		var m decodedMessage
		if err := json.Unmarshal([]byte(*out.DecodedMessage), &m); err != nil {
			warn("%s on %s: the decoded message is not JSON: %v", d.Action, d.Resource, err)
			continue
		}
		raw[i] = json.RawMessage(*out.DecodedMessage)
		decoded++
		v := synth.Decoded{Allowed: m.Allowed, ExplicitDeny: m.ExplicitDeny}
		for _, st := range m.MatchedStatements.Items {
			if st.StatementID != "" && (!m.ExplicitDeny || st.Effect == "" || strings.EqualFold(st.Effect, "deny")) {
				v.Statements = append(v.Statements, st.StatementID)
			}
		}
		synth.ApplyDecoded(d, v)
	}
	return raw, decoded, encoded
}

// stsDecoder builds an STS client from the standard AWS configuration, and
// checks that it has credentials: without them no call can succeed.
func stsDecoder(ctx context.Context, profile string) (authDecoder, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(profile))
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Credentials == nil {
		return nil, errors.New("no AWS credentials")
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("no AWS credentials: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return sts.NewFromConfig(cfg), nil
}
