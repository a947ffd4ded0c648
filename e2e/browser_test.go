// Package e2e drives a real headless Chromium against the library: what the
// browser enforces and what it reports is the ground truth that unit tests
// can only approximate.
package e2e

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

var update = flag.Bool("update", false, "rewrite testdata/chromium/ with what Chromium sends")

// chromiumPath finds a Chromium binary. Without one the tests skip, except
// under CI=true, where .ci/run installs Debian's chromium and a skip would
// hide a broken install.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium binary found, and CI must run the browser tests: apt-get install chromium")
	}
	t.Skip("no Chromium binary (chromium, chromium-browser, google-chrome or $CHROMIUM): install Debian's chromium to run the browser tests")
	return ""
}

// dumpDOM loads url in headless Chromium and returns the DOM after scripts
// ran for a virtual-time budget.
func dumpDOM(t *testing.T, url string, extra ...string) string {
	t.Helper()
	bin := chromiumPath(t)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(),
		"--ignore-certificate-errors", // the httptest server's certificate
		"--virtual-time-budget=3000",
		"--dump-dom",
	}
	args = append(args, extra...)
	args = append(args, url)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, lastLines(stderr.String(), 20))
	}
	return string(out)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// received is one POST that reached a report endpoint, as Chromium sent it.
type received struct {
	method, contentType, origin string
	body                        []byte
}

// recorder keeps every request to the report path before passing it on to
// the library, so the test sees both the raw body and the parsed Report.
type recorder struct {
	mu       sync.Mutex
	requests []received
	reports  chan report.Report
}

func newRecorder() *recorder {
	return &recorder{reports: make(chan report.Report, 64)}
}

func (rec *recorder) sink(_ context.Context, r report.Report) { rec.reports <- r }

func (rec *recorder) wrap(path string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			rec.mu.Lock()
			rec.requests = append(rec.requests, received{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Origin"), body})
			rec.mu.Unlock()
			r2 := r.Clone(r.Context())
			r2.Body = io.NopCloser(bytes.NewReader(body))
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

func (rec *recorder) snapshot() []received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]received(nil), rec.requests...)
}

// waitReport waits for a parsed report that matches.
func (rec *recorder) waitReport(t *testing.T, match func(report.Report) bool) report.Report {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case r := <-rec.reports:
			if match(r) {
				return r
			}
		case <-deadline:
			t.Fatalf("no matching report arrived; requests seen: %d", len(rec.snapshot()))
			return report.Report{}
		}
	}
}

const nonceTestPage = `<!doctype html><html><body>
<p id="with">with nonce: blocked</p>
<p id="without">without nonce: blocked</p>
<script{{NONCE}}>document.getElementById("with").textContent = "with nonce: ran";</script>
<script>document.getElementById("without").textContent = "without nonce: ran";</script>
</body></html>`

func nonceHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, strings.Replace(nonceTestPage, "{{NONCE}}", string(secureheaders.NonceAttr(r)), 1))
}

// framePage frames /deny/ and /embed/ and records, from the parent, which
// frames loaded a readable same-origin document.
const framePage = `<!doctype html><html><body>
<iframe id="deny" src="/deny/"></iframe>
<iframe id="embed" src="/embed/"></iframe>
<p id="result">pending</p>
<script{{NONCE}}>
window.addEventListener("load", function () {
  function state(id) {
    try {
      var d = document.getElementById(id).contentDocument;
      return d && d.getElementById("framed") ? "framed" : "blocked";
    } catch (e) { return "blocked"; }
  }
  document.getElementById("result").textContent = "deny=" + state("deny") + " embed=" + state("embed");
});
</script>
</body></html>`

func framedHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, `<!doctype html><p id="framed">framed content</p>`)
}

// testApp is the application under test: an HTTPS server with the engine,
// and the routes each browser test needs.
type testApp struct {
	srv *httptest.Server
	rec *recorder
	sh  *secureheaders.Engine
}

