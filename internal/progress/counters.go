// Package progress draws a one-line progress bar on a terminal while tailor
// reads a trail. The reading code only updates Counters; a Bar samples
// them on its own clock and draws, so no stage ever prints.
package progress

import "sync/atomic"

// Counters is what the reading code reports: files listed and done, their
// bytes, and the events read. It is safe for concurrent use, and each
// update is one or two atomic adds, so it is meant to be called once per
// file, never once per record. The zero value is ready to use.
//
// Sizes are the listing's sizes (compressed bytes), both for the total and
// for what is done, so that done/total is a true fraction.
type Counters struct {
	filesListed atomic.Int64
	bytesListed atomic.Int64
	listingDone atomic.Bool
	filesDone   atomic.Int64
	bytesDone   atomic.Int64
	events      atomic.Int64
}

// FileListed counts one listed file of size bytes. The listing streams, so
// the totals grow until ListingDone.
func (c *Counters) FileListed(size int64) {
	c.filesListed.Add(1)
	c.bytesListed.Add(size)
}

// ListingDone says the totals are final.
func (c *Counters) ListingDone() {
	c.listingDone.Store(true)
}

// FileDone counts one file read: its listed size and the events it held.
// A file that failed part way is done too, so that the bar still ends.
func (c *Counters) FileDone(size, events int64) {
	c.events.Add(events)
	c.bytesDone.Add(size)
	c.filesDone.Add(1)
}

// Snapshot is the counters at one moment.
type Snapshot struct {
	FilesListed int64
	BytesListed int64
	ListingDone bool
	FilesDone   int64
	BytesDone   int64
	Events      int64
}

// Snapshot reads the counters. The fields are read one by one, in the
// reverse of the order a file moves through them (done before listed), so
// that a snapshot never shows more done than listed, and a snapshot whose
// ListingDone is true holds the final totals.
func (c *Counters) Snapshot() Snapshot {
	var s Snapshot
	s.ListingDone = c.listingDone.Load()
	s.FilesDone = c.filesDone.Load()
	s.BytesDone = c.bytesDone.Load()
	s.Events = c.events.Load()
	s.FilesListed = c.filesListed.Load()
	s.BytesListed = c.bytesListed.Load()
	return s
}
