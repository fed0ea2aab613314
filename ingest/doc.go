// Package ingest streams CloudTrail records from where they are kept (local
// files and directories, S3, the CloudTrail API) to per-worker handlers,
// with bounded memory.
//
// A Source lists Objects and opens them. Run fans the objects out to a
// bounded set of workers (errgroup); each worker opens an object, undoes
// gzip, and decodes records with trail.Decode into its own Handler, so the
// hot path shares no state. Per-file problems are collected into a Report
// and the run goes on, unless Options.Strict asks to stop at the first.
package ingest
