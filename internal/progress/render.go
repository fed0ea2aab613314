package progress

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/internal/words"
)

const (
	minBarCells = 10 // narrower than this, a bar says too little to be worth its room
	maxBarCells = 40 // wider than this, a bar only stretches the line
	gap         = "  "
)

// Render is the line a Bar draws for s, elapsed into the run, on a terminal
// width columns wide, as in
//
//	97/412+ files  280.1/1,205+ MB  [####--------------]  15,313 events/s  ETA 14s+
//
// A "+" marks totals (and so the ETA) as lower bounds while the listing
// goes on. The line is at most width-1 columns, so that it never wraps even
// on terminals that wrap on the last column. When it does not fit, the bar
// goes first, then the event rate, the ETA and the megabytes; then the file
// counts give way to the share done ("25%"), and that to nothing. Render is
// pure, so the bar's look is tested apart from any terminal.
func Render(s Snapshot, elapsed time.Duration, width int) string {
	limit := width - 1
	if limit < 1 {
		return ""
	}
	plus := ""
	if !s.ListingDone {
		plus = "+"
	}
	files := count(s.FilesDone) + "/" + count(s.FilesListed) + plus + " files"
	mb := megabytes(s.BytesDone) + "/" + megabytes(s.BytesListed) + plus + " MB"
	rate := eventRate(s.Events, elapsed)
	eta := "ETA " + remaining(s, elapsed, plus)

	// The bar takes what the text leaves, between the megabytes and the rate.
	text := len(files) + len(mb) + len(rate) + len(eta) + 3*len(gap)
	if cells := min(limit-text-len(gap)-2, maxBarCells); cells >= minBarCells {
		return join(files, mb, bar(fraction(s), cells), rate, eta)
	}
	for _, parts := range [][]string{
		{files, mb, rate, eta},
		{files, mb, eta},
		{files, mb},
		{files},
		// Cut file counts would mislead; a share of the work still says something.
		{strconv.Itoa(int(fraction(s)*100)) + "%" + plus},
	} {
		if line := join(parts...); len(line) <= limit {
			return line
		}
	}
	return ""
}

func join(parts ...string) string {
	return strings.Join(parts, gap)
}

// fraction is how much of the known work is done: by bytes, or by files
// when the listing has no sizes.
func fraction(s Snapshot) float64 {
	var f float64
	switch {
	case s.BytesListed > 0:
		f = float64(s.BytesDone) / float64(s.BytesListed)
	case s.FilesListed > 0:
		f = float64(s.FilesDone) / float64(s.FilesListed)
	}
	return max(0, min(f, 1))
}

// bar is [####------] with cells cells between the brackets; it is full
// only when the work is.
func bar(f float64, cells int) string {
	filled := int(f * float64(cells))
	return "[" + strings.Repeat("#", filled) + strings.Repeat("-", cells-filled) + "]"
}

func count(n int64) string {
	return words.Thousands(int(n))
}

// megabytes writes n bytes in megabytes (10^6 bytes): one decimal below
// 1,000 MB, where the tenths still move, and whole megabytes above.
func megabytes(n int64) string {
	tenths := (max(n, 0) + 50_000) / 100_000
	if tenths < 10_000 {
		return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10)
	}
	return count((tenths + 5) / 10)
}

// eventRate is the events per second over the run so far.
func eventRate(events int64, elapsed time.Duration) string {
	per := 0.0
	if elapsed > 0 {
		per = float64(events) / elapsed.Seconds()
	}
	return count(int64(per+0.5)) + " events/s"
}

// remaining estimates the time left from the byte rate so far, or "?"
// before any bytes are done.
func remaining(s Snapshot, elapsed time.Duration, plus string) string {
	left := s.BytesListed - s.BytesDone
	switch {
	case s.ListingDone && s.FilesDone >= s.FilesListed && left <= 0:
		return "0s"
	case s.BytesDone <= 0 || s.BytesListed <= 0 || elapsed <= 0:
		return "?"
	}
	secs := float64(max(left, 0)) * elapsed.Seconds() / float64(s.BytesDone)
	if secs >= 100*3600 {
		return ">99h"
	}
	// Rounded up: only a finished run shows 0s.
	return duration(int64(math.Ceil(secs))) + plus
}

// duration writes secs as 45s, 1m05s or 2h03m.
func duration(secs int64) string {
	pad := func(n int64) string {
		if n < 10 {
			return "0" + strconv.FormatInt(n, 10)
		}
		return strconv.FormatInt(n, 10)
	}
	switch {
	case secs < 60:
		return strconv.FormatInt(secs, 10) + "s"
	case secs < 3600:
		return strconv.FormatInt(secs/60, 10) + "m" + pad(secs%60) + "s"
	}
	return strconv.FormatInt(secs/3600, 10) + "h" + pad(secs%3600/60) + "m"
}
