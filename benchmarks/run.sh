#!/usr/bin/env bash
# The peers table: tailor on a synthetic gzip'd CloudTrail trail against the
# tools a user would reach for instead, in one command.
#
#   bash benchmarks/run.sh [MB]        # default 200 (uncompressed, 10^6 bytes)
#
# Environment:
#   RUNS=3        runs per case; the cases take turns, the table shows the
#                 median
#   FORMAT=both   text (aligned columns), md (Markdown) or both
#   ROLE=ARN      the role of the jq and tailor suggest cases (default: the
#                 generator's busiest, checkout-api in the production account)
#   DUCKDB_NODE_VERSION, DUCKDB_NODE_DIR
#                 the @duckdb/node-api version, and where npm installs it
#                 (outside the repository; default
#                 ${XDG_CACHE_HOME:-$HOME/.cache}/tailor/duckdb-node)
#
# The trail is generated once by benchmarks/gen into a cache outside the
# repository, ${TMPDIR:-/tmp}/tailor-bench-MB, and reused while the
# generator's source is unchanged. tailor is built once into the same place.
# The page cache is warmed before the first run.
#
# Our machines are small (2 cores) and noisy, and a neighbour's build can
# double a single run: quote medians and the ratio to gzip -dc, never a single
# run, and compare only numbers measured on one machine in one sitting.
#
# Cases (benchmarks/README.md has the exact commands):
#   gzip -dc            all files, sorted, through one gzip process
#   gzip -dc x2         the sorted list in two halves, two pipelines at once
#   pigz -dc            as gzip -dc; only when pigz is on PATH
#   zcat | jq (1 role)  the distinct (eventSource, eventName) pairs of ROLE
#   duckdb (node)       records per principal x eventSource x eventName x
#                       outcome, all principals (benchmarks/duckdb.mjs);
#                       only when node and npm are there and the install works
#   tailor analyze      tailor analyze --source DIR --format json
#   tailor analyze -w1  the same with --workers 1
#   tailor suggest      tailor suggest --role ROLE --source DIR
#
# Columns: wall s (median, with min-max), CPU s (user + sys, median, of the
# command and all its child processes), MB/s (uncompressed MB / wall s),
# events/s (records in the trail / wall s), peak RSS in MB (GNU time's %M:
# the largest single process), and x gzip (wall s / one-process gzip -dc's
# wall s: below 1.0 is faster than gzip -dc).
set -euo pipefail

MB=${1:-200}
RUNS=${RUNS:-3}
FORMAT=${FORMAT:-both}
ROLE=${ROLE:-arn:aws:iam::111122223333:role/service/checkout-api}
DUCKDB_NODE_VERSION=${DUCKDB_NODE_VERSION:-1.5.6-r.1}
DUCKDB_NODE_DIR=${DUCKDB_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tailor/duckdb-node}
case $MB in '' | *[!0-9]*) echo "usage: bash benchmarks/run.sh [MB]" >&2; exit 2 ;; esac
case $RUNS in '' | *[!0-9]* | 0) echo "RUNS must be a positive number" >&2; exit 2 ;; esac
case $FORMAT in text | md | both) ;; *) echo "FORMAT must be text, md or both" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."
BENCH=$PWD/benchmarks
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
echo "building tailor ..." >&2
go build -o "$CACHE/tailor" ./cmd/tailor

field() { sed -n "s/^$1: //p" "$2" | head -n1; }
raw_bytes=$(field 'uncompressed bytes' "$CACHE/gen.txt")
gz_bytes=$(field 'compressed bytes' "$CACHE/gen.txt")
files=$(field files "$CACHE/gen.txt")
records=$(field records "$CACHE/gen.txt")
principals=$(field principals "$CACHE/gen.txt")
denials=$(field denials "$CACHE/gen.txt")

# The sorted file list, whole and in two halves (NUL-separated).
find "$TRAIL" -name '*.json.gz' -print0 | sort -z >"$CACHE/files.all"
nfiles=$(tr -cd '\0' <"$CACHE/files.all" | wc -c)
half=$(((nfiles + 1) / 2))
head -z -n "$half" "$CACHE/files.all" >"$CACHE/files.1"
tail -z -n +"$((half + 1))" "$CACHE/files.all" >"$CACHE/files.2"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %U %S %M' -o /dev/null true 2>/dev/null; then
	have_time=1
fi

# The case commands. Each runs under bash -c, so these are exported.
# decompress LIST TOOL: the files of LIST, concatenated, through one TOOL -dc.
decompress() {
	set -o pipefail
	[ -s "$1" ] || return 0 # an empty half of a one-file trail
	xargs -0 -r cat <"$1" | "$2" -dc >/dev/null
}
# decompress_two LIST1 LIST2: two gzip -dc pipelines at once; fails if either does.
decompress_two() {
	local p1 p2 r1=0 r2=0
	decompress "$1" gzip &
	p1=$!
	decompress "$2" gzip &
	p2=$!
	wait "$p1" || r1=$?
	wait "$p2" || r2=$?
	[ "$r1" = 0 ] && [ "$r2" = 0 ]
}
# jq_role LIST ROLE: the distinct "eventSource eventName" pairs of ROLE's
# sessions, one a line.
jq_role() {
	set -o pipefail
	xargs -0 -r zcat <"$1" | /usr/bin/jq -n -r --arg role "$2" '
		reduce (inputs | .Records[] | select(.userIdentity.sessionContext.sessionIssuer.arn == $role)) as $e
			({}; .["\($e.eventSource) \($e.eventName)"] = true)
		| keys[]'
}
export -f decompress decompress_two jq_role

