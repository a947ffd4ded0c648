package bench

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// hstsPatches alternate HSTS max-age between one and two years: each Update
// builds and swaps in a new compiled generation.
var hstsPatches = [2]policy.Policy{
	{HSTS: &hsts.Policy{MaxAge: 2 * 365 * 24 * time.Hour, IncludeSubDomains: true, Preload: true}},
	{HSTS: &hsts.Policy{MaxAge: 365 * 24 * time.Hour, IncludeSubDomains: true, Preload: true}},
}

// updater calls Update with alternating patches every interval (0: as fast
// as it can) until stop is closed, counting the swaps.
func updater(tb testing.TB, sh *secureheaders.Engine, every time.Duration, stop <-chan struct{}, swaps *atomic.Int64) {
	var tick <-chan time.Time
	if every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for i := 0; ; i++ {
		if tick != nil {
			select {
			case <-stop:
				return
			case <-tick:
			}
		} else {
			select {
			case <-stop:
				return
			default:
			}
		}
		if err := sh.Update(hstsPatches[i%2]); err != nil {
			tb.Error(err)
			return
		}
		swaps.Add(1)
	}
}

// BenchmarkSwap serves the hot path from every P (b.RunParallel, minimal
// writer per goroutine) while another goroutine swaps the policy with
// Update: never (update=none), every millisecond, or back to back
// (update=busy, which on a small machine also takes a core from serving).
// swaps/s counts the generations swapped in during the run.
func BenchmarkSwap(b *testing.B) {
	for _, mode := range []struct {
		name  string
		every time.Duration // <0: no updater
	}{{"none", -1}, {"1ms", time.Millisecond}, {"busy", 0}} {
		b.Run("update="+mode.name, func(b *testing.B) {
			sh := newEngine(b, appOptions(true))
			h := sh.Handler(app)
			var swaps atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			if mode.every >= 0 {
				wg.Go(func() { updater(b, sh, mode.every, stop, &swaps) })
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				w, r := newMinimalWriter(), newSecureRequest(requestPath)
				served := false
				for pb.Next() {
					w.reset()
					h.ServeHTTP(w, r)
					served = true
				}
				if served && w.status != http.StatusOK {
					b.Errorf("status %d, want 200", w.status)
				}
			})
			close(stop)
			wg.Wait()
			cpu.report(b)
			b.ReportMetric(float64(swaps.Load())/b.Elapsed().Seconds(), "swaps/s")
		})
	}
}

// BenchmarkUpdate is the cost of one run-time Update (validate, compile,
// recompile every route, swap) with 0 or 10 routes wrapped in code.
func BenchmarkUpdate(b *testing.B) {
	for _, n := range []int{0, 10} {
		b.Run(benchName("routes", itoa(n)), func(b *testing.B) {
			sh := newEngine(b, appOptions(true))
			for i := range n {
				if _, err := sh.Route(routeOverride(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			cpu := startCPU()
			i := 0
			for b.Loop() {
				if err := sh.Update(hstsPatches[i%2]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			cpu.report(b)
		})
	}
}
