package verify

// Tally counts what Replay decided, by what the trail saw and what the
// layers would do: the figures of verify's summary and its exit code.
type Tally struct {
	Replayed int // results counted
	// WouldDeny are requests that succeeded in the trail and that the
	// layers would deny: the policy would break them.
	WouldDeny int
	// StillDenied are requests denied in the trail that the layers deny
	// too.
	StillDenied int
	// WouldAllow are requests denied in the trail that the layers would
	// allow.
	WouldAllow int
	// Undetermined are requests the layers would deny only for what the
	// trail does not say (the resource, a detail of the request), whatever
	// the trail saw.
	Undetermined int
	// MoreOrigins are facts seen from more origins than a fact keeps
	// (analyze.MaxOrigins): only those kept were replayed.
	MoreOrigins int
}

// Count tallies results, as Replay or Compare's NotGranted return them.
func Count(results []Result) Tally {
	var t Tally
	for _, r := range results {
		t.Replayed++
		if r.MoreOrigins {
			t.MoreOrigins++
		}
		switch {
		case r.Allowed:
			if r.Denied() {
				t.WouldAllow++
			}
		case r.Undetermined:
			t.Undetermined++
		case r.Denied():
			t.StillDenied++
		default:
			t.WouldDeny++
		}
	}
	return t
}
