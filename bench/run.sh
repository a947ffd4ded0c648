#!/usr/bin/env bash
# run.sh — run the benchmarks and print benchstat tables.
#
# The test binary is built once and run COUNT times, each run going through
# every benchmark once: rounds are interleaved, so a burst of load from
# other processes spreads over all implementations instead of landing on
# one. benchstat (golang.org/x/perf, pinned below) is installed from the Go
# module proxy into a temporary GOBIN.
#
# Environment:
#   COUNT=10        runs of each benchmark (benchstat wants ≥ 6 for its
#                   confidence intervals)
#   BENCH=.         -test.bench regular expression
#   BENCHTIME=1s    -test.benchtime of each run
#   OUT=            file that keeps the raw results (default: a temporary
#                   file, removed on exit); compare two with
#                   `benchstat old.txt new.txt`
#   NICE=           niceness of the benchmark process (e.g. -10, which
#                   needs root): on a machine shared with other jobs it
#                   gets the benchmark a core more often; say so when
#                   publishing numbers
#   CPUPROFILE=1    also write cpu.pprof / mem.pprof beside OUT, one
#                   profile of the last round (see docs/performance.md)
set -euo pipefail

cd "$(dirname "$0")"
COUNT=${COUNT:-10}
BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp/bench.txt}
: >"$out"

echo "installing benchstat ($BENCHSTAT_VERSION)…" >&2
GOBIN="$tmp/bin" GOFLAGS=-mod=mod go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION"

echo "building the benchmarks…" >&2
go test -c -o "$tmp/bench.test" .
# The same-headers checks first: numbers for unequal work mean nothing.
if ! "$tmp/bench.test" -test.run . -test.count 1 >"$tmp/test.txt" 2>&1; then
	cat "$tmp/test.txt" >&2
	exit 1
fi

{
	echo "# $(go version), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
	echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	echo "# COUNT=$COUNT BENCH=$BENCH BENCHTIME=$BENCHTIME NICE=${NICE:-0}"
} | tee -a "$out" >&2

for i in $(seq "$COUNT"); do
	echo "round $i/$COUNT (load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null))…" >&2
	prof=()
	if [[ ${CPUPROFILE:-} == 1 && $i == "$COUNT" ]]; then
		dir=$(dirname "$out")
		prof=(-test.cpuprofile "$dir/cpu.pprof" -test.memprofile "$dir/mem.pprof")
	fi
	nice -n "${NICE:-0}" "$tmp/bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem \
		-test.benchtime "$BENCHTIME" -test.count 1 "${prof[@]}" >>"$out"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" | tee -a "$out" >&2

bs="$tmp/bin/benchstat"
echo
echo "== all benchmarks"
"$bs" "$out"
if grep -q '^BenchmarkHotPath' "$out"; then
	echo
	echo "== hot path, implementations side by side (ratios to impl=floor)"
	"$bs" -filter '.name:HotPath' -col /impl@'(floor none floor-ctx unrolled secureheaders)' "$out"
fi
if [[ -z ${OUT:-} ]]; then
	echo "(raw results were in a temporary file; set OUT=path to keep them)" >&2
fi