# Cases: id, label, and a skip reason (empty when it runs).
ids=() labels=()
declare -A skip=()
add() { ids+=("$1"); labels+=("$2"); skip[$1]=${3:-}; }
add gzip "gzip -dc"
add gzip2 "gzip -dc x2"
if command -v pigz >/dev/null; then
	add pigz "pigz -dc"
else
	add pigz "pigz -dc" "pigz is not on PATH"
fi
if [ -x /usr/bin/jq ]; then
	add jq "zcat | jq (1 role)"
else
	add jq "zcat | jq (1 role)" "/usr/bin/jq is missing"
fi

# DuckDB through its Node.js package, installed outside the repository.
duck_version=""
duck_skip=""
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	duck_skip="node or npm is not on PATH"
else
	pkg=$DUCKDB_NODE_DIR/node_modules/@duckdb/node-api/package.json
	have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" 2>/dev/null | head -n1)
	if [ "$have" != "$DUCKDB_NODE_VERSION" ]; then
		echo "installing @duckdb/node-api@$DUCKDB_NODE_VERSION into $DUCKDB_NODE_DIR ..." >&2
		mkdir -p "$DUCKDB_NODE_DIR"
		if ! npm install --prefix "$DUCKDB_NODE_DIR" --no-audit --no-fund \
			"@duckdb/node-api@$DUCKDB_NODE_VERSION" >"$CACHE/npm.log" 2>&1; then
			duck_skip="npm install @duckdb/node-api@$DUCKDB_NODE_VERSION failed (see $CACHE/npm.log)"
		fi
	fi
	if [ -z "$duck_skip" ]; then
		if duck_version=$(DUCKDB_NODE_PREFIX=$DUCKDB_NODE_DIR node "$BENCH/duckdb.mjs" --version 2>"$CACHE/duckdb.probe.err"); then
			duck_version="$duck_version, @duckdb/node-api $DUCKDB_NODE_VERSION"
		else
			duck_skip="@duckdb/node-api does not load here (see $CACHE/duckdb.probe.err)"
			duck_version=""
		fi
	fi
fi
add duckdb "duckdb (node)" "$duck_skip"
add tailor "tailor analyze"
add tailor-w1 "tailor analyze -w1"
add suggest "tailor suggest (1 role)"

for i in "${!ids[@]}"; do
	if [ -n "${skip[${ids[$i]}]}" ]; then
		echo "skipping ${labels[$i]}: ${skip[${ids[$i]}]}" >&2
	fi
done

# run_case ID: the command of one case.
run_case() {
	case $1 in
	gzip) bash -c 'decompress "$1" gzip' _ "$CACHE/files.all" ;;
	gzip2) bash -c 'decompress_two "$1" "$2"' _ "$CACHE/files.1" "$CACHE/files.2" ;;
	pigz) bash -c 'decompress "$1" pigz' _ "$CACHE/files.all" ;;
	jq) bash -c 'jq_role "$1" "$2"' _ "$CACHE/files.all" "$ROLE" ;;
	duckdb) DUCKDB_NODE_PREFIX=$DUCKDB_NODE_DIR node "$BENCH/duckdb.mjs" "$TRAIL" ;;
	tailor) "$CACHE/tailor" analyze --source "$TRAIL" --format json ;;
	tailor-w1) "$CACHE/tailor" analyze --source "$TRAIL" --format json --workers 1 ;;
	suggest) "$CACHE/tailor" suggest --role "$ROLE" --source "$TRAIL" ;;
	esac
}

# timed ID RUN: runs the case with stdout to $CACHE/ID.out and stderr to
# $CACHE/ID.RUN.err, appending "wall_s user_s sys_s rss_kb" to
# $CACHE/ID.times.
timed() {
	local id=$1 run=$2 err=$CACHE/$1.$2.err
	if [ $have_time = 1 ]; then
		if ! /usr/bin/time -f '%e %U %S %M' -o "$CACHE/$id.$run.time" \
			bash -c 'run_case "$1"' _ "$id" >"$CACHE/$id.out" 2>"$err"; then
			echo "$id failed:" >&2
			cat "$err" >&2
			exit 1
		fi
		tail -n1 "$CACHE/$id.$run.time" >>"$CACHE/$id.times"
	else
		local t0 t1
		t0=$(date +%s.%N)
		run_case "$id" >"$CACHE/$id.out" 2>"$err" || { echo "$id failed:" >&2; cat "$err" >&2; exit 1; }
		t1=$(date +%s.%N)
		echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') - - -" >>"$CACHE/$id.times"
	fi
}
export -f run_case
export CACHE TRAIL ROLE BENCH DUCKDB_NODE_DIR

