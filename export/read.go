package export

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/arn"
	"github.com/tailor-iam/tailor/internal/pq"
	"github.com/tailor-iam/tailor/rules"
)

// ErrNotExport is returned for a Parquet file that is not a tailor export
// (KeyVersion is absent).
var ErrNotExport = errors.New("a Parquet file that is not a tailor export (no " + KeyVersion + " metadata)")

// schema is the schema this tailor writes: a file of an older version has
// some of its columns, never another type for one.
var schema = parquet.SchemaOf(Row{})

// v1Columns are the columns every version has.
var v1Columns = strings.Fields(`principal principal_kind account region event_time event_source event_name
	action resource outcome error_code denial_reason denying_policy_arn source_ip vpc_endpoint user_agent
	event_id shared_event_id linked_id`)

// Read reads an export of size bytes, one row group at a time, and hands
// fn each event: the adjacent rows of one call (Write sorts them so),
// which fn must not keep. It returns what the metadata says other calls
// showed (Learned) and how many events it read. A file without KeyVersion
// is ErrNotExport; a version this tailor does not know, a column of
// another type, a row that is no fact, and a damaged file are errors;
// events handed on before the error stay handed on, as the records of a
// JSON file cut short do. A version 1 file lacks what version 2 added:
// its events have no origin but their IP address and VPC endpoint, no
// denial message, and facts without the fields version 2 carries.
func Read(r io.ReaderAt, size int64, fn func(*analyze.Event)) (l Learned, events int, err error) {
	// A damaged file must be an error, never a crash of the run; a panic
	// of fn is fn's own, and goes on.
	inFn := false
	defer func() {
		if v := recover(); v != nil {
			if inFn {
				panic(v)
			}
			err = fmt.Errorf("corrupt Parquet file: %v", v)
		}
	}()
	f, err := pq.Open(r, size)
	if err != nil {
		return l, 0, err
	}
	v, ok := f.Lookup(KeyVersion)
	if !ok {
		return l, 0, ErrNotExport
	}
	version, err := strconv.Atoi(v)
	switch {
	case err != nil || version < 1:
		return l, 0, fmt.Errorf("tailor export with %s %q, not a version number", KeyVersion, v)
	case version > Version:
		return l, 0, fmt.Errorf("tailor export version %d; this tailor reads versions 1 to %d: read it with a newer tailor", version, Version)
	}
	if err := checkSchema(f.Schema(), version); err != nil {
		return l, 0, fmt.Errorf("tailor export version %d: %w", version, err)
	}
	if l, err = readLearned(f); err != nil {
		return l, 0, err
	}
	rd := reader{version: version, intern: map[string]string{}}
	buf := make([]Row, readBatch)
	var row int64
	emit := func() {
		if rd.have {
			inFn = true
			fn(&rd.ev)
			inFn = false
			events++
			rd.have = false
		}
	}
	err = pq.EachRow(f, buf, func(g int, r *Row) error {
		if rd.have && !r.sameEvent(&rd.first) {
			emit()
		}
		if err := rd.add(r); err != nil {
			return fmt.Errorf("row group %d, row %d: %w", g, row, err)
		}
		row++
		return nil
	})
	if err != nil {
		return l, events, fmt.Errorf("tailor export, %w", err)
	}
	emit()
	return l, events, nil
}

// checkSchema checks that the file has every column its version has, each
// of the type this tailor writes.
func checkSchema(s *parquet.Schema, version int) error {
	have := map[string]parquet.Field{}
	for _, f := range s.Fields() {
		have[f.Name()] = f
	}
	v1 := map[string]bool{}
	for _, c := range v1Columns {
		v1[c] = true
	}
	// A column of another type says more than one missing.
	for _, want := range schema.Fields() {
		got, ok := have[want.Name()]
		if ok && (!got.Leaf() || got.Repeated() || got.Type().Kind() != want.Type().Kind()) {
			return fmt.Errorf("column %s is %s; an export has %s there", want.Name(), kindOf(got), kindOf(want))
		}
	}
	for _, want := range schema.Fields() {
		if _, ok := have[want.Name()]; !ok && (version >= 2 || v1[want.Name()]) {
			return fmt.Errorf("no column %s", want.Name())
		}
	}
	return nil
}

func kindOf(f parquet.Field) string {
	switch {
	case !f.Leaf():
		return "a group"
	case f.Repeated():
		return "a list"
	}
	return f.Type().Kind().String()
}

// reader turns rows into events.
type reader struct {
	version int
	ev      analyze.Event
	first   Row // the event's first row, which its others match
	have    bool
	// intern holds the file's repeated strings once: the rows' are
	// reused, and the Aggregate keeps what it is given.
	intern map[string]string
}

func (rd *reader) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := rd.intern[s]; ok {
		return v
	}
	if len(rd.intern) >= 1<<16 {
		clear(rd.intern)
	}
	v := strings.Clone(s)
	rd.intern[v] = v
	return v
}

