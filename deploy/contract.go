package deploy

// The modes of the function's handler, as the "mode" field of its input.
const (
	// ModeRun is the incremental job the schedule invokes: read the log
	// files not yet seen, fold them into the state and write the outputs.
	ModeRun = "run"
	// ModeMap folds the trail prefixes named in "prefixes" (each an account,
	// a region and a day) into one partial each, and returns their S3 URLs
	// as "partials". The fan-out's Distributed Map invokes it per batch.
	ModeMap = "map"
	// ModeReduce merges partials (those in "partials", when given) and
	// writes the outputs. The fan-out invokes it once, after the map.
	ModeReduce = "reduce"
)

// HandlerModes lists every mode the templates invoke the function with; the
// function must accept each of them.
var HandlerModes = []string{ModeRun, ModeMap, ModeReduce}

// An EnvVar is an environment variable the templates set on the function.
type EnvVar struct {
	Name string
	// Default is the value the function assumes when the variable is unset
	// or empty, and the default of the template parameter that sets it.
	// It is "" for a variable that has none (required, or empty meaning
	// all) and for one whose default is computed (TAILOR_OUTPUT_BUCKET is
	// the state bucket).
	Default string
}

// Environment lists the function's environment variables, in the order the
// templates set them. Both templates set every one of them.
var Environment = []EnvVar{
	{Name: "TAILOR_TRAIL_BUCKET"},
	{Name: "TAILOR_TRAIL_PREFIX", Default: "AWSLogs/"},
	{Name: "TAILOR_ACCOUNTS"},
	{Name: "TAILOR_REGIONS"},
	{Name: "TAILOR_PRINCIPALS", Default: "all"},
	{Name: "TAILOR_LOOKBACK_DAYS", Default: "7"},
	{Name: "TAILOR_LATE_DAYS", Default: "2"},
	{Name: "TAILOR_STATE_BUCKET"},
	{Name: "TAILOR_STATE_PREFIX", Default: "tailor/state/"},
	{Name: "TAILOR_OUTPUT_BUCKET"},
	{Name: "TAILOR_OUTPUT_PREFIX", Default: "tailor/out/"},
	{Name: "TAILOR_FORMATS", Default: "json"},
	{Name: "TAILOR_MAX_SIZE", Default: "managed"},
	{Name: "TAILOR_GENERALIZE"},
	{Name: "LOG_LEVEL", Default: "info"},
}
