package e2e

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/report"
)

var screenshot = flag.String("screenshot", "", "write the dashboard's screenshot to this file (docs/rollout-dashboard.png)")

// rolloutConfig sends no enforced policy and a report-only CSP with the
// nonce: what a team starts the rollout with. It names no https options,
// so secureheaders serve (TestBrowserRolloutServe) redirects and answers
// for its loopback names (and -host).
const rolloutConfig = `{
  "preset": "none",
  "update": {
    "CSP-Report-Only": {
      "default-src": ["self"],
      "script-src": ["self", "nonce", "report-sample"],
      "object-src": ["none"],
      "report-uri": ["/csp-report"]
    }
  },
  "reports": {"path": "/csp-report"}
}
`

// rolloutPage loads a script from the CDN, runs an inline script without
// the nonce, an eval (from a script with the nonce) and frames a CDN page.
const rolloutPage = `<!doctype html><html><body>
<p id="cdn">cdn: blocked</p>
<p id="inline">inline: blocked</p>
<p id="eval">eval: blocked</p>
<script src="{{CDN}}/lib.js"></script>
<script>document.getElementById("inline").textContent = "inline: ran";</script>
<script>window.short=1</script>
<script{{NONCE}}>eval('document.getElementById("eval").textContent = "eval: ran"');</script>
<iframe src="{{CDN}}/frame.html"></iframe>
</body></html>`

// shortHash is the hash of the short inline script's text.
var shortHash = func() string {
	sum := sha256.Sum256([]byte("window.short=1"))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// rolloutApp is the application of the rollout: an engine configured from
// a file, whose reports go to an aggregator and, through the default log
// sink, to a JSON log file that secureheaders suggest reads.
type rolloutApp struct {
	t   *testing.T
	srv *httptest.Server
	sh  *secureheaders.Engine

	mu  sync.Mutex
	agg *report.Aggregator
	log *os.File
}

func (a *rolloutApp) sink(ctx context.Context, r report.Report) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.agg.Add(ctx, r)
	report.LogSink(slog.New(slog.NewJSONHandler(a.log, nil)))(ctx, r)
}

// load configures the engine from the file at path and starts a new
// aggregator and log file.
func (a *rolloutApp) load(path, logPath string) {
	a.t.Helper()
	opts, err := secureheaders.LoadConfig(path)
	if err != nil {
		a.t.Fatal(err)
	}
	opts.ReportSink = a.sink
	agg, err := report.NewAggregator(report.AggregatorOptions{})
	if err != nil {
		a.t.Fatal(err)
	}
	f, err := os.Create(logPath)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { f.Close() })
	a.mu.Lock()
	a.agg, a.log = agg, f
	a.mu.Unlock()
	if err := a.sh.Reconfigure(opts); err != nil {
		a.t.Fatal(err)
	}
}

func (a *rolloutApp) snapshot() report.Snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.agg.Snapshot()
}

