#!/usr/bin/env bash
# Builds the MinIO server that the S3 integration tests start on 127.0.0.1,
# into a cache outside the repository, unless it is already there, and
# prints its path.
#
# MinIO is AGPL. tailor uses it only as an external test server binary: it is
# built from its own module here, run as a separate process by
# internal/miniotest, and never imported or shipped.
#
# MinIO has no release tags; the pseudo-version below is pinned.
# TAILOR_MINIO overrides the binary's path, as in internal/miniotest.
set -euo pipefail

version="v0.0.0-20260212201848-7aac2a2c5b7c"
bin="${TAILOR_MINIO:-$HOME/.cache/tailor/minio-bin/minio}"

if [[ ! -x "$bin" ]]; then
	echo "building MinIO $version into $(dirname "$bin"): once per machine, 3 to 13 minutes on 2 cores" >&2
	mkdir -p "$(dirname "$bin")"
	# pkg@version builds MinIO from its own module; tailor's go.mod is untouched.
	(cd / && GOBIN="$(dirname "$bin")" go install "github.com/minio/minio@$version") &
	build=$!
	start=$SECONDS
	while kill -0 "$build" 2>/dev/null; do
		sleep 5
		if (( (SECONDS - start) % 30 < 5 )) && kill -0 "$build" 2>/dev/null; then
			echo "  still building MinIO: $((SECONDS - start)) s" >&2
		fi
	done
	wait "$build"
	echo "built MinIO in $((SECONDS - start)) s" >&2
	if [[ "$(basename "$bin")" != minio ]]; then
		mv "$(dirname "$bin")/minio" "$bin"
	fi
fi
echo "$bin"