for id in "${ids[@]}"; do rm -f "$CACHE/$id.times" "$CACHE/$id.out" "$CACHE/$id".*.err "$CACHE/$id".*.time; done

echo "warming the page cache ..." >&2
xargs -0 cat <"$CACHE/files.all" >/dev/null

for run in $(seq "$RUNS"); do
	for i in "${!ids[@]}"; do
		id=${ids[$i]}
		[ -z "${skip[$id]}" ] || continue
		echo "run $run of $RUNS: ${labels[$i]} ..." >&2
		timed "$id" "$run"
	done
done

# Every tailor case must have read every record.
for id in tailor tailor-w1 suggest; do
	r=$(field records "$CACHE/$id.1.err")
	[ "$r" = "$records" ] || { echo "$id read $r records, the generator wrote $records" >&2; exit 1; }
done

# median COLUMN FILE: the median of a column of a times file ("-" when
# unknown); cpu FILE: the median of user + sys.
median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
cpu() { awk '{ if ($2 == "-") print "-"; else print $2 + $3 }' "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
spread() { awk '{print $1}' "$1" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}'; }

gzip_s=$(median 1 "$CACHE/gzip.times")
mb=$(awk -v b="$raw_bytes" 'BEGIN{printf "%.1f", b/1e6}')
gzmb=$(awk -v b="$gz_bytes" 'BEGIN{printf "%.1f", b/1e6}')

# One row per case, tab-separated: label, then either the seven figures
# or "skipped: reason".
rows=()
for i in "${!ids[@]}"; do
	id=${ids[$i]}
	if [ -n "${skip[$id]}" ]; then
		rows+=("${labels[$i]}	skipped: ${skip[$id]}")
		continue
	fi
	f=$CACHE/$id.times
	rows+=("$(awk -v l="${labels[$i]}" -v s="$(median 1 "$f")" -v sp="$(spread "$f")" -v c="$(cpu "$f")" \
		-v rss="$(median 4 "$f")" -v b="$raw_bytes" -v n="$records" -v g="$gzip_s" 'BEGIN {
		w = (s <= 0) ? 0.01 : s
		printf "%s\t%.2f\t%s\t%s\t%.0f\t%.0f\t%s\t%.2f", l, s, sp,
			(c == "-") ? "-" : sprintf("%.2f", c), b / 1e6 / w, n / w,
			(rss == "-") ? "-" : sprintf("%.0f", rss / 1024), w / g
	}')")
done

header() {
	echo "trail: $files files, $mb MB uncompressed, $gzmb MB gzip'd, $records records, $principals principals, denials $denials"
	echo "machine: $(nproc) CPUs, $(uname -srm); $RUNS runs per case, median shown; page cache warm"
	echo "role (jq, suggest): $ROLE"
	[ -z "$duck_version" ] || echo "duckdb: $duck_version"
	[ $have_time = 1 ] || echo "note: /usr/bin/time is missing (apt-get install time): no CPU time or peak RSS"
}

text_table() {
	printf '%-24s %7s %11s %7s %7s %10s %7s %7s\n' case "wall s" "min-max" "CPU s" "MB/s" "events/s" "RSS MB" "x gzip"
	local row l rest
	for row in "${rows[@]}"; do
		l=${row%%	*}
		rest=${row#*	}
		case $rest in
		skipped:*) printf '%-24s %s\n' "$l" "$rest" ;;
		*) IFS='	' read -r s sp c mbs evs rss x <<<"$rest"
			printf '%-24s %7s %11s %7s %7s %10s %7s %7s\n' "$l" "$s" "$sp" "$c" "$mbs" "$evs" "$rss" "$x" ;;
		esac
	done
}

md_table() {
	echo '| case | wall s (median) | min–max | CPU s | MB/s | events/s | peak RSS MB | x gzip -dc |'
	echo '|---|---:|---:|---:|---:|---:|---:|---:|'
	local row l rest
	for row in "${rows[@]}"; do
		l=${row%%	*}
		l=${l//|/\\|}
		rest=${row#*	}
		case $rest in
		skipped:*) echo "| $l | ${rest} | | | | | | |" ;;
		*) IFS='	' read -r s sp c mbs evs rss x <<<"$rest"
			echo "| $l | $s | ${sp/-/–} | $c | $mbs | $evs | $rss | $x |" ;;
		esac
	done
}

pairs=$( [ -z "${skip[jq]}" ] && wc -l <"$CACHE/jq.out" || echo "-")
groups=$( [ -z "${skip[duckdb]}" ] && head -n1 "$CACHE/duckdb.out" || echo "-")

echo
header
echo "results: jq found $pairs (eventSource, eventName) pairs for the role; duckdb returned $groups groups"
if [ "$FORMAT" != md ]; then
	echo
	text_table
fi
if [ "$FORMAT" != text ]; then
	echo
	md_table
fi
