#!/usr/bin/env bash
# The test command: builds the MinIO test server into the cache when it is
# absent, runs the whole suite, then a short bounded run of each fuzz target.
# Under CI=true a missing MinIO fails the S3 tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."

TAILOR_MINIO="$(bash scripts/minio.sh)"
export TAILOR_MINIO

go vet ./...
go test -count=1 ./...

# Fuzz targets, each for a bounded number of executions (FUZZTIME, default
# 200000x). A count, not a duration: Go 1.26's fuzz coordinator can fail a
# duration-bounded run with "context deadline exceeded" at the deadline when no
# input failed (go.dev/issue/75804); a count has no deadline to race.
fuzztime="${FUZZTIME:-200000x}"
# Targets whose every execution parses HCL and YAML back, or a Parquet
# file, run ~100 times slower than the decoders; they get a smaller count
# so CI stays minutes.
declare -A budget=([FuzzRender]="${FUZZTIME_SLOW:-20000x}" [FuzzReadPartial]="${FUZZTIME_SLOW:-20000x}" [FuzzReadTable]="${FUZZTIME_SLOW:-20000x}" [FuzzReadExport]="${FUZZTIME_SLOW:-20000x}")
while read -r pkg target; do
	go test -run '^$' -fuzz "^${target}\$" -fuzztime "${budget[$target]:-$fuzztime}" -fuzzminimizetime 5s "$pkg"
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
	pkg="./$(dirname "${f#./}")"
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r t; do echo "$pkg $t"; done
done | sort -u)