func newTestApp(t *testing.T, crossOriginEndpoint string) *testApp {
	t.Helper()
	rec := newRecorder()
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP: csp.MustParse("script-src 'self' 'nonce-{nonce}'"),
	})
	// Update never narrows (adding 'none' to 'self' keeps 'self'), so the
	// app's frame-ancestors is set directly.
	p.CSP[csp.FrameAncestors] = []csp.Source{csp.None}
	p.FrameOptions = policy.FrameDeny
	endpoints := policy.ReportingEndpoints{"csp-endpoint": "/csp-report"}
	if crossOriginEndpoint != "" {
		endpoints["cross"] = crossOriginEndpoint
	}
	p.ReportingEndpoints = endpoints
	sh, err := secureheaders.New(&secureheaders.Options{
		Policy:     &p,
		Reports:    &report.Options{Path: "/csp-report", RatePerSecond: 100, Burst: 100},
		ReportSink: rec.sink,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sh.Close)
	route := func(o policy.Override, h http.HandlerFunc) http.Handler {
		return sh.MustRoute(o)(h)
	}
	addCSP := func(s string) policy.Override {
		return policy.Override{Update: policy.Policy{CSP: csp.MustParse(s)}}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /nonce/", nonceHandler)
	mux.Handle("GET /legacy/", route(addCSP("report-uri /csp-report"), nonceHandler))
	mux.Handle("GET /reporting-api/", route(addCSP("report-to csp-endpoint"), nonceHandler))
	if crossOriginEndpoint != "" {
		mux.Handle("GET /cross/", route(addCSP("report-to cross"), nonceHandler))
	}
	mux.HandleFunc("GET /frames/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.Replace(framePage, "{{NONCE}}", string(secureheaders.NonceAttr(r)), 1))
	})
	mux.HandleFunc("GET /deny/", framedHandler)
	mux.Handle("GET /embed/", sh.MustRoute(policy.Override{
		Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {csp.Self}}},
		Remove: []string{"X-Frame-Options"},
	})(http.HandlerFunc(framedHandler)))
	srv := httptest.NewUnstartedServer(rec.wrap("/csp-report", sh.Handler(mux)))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &testApp{srv: srv, rec: rec, sh: sh}
}

var textOf = func(dom, id string) string {
	m := regexp.MustCompile(`<p id="` + id + `">([^<]*)</p>`).FindStringSubmatch(dom)
	if m == nil {
		return "(missing #" + id + ")"
	}
	return m[1]
}

func TestBrowserNonce(t *testing.T) {
	app := newTestApp(t, "")
	dom := dumpDOM(t, app.srv.URL+"/nonce/")
	if got, want := textOf(dom, "with"), "with nonce: ran"; got != want {
		t.Errorf("inline script with the nonce: %q, want %q", got, want)
	}
	if got, want := textOf(dom, "without"), "without nonce: blocked"; got != want {
		t.Errorf("inline script without the nonce: %q, want %q", got, want)
	}
}

func TestBrowserFraming(t *testing.T) {
	app := newTestApp(t, "")
	dom := dumpDOM(t, app.srv.URL+"/frames/")
	// /deny/ has the app policy (frame-ancestors 'none', X-Frame-Options
	// DENY); /embed/'s route override allows 'self' and drops
	// X-Frame-Options. Only the route changes: the override must not leak.
	if got, want := textOf(dom, "result"), "deny=blocked embed=framed"; got != want {
		t.Errorf("framing: %q, want %q", got, want)
	}
}

func TestBrowserLegacyReport(t *testing.T) {
	app := newTestApp(t, "")
	dumpDOM(t, app.srv.URL+"/legacy/")
	r := app.rec.waitReport(t, func(r report.Report) bool { return strings.HasSuffix(r.URL, "/legacy/") })
	checkViolation(t, r, app.srv.URL+"/legacy/")
	saveFixture(t, app.rec, "application/csp-report", "legacy-report-uri.json")
}

