package ingest

// Prefix planning for the CloudTrail S3 layout:
//
//	<prefix>AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/file.json.gz
//
// plan turns the user's key prefix and a Filter into the few key prefixes
// worth listing in full. It finds the accounts and regions present through a
// dirLister (one delimited listing per level), drops those the filter leaves
// out, and covers the date range with year, month and day prefixes, so a run
// never lists a key that is out of range. It does no I/O of its own, so it is
// tested against an in-memory tree.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	awsLogs     = "AWSLogs/"
	bucketChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
)

// dirLister returns the child "directories" (S3 CommonPrefixes with "/" as
// delimiter) of the keys starting with p, in lexical order. When p ends
// inside a segment, only children starting with that partial segment come
// back.
type dirLister func(ctx context.Context, p string) ([]string, error)

// parseS3URI splits s3://bucket/prefix.
func parseS3URI(uri string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", fmt.Errorf("s3 source %q: want s3://bucket/prefix", uri)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("s3 source %q: no bucket name", uri)
	}
	// Loose on purpose: legacy us-east-1 buckets may hold capitals and
	// underscores. Keys may hold any character, so the prefix is kept as is.
	if len(bucket) < 3 || len(bucket) > 255 || strings.Trim(bucket, bucketChars) != "" {
		return "", "", fmt.Errorf("s3 source %q: invalid bucket name %q", uri, bucket)
	}
	return bucket, prefix, nil
}

