package trail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"io"
	"strings"
)

// ErrNotTrail marks JSON input that holds no CloudTrail records. Callers skip
// such files and count them; it is not an input error.
var ErrNotTrail = errors.New("not a CloudTrail log")

// Stats counts what one Decode call saw.
type Stats struct {
	Records   int // records handed to the callback
	Malformed int // entries skipped because a field had the wrong JSON type
}

// Decode streams the records in r to fn, one at a time, never holding the
// whole document. It reads CloudTrail delivery files ({"Records":[...]}) and
// JSON lines of bare events. The *Record passed to fn is reused: fn must not
// keep it. An error from fn stops decoding and is returned as is.
//
// Records delivered before a syntax error (a truncated file) have already
// reached fn; the error says where decoding stopped.
func Decode(r io.Reader, fn func(*Record) error) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var st Stats
	first, err := firstByte(br)
	if err == io.EOF {
		return st, ErrNotTrail
	}
	if err != nil {
		return st, err
	}
	if first != '{' {
		return st, ErrNotTrail
	}
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil { // the opening brace
		return st, syntaxErr(dec, err)
	}
	// Walk the first object's keys. CloudTrail puts "Records" first, so a
	// delivery file streams at once. Anything else is kept, re-assembled, in
	// case the object is itself an event (JSON lines); a non-trail JSON file
	// costs one object's worth of memory before it is skipped.
	var rec Record
	var obj bytes.Buffer
	obj.WriteByte('{')
	isEvent := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return st, syntaxErr(dec, err)
		}
		key, _ := tok.(string)
		if strings.EqualFold(key, "Records") {
			return decodeRecordsArray(dec, fn, &rec, st)
		}
		switch key {
		case "eventVersion", "eventSource", "eventName":
			isEvent = true
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return st, syntaxErr(dec, err)
		}
		if obj.Len() > 1 {
			obj.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		obj.Write(k)
		obj.WriteByte(':')
		obj.Write(val)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return st, syntaxErr(dec, err)
	}
	if !isEvent {
		return st, ErrNotTrail
	}
	obj.WriteByte('}')
	if err := deliver(json.Unmarshal(obj.Bytes(), &rec), &rec, fn, &st); err != nil {
		return st, err
	}
	return decodeLines(dec, fn, &rec, st)
}

// deliver hands a decoded event to fn, or counts it as malformed when the
// decode failed on a field's type or the object is no event at all.
func deliver(decodeErr error, rec *Record, fn func(*Record) error, st *Stats) error {
	if decodeErr != nil {
		st.Malformed++
		return nil
	}
	if rec.EventSource == "" && rec.EventName == "" {
		st.Malformed++
		return nil
	}
	st.Records++
	return fn(rec)
}

func decodeRecordsArray(dec *json.Decoder, fn func(*Record) error, rec *Record, st Stats) (Stats, error) {
	tok, err := dec.Token()
	if err != nil {
		return st, syntaxErr(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		if tok == nil { // "Records": null
			return st, nil
		}
		return st, ErrNotTrail
	}
	for dec.More() {
		*rec = Record{}
		if err := dec.Decode(rec); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				// The decoder consumed the whole value; skip just this entry.
				st.Malformed++
				continue
			}
			return st, syntaxErr(dec, err)
		}
		st.Records++
		if err := fn(rec); err != nil {
			return st, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return st, syntaxErr(dec, err)
	}
	return st, nil
}

func decodeLines(dec *json.Decoder, fn func(*Record) error, rec *Record, st Stats) (Stats, error) {
	for {
		*rec = Record{}
		err := dec.Decode(rec)
		if err == io.EOF {
			return st, nil
		}
		var te *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &te) {
			return st, syntaxErr(dec, err)
		}
		if err := deliver(err, rec, fn, &st); err != nil {
			return st, err
		}
	}
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // a UTF-8 byte-order mark
			if rest, err := br.Peek(2); err == nil && bytes.Equal(rest, []byte{0xBB, 0xBF}) {
				br.Discard(2)
				continue
			}
		}
		return b, br.UnreadByte()
	}
}

func syntaxErr(dec *json.Decoder, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("truncated JSON at byte %d: %w", dec.InputOffset(), io.ErrUnexpectedEOF)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %w", se.Offset, err)
	}
	return err // a read error from below, such as corrupt gzip
}
