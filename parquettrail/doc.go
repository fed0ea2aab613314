// Package parquettrail reads CloudTrail events from the Parquet tables
// they are kept in besides CloudTrail's own JSON: Amazon Security Lake's
// CloudTrail tables in OCSF (source version 1, OCSF 1.0.0-rc.2, and
// source version 2, OCSF 1.1.0; management events and the S3 and Lambda
// data-event tables alike) and the Athena CloudTrail table written to
// Parquet by a CTAS or an UNLOAD. Each row becomes a trail.Record, the
// same a JSON file's event becomes, so the analysis after it is one.
//
// It is package trail's counterpart for Parquet, and like trail it knows
// nothing of where the bytes come from: it reads an io.ReaderAt. The
// pipeline's workers give it the Parquet files that are not tailor's
// partial aggregates.
//
// The form is told from the columns (form.go), which are matched by name
// whatever a writer did with case and with the wrappers of lists and maps
// (schema.go). Only the columns a record needs are read, one row group at
// a time and a page at a time (column.go), and a column that is missing
// leaves its member empty unless the form cannot do without it.
package parquettrail
