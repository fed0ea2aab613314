package trail

// The fast path's strings: the values a trail repeats (its sources,
// regions, accounts, principals) are allocated once, not once a record.

import (
	"encoding/binary"
	"sync"
)

// interner hands out one string per distinct value, as far as it
// remembers: a table of recent values, each in the entry its hash picks
// (a value that collides with another replaces it), and for each field a
// slot with its last value: records in a file come in runs (one session's
// calls, one region), so most values are the one before, found without
// hashing. What it forgets only costs an allocation.
type interner struct {
	table [tableSize]string
	last  [slots]string
}

const (
	tableSize = 1024 // a power of two
	internLen = 256  // longer values are not kept in the table
	slots     = 48
	noIntern  = -1
	slotID    = 20 // userIdentity's fields: slotID + their field number
	slotIss   = 30 // sessionIssuer's
	slotRes   = 36 // a resource's
	slotTLS   = 40
	slotAttrs = 41
)

func newInterner() *interner { return &interner{} }

// lastOnly are the slots of values that are seldom the same twice but in
// a run (a session, an access key, an object's ARN, an error message):
// they keep their last value only, and never take a place in the table.
var lastOnly = [slots]bool{fErrorMessage: true, fSourceIP: true, slotID + 1: true, slotID + 2: true, slotID + 4: true, slotRes: true}

// interners are reused from one file to the next: the values worth
// interning recur across a trail's files.
var interners = sync.Pool{New: func() any { return newInterner() }}

func getInterner() *interner { return interners.Get().(*interner) }

func putInterner(t *interner) {
	t.last = [slots]string{}
	interners.Put(t)
}

// hashOf mixes a value's length with its first and last eight bytes: the
// values interned differ there (a region, an account, a role's name).
func hashOf(b []byte) uint64 {
	h := uint64(len(b)) * 0x9E3779B97F4A7C15
	if len(b) >= 8 {
		h ^= binary.LittleEndian.Uint64(b) * 0xC2B2AE3D27D4EB4F
		h ^= binary.LittleEndian.Uint64(b[len(b)-8:]) * 0x165667B19E3779F9
	} else {
		for _, c := range b {
			h = (h ^ uint64(c)) * 0x100000001B3
		}
	}
	return h ^ h>>29
}

func (t *interner) get(slot int, b []byte) string {
	if last := t.last[slot]; last == string(b) { // no allocation for the comparison
		return last
	}
	if lastOnly[slot] || len(b) > internLen {
		s := string(b)
		t.last[slot] = s
		return s
	}
	e := &t.table[hashOf(b)&(tableSize-1)]
	s := *e
	if s != string(b) {
		s = string(b)
		*e = s
	}
	t.last[slot] = s
	return s
}
