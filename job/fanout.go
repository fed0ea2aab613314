package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Prefix names one partition of a trail for the map step: an account's
// region's day.
type Prefix struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Day     string `json:"day"` // YYYY-MM-DD
}

func (p Prefix) partition() (partition, error) {
	day := strings.ReplaceAll(p.Day, "-", "/")
	if len(p.Account) != 12 || strings.Trim(p.Account, "0123456789") != "" || p.Region == "" || strings.Contains(p.Region, "/") ||
		len(day) != 10 || strings.Trim(day, "0123456789/") != "" {
		return partition{}, fmt.Errorf("prefix %+v: want an account id, a region and a day YYYY-MM-DD", p)
	}
	return partition{Account: p.Account, Region: p.Region, Day: day}, nil
}

// pointer is what the map step leaves for reduce: a partition's partial.
type pointer struct {
	Partition string `json:"partition"`
	Partial   string `json:"partial"`
}

func (c *Config) pointerKey(p partition) string { return c.StatePrefix + "map/" + p.String() + ".json" }

// Map folds each prefix's files, all of them, into a partial of its own
// and leaves a pointer to it for Reduce; it returns the partials' URIs.
// Many map steps run at once on different prefixes: none touches the
// checkpoint.
func Map(ctx context.Context, client S3, c *Config, prefixes []Prefix, log *slog.Logger) ([]string, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(prefixes) == 0 {
		return nil, errors.New("map: no prefixes given")
	}
	out := []string{}
	for _, pr := range prefixes {
		p, err := pr.partition()
		if err != nil {
			return out, err
		}
		cp := &checkpoint{Partitions: map[string]string{}}
		etag := "" // the map step keeps no checkpoint: foldPartition's is a scratch one
		var res Result
		if _, err := c.withoutCheckpoint().foldPartition(ctx, client, cp, &etag, p, log, &res); err != nil {
			return out, err
		}
		if res.Stopped {
			return out, fmt.Errorf("map: out of time at %s; give the step fewer prefixes", p)
		}
		key := cp.Partitions[p.String()]
		if key == "" {
			continue // no files
		}
		body, err := json.Marshal(pointer{Partition: p.String(), Partial: key})
		if err != nil {
			return out, err
		}
		if err := putObject(ctx, client, c.StateBucket, c.pointerKey(p), "application/json", body); err != nil {
			return out, err
		}
		out = append(out, "s3://"+c.StateBucket+"/"+key)
		log.Info("mapped", "partition", p.String(), "partial", key)
	}
	return out, nil
}

// withoutCheckpoint is c for a map step: its folds move no checkpoint.
func (c *Config) withoutCheckpoint() *Config {
	m := *c
	m.noCheckpoint = true
	return &m
}

// Reduce adopts the partials the map steps left into the state, then
// publishes the outputs, as a scheduled run does. Later scheduled runs go
// on from there.
func Reduce(ctx context.Context, client S3, c *Config, log *slog.Logger) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	return retryConflicts(ctx, log, func() (Result, error) { return reduce(ctx, client, c, log) })
}

func reduce(ctx context.Context, client S3, c *Config, log *slog.Logger) (Result, error) {
	var res Result
	cp, etag, err := loadCheckpoint(ctx, client, c)
	if err != nil {
		return res, err
	}
	objs, _, err := list(ctx, client, c.StateBucket, c.StatePrefix+"map/", false)
	if err != nil {
		return res, err
	}
	changed := false
	for _, o := range objs {
		body, _, err := get(ctx, client, c.StateBucket, o.Key)
		if err != nil {
			return res, err
		}
		var ptr pointer
		if err := json.Unmarshal(body, &ptr); err != nil || ptr.Partition == "" || ptr.Partial == "" {
			return res, fmt.Errorf("map pointer s3://%s/%s: not a pointer", c.StateBucket, o.Key)
		}
		if cp.Partitions[ptr.Partition] != ptr.Partial {
			cp.Partitions[ptr.Partition] = ptr.Partial
			delete(cp.Failed, ptr.Partition)
			changed = true
			res.Partitions++
		}
	}
	if changed {
		cp.Generation++
		if etag, err = saveCheckpoint(ctx, client, c, cp, etag); err != nil {
			return res, err
		}
	}
	res.Generation = cp.Generation
	if cp.Generation == cp.Published {
		return res, nil
	}
	if err := publish(ctx, client, c, cp, log); err != nil {
		return res, err
	}
	cp.Published = cp.Generation
	if _, err := saveCheckpoint(ctx, client, c, cp, etag); err != nil {
		return res, err
	}
	res.Published = true
	return res, nil
}
