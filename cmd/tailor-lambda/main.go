// Command tailor-lambda is tailor's scheduled job as an AWS Lambda
// function: a bootstrap binary for the provided.al2023 runtime, built with
//
//	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap ./cmd/tailor-lambda
//
// It reads its settings from the environment (deploy.Environment lists
// them), fails before any S3 call when one is wrong, and runs package job:
// the incremental run on a schedule ({"mode":"run"} or any event without a
// mode), or the organization fan-out's map and reduce steps. It logs one
// JSON line per step to stdout, for CloudWatch Logs Insights.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/tailor-iam/tailor/deploy"
	"github.com/tailor-iam/tailor/job"
	"github.com/tailor-iam/tailor/pipeline"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: logLevel(os.Getenv("LOG_LEVEL"))}))
	slog.SetDefault(log) // the runtime's own lines (a failed invocation) are JSON too
	cfg, s3opts, err := configFrom(os.Getenv)
	if err == nil {
		check := *cfg
		err = check.Validate()
	}
	if err != nil {
		log.Error("configuration", "error", err.Error())
		initError(err)
		os.Exit(1)
	}
	client, err := pipeline.NewS3Client(context.Background(), s3opts)
	if err != nil {
		log.Error("s3 client", "error", err.Error())
		initError(err)
		os.Exit(1)
	}
	h := &handler{cfg: cfg, client: client, log: log}
	lambda.Start(h.handle)
}

// handler runs one invocation.
type handler struct {
	cfg    *job.Config
	client job.S3
	log    *slog.Logger
}

// event is the handler's input; a scheduler's own event has no mode.
type event struct {
	Mode     string       `json:"mode"`
	Prefixes []job.Prefix `json:"prefixes"`
}

// mapResult is the map step's answer.
type mapResult struct {
	Partials []string `json:"partials"`
}

func (h *handler) handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var ev event
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
	}
	if !slices.Contains(deploy.HandlerModes, modeOf(ev.Mode)) {
		return nil, fmt.Errorf("mode %q: want one of %s", ev.Mode, strings.Join(deploy.HandlerModes, ", "))
	}
	cfg := *h.cfg // each invocation validates and fills its own copy
	log := h.log.With("mode", modeOf(ev.Mode))
	log.Info("start", "prefixes", len(ev.Prefixes))
	switch ev.Mode {
	case "", deploy.ModeRun:
		res, err := job.Run(ctx, h.client, &cfg, log)
		log.Info("end", "folded", res.Folded, "partitions", res.Partitions, "stopped", res.Stopped, "published", res.Published, "generation", res.Generation, "error", errText(err))
		return res, err
	case deploy.ModeMap:
		partials, err := job.Map(ctx, h.client, &cfg, ev.Prefixes, log)
		log.Info("end", "partials", len(partials), "error", errText(err))
		return mapResult{Partials: partials}, err
	case deploy.ModeReduce:
		res, err := job.Reduce(ctx, h.client, &cfg, log)
		log.Info("end", "partitions", res.Partitions, "published", res.Published, "generation", res.Generation, "error", errText(err))
		return res, err
	}
	return nil, fmt.Errorf("mode %q: want %v", ev.Mode, deploy.HandlerModes)
}

func modeOf(m string) string {
	if m == "" {
		return deploy.ModeRun
	}
	return m
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func logLevel(s string) slog.Level {
	var l slog.Level
	if l.UnmarshalText([]byte(s)) != nil {
		return slog.LevelInfo
	}
	return l
}
