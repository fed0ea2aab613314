package ingest

// The CloudTrail API as a source: `cloudtrail:` and `cloudtrail:REGION,…`
// read management events through LookupEvents, one object per region. An
// object's reader asks for one page at a time and hands on each event's
// CloudTrailEvent (a whole record as JSON) as a line, so the records reach
// the decoder and the workers' handlers as a JSON-lines file's do, and no
// more than a page is held.

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
)

// LookupScheme starts a source read through the LookupEvents API.
const LookupScheme = "cloudtrail:"

// LookupMaxAge is how far back LookupEvents reaches: 90 days.
const LookupMaxAge = 90 * 24 * time.Hour

// lookupPageSize is the most events LookupEvents returns on a page.
const lookupPageSize = 50

// LookupArgsError is a cloudtrail: source that cannot be read as given (a
// malformed region, no region at all, a time range the API no longer
// keeps): the user must change the command, not wait and retry.
type LookupArgsError struct{ Msg string }

func (e *LookupArgsError) Error() string { return e.Msg }

func argsErrorf(format string, a ...any) error {
	return &LookupArgsError{Msg: fmt.Sprintf(format, a...)}
}

// LookupAPI is the part of the CloudTrail client a Lookup reads with.
type LookupAPI interface {
	LookupEvents(ctx context.Context, in *cloudtrail.LookupEventsInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.LookupEventsOutput, error)
}

// LookupWindow is the time range a run reads through LookupEvents, the same
// for every region.
type LookupWindow struct {
	// Start and End are the StartTime and EndTime sent. The API returns
	// events at End too; they are left for the run whose window starts
	// there, so that End is exclusive like --until.
	Start, End time.Time
	// Asked is the --since given, when it was further back than
	// LookupMaxAge and Start was moved up to what the API keeps; zero
	// otherwise.
	Asked time.Time
}

// lookupWindow is the range a run with since and until reads at now: at
// most the last LookupMaxAge, and never past now.
func lookupWindow(since, until, now time.Time) (LookupWindow, error) {
	now = now.UTC().Truncate(time.Second)
	oldest := now.Add(-LookupMaxAge)
	w := LookupWindow{Start: since.UTC(), End: until.UTC()}
	if w.End.IsZero() || w.End.After(now) {
		w.End = now
	}
	if w.Start.Before(oldest) {
		if !since.IsZero() {
			w.Asked = w.Start
		}
		w.Start = oldest
	}
	switch {
	case !until.IsZero() && !until.After(oldest):
		return LookupWindow{}, argsErrorf("--until %s is more than 90 days ago, and LookupEvents keeps only the last 90 days; read the trail's files in S3 instead", until.UTC().Format(time.RFC3339))
	case !w.Start.Before(w.End):
		return LookupWindow{}, argsErrorf("--since %s is not before now (%s): LookupEvents has no events there yet", w.Start.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	return w, nil
}

// Lookup reads management events through LookupEvents, region by region.
// Each region's requests are paced to the API's limit (see pacer) and
// retried on throttling with jittered backoff; an error that outlasts the
// retries is that region's problem, named in the report, and the run goes
// on.
type Lookup struct {
	window  LookupWindow
	regions []string // in the order first named, each once
	clients map[string]LookupAPI
	// newClient builds a region's client; defaultRegion is the profile's.
	newClient     func(region string) LookupAPI
	defaultRegion string
	fallback      []string // --region, read when a spec names no region
	attempts      int      // per request, to say how long a throttle lasted
}

// Add reads the regions of spec, "cloudtrail:" or "cloudtrail:R1,R2,…",
// too. "cloudtrail:" alone is the --region values the run was given, or
// else the profile's region. A region named again is read once.
func (l *Lookup) Add(spec string) error {
	rest, ok := strings.CutPrefix(spec, LookupScheme)
	if !ok {
		return argsErrorf("%q does not start with %s", spec, LookupScheme)
	}
	var regions []string
	if rest != "" {
		regions = strings.Split(rest, ",")
	} else if len(l.fallback) > 0 {
		regions = l.fallback
	} else if l.defaultRegion != "" {
		regions = []string{l.defaultRegion}
	} else {
		return argsErrorf("no region: name one (cloudtrail:us-east-1), or set one in your AWS profile or AWS_REGION")
	}
	for _, r := range regions {
		if !regionName.MatchString(r) {
			return argsErrorf("%q is not a region name (cloudtrail:us-east-1,eu-west-1)", r)
		}
		if _, ok := l.clients[r]; ok {
			continue
		}
		l.clients[r] = l.newClient(r)
		l.regions = append(l.regions, r)
	}
	return nil
}

var regionName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)

// Window is the time range the source reads.
func (l *Lookup) Window() LookupWindow { return l.window }

// List yields one object per region.
func (l *Lookup) List(ctx context.Context, fn func(Object) error) error {
	for _, r := range l.regions {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(Object{Name: lookupObjectName(r), Key: r, Size: -1, Rel: LookupScheme + r}); err != nil {
			return err
		}
	}
	return nil
}

// lookupObjectName names a region's events in reports. It ends in .jsonl,
// what they are read as, so that Classify reads the object.
func lookupObjectName(region string) string {
	return LookupScheme + region + "/events.jsonl"
}

// Open returns a region's events as JSON lines, read page by page as the
// reader is read. The first request is made on the first Read.
func (l *Lookup) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	client, ok := l.clients[o.Key]
	if !ok {
		return nil, fmt.Errorf("no such region in this source: %s", o.Key)
	}
	return &lookupReader{ctx: ctx, l: l, region: o.Key, client: client, seen: map[string]bool{}}, nil
}

