package trail

// The envelopes CloudTrail records arrive in outside a trail's delivery
// files, told apart by their members, wherever a top-level value may be (a
// file's first value, a later one, an element of a top-level array):
//
//   - an EventBridge event, {"detail-type":"AWS API Call via CloudTrail",
//     …,"detail":{record}}: the record is its detail. An event whose
//     detail-type does not end in " via CloudTrail" was not sent by
//     CloudTrail: it is counted in Stats.Other and skipped;
//   - a CloudWatch Logs payload, {"messageType":"DATA_MESSAGE",…,
//     "logEvents":[{"id":…,"timestamp":…,"message":"{record}"}]}: each
//     message is a record as a JSON string. A CONTROL_MESSAGE payload is
//     counted in Stats.Control and its messages skipped;
//   - `aws cloudtrail lookup-events` output, {"Events":[{…,
//     "CloudTrailEvent":"{record}"}],"NextToken":…}, or one of its events
//     alone: CloudTrailEvent is the record as a JSON string.
//
// A record held in a string is unescaped and decoded as a record of a
// file would be, fast path first; one that is not a record (not JSON, a
// field of the wrong type, no eventSource or eventName) is counted as
// malformed, while the envelope around it must be valid JSON, as any file
// must. Memory stays bounded as for plain records: an envelope holding one
// record is kept whole up to the limit, and of an array's element only the
// string is kept.

import (
	"bytes"
	"fmt"
)

// maxTagLen is the longest detail-type or messageType value told apart;
// longer ones are of another kind.
const maxTagLen = 64

// Values of detail-type and messageType, as written.
const (
	tagNone = iota
	tagCloudTrail
	tagData
	tagControl
	tagOther
)

// span is where a value lies in the kept text of an object; at < 0 when
// there is none. A walk that does not keep only sets at to 0.
type span struct{ at, end int }

// envelope is what an object's members say of the envelope it may be: the
// first member of each name with a value of the type it needs.
type envelope struct {
	detail      span // "detail", an object
	record      span // "CloudTrailEvent", a string
	detailType  int  // "detail-type", a string: tagCloudTrail or tagOther
	messageType int  // "messageType", a string: tagData, tagControl or tagOther
}

var noEnvelope = envelope{detail: span{-1, -1}, record: span{-1, -1}}

// The envelopes of one record (or of none), in order of precedence.
const (
	envNone = iota
	envLookup
	envEventBridge
	envCloudWatch
)

func (e envelope) kind() int {
	switch {
	case e.record.at >= 0:
		return envLookup
	case e.detail.at >= 0 && e.detailType != tagNone:
		return envEventBridge
	case e.messageType == tagData || e.messageType == tagControl:
		return envCloudWatch
	}
	return envNone
}

func detailTag(v []byte) int {
	if len(v) <= maxTagLen && bytes.HasSuffix(v, []byte(" via CloudTrail")) {
		return tagCloudTrail
	}
	return tagOther
}

func messageTag(v []byte) int {
	switch string(v) {
	case "DATA_MESSAGE":
		return tagData
	case "CONTROL_MESSAGE":
		return tagControl
	}
	return tagOther
}

// envelopeMember reads the value at pos of a member an envelope is told
// by, c its first byte, and notes it in e when it is the first of its name
// with a value of the right type. With kept set, the value is scanned and
// its place noted; without, it is checked, and a tag's value captured.
func (d *decoder) envelopeMember(kind int, c byte, kept bool, e *envelope) error {
	in := &d.in
	var first bool
	switch kind {
	case keyDetail:
		first = c == '{' && e.detail.at < 0
	case keyCloudTrailEvent:
		first = c == '"' && e.record.at < 0
	case keyDetailType:
		first = c == '"' && e.detailType == tagNone
	case keyMessageType:
		first = c == '"' && e.messageType == tagNone
	}
	switch {
	case !first && kept:
		return d.scanFast()
	case !first:
		return d.skipValue()
	}
	var v span // where the value is, or (not kept) only that it is
	var text []byte
	if kept {
		v.at = in.pos - in.keep
		if err := d.scanFast(); err != nil {
			return err
		}
		v.end = in.pos - in.keep
		if c == '"' {
			text = in.buf[in.keep+v.at+1 : in.keep+v.end-1]
		}
	} else if c == '"' {
		d.val = d.val[:0]
		if err := d.skipString(&d.val); err != nil {
			return err
		}
		text = d.val
	} else if err := d.skipValue(); err != nil {
		return err
	}
	switch kind {
	case keyDetail:
		e.detail = v
	case keyCloudTrailEvent:
		e.record = v
	case keyDetailType:
		e.detailType = detailTag(text)
	case keyMessageType:
		e.messageType = messageTag(text)
	}
	return nil
}

