// Package digest checks a CloudTrail trail against its signed digest files:
// that every log file is the one CloudTrail delivered, that none was
// removed or added, and that the digests themselves form an unbroken chain
// signed by CloudTrail.
//
// The pieces, in the order Verify uses them:
//
//   - layout.go names where an object sits in the CloudTrail layout
//     (AWSLogs/[o-org/]ACCOUNT/CloudTrail[-Digest]/REGION/YYYY/MM/DD/file)
//     and the time its name carries.
//   - source.go and s3.go list and open the objects of a local copy or an
//     S3 bucket (Source), with the digest's signature from S3 metadata.
//   - parse.go reads a digest file (ParseDigest); hash.go hashes a log
//     file as CloudTrail did: the SHA-256 of its uncompressed content, and
//     any byte after the first gzip member is a change.
//   - keys.go holds CloudTrail's public keys (KeySource; KeyList reads the
//     output of aws cloudtrail list-public-keys), sign.go the string
//     CloudTrail signs and the sidecar of signatures a local copy needs.
//   - verify.go reads what is in range, chain.go checks each chain of
//     digests (links, gaps, signatures) and the log files they list, and
//     report.go is the result: a finding per failure, named by its key, and
//     a verdict per log file.
//
// Nothing here prints: the commands render the Report.
package digest
