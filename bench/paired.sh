#!/usr/bin/env bash
# paired.sh — run the paired benchmarks (paired_test.go, pairs_test.go,
# e2e_test.go) and print, for each ratio of the performance table, the
# median of each run's median ratio and the range of those medians.
#
# Two modes, each a full set of runs:
#   cpu   the CPU time of the benchmark's thread, the garbage collector run
#         between rounds: the work each request does, steady on a busy
#         machine, but allocations count only as the allocator's work;
#   wall  wall-clock time with the collector running as in a server: what
#         a request costs a loaded machine, collection included (noisier).
# The end-to-end benchmark always uses the wall clock.
#
# Environment:
#   COUNT=3        runs of the whole set per mode (the range is over them)
#   ROUNDS=200     ABBA rounds per run of a paired benchmark
#   BENCH=.        which cases (regular expression on the case name)
#   MODES=cpu wall which modes to run
#   OUT=           file that keeps the raw output (default: a temporary one)
#   BIN=           a test binary built before (go test -c) to run instead of
#                  building this tree's: how a before/after pair is measured
set -euo pipefail

cd "$(dirname "$0")"
COUNT=${COUNT:-3}
ROUNDS=${ROUNDS:-200}
BENCH=${BENCH:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp/paired.txt}

echo "# $(go version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" | tee "$out"
MODES=${MODES:-cpu wall}
echo "# COUNT=$COUNT ROUNDS=$ROUNDS BENCH=$BENCH MODES=$MODES" | tee -a "$out"
bin=${BIN:-$tmp/bench.test}
[[ -n ${BIN:-} ]] || go test -c -o "$bin" .
for mode in $MODES; do
	case $mode in
	cpu) env=(PAIR_CLOCK=thread PAIR_GC=rounds) ;;
	wall) env=(PAIR_CLOCK=wall PAIR_GC=on) ;;
	*) echo "unknown mode $mode" >&2; exit 2 ;;
	esac
	bench="^BenchmarkPaired\$/$BENCH"
	if [[ $mode == wall ]]; then
		bench="^Benchmark(Paired|EndToEnd)\$/$BENCH"
	fi
	env "${env[@]}" "$bin" -test.run '^$' -test.bench "$bench" -test.benchtime "${ROUNDS}x" \
		-test.count "$COUNT" | sed "s/PAIR /PAIR $mode /" >>"$out"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" | tee -a "$out"

# A PAIR line: "PAIR mode case | B/A | ratio R (rounds p10-p90 L-H, n=N) | A … | B …".
grep -h 'PAIR ' "$out" | sed 's/^.*PAIR //' | awk -F' [|] ' '
{
	c = $1; split($3, f, " "); r = f[2] + 0
	n[c]++; v[c, n[c]] = r; pair[c] = $2
	sides[c] = $4 " | " $5
	if (!(c in seen)) { seen[c] = 1; order[++k] = c }
}
END {
	printf "%-21s %-26s %8s  %-15s  %s\n", "mode case", "ratio", "median", "range of runs", "last run (A | B)"
	for (i = 1; i <= k; i++) {
		c = order[i]; m = n[c]
		for (a = 1; a <= m; a++) s[a] = v[c, a]
		for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
		med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
		printf "%-21s %-26s %8.3f  %.3f-%.3f  %s\n", c, pair[c], med, s[1], s[m], sides[c]
	}
}'