// waitGroups waits until the groups hold every blocked value of want, then
// a little longer for stragglers, and returns the snapshot.
func (a *rolloutApp) waitGroups(want ...string) report.Snapshot {
	a.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := a.snapshot()
		var got []string
		for _, g := range s.Groups {
			got = append(got, g.Blocked)
		}
		missing := slices.DeleteFunc(slices.Clone(want), func(w string) bool { return slices.Contains(got, w) })
		if len(missing) == 0 {
			time.Sleep(2 * time.Second) // reports of one load arrive within milliseconds of each other
			return a.snapshot()
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("reports still missing for %v; groups: %v", missing, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type groupRow struct{ Disposition, Directive, Blocked, Path string }

func rows(s report.Snapshot) []groupRow {
	var out []groupRow
	for _, g := range s.Groups {
		out = append(out, groupRow{g.Disposition, g.Directive, g.Blocked, g.Path})
	}
	slices.SortFunc(out, func(a, b groupRow) int {
		return cmp.Or(strings.Compare(a.Directive, b.Directive), strings.Compare(a.Blocked, b.Blocked))
	})
	return out
}

// TestBrowserRollout is the rollout of docs/rollout.md against Chromium:
// report-only reports of a CDN script, an inline script, an eval and a
// frame are grouped; suggest proposes the CDN host with its risk, the
// frame's origin, the nonce for the inline script and removing the eval,
// never 'unsafe-inline' or 'unsafe-eval'; with its -o file the next load
// reports only the inline script and the eval, which need the page fixed.
func TestBrowserRollout(t *testing.T) {
	chromiumPath(t)
	cli := buildCLIBinary(t, t.TempDir())
	dir := t.TempDir()

	cdn := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/lib.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, `document.getElementById("cdn").textContent = "cdn: ran";`)
		case "/frame.html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, `<!doctype html><p>framed</p>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer cdn.Close()

	app := &rolloutApp{t: t, sh: &secureheaders.Engine{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := strings.ReplaceAll(rolloutPage, "{{CDN}}", cdn.URL)
		io.WriteString(w, strings.Replace(page, "{{NONCE}}", string(secureheaders.NonceAttr(r)), 1))
	})
	// The dashboard is mounted beside the engine (it sends its own policy),
	// on the current aggregator.
	top := http.NewServeMux()
	top.Handle("/", app.sh.Handler(mux))
	top.HandleFunc("GET /reports", func(w http.ResponseWriter, r *http.Request) {
		app.mu.Lock()
		agg := app.agg
		app.mu.Unlock()
		report.NewDashboard(agg, &report.DashboardOptions{Policy: app.sh}).ServeHTTP(w, r)
	})
	app.srv = httptest.NewTLSServer(top)
	defer app.srv.Close()
	defer app.sh.Close()

	cfg := filepath.Join(dir, "app.json")
	if err := os.WriteFile(cfg, []byte(rolloutConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	log1 := filepath.Join(dir, "run1.log")
	app.load(cfg, log1)

	// Run 1: everything is reported.
	dom := dumpDOM(t, app.srv.URL+"/")
	for _, id := range []string{"cdn", "inline", "eval"} {
		if got := textOf(dom, id); got != id+": ran" {
			t.Errorf("report-only blocked %s: %q", id, got)
		}
	}
	s := app.waitGroups(cdn.URL, "inline", "eval")
	want := []groupRow{
		{"report", "frame-src", cdn.URL, "/"},
		{"report", "script-src", "eval", "/"},
		{"report", "script-src-elem", cdn.URL, "/"},
		{"report", "script-src-elem", "inline", "/"},
	}
	if diff := gocmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("groups of run 1 (-want +got):\n%s", diff)
	}
	for _, g := range s.Groups {
		if g.Noise != "" {
			t.Errorf("group %s %s classed as noise %q", g.Directive, g.Blocked, g.Noise)
		}
	}

	// The dashboard, in Chromium, shows the groups and the suggestion.
	dash := dumpDOM(t, app.srv.URL+"/reports")
	for _, s := range []string{"Suggested change", "frame-src", cdn.URL, "Risk: an allow-listed script host"} {
		if !strings.Contains(dash, s) {
			t.Errorf("the dashboard lacks %q", s)
		}
	}
	shot := *screenshot
	if shot == "" {
		shot = filepath.Join(dir, "dashboard.png")
	}
	takeScreenshot(t, app.srv.URL+"/reports", shot)

	// suggest reads the log the default sink wrote.
	cfg2 := filepath.Join(dir, "app2.json")
	out, err := exec.Command(cli, "suggest", "-config", cfg, "-o", cfg2, log1).CombinedOutput()
	if err != nil {
		t.Fatalf("suggest: %v\n%s", err, out)
	}
	text := string(out)
	for _, s := range []string{
		`"script-src": ["` + cdn.URL + `"]`,
		`"frame-src": ["` + cdn.URL + `"]`,
		"RISK: an allow-listed script host",
		"add 'strict-dynamic' to script-src",
		"give each inline <script> at the places listed the nonce attribute",
		// The short script's sample is whole: its hash is offered; the
		// long one's is cut at 40 characters: no hash for it.
		"with " + shortHash + " (check it",
		"remove the eval",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("suggest output lacks %q:\n%s", s, text)
		}
	}
	if n := strings.Count(text, "'sha256-"); n != 1 {
		t.Errorf("%d hashes offered, want the short script's only:\n%s", n, text)
	}
	written, err := os.ReadFile(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	for _, never := range []string{"unsafe-inline", "unsafe-eval", "*"} {
		if bytes.Contains(written, []byte(never)) {
			t.Errorf("the suggested config holds %q:\n%s", never, written)
		}
	}

	// Run 2, with the suggestion applied: the CDN script and the frame are
	// allowed; the inline script and the eval are reported until the page
	// is fixed.
	app.load(cfg2, filepath.Join(dir, "run2.log"))
	dumpDOM(t, app.srv.URL+"/")
	s = app.waitGroups("inline", "eval")
	want = []groupRow{
		{"report", "script-src", "eval", "/"},
		{"report", "script-src-elem", "inline", "/"},
	}
	if diff := gocmp.Diff(want, rows(s)); diff != "" {
		t.Errorf("groups of run 2 (-want +got):\n%s", diff)
	}
}

// takeScreenshot saves a PNG of url as headless Chromium renders it.
func takeScreenshot(t *testing.T, url, path string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath(t), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--ignore-certificate-errors", "--window-size=1100,760", "--screenshot="+abs, url)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, lastLines(string(out), 20))
	}
	data, err := os.ReadFile(abs)
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG at %s: %v", abs, err)
	}
}