// LookupWindowOf is the window of the Lookup among sources, or nil when
// none reads the API.
func LookupWindowOf(sources []Source) *LookupWindow {
	for _, s := range sources {
		if l, ok := s.(*Lookup); ok {
			w := l.Window()
			return &w
		}
	}
	return nil
}

// lookupReader is one region's events, a page at a time.
type lookupReader struct {
	ctx    context.Context
	l      *Lookup
	region string
	client LookupAPI

	buf   []byte // the current page's lines
	off   int    // what of buf was read
	token *string
	begun bool
	done  bool
	// seen and last are the eventIDs of this page and the one before: a
	// page may repeat events at its boundary with the last, never further.
	seen, last map[string]bool
}

func (r *lookupReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.done {
			return 0, io.EOF
		}
		if err := r.page(); err != nil {
			r.done = true
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

func (r *lookupReader) Close() error { return nil }

// page asks for the next page and fills buf with its events' records.
func (r *lookupReader) page() error {
	w := r.l.window
	in := &cloudtrail.LookupEventsInput{
		StartTime:  aws.Time(w.Start),
		EndTime:    aws.Time(w.End),
		MaxResults: aws.Int32(lookupPageSize),
		NextToken:  r.token,
	}
	out, err := r.client.LookupEvents(r.ctx, in)
	if err != nil {
		return lookupErr(r.region, r.l.attempts, err)
	}
	next := aws.ToString(out.NextToken)
	if r.begun && next != "" && next == aws.ToString(r.token) {
		return fmt.Errorf("LookupEvents in %s returned the same NextToken twice; stopped rather than read the page again", r.region)
	}
	r.begun = true
	r.token = out.NextToken
	r.done = next == ""
	r.last, r.seen = r.seen, make(map[string]bool, len(out.Events))
	r.buf, r.off = r.buf[:0], 0
	for _, e := range out.Events {
		rec := aws.ToString(e.CloudTrailEvent)
		if rec == "" {
			continue // no record to read: nothing the API promises
		}
		if t := aws.ToTime(e.EventTime); !t.IsZero() && !t.Before(w.End) {
			continue // at EndTime: the next window's
		}
		if id := aws.ToString(e.EventId); id != "" {
			if r.seen[id] || r.last[id] {
				continue
			}
			r.seen[id] = true
		}
		r.buf = append(r.buf, rec...)
		r.buf = append(r.buf, '\n')
	}
	return nil
}
