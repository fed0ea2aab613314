package trail

// How the decoder walks a container: an object's keys, told apart by
// kind (keyKind), and an array's elements.

import (
	"bytes"
	"fmt"

	json "github.com/goccy/go-json"
)

// memberKey reads an object key at pos into d.key, and its colon; it
// returns the first byte of the value, which pos is then at.
func (d *decoder) memberKey() (byte, error) {
	in := &d.in
	d.key = d.key[:0]
	if in.buf[in.pos] != '"' {
		return 0, d.syntaxErr(fmt.Sprintf("invalid character %s looking for beginning of object key string", quoteByte(in.buf[in.pos])))
	}
	if err := d.skipString(&d.key); err != nil {
		return 0, err
	}
	c, err := in.nonSpace()
	if err != nil {
		return 0, d.endErr(err)
	}
	if c != ':' {
		return 0, d.syntaxErr(fmt.Sprintf("invalid character %s after object key", quoteByte(c)))
	}
	in.pos++
	if c, err = in.nonSpace(); err != nil {
		return 0, d.endErr(err)
	}
	return c, nil
}

const (
	keyOther = iota
	keyRecords
	keyEvent
	keyEvents          // lookup-events output's array
	keyLogEvents       // a CloudWatch Logs payload's array
	keyMessage         // a CloudWatch Logs event's record, as a string
	keyDetail          // an EventBridge event's record
	keyDetailType      // an EventBridge event's kind
	keyMessageType     // a CloudWatch Logs payload's kind
	keyCloudTrailEvent // a lookup-events event's record, as a string
)

// keyKind says whether d.key is "Records" (in any case, as encoding/json
// matches it), a key that only events have, or a key of an envelope
// (spelled exactly as AWS writes it).
func (d *decoder) keyKind() int {
	k := d.key
	if len(k) == cap(k) {
		return keyOther // longer than any key looked for, even escaped
	}
	if bytes.IndexByte(k, '\\') >= 0 {
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &s) != nil {
			return keyOther
		}
		k = []byte(s)
	}
	if bytes.EqualFold(k, []byte("Records")) {
		return keyRecords
	}
	switch string(k) {
	case "eventVersion", "eventSource", "eventName":
		return keyEvent
	case "Events":
		return keyEvents
	case "logEvents":
		return keyLogEvents
	case "message":
		return keyMessage
	case "detail":
		return keyDetail
	case "detail-type":
		return keyDetailType
	case "messageType":
		return keyMessageType
	case "CloudTrailEvent":
		return keyCloudTrailEvent
	}
	return keyOther
}

// elements streams the elements of the array at pos, calling elem with pos
// at each.
func (d *decoder) elements(elem func() error) error {
	in := &d.in
	d.depth++
	defer func() { d.depth-- }()
	in.pos++ // the opening bracket
	c, err := in.nonSpace()
	if err != nil {
		return d.endErr(err)
	}
	if c == ']' {
		in.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		c, err := in.nonSpace()
		if err != nil {
			return d.endErr(err)
		}
		if c == ']' {
			in.pos++
			return nil
		}
		if c != ',' {
			return d.syntaxErr(fmt.Sprintf("invalid character %s after array element", quoteByte(c)))
		}
		in.pos++
		if _, err := in.nonSpace(); err != nil {
			return d.endErr(err)
		}
	}
}

// recordEntry reads an element of a Records array.
func (d *decoder) recordEntry() error { return d.entry(false) }
