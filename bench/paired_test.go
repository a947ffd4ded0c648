package bench

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// This file is the paired harness. On a machine shared with other jobs, two
// benchmarks run one after the other see different loads, so their ratio
// says more about the neighbours than about the code. A paired benchmark
// runs the baseline (A) and the candidate (B) inside one benchmark, in
// short slices ordered A B B A in one round and B A A B in the next: a burst of load lasting
// longer than a slice lands on both, and a trend within the round cancels
// out. Each round gives one ratio B/A; the benchmark reports the median
// ratio and the 10th-90th percentile range of the rounds (a round that
// lost its core for a whole slice is an outlier the median ignores), and
// each side's median ns/op.
//
// Two more things keep a round's slices comparable. Time is the CPU time
// of the benchmark's own thread (it is locked to one), so a slice does not
// count the time it waited for a core; where that clock is missing, wall
// time. And the garbage collector runs between rounds, not inside them (it
// is off for the round): a collection would otherwise land on whichever
// slice happened to cross the heap goal, and its cost, proportional to
// the whole heap, would widen the rounds' spread several times over. So
// the ratio compares the work each request does; what each side leaves to
// the collector is reported beside it as B/op and allocs/op.
//
// Run them with ./paired.sh, which repeats the whole set and prints one
// table.

// pairSlice is how many operations one slice times: short enough that a
// round (four slices) stays within a few milliseconds for the request
// paths.
const pairSlice = 1024

// pairSide is one implementation of a paired benchmark: op does one
// operation (one request); name labels its metrics.
type pairSide struct {
	name string
	op   func()
}

// pairResult is what paired measured.
type pairResult struct {
	ratio            []float64 // B/A, one per round
	aNs, bNs         []float64 // ns/op, one per round
	aAllocs, bAllocs float64
	aBytes, bBytes   float64
}

// paired runs a and b in ABBA (then BAAB) rounds of slice operations, one round per
// b.Loop iteration, and reports the median ratio B/A (ratio), the 10th
// and 90th percentiles over the rounds (ratio-p10, ratio-p90), each
// side's median ns/op and
// each side's allocations and bytes per operation. The same line is
// logged, for paired.sh.
func paired(b *testing.B, slice int, a, c pairSide) pairResult {
	b.Helper()
	var res pairResult
	// Warm both sides up (caches, lazily compiled layers).
	for range slice {
		a.op()
		c.op()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_, useCPU := threadCPU()
	useCPU = useCPU && os.Getenv("PAIR_CLOCK") != "wall"
	gcOn := os.Getenv("PAIR_GC") == "on"
	clock := func() int64 {
		if useCPU {
			t, _ := threadCPU()
			return t
		}
		return time.Now().UnixNano()
	}
	timeSlice := func(op func()) float64 {
		start := clock()
		for range slice {
			op()
		}
		return float64(clock() - start)
	}
	if !gcOn {
		gc := debug.SetGCPercent(-1)
		defer debug.SetGCPercent(gc)
	}
	for round := 0; b.Loop(); round++ {
		if !gcOn {
			runtime.GC()
		}
		// The first slice after a collection meets cold caches: warm
		// both sides up untimed, and swap the order every other round
		// (A B B A, then B A A B).
		for range slice / 8 {
			a.op()
			c.op()
		}
		first, second := a.op, c.op
		if round%2 == 1 {
			first, second = c.op, a.op
		}
		t1 := timeSlice(first)
		t2 := timeSlice(second)
		t2 += timeSlice(second)
		t1 += timeSlice(first)
		ta, tb := t1, t2
		if round%2 == 1 {
			ta, tb = t2, t1
		}
		na, nb := ta/float64(2*slice), tb/float64(2*slice)
		res.aNs, res.bNs = append(res.aNs, na), append(res.bNs, nb)
		res.ratio = append(res.ratio, nb/na)
	}
	b.StopTimer()
	res.aAllocs, res.aBytes = allocsOf(a.op)
	res.bAllocs, res.bBytes = allocsOf(c.op)
	lo, med, hi := spread(res.ratio)
	b.ReportMetric(med, "ratio")
	b.ReportMetric(lo, "ratio-p10")
	b.ReportMetric(hi, "ratio-p90")
	_, an, _ := spread(res.aNs)
	_, bn, _ := spread(res.bNs)
	b.ReportMetric(an, a.name+"-ns/op")
	b.ReportMetric(bn, c.name+"-ns/op")
	b.ReportMetric(res.aBytes, a.name+"-B/op")
	b.ReportMetric(res.bBytes, c.name+"-B/op")
	b.ReportMetric(res.aAllocs, a.name+"-allocs/op")
	b.ReportMetric(res.bAllocs, c.name+"-allocs/op")
	b.Logf("PAIR %s | %s/%s | ratio %.3f (rounds p10-p90 %.3f-%.3f, n=%d) | %s %.0f ns %.0f B %.1f allocs | %s %.0f ns %.0f B %.1f allocs",
		strings.TrimPrefix(b.Name(), "BenchmarkPaired/"), c.name, a.name, med, lo, hi, len(res.ratio),
		a.name, an, res.aBytes, res.aAllocs, c.name, bn, res.bBytes, res.bAllocs)
	return res
}

// allocsOf returns the allocations and bytes of one op, averaged over
// 1000 runs.
func allocsOf(op func()) (allocs, bytes float64) {
	const runs = 1000
	op()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		op()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / runs, float64(after.TotalAlloc-before.TotalAlloc) / runs
}

// spread returns the 10th percentile, the median and the 90th percentile
// of xs (nearest rank; zeros when empty).
func spread(xs []float64) (p10, med, p90 float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return s[n/10], med, s[n-1-n/10]
}

// TestSpread pins the median and range paired reports.
func TestSpread(t *testing.T) {
	tests := []struct {
		in          []float64
		lo, med, hi float64
	}{
		{nil, 0, 0, 0},
		{[]float64{3}, 3, 3, 3},
		{[]float64{3, 1, 2}, 1, 2, 3},
		{[]float64{4, 1, 3, 2}, 1, 2.5, 4},
		// Ten values: the lowest and highest are outside p10-p90.
		{[]float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 2, 5.5, 9},
	}
	for _, tt := range tests {
		lo, med, hi := spread(tt.in)
		if got, want := fmt.Sprint(lo, med, hi), fmt.Sprint(tt.lo, tt.med, tt.hi); got != want {
			t.Errorf("spread(%v) = %s, want %s", tt.in, got, want)
		}
	}
}
