package ingest

import (
	"context"
	"io"
	"path"
	"strings"
	"time"
)

// Object is one unit of input: a local file or an S3 object.
type Object struct {
	Name string // path or s3://bucket/key, as reports show it
	Key  string // what the Source needs to open it
	Size int64  // -1 when unknown
	// Rel is the object's path under its source's root, "/"-separated (a
	// file given alone: its own name; S3: the key): what --shard hashes.
	Rel string
	Err error // set when listing already failed for this entry
	// Stream is set for a stream with no file name to judge it by
	// (standard input): it is read whatever Classify would say of its name.
	Stream bool
	// Named is set for a file the user named itself rather than a
	// directory's: a name Classify does not know (p.partial, events.bin)
	// is then read by content, not skipped.
	Named bool
}

// byContentOf reports whether o is read to learn what it holds: a stream,
// a name that says nothing (ByContent), or a file named by the user whose
// name is not a log's.
func byContentOf(o Object) bool {
	if o.Stream || ByContent(o.Name) {
		return true
	}
	return o.Named && !isLogName(strings.ToLower(path.Base(strings.ReplaceAll(o.Name, "\\", "/"))))
}

// skipByName is Classify for an object: a stream is never skipped by name,
// and a file the user named only when it is a digest or empty.
func skipByName(o Object) SkipReason {
	if o.Stream {
		return ""
	}
	why := Classify(o.Name, o.Size)
	if why == SkipNotLog && o.Named {
		if o.Size == 0 {
			return SkipEmpty
		}
		return ""
	}
	return why
}

// Source lists and opens objects. List calls fn in a deterministic order and
// stops at the first error fn returns.
type Source interface {
	List(ctx context.Context, fn func(Object) error) error
	Open(ctx context.Context, o Object) (io.ReadCloser, error)
}

// Filter narrows what a Source lists. Zero values mean no limit.
type Filter struct {
	Since    time.Time // inclusive
	Until    time.Time // exclusive
	Accounts []string
	Regions  []string
}

// SkipReason says why an object is skipped by design. Skips are counted,
// never errors, and never trip --strict.
type SkipReason string

const (
	SkipDigest   SkipReason = "digest"
	SkipNotLog   SkipReason = "not-log"
	SkipEmpty    SkipReason = "empty"
	SkipNotTrail SkipReason = "not-trail"
	// Entries of a file that hold no record by design, counted one by one:
	// a CloudWatch Logs CONTROL_MESSAGE payload (CloudWatch Logs checking
	// that a destination is there), and an EventBridge event that
	// CloudTrail did not send (its detail-type is not "… via CloudTrail").
	SkipControlMessage SkipReason = "cloudwatch-control"
	SkipOtherEvent     SkipReason = "eventbridge-other"
)

// Classify decides from an object's name and size whether to read it.
// It returns "" for objects to read.
func Classify(name string, size int64) SkipReason {
	if strings.Contains(name, "CloudTrail-Digest") {
		return SkipDigest
	}
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if !isLogName(base) && !byContent(base) {
		return SkipNotLog
	}
	if size == 0 {
		return SkipEmpty
	}
	return ""
}

// ByContent reports whether an object of this name is read to learn what it
// holds: a name without an extension (Athena UNLOAD and CTAS files,
// Firehose objects) or with only .gz (CloudWatch Logs export task files,
// 000000.gz). One that holds neither JSON, Parquet nor CloudWatch Logs
// export lines is then skipped as not-log, not reported as an error.
func ByContent(name string) bool {
	return byContent(strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/"))))
}

func byContent(base string) bool {
	return !strings.Contains(strings.TrimSuffix(base, ".gz"), ".")
}

func isLogName(base string) bool {
	if strings.HasSuffix(base, ".parquet") {
		return true // a partial aggregate (Parquet compresses inside)
	}
	base = strings.TrimSuffix(base, ".gz")
	return strings.HasSuffix(base, ".json") || strings.HasSuffix(base, ".jsonl")
}
