package report

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

func TestDashboard(t *testing.T) {
	a, c := newTestAggregator(t, AggregatorOptions{})
	ctx := context.Background()
	a.Add(ctx, Report{Type: TypeCSP, URL: `https://app.example/<script>alert(1)</script>`, BlockedURL: "inline", EffectiveDirective: "script-src-elem", Sample: `"><img src=x onerror=alert(2)>`})
	c.t = c.t.Add(time.Hour)
	a.Add(ctx, Report{Type: TypeCSP, URL: "https://app.example/", BlockedURL: "chrome-extension://abc/x.js", EffectiveDirective: "script-src-elem"})
	h := Dashboard(a)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reports", nil))
	body := rec.Body.String()
	csp := rec.Header().Get("Content-Security-Policy")
	m := regexp.MustCompile(`style-src 'nonce-([A-Za-z0-9_-]{22})'`).FindStringSubmatch(csp)
	switch {
	case rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html"):
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	case m == nil || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'"):
		t.Errorf("CSP %q is not the dashboard's strict policy", csp)
	case !strings.Contains(body, `<style nonce="`+m[1]+`">`):
		t.Errorf("the style element does not carry the header's nonce %q", m[1])
	case strings.Contains(body, "<script") || strings.Contains(body, "<img"):
		t.Errorf("a report's text reached the page unescaped:\n%s", body)
	case !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "noise: extension") || !strings.Contains(body, "<polyline"):
		t.Errorf("page lacks the escaped path, the noise class or the sparkline:\n%s", body)
	case rec.Header().Get("Cache-Control") != "no-store":
		t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
	}

	rec = httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/reports", nil)
	r.Header.Set("Accept", "application/json")
	h.ServeHTTP(rec, r)
	var s Snapshot
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil || len(s.Groups) != 2 || s.Version != SnapshotVersion {
		t.Errorf("JSON twin: %v, %+v", err, s)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/reports", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestSparkline(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	got := string(sparkline([]HourCount{{now.Truncate(time.Hour).Add(-time.Hour), 2}, {now.Truncate(time.Hour), 4}}, now, 3))
	want := `<svg width="144" height="24" viewBox="0 0 144 24" role="img" aria-label="reports per hour"><polyline fill="none" stroke="currentColor" points="0.0,23.0 72.0,12.0 144.0,1.0"/></svg>`
	if got != want {
		t.Errorf("sparkline:\n%s\nwant\n%s", got, want)
	}
}

// fixedSource is a PolicySource with one route.
type fixedSource struct{ app, embed policy.Policy }

func (s fixedSource) Policy() policy.Policy   { return s.app }
func (s fixedSource) RoutePatterns() []string { return []string{"/embed/"} }
func (s fixedSource) RoutePolicy(p string) (policy.Policy, bool) {
	return s.embed, p == "/embed/"
}

// TestDashboardSuggestion: with a policy, the page shows the suggested
// fragment and notes (escaped), built from the real violations only, and
// ?format=fragment serves the fragment.
func TestDashboardSuggestion(t *testing.T) {
	a, _ := newTestAggregator(t, AggregatorOptions{})
	ctx := context.Background()
	a.Add(ctx, Report{Type: TypeCSP, URL: "https://app.example/", BlockedURL: "https://cdn.example/x.js", EffectiveDirective: "script-src-elem", Disposition: "report"})
	a.Add(ctx, Report{Type: TypeCSP, URL: "https://app.example/embed/<b>", BlockedURL: "https://video.example/v", EffectiveDirective: "frame-src", Disposition: "report"})
	a.Add(ctx, Report{Type: TypeCSP, URL: "https://app.example/", BlockedURL: "chrome-extension://abc/x.js", EffectiveDirective: "script-src-elem", Disposition: "report"})
	app := policy.Policy{CSPReportOnly: csp.MustParse("default-src 'self'; script-src 'self' 'nonce-{nonce}'")}
	h := NewDashboard(a, &DashboardOptions{Policy: fixedSource{app, app}})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reports?format=fragment", nil))
	want := `{
  "update": {
    "Content-Security-Policy-Report-Only": {
      "script-src": ["https://cdn.example"]
    }
  },
  "routes": {
    "/embed/": {"update": {
      "Content-Security-Policy-Report-Only": {
        "frame-src": ["https://video.example"]
      }
    }}
  }
}
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("fragment, %q (-want +got):\n%s", rec.Header().Get("Content-Type"), diff)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/reports", nil))
	body := rec.Body.String()
	for _, s := range []string{"<h2>Suggested change</h2>", "&#34;frame-src&#34;: [&#34;https://video.example&#34;]", "Risk: an allow-listed script host", "/embed/&lt;b&gt;"} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q:\n%s", s, body)
		}
	}
	if strings.Contains(body, "<b>") || strings.Count(body, "chrome-extension") != 1 {
		t.Errorf("unescaped path, or the extension noise reached the suggestion:\n%s", body)
	}

	// Without a policy: no suggestion, and ?format=fragment is the page.
	rec = httptest.NewRecorder()
	Dashboard(a).ServeHTTP(rec, httptest.NewRequest("GET", "/reports?format=fragment", nil))
	if strings.Contains(rec.Body.String(), "Suggested change") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("Dashboard without a policy shows a suggestion")
	}
}
