package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/deploy"
	"github.com/tailor-iam/tailor/job"
	"github.com/tailor-iam/tailor/pipeline"
)

// configFrom reads the job's settings from the environment: each variable
// of deploy.Environment, its default when unset. TAILOR_S3_ENDPOINT points
// the client at an S3-compatible server (path-style), for tests.
func configFrom(getenv func(string) string) (*job.Config, pipeline.S3Options, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, e := range deploy.Environment {
			if e.Name == name {
				return e.Default
			}
		}
		return ""
	}
	var errs []error
	num := func(name string) int {
		n, err := strconv.Atoi(get(name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a number", name, get(name)))
		}
		return n
	}
	cfg := &job.Config{
		TrailBucket:  get("TAILOR_TRAIL_BUCKET"),
		TrailPrefix:  get("TAILOR_TRAIL_PREFIX"),
		Accounts:     list(get("TAILOR_ACCOUNTS")),
		Regions:      list(get("TAILOR_REGIONS")),
		Principals:   list(get("TAILOR_PRINCIPALS")),
		LookbackDays: num("TAILOR_LOOKBACK_DAYS"),
		LateDays:     num("TAILOR_LATE_DAYS"),
		StateBucket:  get("TAILOR_STATE_BUCKET"),
		StatePrefix:  get("TAILOR_STATE_PREFIX"),
		OutputBucket: get("TAILOR_OUTPUT_BUCKET"),
		OutputPrefix: get("TAILOR_OUTPUT_PREFIX"),
		Formats:      list(get("TAILOR_FORMATS")),
		Generalize:   list(get("TAILOR_GENERALIZE")),
	}
	if len(cfg.Principals) == 1 && cfg.Principals[0] == "all" {
		cfg.Principals = nil
	}
	switch size := get("TAILOR_MAX_SIZE"); size {
	case "managed":
	case "inline":
		cfg.Inline = true
	default:
		errs = append(errs, fmt.Errorf("TAILOR_MAX_SIZE: %q: want managed or inline", size))
	}
	if _, err := pipeline.ParseGeneralize(cfg.Generalize); err != nil {
		errs = append(errs, fmt.Errorf("TAILOR_GENERALIZE: %w", err))
	}
	return cfg, pipeline.S3Options{EndpointURL: get("TAILOR_S3_ENDPOINT")}, errors.Join(errs...)
}

func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// initError tells the Lambda service why the function could not start, as
// the Runtime API asks, so the error shows in the invocation's result and
// not only in the logs.
func initError(err error) {
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	if api == "" {
		return
	}
	body, _ := json.Marshal(map[string]any{"errorMessage": err.Error(), "errorType": "ConfigurationError"})
	req, rerr := http.NewRequest(http.MethodPost, "http://"+api+"/2018-06-01/runtime/init/error", bytes.NewReader(body))
	if rerr != nil {
		return
	}
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "ConfigurationError")
	c := &http.Client{Timeout: 5 * time.Second}
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}
}