// add adds a row to the event it is of, starting the event at its first.
func (rd *reader) add(r *Row) error {
	switch {
	case r.Principal == "" || r.Action == "" || r.Resource == "" || r.EventSource == "" || r.EventName == "":
		return errors.New("a row without its principal, action, resource or event")
	case r.Outcome != Allowed && r.Outcome != Denied && r.Outcome != Failed:
		return fmt.Errorf("outcome %q: want %s, %s or %s", r.Outcome, Allowed, Denied, Failed)
	case (r.Outcome == Denied) != (r.DenialReason != ""):
		return fmt.Errorf("outcome %s with denial_reason %q", r.Outcome, r.DenialReason)
	case r.Outcome != Allowed && r.ErrorCode == "":
		return fmt.Errorf("outcome %s without an error_code", r.Outcome)
	}
	if !rd.have {
		rd.start(r)
	}
	k := analyze.FactKey{
		Principal: rd.ev.Principal.ARN,
		Action:    rd.str(r.Action),
		Resource:  rd.str(r.Resource),
		Region:    rd.ev.Region,
		PassedTo:  rd.str(r.PassedTo),
		Profile:   rd.str(r.Profile),
		Via:       rd.str(r.Via),
		Provider:  rd.str(r.Provider),
	}
	if r.Outcome == Denied {
		k.Denial = analyze.DenialKey{Reason: analyze.Reason(rd.str(r.DenialReason)), Explicit: r.DenialExplicit,
			Code: rd.ev.ErrorCode, PolicyARN: rd.str(r.DenyingPolicy), ThroughSCP: r.DenialThroughSCP}
		if rd.ev.ErrorMessage == "" {
			rd.ev.ErrorMessage = strings.Clone(r.ErrorMessage)
		}
	}
	d := analyze.Derived{Fact: k}
	if r.LinkedID != "" {
		d.Fact.Resource = analyze.Wildcard
		d.Link = analyze.LinkKey{Kind: rd.str(r.LinkedKind), Account: rd.str(r.LinkedAccount), Region: rd.ev.Region, ID: strings.Clone(r.LinkedID)}
		if rd.version == 1 {
			// Version 1 named the id only: its kind is the event's
			// service's link, its account the caller's.
			if l := rules.For(servicePrefix(r.EventSource)).Link; l != nil {
				d.Link.Kind = l.Kind
			}
			d.Link.Account = rd.ev.Principal.Account
			if d.Link.Account == "" {
				d.Link.Account = rd.ev.Account
			}
		}
	}
	rd.ev.Facts = append(rd.ev.Facts, d)
	return nil
}

// start begins an event at its first row.
func (rd *reader) start(r *Row) {
	rd.first = *r
	rd.have = true
	p := analyze.Principal{ARN: rd.str(r.Principal), Kind: rd.str(r.PrincipalKind), Account: rd.str(r.PrincipalAccount), ID: rd.str(r.PrincipalID)}
	if rd.version == 1 {
		if a, ok := arn.Parse(p.ARN); ok {
			p.Account = a.Account
		}
	}
	o := analyze.Origin{VPCE: rd.str(r.VPCEndpoint), Service: rd.str(r.CallingService), TLS: r.TLS, MFA: rd.str(r.MFA)}
	if _, err := netip.ParseAddr(r.SourceIP); err == nil {
		o.IP = rd.str(r.SourceIP)
	} else if rd.version == 1 && strings.HasSuffix(r.SourceIP, ".amazonaws.com") {
		o.Service = rd.str(r.SourceIP)
	}
	var t time.Time
	if r.EventTime != 0 {
		t = time.UnixMilli(r.EventTime).UTC()
	}
	rd.ev = analyze.Event{
		Principal: p,
		Time:      t,
		Account:   rd.str(r.Account),
		Region:    rd.str(r.Region),
		Source:    rd.str(r.EventSource),
		Name:      rd.str(r.EventName),
		ID:        strings.Clone(r.EventID),
		SharedID:  strings.Clone(r.SharedEventID),
		ErrorCode: rd.str(r.ErrorCode),
		SourceIP:  rd.str(r.SourceIP),
		UserAgent: rd.str(r.UserAgent),
		Origin:    o,
		Facts:     rd.ev.Facts[:0],
	}
	// The row is the buffer's: keep what sameEvent compares.
	rd.first.EventID, rd.first.SharedEventID = rd.ev.ID, rd.ev.SharedID
	for _, s := range []*string{&rd.first.Principal, &rd.first.PrincipalKind, &rd.first.Account, &rd.first.Region,
		&rd.first.EventSource, &rd.first.EventName, &rd.first.ErrorCode, &rd.first.SourceIP, &rd.first.VPCEndpoint,
		&rd.first.UserAgent, &rd.first.PrincipalAccount, &rd.first.PrincipalID, &rd.first.CallingService,
		&rd.first.MFA} {
		*s = rd.str(*s)
	}
}

// servicePrefix is an eventSource's service: "athena" of
// "athena.amazonaws.com".
func servicePrefix(source string) string {
	s, _, _ := strings.Cut(source, ".")
	return s
}
