// Package pq holds what tailor's Parquet readers and writers share:
// opening a file to read row by row, reading its rows in batches, and the
// zstd codec of the files tailor writes.
package pq
