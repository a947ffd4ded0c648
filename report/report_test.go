package report

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// reportCollector is a sink that keeps what it receives.
type reportCollector struct {
	mu  sync.Mutex
	got []Report
}

func (c *reportCollector) sink(_ context.Context, r Report) {
	c.mu.Lock()
	c.got = append(c.got, r)
	c.mu.Unlock()
}

func (c *reportCollector) reports() []Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Report(nil), c.got...)
}

// newTestReportHandler builds a handler on a fake clock (returned, in
// nanoseconds) and closes it when the test ends.
func newTestReportHandler(t testing.TB, opts Options, sink Sink) (*Handler, *atomic.Int64) {
	t.Helper()
	h, err := NewHandler(opts, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := new(atomic.Int64)
	h.now = clock.Load
	t.Cleanup(h.Close)
	return h, clock
}

// reportRequest builds a request as a browser would send it.
func reportRequest(method, contentType, body string) *http.Request {
	r := httptest.NewRequest(method, "/csp-report", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("User-Agent", reportTestUA)
	r.RemoteAddr = "192.0.2.10:51000"
	return r
}

func serveReport(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const reportTestLegacy = `{"csp-report":{"document-uri":"https://a.example/","blocked-uri":"inline","effective-directive":"script-src-elem"}}`

func TestReportHandlerStatus(t *testing.T) {
	cors := Options{AllowedOrigins: []string{"https://shop.example"}}
	tests := []struct {
		name       string
		opts       Options
		method, ct string
		body       string
		edit       func(*http.Request)
		before     int // identical requests sent first
		wantStatus int
		wantHeader http.Header
	}{
		{name: "legacy", method: "POST", ct: "application/csp-report", body: reportTestLegacy,
			wantStatus: 204, wantHeader: http.Header{}},
		{name: "reporting api", method: "POST", ct: "application/reports+json", body: `[{"type":"csp-violation","body":{}}]`,
			wantStatus: 204, wantHeader: http.Header{}},
		{name: "empty batch", method: "POST", ct: "application/reports+json", body: `[]`,
			wantStatus: 204, wantHeader: http.Header{}},
		{name: "json with charset", method: "POST", ct: "application/json; charset=utf-8", body: reportTestLegacy,
			wantStatus: 204, wantHeader: http.Header{}},
		{name: "GET", method: "GET",
			wantStatus: 405, wantHeader: http.Header{"Allow": {"POST, OPTIONS"}}},
		{name: "PUT", method: "PUT", ct: "application/csp-report", body: reportTestLegacy,
			wantStatus: 405, wantHeader: http.Header{"Allow": {"POST, OPTIONS"}}},
		{name: "form", method: "POST", ct: "application/x-www-form-urlencoded", body: "a=b",
			wantStatus: 415, wantHeader: http.Header{"Accept-Post": {"application/reports+json, application/csp-report, application/json"}}},
		{name: "no content type", method: "POST", body: reportTestLegacy,
			wantStatus: 415, wantHeader: http.Header{"Accept-Post": {"application/reports+json, application/csp-report, application/json"}}},
		{name: "malformed", method: "POST", ct: "application/csp-report", body: `{"csp-report":`,
			wantStatus: 400, wantHeader: http.Header{}},
		{name: "empty body", method: "POST", ct: "application/csp-report",
			wantStatus: 400, wantHeader: http.Header{}},
		{name: "too large by length", opts: Options{MaxBytes: 16}, method: "POST", ct: "application/csp-report", body: reportTestLegacy,
			wantStatus: 413, wantHeader: http.Header{"Connection": {"close"}}},
		{name: "too large chunked", opts: Options{MaxBytes: 16}, method: "POST", ct: "application/csp-report", body: reportTestLegacy,
			edit: func(r *http.Request) { r.ContentLength = -1 }, wantStatus: 413, wantHeader: http.Header{}},
		{name: "exactly max bytes", opts: Options{MaxBytes: int64(len(reportTestLegacy))}, method: "POST", ct: "application/csp-report", body: reportTestLegacy,
			edit: func(r *http.Request) { r.ContentLength = -1 }, wantStatus: 204, wantHeader: http.Header{}},
		{name: "rate limited", opts: Options{RatePerSecond: 0.001, Burst: 2}, method: "POST", ct: "application/csp-report", body: reportTestLegacy,
			before: 2, wantStatus: 429, wantHeader: http.Header{"Retry-After": {"1"}}},
		{name: "rate limit before media type", opts: Options{RatePerSecond: 0.001, Burst: 1}, method: "POST", ct: "text/plain",
			before: 1, wantStatus: 429, wantHeader: http.Header{"Retry-After": {"1"}}},
		{name: "preflight", opts: cors, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://shop.example")
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", "content-type")
			},
			wantStatus: 204, wantHeader: http.Header{
				"Access-Control-Allow-Origin":  {"https://shop.example"},
				"Access-Control-Allow-Methods": {"POST"},
				"Access-Control-Allow-Headers": {"Content-Type"},
				"Access-Control-Max-Age":       {"86400"},
				"Vary":                         {"Origin"},
			}},
		{name: "preflight any origin", opts: Options{AllowedOrigins: []string{"*"}}, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://elsewhere.example:8443")
				r.Header.Set("Access-Control-Request-Method", "POST")
			},
			wantStatus: 204, wantHeader: http.Header{
				"Access-Control-Allow-Origin":  {"https://elsewhere.example:8443"},
				"Access-Control-Allow-Methods": {"POST"},
				"Access-Control-Allow-Headers": {"Content-Type"},
				"Access-Control-Max-Age":       {"86400"},
				"Vary":                         {"Origin"},
			}},
		{name: "preflight other origin", opts: cors, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://evil.example")
				r.Header.Set("Access-Control-Request-Method", "POST")
			},
			wantStatus: 403, wantHeader: http.Header{"Vary": {"Origin"}}},
		{name: "preflight origin differs in case", opts: cors, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://SHOP.example")
				r.Header.Set("Access-Control-Request-Method", "POST")
			},
			wantStatus: 403, wantHeader: http.Header{"Vary": {"Origin"}}},
		{name: "preflight without CORS configured", method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://shop.example")
				r.Header.Set("Access-Control-Request-Method", "POST")
			},
			wantStatus: 403, wantHeader: http.Header{}},
		{name: "preflight for PUT", opts: cors, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header.Set("Origin", "https://shop.example")
				r.Header.Set("Access-Control-Request-Method", "PUT")
			},
			wantStatus: 403, wantHeader: http.Header{"Vary": {"Origin"}}},
		{name: "preflight any origin refuses a control byte", opts: Options{AllowedOrigins: []string{"*"}}, method: "OPTIONS",
			edit: func(r *http.Request) {
				r.Header["Origin"] = []string{"https://a.example\x7f"}
				r.Header.Set("Access-Control-Request-Method", "POST")
			},
			wantStatus: 403, wantHeader: http.Header{"Vary": {"Origin"}}},
		{name: "plain OPTIONS", method: "OPTIONS",
			wantStatus: 204, wantHeader: http.Header{"Allow": {"POST, OPTIONS"}}},
		{name: "POST from allowed origin", opts: cors, method: "POST", ct: "application/reports+json", body: `[]`,
			edit:       func(r *http.Request) { r.Header.Set("Origin", "https://shop.example") },
			wantStatus: 204, wantHeader: http.Header{"Access-Control-Allow-Origin": {"https://shop.example"}, "Vary": {"Origin"}}},
		{name: "POST from other origin is processed without CORS headers", opts: cors, method: "POST", ct: "application/reports+json", body: `[]`,
			edit:       func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
			wantStatus: 204, wantHeader: http.Header{"Vary": {"Origin"}}},
		{name: "error from allowed origin keeps CORS headers", opts: cors, method: "POST", ct: "application/reports+json", body: `{`,
			edit:       func(r *http.Request) { r.Header.Set("Origin", "https://shop.example") },
			wantStatus: 400, wantHeader: http.Header{"Access-Control-Allow-Origin": {"https://shop.example"}, "Vary": {"Origin"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newTestReportHandler(t, tt.opts, func(context.Context, Report) {})
			req := func() *http.Request {
				r := reportRequest(tt.method, tt.ct, tt.body)
				if tt.edit != nil {
					tt.edit(r)
				}
				return r
			}
			for range tt.before {
				serveReport(h, req())
			}
			w := serveReport(h, req())
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantHeader, w.Header()); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if w.Body.Len() != 0 {
				t.Errorf("body = %q, want none", w.Body)
			}
		})
	}
}