func TestBrowserReportingAPI(t *testing.T) {
	app := newTestApp(t, "")
	dumpDOM(t, app.srv.URL+"/reporting-api/", "--short-reporting-delay")
	r := app.rec.waitReport(t, func(r report.Report) bool { return strings.HasSuffix(r.URL, "/reporting-api/") })
	checkViolation(t, r, app.srv.URL+"/reporting-api/")
	saveFixture(t, app.rec, "application/reports+json", "reporting-api.json")
}

func TestBrowserReportingAPICrossOrigin(t *testing.T) {
	// A second origin receives the reports; Chromium must preflight it, and
	// the receiver must answer the preflight for the app's origin.
	collector := newRecorder()
	var appOrigin string
	handler, err := report.NewHandler(report.Options{
		AllowedOrigins: []string{"*"}, RatePerSecond: 100, Burst: 100,
	}, collector.sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(handler.Close)
	other := httptest.NewUnstartedServer(collector.wrap("/reports", handler))
	other.StartTLS()
	t.Cleanup(other.Close)

	app := newTestApp(t, other.URL+"/reports")
	appOrigin = app.srv.URL
	dumpDOM(t, app.srv.URL+"/cross/", "--short-reporting-delay")
	r := collector.waitReport(t, func(r report.Report) bool { return strings.HasSuffix(r.URL, "/cross/") })
	checkViolation(t, r, app.srv.URL+"/cross/")
	var preflight, post bool
	for _, req := range collector.snapshot() {
		switch req.method {
		case http.MethodOptions:
			preflight = true
		case http.MethodPost:
			post = true
			if req.origin != appOrigin {
				t.Errorf("report POST Origin = %q, want %q", req.origin, appOrigin)
			}
		}
	}
	if !preflight || !post {
		t.Errorf("cross-origin delivery: preflight=%v post=%v, want both", preflight, post)
	}
	if st := handler.Stats(); st.Accepted == 0 {
		t.Errorf("receiver stats: %+v, want accepted reports", st)
	}
}

func checkViolation(t *testing.T, r report.Report, url string) {
	t.Helper()
	if r.Type != report.TypeCSP || r.URL != url || r.BlockedURL != "inline" ||
		r.EffectiveDirective != "script-src-elem" || r.Disposition != "enforce" ||
		!strings.Contains(r.OriginalPolicy, "script-src 'self' 'nonce-") || r.LineNumber == 0 || r.UserAgent == "" {
		t.Errorf("report from Chromium not parsed as expected: %+v", r)
	}
}

// saveFixture writes the first report body of that media type to
// testdata/chromium/name with -update, replacing the document's address
// (a random port) so the fixture is stable.
func saveFixture(t *testing.T, rec *recorder, mediaType, name string) {
	t.Helper()
	if !*update {
		return
	}
	for _, req := range rec.snapshot() {
		if req.method == http.MethodPost && strings.HasPrefix(req.contentType, mediaType) {
			body := regexp.MustCompile(`https://127\.0\.0\.1:\d+`).ReplaceAll(req.body, []byte("https://app.example"))
			path := filepath.Join("testdata", "chromium", name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(body, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Errorf("no %s body to save", mediaType)
}

// TestChromiumFixturesDecode runs without a browser: the bodies Chromium
// sent (saved with -update) still decode into the expected reports.
func TestChromiumFixturesDecode(t *testing.T) {
	tests := []struct {
		file, mediaType, url string
	}{
		{"legacy-report-uri.json", "application/csp-report", "https://app.example/legacy/"},
		{"reporting-api.json", "application/reports+json", "https://app.example/reporting-api/"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "chromium", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			reports, err := report.Decode(tt.mediaType, body)
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 1 {
				t.Fatalf("got %d reports, want 1", len(reports))
			}
			r := reports[0]
			if r.UserAgent == "" {
				r.UserAgent = "legacy reports carry it in the request header"
			}
			checkViolation(t, r, tt.url)
		})
	}
}
