package trail

import (
	"errors"
	"fmt"
	"io"

	json "github.com/goccy/go-json"
)

// MaxRecordBytes is the longest JSON text one record may take, whitespace
// inside it included: 8 MiB, far above any record CloudTrail writes (its
// largest fields are policy documents and request parameters of tens of
// KB). A longer record, or a longer string in one, is skipped and counted as
// malformed; the records around it are read as usual. Whitespace between
// records is never kept, however long it runs.
const MaxRecordBytes = 8 << 20

// ErrNotTrail marks valid JSON input that holds no CloudTrail records.
// Callers skip such files and count them; it is not an input error. Input
// that is not JSON at all is an error, never ErrNotTrail.
var ErrNotTrail = errors.New("not a CloudTrail log")

// Stats counts what one Decode call saw.
type Stats struct {
	Records int // records handed to the callback
	// Malformed counts entries skipped because a field had the wrong JSON
	// type, an entry of a JSON-lines file had no eventSource or eventName,
	// or an entry was longer than MaxRecordBytes.
	Malformed int
	Long      int // of Malformed, those longer than MaxRecordBytes
	// FirstMalformed says which entry was the first malformed one and why,
	// as "entry N at byte OFFSET: reason"; it is "" when none was.
	FirstMalformed string
	// Skipped by design, never malformed: CloudWatch Logs CONTROL_MESSAGE
	// payloads (Control), and EventBridge events that CloudTrail did not
	// send (Other: a detail-type not "… via CloudTrail").
	Control int
	Other   int
}

// Decode streams the records in r to fn, one at a time, never holding the
// whole document. It reads CloudTrail delivery files ({"Records":[...]}),
// bare events, and the envelopes records arrive in elsewhere (see
// envelope.go): EventBridge events, CloudWatch Logs payloads and
// `aws cloudtrail lookup-events` output. Values may follow each other as
// JSON lines or run together without separators (as Firehose writes them),
// or be the elements of one JSON array. The *Record passed to fn is reused:
// fn must not keep it. An error from fn stops decoding and is returned as
// is.
//
// Memory stays within a small multiple of MaxRecordBytes whatever the input
// inflates to: whitespace between values is skipped as it is read, and an
// entry longer than the limit is read through without being kept, checked,
// and counted as malformed.
//
// Decode reads r to its end, so invalid JSON anywhere is an error. Records
// delivered before a syntax error (a truncated file) have already reached
// fn; the error says where decoding stopped. Valid JSON whose first value is
// neither a delivery file, an event, an envelope (envelope.go) nor an array
// whose first element is one of these yields ErrNotTrail.
func Decode(r io.Reader, fn func(*Record) error) (Stats, error) {
	return decode(r, fn, MaxRecordBytes)
}

// decoder holds one Decode call's state.
type decoder struct {
	in      input
	fn      func(*Record) error
	rec     Record
	st      Stats
	entries int    // entries seen, malformed ones included, to name them
	stack   []byte // skipValue's open objects and arrays
	depth   int    // how deep in objects and arrays the walk is
	key     []byte // the current key as written, up to its capacity
	val     []byte // a short string value as written, up to its capacity
	inner   []byte // a record held in a string, unescaped
	intern  *interner
	spare   spare
}