func TestReportHandlerStatusCounters(t *testing.T) {
	// Burst 8: six POSTs get a token each on arrival, the batch of three two
	// more (a report costs a token), the seventh POST finds none.
	h, _ := newTestReportHandler(t, Options{MaxBytes: 256, RatePerSecond: 0.001, Burst: 8}, func(context.Context, Report) {})
	for _, req := range []*http.Request{
		reportRequest("POST", "application/csp-report", reportTestLegacy),
		reportRequest("POST", "application/csp-report", reportTestLegacy), // duplicate
		reportRequest("POST", "application/csp-report", `{`),
		reportRequest("POST", "text/plain", reportTestLegacy),
		reportRequest("POST", "application/csp-report", strings.Repeat(" ", 300)),
		reportRequest("GET", "", ""), // not counted
		reportRequest("POST", "application/reports+json", `[{"type":"a"},{"type":"b"},{"type":"a"}]`),
		reportRequest("POST", "application/csp-report", reportTestLegacy), // 7th POST: rate limited
	} {
		serveReport(h, req)
	}
	h.Close()
	want := Stats{Accepted: 3, Delivered: 3, Duplicates: 2, Malformed: 1, TooLarge: 1, UnsupportedType: 1, RateLimited: 1}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("Stats mismatch (-want +got):\n%s", diff)
	}
}

