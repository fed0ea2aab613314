package pipeline

import "github.com/tailor-iam/tailor/ingest"

// What a run read, skipped and failed on is ingest's report. These are
// aliases, not copies: the commands read the report through pipeline
// without importing ingest, and no field can drift from the one ingest
// fills.
type (
	// Report counts what a run read, skipped and failed on.
	Report = ingest.Report
	// SkipReason says why an input was skipped by design.
	SkipReason = ingest.SkipReason
	// StrictError is Run's error under Config.Strict: the first problem.
	StrictError = ingest.StrictError
)

// Why inputs are skipped, as Report.Skipped counts them.
const (
	SkipDigest         = ingest.SkipDigest
	SkipNotLog         = ingest.SkipNotLog
	SkipEmpty          = ingest.SkipEmpty
	SkipNotTrail       = ingest.SkipNotTrail
	SkipControlMessage = ingest.SkipControlMessage
	SkipOtherEvent     = ingest.SkipOtherEvent
)

// Classify says why an object of this name and size would be skipped
// unread (a digest file, a file that is no log, an empty one); "" for a
// file a run reads.
func Classify(name string, size int64) SkipReason { return ingest.Classify(name, size) }
