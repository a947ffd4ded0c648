package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// startDemo runs serve on loopback ports chosen by the kernel and returns
// the two base URLs; the server stops when the test ends.
func startDemo(t *testing.T) (httpURL, httpsURL string) {
	t.Helper()
	h, s := startServe(t, serveConfig{stdout: io.Discard, logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return "http://" + h, "https://" + s
}

// startServe runs serve with c on loopback ports chosen by the kernel and
// returns the two addresses; the server stops when the test ends.
func startServe(t *testing.T, c serveConfig) (httpAddr, httpsAddr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan [2]net.Addr, 1)
	done := make(chan error, 1)
	c.httpAddr, c.httpsAddr = "127.0.0.1:0", "127.0.0.1:0"
	c.ready = func(h, s net.Addr) { ready <- [2]net.Addr{h, s} }
	go func() { done <- serve(ctx, c) }()
	var addrs [2]net.Addr
	select {
	case addrs = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve shutdown: %v", err)
		}
	})
	return addrs[0].String(), addrs[1].String()
}

func demoClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{InsecureSkipVerify: true}, // the demo's self-signed certificate
			MaxIdleConnsPerHost: 16,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

func TestServeDemo(t *testing.T) {
	httpURL, httpsURL := startDemo(t)
	c := demoClient()

	resp, err := c.Get(httpURL + "/page?q=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != httpsURL+"/page?q=1" {
		t.Errorf("HTTP GET: %d Location %q, want 302 to %s/page?q=1", resp.StatusCode, resp.Header.Get("Location"), httpsURL)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}

	resp, err = c.Get(httpsURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cspValue := resp.Header.Get("Content-Security-Policy")
	i := strings.Index(cspValue, "'nonce-")
	if i < 0 {
		t.Fatalf("CSP has no nonce: %q", cspValue)
	}
	nonce, _, _ := strings.Cut(cspValue[i+len("'nonce-"):], "'")
	if !bytes.Contains(body, []byte(`<script nonce="`+nonce+`">`)) {
		t.Errorf("page does not use the header's nonce %q", nonce)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent to an IP-literal host (127.0.0.1)")
	}

	resp, err = c.Get(httpURL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("skipped path /healthz over HTTP: %d, want 200", resp.StatusCode)
	}

	report := `{"csp-report":{"document-uri":"https://localhost/","violated-directive":"script-src-elem","effective-directive":"script-src-elem","original-policy":"default-src 'self'","disposition":"enforce","blocked-uri":"inline","status-code":200}}`
	resp, err = c.Post(httpsURL+"/csp-report", "application/csp-report", strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("report POST: %d, want 204", resp.StatusCode)
	}

	// The report reaches the dashboard (the receiver's worker hands it to
	// the aggregator asynchronously), served to this loopback client.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err = c.Get(httpsURL + "/reports?format=json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`"blocked":"inline"`)) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !bytes.Contains(body, []byte(`"blocked":"inline"`)) {
		t.Errorf("dashboard JSON (%d) lacks the report: %s", resp.StatusCode, body)
	}
}

// TestServeDemoAllowsOnlyLoopbackHosts is issue 12 item 9 (the demo's
// part): with its default options the demo answers only for the loopback
// names it binds, so a forged Host gets 400, not a redirect to itself, and
// none of them gets HSTS.
func TestServeDemoAllowsOnlyLoopbackHosts(t *testing.T) {
	httpURL, httpsURL := startDemo(t)
	c := demoClient()
	for _, tt := range []struct {
		base, host string
		want       int
	}{
		{httpURL, "evil.example", http.StatusBadRequest},
		{httpURL, "evil.example:8443", http.StatusBadRequest},
		{httpsURL, "evil.example", http.StatusBadRequest},
		{httpURL, "localhost", http.StatusFound},
		{httpURL, "[::1]", http.StatusFound},
		{httpsURL, "localhost", http.StatusOK},
		{httpsURL, "[::1]:8443", http.StatusOK},
	} {
		req, err := http.NewRequest("GET", tt.base+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s with Host %q: %d Location %q, want %d", tt.base, tt.host, resp.StatusCode, resp.Header.Get("Location"), tt.want)
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s with Host %q: HSTS sent to a loopback host", tt.base, tt.host)
		}
	}
}