func decode(r io.Reader, fn func(*Record) error, limit int) (Stats, error) {
	d := &decoder{
		in:     input{r: r, buf: make([]byte, chunkSize), keep: -1, limit: limit},
		fn:     fn,
		key:    make([]byte, 0, 64),
		val:    make([]byte, 0, maxTagLen+1),
		intern: getInterner(),
	}
	defer putInterner(d.intern)
	c, err := d.start()
	if err == io.EOF {
		return d.st, ErrNotTrail
	}
	if err != nil {
		return d.st, err
	}
	isTrail := false
	switch c {
	case '{':
		isTrail, err = d.object(true)
	case '[':
		isTrail, err = d.array(true)
	}
	if err != nil {
		return d.st, err
	}
	if !isTrail {
		// Only valid JSON is "not a trail": random bytes, a binary file
		// or a truncated document is a broken log file.
		for {
			if _, err := d.in.nonSpace(); err == io.EOF {
				return d.st, ErrNotTrail
			} else if err != nil {
				return d.st, err
			}
			if err := d.skipValue(); err != nil {
				return d.st, err
			}
		}
	}
	for {
		c, err := d.in.nonSpace()
		if err == io.EOF {
			return d.st, nil
		}
		if err != nil {
			return d.st, err
		}
		switch c {
		case '{':
			_, err = d.object(false)
		case '[':
			_, err = d.array(false)
		default:
			err = d.entry(true)
		}
		if err != nil {
			return d.st, err
		}
	}
}

// start skips the whitespace and byte-order marks before the first value.
func (d *decoder) start() (byte, error) {
	for {
		c, err := d.in.nonSpace()
		if err != nil || c != 0xEF {
			return c, err
		}
		if b, err := d.peekN(3); err != nil || b[1] != 0xBB || b[2] != 0xBF {
			return c, nil // not a mark: the value is invalid
		}
		d.in.pos += 3
	}
}

// members is what a walk over a top-level object's members found.
type members struct {
	// records is set when an array of entries was streamed: Records (or
	// Records null), an Events array or a logEvents array.
	records bool
	event   bool     // a key that only events have was seen
	again   bool     // the object must be walked again without keeping it
	control bool     // logEvents were skipped as a CONTROL_MESSAGE's
	env     envelope // what the members say of an envelope (envelope.go)
}

// object reads the top-level object at pos: a delivery file, whose Records
// it streams, an envelope, or an event. The object's text is kept while the
// walk goes, to decode it as an event (or the record an envelope holds) at
// its end. When it grows past the limit, or when it must be checked in
// full, the walk starts over from the object's first byte without keeping
// it. It says whether the object held a trail (a first object that holds
// none makes the file not a trail).
func (d *decoder) object(first bool) (bool, error) {
	in := &d.in
	off := in.offset()
	in.keep = in.pos
	m, err := d.members(true)
	long := errors.Is(err, errLong) || err == nil && in.keep >= 0 && in.pos-in.keep > in.limit
	whole := !long && !m.again
	switch {
	case err != nil && !long:
		return false, err
	case m.records:
		d.streamed(m)
		return true, nil
	case whole && m.env.kind() != envNone && !m.event:
		return true, d.envelope(m.env, off)
	case whole && (m.event || !first):
		raw := in.buf[in.keep:in.pos]
		in.keep = -1
		d.entries++
		return true, d.decodeEntry(raw, off, true)
	}
	// Walk the object again, checking it in full, from its start.
	in.pos, in.keep = in.keep, -1
	if m, err = d.members(false); err != nil {
		return false, err
	}
	switch {
	case m.records:
		d.streamed(m)
		return true, nil
	case long:
		return d.longObject(m, first, off), nil
	}
	return false, nil
}

