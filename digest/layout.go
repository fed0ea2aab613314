package digest

// Where an object sits in the CloudTrail layout, read from its key or path:
//
//	…/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
//	…/ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ[_backfill].json.gz
//
// A log file's name carries its delivery time and a digest's the end of
// the hour it covers.

import (
	"strings"
	"time"
)

const (
	logFolder    = "CloudTrail"
	digestFolder = "CloudTrail-Digest"
	gzExt        = ".json.gz"
	backfillTail = "_backfill"
)

// place is an object's place in the layout.
type place struct {
	digest  bool
	account string
	region  string
	// at is the time the name carries; zero when the name has none, and
	// then day is the folder's date.
	at  time.Time
	day time.Time
	// ref is the path from ACCOUNT on: how a local copy is matched with
	// the keys digests name.
	ref string
	// dir is everything before the YYYY/MM/DD folders, "/"-separated.
	dir string
	// For digests: the trail, its home region, and whether it is a
	// backfill digest, which belong to a chain of their own.
	trail, home string
	backfill    bool
}

// locate reads p, a key or a "/"-separated path. It reports false for
// anything not in a CloudTrail/ or CloudTrail-Digest/ day folder, and for
// a digest folder's files whose name is not a digest's.
func locate(p string) (place, bool) {
	segs := strings.Split(p, "/")
	n := len(segs)
	// ACCOUNT, CloudTrail[-Digest], REGION, YYYY, MM, DD, file
	if n < 7 {
		return place{}, false
	}
	kind := segs[n-6]
	if kind != logFolder && kind != digestFolder {
		return place{}, false
	}
	day, err := time.Parse("2006/01/02", strings.Join(segs[n-4:n-1], "/"))
	if err != nil || segs[n-1] == "" {
		return place{}, false
	}
	pl := place{
		digest:  kind == digestFolder,
		account: segs[n-7],
		region:  segs[n-5],
		day:     day,
		ref:     strings.Join(segs[n-7:], "/"),
		dir:     strings.Join(segs[:n-4], "/") + "/",
	}
	name := segs[n-1]
	if !pl.digest {
		pl.at = logTime(name)
		return pl, true
	}
	if !pl.digestName(name) {
		return place{}, false
	}
	return pl, true
}

// logTime reads ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz.
func logTime(name string) time.Time {
	parts := strings.Split(strings.TrimSuffix(name, gzExt), "_")
	if len(parts) != 5 || parts[1] != logFolder {
		return time.Time{}
	}
	t, err := time.Parse("20060102T1504Z", parts[3])
	if err != nil {
		return time.Time{}
	}
	return t
}

// digestName reads ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOME_TIME[_backfill].json.gz
// into pl. Trail names may hold underscores; regions do not.
func (pl *place) digestName(name string) bool {
	rest, ok := strings.CutSuffix(name, gzExt)
	if !ok {
		return false
	}
	rest, pl.backfill = strings.CutSuffix(rest, backfillTail)
	head := pl.account + "_" + digestFolder + "_" + pl.region + "_"
	rest, ok = strings.CutPrefix(rest, head)
	if !ok {
		return false
	}
	i := strings.LastIndexByte(rest, '_')
	if i < 0 {
		return false
	}
	t, err := time.Parse("20060102T150405Z", rest[i+1:])
	if err != nil {
		return false
	}
	pl.at = t
	rest = rest[:i]
	j := strings.LastIndexByte(rest, '_')
	if j <= 0 || j == len(rest)-1 {
		return false
	}
	pl.trail, pl.home = rest[:j], rest[j+1:]
	return true
}

// chain names the chain a digest belongs to: one per folder, trail and
// kind (a backfill digest links only to backfill digests).
func (pl place) chain() string {
	c := pl.dir + "\x00" + pl.trail + "\x00" + pl.home
	if pl.backfill {
		c += "\x00backfill"
	}
	return c
}

// layoutRef is the path from ACCOUNT on, or "" outside the layout.
func layoutRef(p string) string {
	pl, ok := locate(p)
	if !ok {
		return ""
	}
	return pl.ref
}

// Window is the time range a verification covers: log files delivered in
// [Since, Until), and the digests that list them. A zero bound is open.
type Window struct {
	Since, Until time.Time
}

// lookahead is how long after Until a digest may still list a log file
// delivered before Until: a digest covers the hour before its end, and a
// file named a minute before an hour's cut may be delivered after it.
const lookahead = 2 * time.Hour

// logs reports whether a log file at t falls in the window.
func (w Window) logs(t time.Time) bool {
	return (w.Since.IsZero() || !t.Before(w.Since)) && (w.Until.IsZero() || t.Before(w.Until))
}

// digests reports whether a digest ending at t is in the window.
func (w Window) digests(t time.Time) bool {
	return (w.Since.IsZero() || !t.Before(w.Since)) && (w.Until.IsZero() || t.Before(w.Until.Add(lookahead)))
}

// holds reports whether pl may be in the window: by its name's time, or
// by its folder's day when the name has none.
func (w Window) holds(pl place) bool {
	if !pl.at.IsZero() {
		if pl.digest {
			return w.digests(pl.at)
		}
		return w.logs(pl.at)
	}
	end := pl.day.Add(24 * time.Hour)
	return (w.Since.IsZero() || end.After(w.Since)) && (w.Until.IsZero() || pl.day.Before(w.Until))
}
