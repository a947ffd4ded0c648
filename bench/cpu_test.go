package bench

import (
	"testing"
	"time"
)

// cpuMeter reports CPU nanoseconds per op next to ns/op. On a shared
// machine, wall time counts the time the benchmark waited for a core while
// other processes ran; CPU time counts only the work done, so it is the
// steadier measure when the machine is busy.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	t, ok := cpuTime()
	return cpuMeter{t, ok}
}

// report must run after the b.Loop (or RunParallel) that it brackets: b.N is
// then the number of iterations that ran in it.
func (m cpuMeter) report(b *testing.B) {
	end, ok := cpuTime()
	if !m.ok || !ok || b.N == 0 {
		return
	}
	b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
}