// members walks the members of the object at pos. With kept set, values are
// only scanned for their end (the object is decoded or checked whole later),
// and an array of entries anywhere but first asks for another walk, as the
// members before it would otherwise go unchecked. Without it, every value is
// checked as it is skipped, and the array streams wherever it is.
func (d *decoder) members(kept bool) (members, error) {
	in := &d.in
	m := members{env: noEnvelope}
	d.depth++
	defer func() { d.depth-- }()
	in.pos++ // the opening brace
	for n := 0; ; n++ {
		c, err := in.nonSpace()
		if err != nil {
			return m, d.endErr(err)
		}
		if c == '}' && n == 0 {
			in.pos++
			return m, nil
		}
		if n > 0 {
			if c == '}' {
				in.pos++
				return m, nil
			}
			if c != ',' {
				return m, d.syntaxErr(fmt.Sprintf("invalid character %s after object key:value pair", quoteByte(c)))
			}
			in.pos++
			if _, err := in.nonSpace(); err != nil {
				return m, d.endErr(err)
			}
		}
		if c, err = d.memberKey(); err != nil {
			return m, err
		}
		switch kind := d.keyKind(); kind {
		case keyRecords, keyEvents, keyLogEvents:
			if m.records || c != '[' && (kind != keyRecords || c != 'n') {
				break // read like any other member; only the first array streams
			}
			if kept && n > 0 {
				m.again = true
				return m, nil
			}
			kept, in.keep = false, -1 // a file of arrays is not an event
			m.records = true
			switch {
			case c == 'n':
				err = d.skipWord()
			case kind == keyRecords:
				err = d.elements(d.recordEntry)
			case kind == keyEvents:
				err = d.elements(d.lookupEntry)
			case m.env.messageType == tagControl:
				m.control = true
				err = d.elements(d.skipValue)
			default:
				err = d.elements(d.logEntry)
			}
			if err != nil {
				return m, err
			}
			continue
		case keyEvent:
			m.event = true
		case keyDetail, keyDetailType, keyMessageType, keyCloudTrailEvent:
			if err := d.envelopeMember(kind, c, kept, &m.env); err != nil {
				return m, err
			}
			continue
		}
		if kept {
			err = d.scanFast()
		} else {
			err = d.skipValue()
		}
		if err != nil {
			return m, err
		}
	}
}

// entry reads the value at pos as one record: an element of a Records array,
// or (line set) a value of a JSON-lines file after the first. A value longer
// than the limit is read through and counted as malformed.
func (d *decoder) entry(line bool) error {
	in := &d.in
	off := in.offset()
	in.keep = in.pos
	err := d.scanFast()
	if err == nil && in.pos-in.keep > in.limit {
		err = errLong
	}
	d.entries++
	if errors.Is(err, errLong) {
		in.pos, in.keep = in.keep, -1
		if err := d.skipValue(); err != nil {
			return err
		}
		d.long(off)
		return nil
	}
	if err != nil {
		return err
	}
	raw := in.buf[in.keep:in.pos]
	in.keep = -1
	return d.decodeEntry(raw, off, line)
}

// decodeEntry decodes raw, the entry at input offset off, and hands it to fn,
// or counts it as malformed when a field has the wrong type or (line set) the
// value is no event at all.
func (d *decoder) decodeEntry(raw []byte, off int64, line bool) error {
	if err := d.decodeRecord(raw); err != nil {
		return d.decodeErr(err, off)
	}
	return d.deliver(off, line)
}

// decodeRecord fills d.rec from raw: the fast path when it takes raw, else
// the general decoder, whose error is returned.
func (d *decoder) decodeRecord(raw []byte) error {
	d.rec = Record{}
	if decodeFast(raw, &d.rec, d.intern, &d.spare) != nil {
		d.rec = Record{}
		return json.Unmarshal(raw, &d.rec)
	}
	return nil
}

// deliver hands d.rec to fn, or (line set) counts it as malformed when it
// is no event at all.
func (d *decoder) deliver(off int64, line bool) error {
	if line && d.rec.EventSource == "" && d.rec.EventName == "" {
		d.malformed(off, "no eventSource or eventName")
		return nil
	}
	d.st.Records++
	return d.fn(&d.rec)
}

// decodeErr counts an entry whose field has the wrong type as malformed, and
// returns any other error, at its offset in the input.
func (d *decoder) decodeErr(err error, off int64) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %w", off+se.Offset, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		d.malformed(off, err.Error())
		return nil
	}
	return fmt.Errorf("invalid JSON at byte %d: %w", off, err)
}

func (d *decoder) malformed(off int64, why string) {
	d.st.Malformed++
	if d.st.FirstMalformed == "" {
		d.st.FirstMalformed = fmt.Sprintf("entry %d at byte %d: %s", d.entries, off, why)
	}
}

func (d *decoder) long(off int64) {
	d.st.Long++
	d.malformed(off, fmt.Sprintf("longer than %d bytes", d.in.limit))
}
