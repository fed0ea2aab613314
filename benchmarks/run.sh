#!/usr/bin/env bash
# End-to-end throughput of `tailor analyze` on a synthetic gzip'd CloudTrail
# trail, measured against one-process `gzip -dc` of the same files.
#
#   bash benchmarks/run.sh [MB]        # default 200 (uncompressed, 10^6 bytes)
#
# The trail is generated once by benchmarks/gen into a cache outside the
# repository, ${TMPDIR:-/tmp}/tailor-bench-MB, and reused while the
# generator's source is unchanged. tailor is built once into the same place.
# Each case runs RUNS times (default 3), the cases taking turns, with the page
# cache warm; the table shows the median.
#
# Our machines are small (2 cores) and noisy, and a neighbour's build can
# double a single run: quote medians and the ratio to gzip -dc, never a single
# run, and compare only numbers measured on one machine in one sitting.
#
# Cases:
#   gzip -dc      find | sort | xargs cat | gzip -dc > /dev/null: one
#                 process decompressing everything (the floor a user would
#                 compare against)
#   tailor        tailor analyze --source DIR --format json > /dev/null
#   tailor -w1    the same with --workers 1
#   duckdb        only if duckdb is on PATH: count by principal and eventName
#                 over read_json of the same files
#
# Columns: wall s (median), MB/s (uncompressed MB / wall s), events/s
# (records tailor counted / wall s), peak RSS in MB (GNU time's %M), and
# x gzip (wall s / gzip -dc's wall s: below 1.0 is faster than gzip -dc).
set -euo pipefail

MB=${1:-200}
RUNS=${RUNS:-3}
case $MB in '' | *[!0-9]*) echo "usage: bash benchmarks/run.sh [MB]" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."
CACHE=${TMPDIR:-/tmp}/tailor-bench-$MB
TRAIL=$CACHE/trail
mkdir -p "$CACHE"

# Regenerate when the generator changed since the cached trail was written.
gensum=$(cat benchmarks/gen/*.go | cksum | cut -d' ' -f1)
if [ ! -d "$TRAIL" ] || [ "$(cat "$CACHE/gen.sum" 2>/dev/null)" != "$gensum" ]; then
	echo "generating a $MB MB trail into $TRAIL ..." >&2
	rm -rf "$TRAIL" "$TRAIL.tmp" "$CACHE/gen.sum"
	go run ./benchmarks/gen -out "$TRAIL.tmp" -mb "$MB" >"$CACHE/gen.txt"
	mv "$TRAIL.tmp" "$TRAIL"
	echo "$gensum" >"$CACHE/gen.sum"
fi
go build -o "$CACHE/tailor" ./cmd/tailor

field() { sed -n "s/^$1: //p" "$2" | head -n1; }
raw_bytes=$(field 'uncompressed bytes' "$CACHE/gen.txt")
gz_bytes=$(field 'compressed bytes' "$CACHE/gen.txt")
files=$(field files "$CACHE/gen.txt")

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
	have_time=1
fi

# timed NAME RUN CMD...: runs CMD with stdout to /dev/null and stderr to
# $CACHE/NAME.RUN.err, appending "wall_s rss_kb" to $CACHE/NAME.times.
timed() {
	local name=$1 run=$2
	shift 2
	local err=$CACHE/$name.$run.err
	if [ $have_time = 1 ]; then
		if ! /usr/bin/time -f '%e %M' -o "$CACHE/$name.$run.time" "$@" >/dev/null 2>"$err"; then
			echo "$name failed:" >&2
			cat "$err" >&2
			exit 1
		fi
		tail -n1 "$CACHE/$name.$run.time" >>"$CACHE/$name.times"
	else
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$err" || { echo "$name failed:" >&2; cat "$err" >&2; exit 1; }
		t1=$(date +%s.%N)
		echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') -" >>"$CACHE/$name.times"
	fi
}

gunzip_all() {
	find "$1" -name '*.json.gz' -print0 | sort -z | xargs -0 cat | gzip -dc
}
export -f gunzip_all

cases=(gzip tailor tailor-w1)
duck_sql=""
if command -v duckdb >/dev/null; then
	cases+=(duckdb)
	# Only the fields the query needs, as tailor decodes only what it uses.
	duck_sql="SELECT coalesce(r.userIdentity.sessionContext.sessionIssuer.arn, r.userIdentity.arn) AS principal,
	  r.eventName, count(*) AS n
	FROM (SELECT unnest(Records) AS r FROM read_json('$TRAIL/**/*.json.gz',
	  columns = {Records: 'STRUCT(eventName VARCHAR, userIdentity STRUCT(arn VARCHAR,
	    sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))))[]'},
	  maximum_object_size = 67108864))
	GROUP BY ALL"
fi
for c in "${cases[@]}"; do rm -f "$CACHE/$c.times"; done

echo "warming the page cache ..." >&2
find "$TRAIL" -name '*.json.gz' -print0 | xargs -0 cat >/dev/null

for run in $(seq "$RUNS"); do
	echo "run $run of $RUNS ..." >&2
	timed gzip "$run" bash -c 'gunzip_all "$1"' _ "$TRAIL"
	timed tailor "$run" "$CACHE/tailor" analyze --source "$TRAIL" --format json
	timed tailor-w1 "$run" "$CACHE/tailor" analyze --source "$TRAIL" --format json --workers 1
	if [ -n "$duck_sql" ]; then
		timed duckdb "$run" duckdb -c "$duck_sql"
	fi
done

records=$(field records "$CACHE/tailor.1.err")
for c in "${cases[@]:1}"; do
	if [ "$c" != duckdb ]; then
		r=$(field records "$CACHE/$c.1.err")
		[ "$r" = "$records" ] || { echo "record counts differ: tailor $records, $c $r" >&2; exit 1; }
	fi
done

# median COLUMN FILE: the median of a column of the times file.
median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
spread() { awk '{print $1}' "$1" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%s-%s", lo, hi}'; }

gzip_s=$(median 1 "$CACHE/gzip.times")
echo
echo "trail: $files files, $(awk -v b="$raw_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB uncompressed, $(awk -v b="$gz_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB gzip'd, $records records"
echo "machine: $(nproc) CPUs, $(uname -sm); $RUNS runs per case, median shown; page cache warm"
echo
printf '%-11s %8s %12s %8s %11s %8s %8s\n' case "wall s" "(min-max)" "MB/s" "events/s" "RSS MB" "x gzip"
for c in "${cases[@]}"; do
	f=$CACHE/$c.times
	s=$(median 1 "$f")
	rss=$(median 2 "$f")
	awk -v c="$c" -v s="$s" -v sp="$(spread "$f")" -v rss="$rss" -v b="$raw_bytes" -v n="$records" -v g="$gzip_s" 'BEGIN {
		if (s <= 0) s = 0.01
		r = (rss == "-") ? "-" : sprintf("%.0f", rss / 1024)
		printf "%-11s %8.2f %12s %8.0f %11.0f %8s %8.2f\n", c, s, "(" sp ")", b / 1e6 / s, n / s, r, s / g
	}'
done
[ $have_time = 1 ] || echo "note: /usr/bin/time is missing (apt-get install time): no peak RSS"
