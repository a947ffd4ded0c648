package bench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/unrolled/secure"
)

// The end-to-end benchmark: real loopback servers (127.0.0.1, started by
// httptest), one Go client with keep-alive, GET requests one after the
// other. Every implementation serves the same page with the nonce
// policy, the application reading the nonce it was told.
//
// The four servers are interleaved like the paired benchmarks: each round
// sends a slice of requests to each server, in an order that reverses
// every round, and times it by the wall clock (the work is spread over
// the client's and the server's goroutines, so no one thread's CPU time
// says it). Each round gives each server's time per request; the ratios
// to the floor's, and their medians over the rounds, are reported.

// e2eSlice is how many requests one slice sends to one server.
const e2eSlice = 200

// e2eOptions is appOptions for a server whose proxy is the loopback
// client: it trusts 127.0.0.0/8 to tell the scheme.
func e2eOptions() *secureheaders.Options {
	o := appOptions(true)
	o.TrustedProxies = []string{"127.0.0.0/8"}
	return o
}

type e2eServer struct {
	name string
	h    http.Handler
}

func e2eServers(tb testing.TB) []e2eServer {
	app := func(nonceOf func(*http.Request) string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if nonceOf != nil && nonceOf(r) == "" {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			io.WriteString(w, "<!doctype html><title>page</title>")
		})
	}
	return []e2eServer{
		{"bare", app(nil)},
		{"floor", floorOne(app(floorOneNonce))},
		{"unrolled", newUnrolled(true).Handler(app(func(r *http.Request) string { return secure.CSPNonce(r.Context()) }))},
		{"ours", newEngine(tb, e2eOptions()).Handler(app(secureheaders.Nonce))},
	}
}

// get sends one keep-alive GET and drains the body.
func get(tb testing.TB, c *http.Client, url string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set(protoHeader, "https")
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("%s: status %d", url, resp.StatusCode)
	}
}

// BenchmarkEndToEnd runs one round per b.Loop iteration and reports, for
// each server, the median ratio of its time per request to the floor's
// (ratio-<name>) and the servers' median requests per second.
func BenchmarkEndToEnd(b *testing.B) {
	b.Run("e2e", benchmarkEndToEnd)
}

func benchmarkEndToEnd(b *testing.B) {
	servers := e2eServers(b)
	urls := make([]string, len(servers))
	for i, s := range servers {
		ts := httptest.NewServer(s.h)
		defer ts.Close()
		urls[i] = ts.URL + requestPath
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	defer c.CloseIdleConnections()
	for _, u := range urls { // open the connections, warm up
		for range e2eSlice {
			get(b, c, u)
		}
	}
	per := make([][]float64, len(servers)) // ns per request, by server, one per round
	order := make([]int, len(servers))
	for i := range order {
		order[i] = i
	}
	for b.Loop() {
		for _, i := range order {
			start := time.Now()
			for range e2eSlice {
				get(b, c, urls[i])
			}
			per[i] = append(per[i], float64(time.Since(start).Nanoseconds())/e2eSlice)
		}
		slices.Reverse(order)
	}
	b.StopTimer()
	const floor = 1
	for i, s := range servers {
		ratios := make([]float64, len(per[i]))
		for r := range per[i] {
			ratios[r] = per[i][r] / per[floor][r]
		}
		lo, med, hi := spread(ratios)
		_, ns, _ := spread(per[i])
		b.ReportMetric(med, "ratio-"+s.name)
		b.ReportMetric(1e9/ns, "req/s-"+s.name)
		if i != floor {
			b.Logf("PAIR e2e-%s | %s/floor time | ratio %.3f (rounds p10-p90 %.3f-%.3f, n=%d) | floor %.0f req/s | %s %.0f req/s (%s)",
				s.name, s.name, med, lo, hi, len(ratios), 1e9/medianOf(per[floor]), s.name, 1e9/ns, reqPerSecRatio(med))
		}
	}
}

func medianOf(xs []float64) float64 {
	_, m, _ := spread(xs)
	return m
}

// reqPerSecRatio turns a time ratio into the ratio of requests per second.
func reqPerSecRatio(timeRatio float64) string {
	return fmt.Sprintf("%.3fx the floor's req/s", 1/timeRatio)
}

// TestEndToEndSame checks that the end-to-end servers all answer 200 with
// the nonce policy, over real loopback connections.
func TestEndToEndSame(t *testing.T) {
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	for _, s := range e2eServers(t) {
		t.Run(s.name, func(t *testing.T) {
			ts := httptest.NewServer(s.h)
			defer ts.Close()
			req, _ := http.NewRequest(http.MethodGet, ts.URL+requestPath, nil)
			req.Header.Set(protoHeader, "https")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if s.name != "bare" && resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
		})
	}
}
