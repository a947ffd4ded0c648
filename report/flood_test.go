package report

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// reportHeapInUse returns the live heap after a full collection (two, so
// that sync.Pool caches are emptied too).
func reportHeapInUse() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestReportHandlerFlood sends ~50k requests from many goroutines and many
// (spoofed) addresses at a handler whose sink is stuck: the queue must stay
// bounded, the heap flat and, after Close, no goroutine must be left.
func TestReportHandlerFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood test skipped in -short mode")
	}
	const (
		workers    = 64
		perWorker  = 800
		queueSize  = 256
		maxBytes   = 4 << 10
		heapMargin = 8 << 20
	)
	goroutinesBefore := runtime.NumGoroutine()
	heapBefore := reportHeapInUse()

	release := make(chan struct{})
	var sinkCalls atomic.Int64
	h, err := NewHandler(Options{
		MaxBytes: maxBytes, QueueSize: queueSize, RatePerSecond: 1, Burst: 4,
		AllowedOrigins: []string{"*"},
	}, func(ctx context.Context, r Report) {
		sinkCalls.Add(1)
		select { // stuck until the end of the flood
		case <-release:
		case <-ctx.Done():
		}
	}, nil)
	if err != nil {
		t.Fatal(err)
	}

	longField := strings.Repeat("A", 8*reportMaxField) // cut to reportMaxField when kept
	var statuses [600]atomic.Int64
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := range perWorker {
				n := g*perWorker + i
				var body, ct string
				switch n % 10 {
				case 0:
					ct, body = "application/csp-report", `{"csp-report":`
				case 1:
					ct, body = "application/csp-report", `{"csp-report":{"document-uri":"`+strings.Repeat("x", maxBytes)+`"}}`
				case 2:
					ct, body = "text/plain", "hello"
				case 3:
					ct, body = "application/reports+json", `[{"type":"deprecation","body":{"id":"`+strconv.Itoa(n)+`"}},{"type":"csp-violation","body":{"documentURL":"https://a.example/`+strconv.Itoa(n)+`"}}]`
				default:
					ct, body = "application/csp-report", `{"csp-report":{"document-uri":"https://a.example/`+strconv.Itoa(n)+`","script-sample":"`+longField[:min(len(longField), maxBytes-200)]+`"}}`
				}
				r := httptest.NewRequest(http.MethodPost, "/csp-report", strings.NewReader(body))
				r.Header.Set("Content-Type", ct)
				r.Header.Set("Origin", "https://a.example")
				// A different /64 for most requests, as from spoofed IPv6 sources.
				r.RemoteAddr = "[2001:db8:" + strconv.FormatUint(uint64(n>>16), 16) + ":" + strconv.FormatUint(uint64(n&0xffff), 16) + "::1]:443"
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				statuses[w.Code].Add(1)
			}
		})
	}
	wg.Wait()

	s := h.Stats()
	heapAfter := reportHeapInUse()
	total := uint64(workers * perWorker)
	growth := int64(heapAfter) - int64(heapBefore)
	t.Logf("%d requests: 204=%d 400=%d 413=%d 415=%d 429=%d; stats %s",
		total, statuses[204].Load(), statuses[400].Load(), statuses[413].Load(), statuses[415].Load(), statuses[429].Load(), s)
	t.Logf("heap before %d KiB, after %d KiB, growth %+d KiB (margin %d KiB)",
		heapBefore>>10, heapAfter>>10, growth>>10, heapMargin>>10)

	var answered uint64
	for code := range statuses {
		n := uint64(statuses[code].Load())
		switch code {
		case 204, 400, 413, 415, 429:
		default:
			if n != 0 {
				t.Errorf("%d requests answered %d", n, code)
			}
		}
		answered += n
	}
	if answered != total {
		t.Errorf("%d requests answered, want %d", answered, total)
	}
	if s.Queued > queueSize {
		t.Errorf("Queued = %d, want at most QueueSize = %d", s.Queued, queueSize)
	}
	if s.Accepted > queueSize+1 { // the queue plus the one report stuck in the sink
		t.Errorf("Accepted = %d with a stuck sink, want at most %d", s.Accepted, queueSize+1)
	}
	if s.Dropped == 0 || s.Malformed == 0 || s.TooLarge == 0 || s.UnsupportedType == 0 {
		t.Errorf("the flood did not exercise every path: %s", s)
	}
	if growth > heapMargin {
		t.Errorf("heap grew by %d KiB during the flood, want at most %d KiB", growth>>10, heapMargin>>10)
	}

	close(release)
	h.Close()
	if got := h.Stats(); got.Delivered != got.Accepted || got.Queued != 0 {
		t.Errorf("after Close: %s; want every accepted report delivered", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutinesBefore {
		t.Errorf("%d goroutines after Close, want at most %d as before", n, goroutinesBefore)
	}
}