func TestServeTimeouts(t *testing.T) {
	s := newServer(http.NotFoundHandler(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 {
		t.Errorf("server timeouts not all set: %+v", s)
	}
	if s.MaxHeaderBytes <= 0 || s.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d, want a bound under 1 MiB", s.MaxHeaderBytes)
	}
}

// TestServeSoak sends bounded mixed traffic to the demo on loopback: normal
// pages, redirects, oversized and malformed reports, and slow-body clients.
// No response may be a 5xx, and goroutines and RSS must come back down.
func TestServeSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped with -short")
	}
	httpURL, httpsURL := startDemo(t)
	c := demoClient()
	// Warm up so the baseline includes the servers' steady state.
	for range 20 {
		if resp, err := c.Get(httpsURL + "/"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	c.CloseIdleConnections()
	runtime.GC()
	goroutinesBefore, rssBefore := runtime.NumGoroutine(), rssKiB(t)

	const workers, perWorker = 8, 400
	var requests, fivexx, errs atomic.Int64
	statuses := sync.Map{}
	big := strings.Repeat("x", 200<<10)
	kinds := []func() (*http.Response, error){
		func() (*http.Response, error) { return c.Get(httpsURL + "/") },
		func() (*http.Response, error) { return c.Get(httpsURL + "/headers") },
		func() (*http.Response, error) { return c.Get(httpURL + "/somewhere?x=" + strings.Repeat("a", 2000)) },
		func() (*http.Response, error) {
			return c.Post(httpURL+"/form", "application/x-www-form-urlencoded", strings.NewReader("a=b"))
		},
		func() (*http.Response, error) {
			return c.Post(httpsURL+"/csp-report", "application/csp-report", strings.NewReader(`{"csp-report":{"document-uri":"https://x/"`+big+`}`))
		},
		func() (*http.Response, error) {
			return c.Post(httpsURL+"/csp-report", "application/csp-report", strings.NewReader(`{"csp-report": [`))
		},
		func() (*http.Response, error) {
			return c.Post(httpsURL+"/csp-report", "text/plain", strings.NewReader("hello"))
		},
		func() (*http.Response, error) {
			req, _ := http.NewRequest(http.MethodGet, httpsURL+"/", nil)
			req.Host = "other.example" // the demo allows any syntactically valid host
			return c.Do(req)
		},
	}
	deadline := time.Now().Add(60 * time.Second)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				if time.Now().After(deadline) {
					return
				}
				resp, err := kinds[(w+i)%len(kinds)]()
				requests.Add(1)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				n, _ := statuses.LoadOrStore(resp.StatusCode, new(atomic.Int64))
				n.(*atomic.Int64).Add(1)
				if resp.StatusCode >= 500 {
					fivexx.Add(1)
				}
			}
		})
	}
	// Slow clients: headers sent a byte at a time, then a body that never
	// finishes. The server's timeouts must cut them off, not pile them up.
	for range 4 {
		wg.Go(func() { slowClient(t, strings.TrimPrefix(httpURL, "http://")) })
	}
	wg.Wait()
	c.CloseIdleConnections()

	var after int
	for range 50 { // goroutines of closed connections wind down
		runtime.GC()
		if after = runtime.NumGoroutine(); after <= goroutinesBefore+2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	rssAfter := rssKiB(t)
	var summary []string
	statuses.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%d×%d", k, v.(*atomic.Int64).Load()))
		return true
	})
	t.Logf("soak: %d requests (%d client errors), statuses %v; goroutines %d → %d; RSS %d KiB → %d KiB",
		requests.Load(), errs.Load(), summary, goroutinesBefore, after, rssBefore, rssAfter)
	if fivexx.Load() > 0 {
		t.Errorf("%d responses were 5xx", fivexx.Load())
	}
	if after > goroutinesBefore+2 {
		t.Errorf("goroutines grew from %d to %d", goroutinesBefore, after)
	}
	if rssAfter-rssBefore > 64<<10 {
		t.Errorf("RSS grew by %d KiB (from %d to %d)", rssAfter-rssBefore, rssBefore, rssAfter)
	}
}

// slowClient opens a connection, dribbles a request line and a few headers,
// and checks that the server hangs up within its header timeout.
func slowClient(t *testing.T, addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Errorf("slow client: %v", err)
		return
	}
	defer conn.Close()
	start := time.Now()
	for _, b := range []byte("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ") {
		if _, err := conn.Write([]byte{b}); err != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := bufio.NewReader(conn).ReadByte(); err == nil {
		// The server may answer 408 before closing; then it must close.
		io.Copy(io.Discard, conn)
	}
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Errorf("slow client held its connection for %v", elapsed)
	}
}

// rssKiB reads this process's resident set size from /proc.
func rssKiB(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}