func TestReportHandlerFixtures(t *testing.T) {
	tests := []struct {
		file, contentType string
		want              []Report
	}{
		{"legacy.json", "application/csp-report", []Report{func() Report {
			r := reportWantLegacy
			r.UserAgent = reportTestUA // from the request header
			return r
		}()}},
		{"reporting-csp.json", "application/reports+json", []Report{reportWantCSP}},
		{"reporting-batch.json", "application/reports+json", reportWantBatch},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var c reportCollector
			h, _ := newTestReportHandler(t, Options{}, c.sink)
			req := reportRequest("POST", tt.contentType, string(readReportFixture(t, tt.file)))
			req.Header.Set("User-Agent", reportTestUA)
			if w := serveReport(h, req); w.Code != http.StatusNoContent {
				t.Fatalf("status = %d, want 204", w.Code)
			}
			h.Close() // delivers what is queued
			if diff := cmp.Diff(tt.want, c.reports()); diff != "" {
				t.Errorf("delivered reports mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReportHandlerUserAgentKept(t *testing.T) {
	var c reportCollector
	h, _ := newTestReportHandler(t, Options{}, c.sink)
	req := reportRequest("POST", "application/reports+json", `[{"type":"x","user_agent":"Reported/1.0"},{"type":"y"}]`)
	req.Header.Set("User-Agent", "Header/2.0")
	serveReport(h, req)
	h.Close()
	want := []Report{{Type: "x", UserAgent: "Reported/1.0"}, {Type: "y", UserAgent: "Header/2.0"}}
	if diff := cmp.Diff(want, c.reports()); diff != "" {
		t.Errorf("delivered reports mismatch (-want +got):\n%s", diff)
	}
}

func TestReportHandlerPreflightFixture(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "reports", "preflight.http"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	req, err := http.ReadRequest(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	req.RemoteAddr = "198.51.100.7:40000"
	h, _ := newTestReportHandler(t, Options{AllowedOrigins: []string{"https://www.shop.example", "https://shop.example"}}, nil)
	w := serveReport(h, req)
	if w.Code != http.StatusNoContent {
		t.Errorf("status = %d, want 204", w.Code)
	}
	want := http.Header{
		"Access-Control-Allow-Origin":  {"https://shop.example"},
		"Access-Control-Allow-Methods": {"POST"},
		"Access-Control-Allow-Headers": {"Content-Type"},
		"Access-Control-Max-Age":       {"86400"},
		"Vary":                         {"Origin"},
	}
	if diff := cmp.Diff(want, w.Header()); diff != "" {
		t.Errorf("header mismatch (-want +got):\n%s", diff)
	}
}

func TestReportHandlerPreflightHeadersNotShared(t *testing.T) {
	h, _ := newTestReportHandler(t, Options{AllowedOrigins: []string{"*"}}, nil)
	pre := func(origin string) http.Header {
		r := reportRequest("OPTIONS", "", "")
		r.Header.Set("Origin", origin)
		return serveReport(h, r).Header()
	}
	first := pre("https://a.example")
	first["Access-Control-Allow-Methods"][0] = "corrupted"
	second := pre("https://b.example")
	if got := second.Get("Access-Control-Allow-Methods"); got != "POST" {
		t.Errorf("a downstream change to one response's header leaked into the next: %q", got)
	}
}

func TestReportHandlerDedup(t *testing.T) {
	var c reportCollector
	h, clock := newTestReportHandler(t, Options{DedupWindow: time.Minute, RatePerSecond: 1e6}, c.sink)
	post := func(body, ua string) {
		t.Helper()
		r := reportRequest("POST", "application/reports+json", body)
		r.Header.Set("User-Agent", ua)
		if w := serveReport(h, r); w.Code != http.StatusNoContent {
			t.Fatalf("status = %d, want 204", w.Code)
		}
	}
	report := func(age int, url string) string {
		return `[{"type":"csp-violation","age":` + strconv.Itoa(age) + `,"body":{"documentURL":"` + url + `","blockedURL":"inline"}}]`
	}
	post(report(1, "https://a.example/"), "UA/1")
	post(report(999, "https://a.example/"), "UA/2") // other age and user agent: duplicate
	post(report(1, "https://b.example/"), "UA/1")   // other document: new
	clock.Add(int64(59 * time.Second))
	post(report(1, "https://a.example/"), "UA/1") // still inside the window
	clock.Add(int64(time.Second))
	post(report(1, "https://a.example/"), "UA/1") // window over: new
	clock.Add(int64(30 * time.Second))
	post(report(1, "https://a.example/"), "UA/1") // inside the new window
	h.Close()
	if got, want := h.Stats().Duplicates, uint64(3); got != want {
		t.Errorf("Duplicates = %d, want %d", got, want)
	}
	var urls []string
	for _, r := range c.reports() {
		urls = append(urls, r.URL)
	}
	if diff := cmp.Diff([]string{"https://a.example/", "https://b.example/", "https://a.example/"}, urls); diff != "" {
		t.Errorf("delivered URLs mismatch (-want +got):\n%s", diff)
	}
}

func TestReportHandlerRateLimit(t *testing.T) {
	h, clock := newTestReportHandler(t, Options{
		RatePerSecond: 1, Burst: 2, TrustedProxies: []string{"10.0.0.0/8"},
	}, func(context.Context, Report) {})
	status := func(remote, xff string) int {
		r := reportRequest("POST", "application/reports+json", `[]`)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		return serveReport(h, r).Code
	}
	steps := []struct {
		name, remote, xff string
		advance           time.Duration
		want              int
	}{
		{"first", "192.0.2.1:1", "", 0, 204},
		{"second", "192.0.2.1:2", "", 0, 204},
		{"burst spent", "192.0.2.1:3", "", 0, 429},
		{"another client", "192.0.2.2:1", "", 0, 204},
		{"half a token later", "192.0.2.1:4", "", 500 * time.Millisecond, 429},
		{"one token later", "192.0.2.1:5", "", 500 * time.Millisecond, 204},
		{"ipv6 client", "[2001:db8:1:2::1]:1", "", 0, 204},
		{"same /64", "[2001:db8:1:2::ffff]:1", "", 0, 204},
		{"same /64 spent", "[2001:db8:1:2:aaaa::1]:1", "", 0, 429},
		{"next /64", "[2001:db8:1:3::1]:1", "", 0, 204},
		{"behind trusted proxy", "10.1.1.1:1", "203.0.113.9", 0, 204},
		{"behind another trusted proxy", "10.2.2.2:1", "203.0.113.9", 0, 204},
		{"same client, third request", "10.3.3.3:1", "198.51.100.1, 203.0.113.9", 0, 429},
		{"untrusted peer's header ignored", "192.0.2.1:6", "203.0.113.77", 0, 429},
		{"refilled", "192.0.2.1:7", "", 10 * time.Second, 204},
	}
	for _, s := range steps {
		clock.Add(int64(s.advance))
		if got := status(s.remote, s.xff); got != s.want {
			t.Errorf("%s: status = %d, want %d", s.name, got, s.want)
		}
	}
}

func TestReportHandlerSlowSink(t *testing.T) {
	const queue = 8
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	h, _ := newTestReportHandler(t, Options{QueueSize: queue, RatePerSecond: 1e6, Burst: 1e6}, func(ctx context.Context, r Report) {
		select {
		case started <- struct{}{}:
		default:
		}
		select { // a sink stuck on a dead network
		case <-release:
		case <-ctx.Done():
		}
	})
	post := func(i int) int {
		body := `{"csp-report":{"document-uri":"https://a.example/` + strconv.Itoa(i) + `"}}`
		return serveReport(h, reportRequest("POST", "application/csp-report", body)).Code
	}
	if got := post(0); got != http.StatusNoContent {
		t.Fatalf("status = %d, want 204", got)
	}
	<-started // the worker now holds report 0 and is stuck
	const extra = 50
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= queue+extra; i++ {
			if got := post(i); got != http.StatusNoContent {
				t.Errorf("report %d: status = %d, want 204", i, got)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("ServeHTTP blocked behind a stuck sink")
	}
	s := h.Stats()
	want := Stats{Accepted: 1 + queue, Dropped: extra, Queued: queue}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Stats with a stuck sink mismatch (-want +got):\n%s", diff)
	}
	close(release)
	h.Close()
	if got := h.Stats(); got.Delivered != got.Accepted || got.Queued != 0 {
		t.Errorf("after Close: Delivered = %d, Accepted = %d, Queued = %d; want every accepted report delivered", got.Delivered, got.Accepted, got.Queued)
	}
}

func TestReportHandlerCloseCancelsSink(t *testing.T) {
	h, _ := newTestReportHandler(t, Options{}, func(ctx context.Context, r Report) {
		<-ctx.Done() // returns only when cancelled
	})
	serveReport(h, reportRequest("POST", "application/csp-report", reportTestLegacy))
	closed := make(chan struct{})
	go func() { h.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not cancel the sink's context")
	}
}

func TestReportHandlerClose(t *testing.T) {
	var c reportCollector
	h, _ := newTestReportHandler(t, Options{}, c.sink)
	serveReport(h, reportRequest("POST", "application/csp-report", reportTestLegacy))
	h.Close()
	h.Close() // idempotent
	w := serveReport(h, reportRequest("POST", "application/csp-report",
		`{"csp-report":{"document-uri":"https://after.example/"}}`))
	if w.Code != http.StatusNoContent {
		t.Errorf("status after Close = %d, want 204", w.Code)
	}
	want := Stats{Accepted: 1, Delivered: 1, Dropped: 1}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("Stats after Close mismatch (-want +got):\n%s", diff)
	}
	if got := len(c.reports()); got != 1 {
		t.Errorf("sink got %d reports, want 1 (none after Close)", got)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(h.Close) // concurrent Close calls all return
	}
	wg.Wait()
}

func TestReportHandlerSinkPanic(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	logger := reportTestLogger(&lockedWriter{w: &logs, mu: &mu})
	var calls atomic.Int32
	h, err := NewHandler(Options{}, func(context.Context, Report) {
		if calls.Add(1) == 1 {
			panic("sink bug")
		}
	}, logger)
	if err != nil {
		t.Fatal(err)
	}
	serveReport(h, reportRequest("POST", "application/reports+json", `[{"type":"a"},{"type":"b"}]`))
	h.Close()
	if got := calls.Load(); got != 2 {
		t.Errorf("sink called %d times, want 2 (the worker survives a panic)", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "level=ERROR msg=\"report sink panicked\" panic=\"sink bug\" type=a\n"; logs.String() != want {
		t.Errorf("log = %q, want %q", logs.String(), want)
	}
}

type lockedWriter struct {
	w  *strings.Builder
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestReportHandlerZeroValue(t *testing.T) {
	var h Handler
	defer h.Close()
	if got := h.Path(); got != "/csp-report" {
		t.Errorf("Path = %q, want /csp-report", got)
	}
	var logs strings.Builder
	var mu sync.Mutex
	old := slog.Default()
	t.Cleanup(func() { slog.SetDefault(old) })
	slog.SetDefault(reportTestLogger(&lockedWriter{w: &logs, mu: &mu}))
	if w := serveReport(&h, reportRequest("POST", "application/csp-report", reportTestLegacy)); w.Code != http.StatusNoContent {
		t.Errorf("status = %d, want 204", w.Code)
	}
	if w := serveReport(&h, reportRequest("GET", "", "")); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET status = %d, want 405", w.Code)
	}
	h.Close()
	if got := h.Stats().Delivered; got != 1 {
		t.Errorf("Delivered = %d, want 1", got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := `level=WARN msg="csp violation" type=csp-violation url=https://a.example/ blockedURL=inline effectiveDirective=script-src-elem violatedDirective=script-src-elem userAgent="` + reportTestUA + "\"\n"
	if logs.String() != want {
		t.Errorf("slog.Default got %q, want %q", logs.String(), want)
	}
}

func TestReportStatsString(t *testing.T) {
	s := Stats{Accepted: 1, Delivered: 2, Duplicates: 3, Dropped: 4, Malformed: 5, TooLarge: 6, UnsupportedType: 7, RateLimited: 8, OverRate: 9, OverBudget: 10, Queued: 1<<64 - 1}
	want := `{"accepted":1,"delivered":2,"duplicates":3,"dropped":4,"malformed":5,"tooLarge":6,"unsupportedType":7,"rateLimited":8,"overRate":9,"overBudget":10,"queued":18446744073709551615}`
	if got := s.String(); got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	viaJSON, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(viaJSON) != want {
		t.Errorf("json.Marshal = %s, want the same as String, %s", viaJSON, want)
	}
	h, _ := newTestReportHandler(t, Options{}, func(context.Context, Report) {})
	serveReport(h, reportRequest("POST", "text/plain", ""))
	if got, want := h.Var().String(), `{"accepted":0,"delivered":0,"duplicates":0,"dropped":0,"malformed":0,"tooLarge":0,"unsupportedType":1,"rateLimited":0,"overRate":0,"overBudget":0,"queued":0}`; got != want {
		t.Errorf("Var().String() = %s, want %s", got, want)
	}
}

func TestReportHandlerOverHTTP(t *testing.T) {
	var c reportCollector
	h, _ := newTestReportHandler(t, Options{MaxBytes: 4096, AllowedOrigins: []string{"https://shop.example"}}, c.sink)
	srv := httptest.NewServer(h)
	defer srv.Close()

	post := func(body io.Reader, contentType string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/csp-report", body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Origin", "https://shop.example")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := post(strings.NewReader(string(readReportFixture(t, "reporting-batch.json"))), "application/reports+json")
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://shop.example" {
		t.Errorf("batch: status %d, Access-Control-Allow-Origin %q; want 204 and the origin", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// A chunked body (no Content-Length) past MaxBytes is cut by
	// http.MaxBytesReader.
	big := io.MultiReader(strings.NewReader(`{"csp-report":{"document-uri":"`), strings.NewReader(strings.Repeat("x", 1<<20)))
	if resp := post(struct{ io.Reader }{big}, "application/csp-report"); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked oversized body: status %d, want 413", resp.StatusCode)
	}
	h.Close()
	if got := len(c.reports()); got != 2 {
		t.Errorf("sink got %d reports, want 2", got)
	}
	if got := h.Stats().TooLarge; got != 1 {
		t.Errorf("TooLarge = %d, want 1", got)
	}
}
