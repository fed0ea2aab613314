// Package partial writes an analysis's mergeable state, a partial
// aggregate, to a Parquet file and reads it back, so that work split across
// runs or machines merges into the single run's result.
//
// # The file
//
// One Parquet file, one flat row type (row.go); the kind column says what a
// row is and which other columns it uses. Strings that are empty and
// numbers that are 0 are unused. Times are Unix seconds.
//
//	kind          columns
//	input         text (the file's name), size (bytes, -1 unknown)
//	count         text (a Counts field: records, out_of_range, …), count
//	fold          principal, action, denial_*, keep (path segments kept; 0: the account's "*")
//	fact          principal, action, resource, region, passed_to, profile, via, provider,
//	              denial_*, count, first_seen, last_seen, origins, more_origins
//	pending       the fact's columns (resource is "*") and link_kind, link_account, link_region, link_id
//	principal     principal, principal_kind, account, principal_id, count, first_seen, last_seen, denied, errors
//	message       principal, action, denial_*, last_seen (its time), text (the errorMessage)
//	unmapped      text ("eventSource eventName (action tried)"), count
//	unmapped_by   principal, text, denial_reason, action, count
//	generalized   principal, action, text (the note), count
//	warning       principal, action, text (the note), count
//	profile_role  account, profile, target (the role)
//	link          link_kind, link_account, link_region, link_id, target (the resource)
//	shared_event  text (the eventID of the copy kept)
//
// The denial_* columns are denial_reason, denial_explicit, error_code,
// denying_policy and through_scp; a fact without a reason was allowed.
//
// A cross-account call reaches two accounts' trails as two records with
// one sharedEventID, and a run counts it once (analyze.EventSet). Runs
// that emit a partial cannot know whether another part holds the other
// copy, so they keep each such call apart: its rows carry the call's
// analyze.SharedKey in the shared column (every other row has ""), headed
// by a shared_event row. A merge keeps one copy per key and counts the
// other as a duplicate record; the run that reads the partials folds what
// remains into the aggregate (Aggregate.Settle).
//
// Rows are sorted (the shared column first, then kind in the order above,
// then every column), so the same aggregate gives the same bytes, and a
// reader meets a group's fold before its facts.
//
// The file's key-value metadata is the Header: tailor.partial.version
// (FormatVersion; a reader refuses any other), tailor.version,
// tailor.catalog.date, tailor.max_resources, tailor.generalize,
// tailor.since and tailor.until (the run's time range, RFC 3339, "" for
// none) and tailor.first_seen and tailor.last_seen (its events' range).
package partial