// plan returns the prefixes to list recursively, sorted and disjoint, so
// listing them in order yields keys in lexical order. A prefix that does not
// lead to the CloudTrail layout is listed as it is.
func plan(ctx context.Context, prefix string, f Filter, dirs dirLister) ([]string, error) {
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return nil, nil // no event can match
	}
	base, ok, err := findBase(ctx, prefix, dirs)
	if err != nil || !ok {
		return []string{prefix}, err
	}
	p := planner{user: prefix, f: f, dirs: dirs}
	accounts, err := p.accounts(ctx, base)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range accounts {
		// Only CloudTrail/ holds logs: CloudTrail-Digest/, CloudTrail-Insight/
		// and other services' folders beside it are never listed.
		ct := a + "CloudTrail/"
		if !p.consistent(ct) {
			continue
		}
		regions, err := p.children(ctx, ct)
		if err != nil {
			return nil, err
		}
		for _, r := range regions {
			if !wanted(f.Regions, lastSegment(r)) {
				continue
			}
			days, err := p.days(ctx, r)
			if err != nil {
				return nil, err
			}
			out = append(out, days...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// findBase locates the AWSLogs/ folder: in the prefix itself, or as a child
// of it. A prefix above AWSLogs/ (the bucket root, say) is read as the trail,
// and other folders beside AWSLogs/ are left out.
func findBase(ctx context.Context, prefix string, dirs dirLister) (string, bool, error) {
	for i := 0; ; {
		j := strings.Index(prefix[i:], awsLogs)
		if j < 0 {
			break
		}
		at := i + j
		if at == 0 || prefix[at-1] == '/' {
			return prefix[:at+len(awsLogs)], true, nil
		}
		i = at + 1
	}
	dir := prefix[:strings.LastIndexByte(prefix, '/')+1]
	if !strings.HasPrefix(awsLogs, prefix[len(dir):]) {
		return "", false, nil
	}
	// Ask for AWSLogs* only, not every folder under the prefix.
	children, err := dirs(ctx, dir+strings.TrimSuffix(awsLogs, "/"))
	if err != nil {
		return "", false, err
	}
	if slices.Contains(children, dir+awsLogs) {
		return dir + awsLogs, true, nil
	}
	return "", false, nil
}

type planner struct {
	user string // the prefix the user gave
	f    Filter
	dirs dirLister
}

// consistent reports whether p and the user's prefix can share a key.
func (p planner) consistent(s string) bool {
	return strings.HasPrefix(s, p.user) || strings.HasPrefix(p.user, s)
}

// narrow intersects a folder with the user's prefix: the longer of the two,
// or "" when they share no key.
func (p planner) narrow(s string) string {
	switch {
	case strings.HasPrefix(s, p.user):
		return s
	case strings.HasPrefix(p.user, s):
		return p.user
	}
	return ""
}

// children lists the folders under dir that agree with the user's prefix.
// A folder the prefix names in full needs no request.
func (p planner) children(ctx context.Context, dir string) ([]string, error) {
	if rest, ok := strings.CutPrefix(p.user, dir); ok && rest != "" {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			return []string{dir + rest[:i+1]}, nil
		}
		return p.dirs(ctx, p.user)
	}
	return p.dirs(ctx, dir)
}

// accounts returns the ACCOUNT/ folders under AWSLogs/, through any
// organization folders, that the filter keeps.
func (p planner) accounts(ctx context.Context, base string) ([]string, error) {
	top, err := p.children(ctx, base)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range top {
		seg := lastSegment(c)
		switch {
		case isAccountID(seg):
			if wanted(p.f.Accounts, seg) {
				out = append(out, c)
			}
		case strings.HasPrefix(seg, "o-"):
			sub, err := p.children(ctx, c)
			if err != nil {
				return nil, err
			}
			for _, a := range sub {
				if seg := lastSegment(a); isAccountID(seg) && wanted(p.f.Accounts, seg) {
					out = append(out, a)
				}
			}
		}
	}
	return out, nil
}

// days returns what to list under a REGION/ folder: all of it without a time
// filter, else the year, month and day folders of the range widened by one
// day on each side, as files carry their delivery time, not the event time
// (reference §7).
func (p planner) days(ctx context.Context, region string) ([]string, error) {
	if p.f.Since.IsZero() && p.f.Until.IsZero() {
		if s := p.narrow(region); s != "" {
			return []string{s}, nil
		}
		return nil, nil
	}
	lo, hi := dayRange(p.f)
	if p.f.Since.IsZero() || p.f.Until.IsZero() {
		// An open end is bounded by the years present.
		years, err := p.children(ctx, region)
		if err != nil {
			return nil, err
		}
		first, last := 0, 0
		for _, y := range years {
			n, err := strconv.Atoi(lastSegment(y))
			if err != nil || len(lastSegment(y)) != 4 {
				continue
			}
			if first == 0 || n < first {
				first = n
			}
			last = max(last, n)
		}
		if first == 0 {
			return nil, nil
		}
		if p.f.Since.IsZero() {
			lo = time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if p.f.Until.IsZero() {
			hi = time.Date(last+1, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	var out []string
	for _, c := range coverDays(lo, hi) {
		if s := p.narrow(region + c); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// dayRange returns the UTC days [lo, hi) whose folders can hold events in
// [Since, Until), one day wider on each side. Unset ends come back zero.
func dayRange(f Filter) (lo, hi time.Time) {
	if !f.Since.IsZero() {
		lo = utcDay(f.Since).AddDate(0, 0, -1)
	}
	if !f.Until.IsZero() {
		// Until is exclusive: the last day with events holds Until-1ns.
		hi = utcDay(f.Until.Add(-time.Nanosecond)).AddDate(0, 0, 2)
	}
	return lo, hi
}

func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// coverDays covers the days [lo, hi) with as few "YYYY/", "YYYY/MM/" and
// "YYYY/MM/DD/" folders as it can, in lexical order.
func coverDays(lo, hi time.Time) []string {
	var out []string
	for d := utcDay(lo); d.Before(hi); {
		switch {
		case d.YearDay() == 1 && !d.AddDate(1, 0, 0).After(hi):
			out = append(out, fmt.Sprintf("%04d/", d.Year()))
			d = d.AddDate(1, 0, 0)
		case d.Day() == 1 && !d.AddDate(0, 1, 0).After(hi):
			out = append(out, fmt.Sprintf("%04d/%02d/", d.Year(), d.Month()))
			d = d.AddDate(0, 1, 0)
		default:
			out = append(out, fmt.Sprintf("%04d/%02d/%02d/", d.Year(), d.Month(), d.Day()))
			d = d.AddDate(0, 0, 1)
		}
	}
	return out
}

// lastSegment returns "b" for "a/b/".
func lastSegment(dir string) string {
	dir = strings.TrimSuffix(dir, "/")
	return dir[strings.LastIndexByte(dir, '/')+1:]
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// wanted reports whether s passes a filter list; an empty list passes all.
func wanted(list []string, s string) bool {
	return len(list) == 0 || slices.Contains(list, s)
}
