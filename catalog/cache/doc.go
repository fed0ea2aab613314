// Package cache is tailor's user cache of the IAM catalog: where it lives,
// how Update fills it from AWS's published service reference, and how Load
// chooses between it and the catalog embedded in the binary. It is the part
// of the catalog that reaches the network, the file system and the
// environment, kept apart from package catalog so that the packages that
// analyze and write policies import none of that; only the commands import
// it.
//
// An update runs in stages, each in its own file:
//
//   - update.go fetches the service list, then every service file with a
//     bounded number of workers, and writes nothing until all of it has
//     been fetched and checked;
//   - fetch.go gets one URL with the few retries a public, rate-limited
//     endpoint calls for, the body bounded while it is read
//     (catalog/internal/limits);
//   - refdecode.go decodes a service file as a stream, keeping only the
//     fields tailor uses and counting every entry it keeps;
//   - servicereference.go turns AWS's format into the catalog's file
//     format and merges the files of one prefix;
//   - write.go checks the result as catalog.Read will and renames it into
//     place, so that a reader never sees a partial cache;
//   - progress.go turns the workers' count into lines, so output never
//     interleaves.
//
// What an update installs, and what Load uses, must pass the checks of
// package catalog: catalog.New (what every catalog must be) and
// catalog.Compare (most of the embedded catalog's services and actions).
package cache