// envelope reads the object kept whole at in.keep, up to pos, once its
// members say it is an envelope e: it checks the object's grammar, which
// the kept walk only scanned for its end, then decodes the record it
// holds, if any. off is the object's input offset.
func (d *decoder) envelope(e envelope, off int64) error {
	in := &d.in
	start, end := in.keep, in.pos
	in.pos = start
	err := d.skipValue() // reads no further than end: the text is there
	in.keep = -1
	if err != nil {
		return err
	}
	kept := in.buf[start:end]
	switch e.kind() {
	case envLookup:
		d.entries++
		return d.decodeString(kept[e.record.at+1:e.record.end-1], off+int64(e.record.at)+1, off, "CloudTrailEvent")
	case envEventBridge:
		if e.detailType != tagCloudTrail {
			d.st.Other++
			return nil
		}
		d.entries++
		return d.decodeEntry(kept[e.detail.at:e.detail.end], off+int64(e.detail.at), true)
	}
	if e.messageType == tagControl {
		d.st.Control++
	}
	return nil
}

// longObject settles a top-level object longer than the limit that held
// no array of entries, from what its members said: an envelope of one
// record, an event, or any object after the first value is one entry, too
// long and counted as malformed; an envelope of no record is skipped as
// it would be whole. It says whether the object held a trail.
func (d *decoder) longObject(m members, first bool, off int64) bool {
	switch e := m.env; {
	case m.event || e.kind() == envLookup || e.kind() == envEventBridge && e.detailType == tagCloudTrail:
	case e.kind() == envEventBridge:
		d.st.Other++
		return true
	case e.kind() == envCloudWatch:
		if e.messageType == tagControl {
			d.st.Control++
		}
		return true
	case !first:
	default:
		return false
	}
	d.entries++
	d.long(off)
	return true
}

// streamed counts what an object whose array of entries streamed skipped.
func (d *decoder) streamed(m members) {
	if m.control {
		d.st.Control++
	}
}

// array reads a top-level array, whose elements are read as top-level
// values are: an EventBridge archive, or lookup-events' Events alone, is an
// array of envelopes. With first set (the file's first value), it holds a
// trail only if its first element is one, and is otherwise read through
// and checked.
func (d *decoder) array(first bool) (bool, error) {
	const (
		deciding = iota
		isTrail
		notTrail
	)
	in := &d.in
	state := isTrail
	if first {
		state = deciding
	}
	err := d.elements(func() error {
		c := in.buf[in.pos]
		switch {
		case state == notTrail:
			return d.skipValue()
		case state == deciding && c != '{':
			state = notTrail
			return d.skipValue()
		case state == deciding:
			ok, err := d.object(true)
			if state = notTrail; ok {
				state = isTrail
			}
			return err
		case c == '{':
			_, err := d.object(false)
			return err
		}
		return d.entry(true)
	})
	return state == isTrail, err
}

// lookupEntry reads an element of lookup-events' Events array.
func (d *decoder) lookupEntry() error { return d.wrapped(keyCloudTrailEvent, "CloudTrailEvent") }

// logEntry reads an element of a CloudWatch Logs payload's logEvents.
func (d *decoder) logEntry() error { return d.wrapped(keyMessage, "message") }

// wrapped reads an array element that is one entry: an object whose first
// member named name (of kind key) holds a record as a JSON string. Only
// that string is kept, up to the limit; the other members are checked as
// they are skipped.
func (d *decoder) wrapped(key int, name string) error {
	in := &d.in
	off := in.offset()
	d.entries++
	if in.buf[in.pos] != '{' {
		if err := d.skipValue(); err != nil {
			return err
		}
		d.malformed(off, "not an object")
		return nil
	}
	found := false
	err := d.eachMember(func(c byte) error {
		if found || c != '"' || d.keyKind() != key {
			return d.skipValue()
		}
		found = true
		return d.stringEntry(off, name)
	})
	if err != nil {
		return err
	}
	if !found {
		d.malformed(off, "no "+name+" string")
	}
	return nil
}

// eachMember walks the members of the object at pos, checking them,
// calling member with pos at each value (c its first byte) and the key in
// d.key; member must consume the value.
func (d *decoder) eachMember(member func(c byte) error) error {
	in := &d.in
	d.depth++
	defer func() { d.depth-- }()
	in.pos++ // the opening brace
	for n := 0; ; n++ {
		c, err := in.nonSpace()
		if err != nil {
			return d.endErr(err)
		}
		if c == '}' {
			in.pos++
			return nil
		}
		if n > 0 {
			if c != ',' {
				return d.syntaxErr(fmt.Sprintf("invalid character %s after object key:value pair", quoteByte(c)))
			}
			in.pos++
			if _, err := in.nonSpace(); err != nil {
				return d.endErr(err)
			}
		}
		if c, err = d.memberKey(); err != nil {
			return err
		}
		if err := member(c); err != nil {
			return err
		}
	}
}
