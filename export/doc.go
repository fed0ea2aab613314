// Package export writes the facts a run derives, one row per event, action
// and resource, to a Parquet file that Athena, Spark or DuckDB read: the
// events as tailor normalized them, where the Aggregate keeps only counts.
//
// A Collector hands each worker of a run an observer (analyze.Options.
// Observe, through pipeline.Config.Observe) that turns each fact into a
// Row in that worker's buffer. A full buffer is sorted and spilled to a
// temporary Parquet file, a sorted run (run.go); after the last record,
// Write merges the runs (merge.go) into the file, in row groups, dropping
// the second copy of a cross-account call and the rows of principals the
// caller does not keep. Memory is bounded by the workers' buffers, the
// runs merged at once and one row group, never by the trail; the disk
// holds the runs until Write returns.
//
// The order is total: rows are sorted by every column, event_time and
// event_id first (see Row.compare), so the same input gives the same bytes
// however its files were spread over workers.
//
// Read (read.go) reads such a file back, one row group at a time, handing
// on the adjacent rows of each event as an analyze.Event for
// analyze.Analyzer.Replay: a run over an export gives the facts of the
// trail it was made from. The links and instance profiles' roles that
// scope some rows are in the metadata (learned.go).
//
// The schema, Row's, is versioned by the key-value metadata
// tailor.export.version (Version); the README's section on tailor export
// documents it for the readers. Read reads every version up to Version.
package export
