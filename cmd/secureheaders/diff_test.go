package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/policy"
)

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.csp", "default-src 'self'; script-src 'self'; object-src 'none'")
	b := write("b.txt", "HTTP/2 200\ncontent-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'\n")
	cfg := write("c.json", `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "script-src": ["self"], "object-src": ["none"]}}}`)

	var out, errOut bytes.Buffer
	if code := run([]string{"diff", "-fail-on", "widen", a, b}, &out, &errOut); code != 1 {
		t.Fatalf("widening: exit %d, want 1; stderr %s", code, errOut.String())
	}
	for _, want := range []string{
		"Content-Security-Policy script-src\n  + 'unsafe-inline'\n  RISK: 'unsafe-inline' lets injected inline scripts run\n",
		"Content-Security-Policy script-src-elem (from script-src)\n  + 'unsafe-inline'\n",
		"4 changes, 4 risky\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if code := run([]string{"diff", "-json", b, a}, &out, &errOut); code != 0 {
		t.Fatalf("narrowing: exit %d", code)
	}
	var doc struct{ Changes []policy.Change }
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Changes) != 4 || doc.Changes[0].Blocked[0] != "'unsafe-inline'" || doc.Changes[0].Risk != "" {
		t.Errorf("-json: %v %+v", err, doc.Changes)
	}

	out.Reset()
	if code := run([]string{"diff", "-fail-on", "widen", a, cfg}, &out, &errOut); code != 0 || out.String() != "0 changes, 0 risky\n" {
		t.Errorf("CSP file and config with the same CSP: exit %d, %q", code, out.String())
	}
	if code := run([]string{"diff", a}, &out, &errOut); code != 2 {
		t.Errorf("one argument: exit %d, want 2", code)
	}
}

// TestDiffRoutesGolden compares diff's output on two configs with routes
// with the golden files (go test -run TestDiffRoutesGolden -update rewrites
// them). a.json → b.json: a route widened (a new script host), a route only
// in A (its paths fall back to the app policy in B), one only in B (its
// paths got the covering route /embed/ in A), one only in B that changes
// no header (one line), and routes that do not change, which print nothing.
func TestDiffRoutesGolden(t *testing.T) {
	a := filepath.Join("testdata", "diff", "a.json")
	b := filepath.Join("testdata", "diff", "b.json")
	tests := []struct {
		golden string
		args   []string
		code   int
	}{
		{"diff-routes.txt", []string{"-fail-on", "widen", a, b}, 1},
		{"diff-routes-reverse.txt", []string{"-fail-on", "widen", b, a}, 0},
		{"diff-routes-same.txt", []string{"-fail-on", "widen", a, a}, 0},
		{"diff-routes.json", []string{"-json", a, b}, 0},
		// The JSON shape of serving changes, app-wide and under a route.
		{"diff-serving.json", []string{"-json", "-fail-on", "widen", filepath.Join("testdata", "diff", "serving-a.json"), filepath.Join("testdata", "diff", "serving-b.json")}, 1},
		// c.json is b.json with style-src widened in the app policy: every
		// route gets that change, so the routes list only their own.
		{"diff-routes-app.txt", []string{"-fail-on", "widen", a, filepath.Join("testdata", "diff", "c.json")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(append([]string{"diff"}, tt.args...), &out, &errOut); code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, errOut.String())
			}
			golden(t, tt.golden, out.String())
		})
	}
}

// TestDiffRoutesNotConfig: a configuration against a bare CSP compares the
// app policies and says on stderr that its routes are not compared.
func TestDiffRoutesNotConfig(t *testing.T) {
	dir := t.TempDir()
	c := filepath.Join(dir, "a.csp")
	if err := os.WriteFile(c, []byte("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'; frame-ancestors 'self'"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join("testdata", "diff", "a.json")
	var out, errOut bytes.Buffer
	if code := run([]string{"diff", "-fail-on", "widen", a, c}, &out, &errOut); code != 0 {
		t.Errorf("exit %d, want 0; stdout %s; stderr %s", code, out.String(), errOut.String())
	}
	want := "secureheaders diff: " + a + ": its 4 routes are not compared: the other file is not a configuration\n"
	if diff := cmp.Diff(want, errOut.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

// TestDiffServingGolden compares diff's output on pairs of configurations
// that differ in what the engine does besides headers, one row per kind of
// change, with the golden transcripts in testdata/golden/diff-serving-*.txt
// (go test -run TestDiffServingGolden -update rewrites them). Each row
// runs A → B with -fail-on widen, then B → A, so a golden holds a change
// and its reverse: a risky widening exits 1, its narrowing 0.
func TestDiffServingGolden(t *testing.T) {
	const base = `"preset": "none", "update": {"X-Frame-Options": "DENY"}`
	tests := []struct {
		name  string
		a, b  string
		codes [2]int // A → B, B → A
	}{
		{"redirect-off",
			`{` + base + `, "https": {"redirect": true, "permanent": true}}`,
			`{` + base + `, "https": {"redirect": false}}`, [2]int{1, 0}},
		// With development on in both, neither file redirects: listed,
		// neither widening nor narrowing.
		{"redirect-no-effect",
			`{` + base + `, "https": {"redirect": true, "development": true}}`,
			`{` + base + `, "https": {"development": true}}`, [2]int{0, 0}},
		{"development",
			`{` + base + `, "https": {"redirect": true}}`,
			`{` + base + `, "https": {"redirect": true, "development": true}}`, [2]int{1, 0}},
		{"bypass-added",
			`{` + base + `, "https": {"redirect": true, "skips": ["/healthz"]}}`,
			`{` + base + `, "https": {"redirect": true, "skips": ["/healthz", "/metrics"], "insecureBypassPatterns": ["GET /.well-known/acme-challenge/", "/healthz/live"]}}`, [2]int{1, 0}},
		// A pattern moved from a route's "redirect": false to the bypass
		// list serves nothing new over plain HTTP: listed, not risky.
		{"bypass-moved",
			`{` + base + `, "https": {"redirect": true}, "routes": {"/status/": {"redirect": false}}}`,
			`{` + base + `, "https": {"redirect": true, "insecureBypassPatterns": ["/status/"]}}`, [2]int{0, 0}},
		{"host-check-off",
			`{` + base + `, "https": {"allowedHosts": ["example.com", "*.example.com"]}}`,
			`{` + base + `}`, [2]int{1, 0}},
		{"allowed-hosts-widened",
			`{` + base + `, "https": {"allowedHosts": ["example.com", "*.example.com", "10.0.0.0/16"]}}`,
			`{` + base + `, "https": {"allowedHosts": ["example.com", "api.example.com", "*.example.net", "10.0.0.0/8", "10.0.1.7"]}}`, [2]int{1, 1}},
		{"trusted-proxies-wide",
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"proxyHeader": "X-Forwarded-Proto"}}`,
			`{` + base + `, "trustedProxies": ["10.1.2.3", "0.0.0.0/0", "2001:db8::/32"], "https": {"proxyHeader": "X-Forwarded-Proto", "proxyElement": "last"}}`, [2]int{1, 0}},
		// The scheme read from a header A did not read, and the first
		// element where A read the last: behind a proxy that does not set
		// the header, or appends to it, the client's value counts.
		{"proxy-header",
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true}}`,
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "X-Forwarded-Ssl"}}`, [2]int{1, 0}},
		{"proxy-header-spelling",
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto"}}`,
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "x-forwarded-proto"}}`, [2]int{0, 0}},
		{"proxy-element-first",
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto", "proxyElement": "last"}}`,
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto"}}`, [2]int{1, 0}},
		{"cookies-flags-dropped",
			`{` + base + `, "cookies": {"secure": true, "httpOnly": true, "sameSite": "Lax", "rules": [{"names": ["_session"], "secure": true, "httpOnly": true, "sameSite": "Strict"}, {"names": ["__Host-*"], "secure": true, "sameSite": "Strict"}]}}`,
			`{` + base + `, "cookies": {"secure": true, "sameSite": "Lax", "rules": [{"names": ["_session"], "secure": true, "httpOnly": true, "sameSite": "Lax"}, {"names": ["__Host-*", "theme"], "skip": true}]}}`, [2]int{1, 0}},
		// The same attributes written as other rules change nothing.
		{"cookies-rewritten",
			`{` + base + `, "cookies": {"secure": true, "httpOnly": true, "except": ["theme"]}}`,
			`{` + base + `, "cookies": {"secure": true, "httpOnly": true, "rules": [{"names": ["theme"], "skip": true}]}}`, [2]int{0, 0}},
		// v0.1's only list takes the attributes off every other name,
		// those a rule of A named included.
		{"cookies-only",
			`{` + base + `, "cookies": {"secure": true, "httpOnly": true, "rules": [{"names": ["sid"], "secure": true, "httpOnly": true, "sameSite": "Strict"}]}}`,
			`{` + base + `, "cookies": {"secure": true, "httpOnly": true, "only": ["session"]}}`, [2]int{1, 0}},
		{"non-idempotent-pass",
			`{` + base + `, "https": {"redirect": true}}`,
			`{` + base + `, "https": {"redirect": true, "nonIdempotent": "pass"}}`, [2]int{1, 0}},
		{"forwarded-host",
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"allowedHosts": ["example.com"]}}`,
			`{` + base + `, "trustedProxies": ["10.0.0.0/8"], "https": {"allowedHosts": ["example.com"], "trustForwardedHost": true}}`, [2]int{1, 0}},
		{"route-flags",
			`{` + base + `, "https": {"redirect": true, "allowedHosts": ["example.com"]}, "routes": {"/api/": {"update": {"X-Frame-Options": "SAMEORIGIN"}}, "/old/": {"redirect": false}}}`,
			`{` + base + `, "https": {"redirect": true, "allowedHosts": ["example.com"]}, "routes": {"/api/": {"update": {"X-Frame-Options": "SAMEORIGIN"}, "redirect": false}, "GET /healthz": {"hostCheck": false}}}`, [2]int{1, 1}},
		// A route only in B under a route of A that bypassed the redirect
		// already: its paths were not redirected in A either.
		{"route-covered",
			`{` + base + `, "https": {"redirect": true}, "routes": {"/lb/": {"redirect": false}}}`,
			`{` + base + `, "https": {"redirect": true}, "routes": {"/lb/": {"redirect": false}, "/lb/health": {"redirect": false}}}`, [2]int{0, 0}},
		{"reports",
			`{` + base + `, "reports": {"path": "/csp-report", "allowedOrigins": ["https://app.example"]}}`,
			`{` + base + `, "reports": {"path": "/r", "maxBytes": 131072, "allowedOrigins": ["*"]}}`, [2]int{1, 0}},
		{"reports-mounted",
			`{` + base + `}`,
			`{` + base + `, "reports": {}}`, [2]int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, s := range map[string]string{"a.json": tt.a, "b.json": tt.b} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var got strings.Builder
			for i, args := range [][]string{{"a.json", "b.json"}, {"b.json", "a.json"}} {
				var out, errOut bytes.Buffer
				code := run([]string{"diff", "-fail-on", "widen", filepath.Join(dir, args[0]), filepath.Join(dir, args[1])}, &out, &errOut)
				if errOut.Len() > 0 {
					t.Errorf("diff %s %s: stderr %s", args[0], args[1], errOut.String())
				}
				if code != tt.codes[i] {
					t.Errorf("diff -fail-on widen %s %s: exit %d, want %d", args[0], args[1], code, tt.codes[i])
				}
				fmt.Fprintf(&got, "$ secureheaders diff -fail-on widen %s %s\n%s$ echo $?\n%d\n", args[0], args[1], out.String(), code)
			}
			golden(t, "diff-serving-"+tt.name+".txt", got.String())
		})
	}
}

// TestDiffHostRouteGolden: a route with a host added in B takes over
// requests of a route without one that does not layer under it, since
// ServeMux prefers a host. host-*.json: "www.example.com/" takes
// www.example.com/admin/… from "/admin/" and its script-src; host-method-*:
// "www.example.com/admin/" takes its GET requests from "GET /". Neither
// route's own policy changes; diff compares their intersection
// ("www.example.com/admin/", "GET www.example.com/admin/") and -fail-on
// widen fails on it (it used to exit 0). Reversed, it is a narrowing.
// go test -run TestDiffHostRouteGolden -update rewrites the goldens.
func TestDiffHostRouteGolden(t *testing.T) {
	for _, name := range []string{"host", "host-method"} {
		t.Run(name, func(t *testing.T) {
			a := filepath.Join("testdata", "diff", name+"-a.json")
			b := filepath.Join("testdata", "diff", name+"-b.json")
			var got strings.Builder
			for _, tt := range []struct {
				args []string
				code int
			}{
				{[]string{a, b}, 1},
				{[]string{b, a}, 0},
				{[]string{a, a}, 0},
			} {
				var out, errOut bytes.Buffer
				code := run(append([]string{"diff", "-fail-on", "widen"}, tt.args...), &out, &errOut)
				if code != tt.code || errOut.Len() > 0 {
					t.Errorf("diff -fail-on widen %s %s: exit %d, want %d; stderr %s", tt.args[0], tt.args[1], code, tt.code, errOut.String())
				}
				fmt.Fprintf(&got, "$ secureheaders diff -fail-on widen %s %s\n%s$ echo $?\n%d\n", filepath.Base(tt.args[0]), filepath.Base(tt.args[1]), out.String(), code)
			}
			golden(t, "diff-routes-"+name+".txt", got.String())
		})
	}
}

// TestDiffSpellings checks that a widening fails -fail-on widen however the
// file spells it: a route's header key in any of its accepted forms, and a
// preset that sends less.
func TestDiffSpellings(t *testing.T) {
	const a = `{"preset": "recommended", "routes": {"/x/": {"update": {"X-Frame-Options": "DENY"}}}}`
	for _, tt := range []struct{ name, a, b string }{
		{"CSP", a, `{"preset": "recommended", "routes": {"/x/": {"update": {"X-Frame-Options": "DENY", "CSP": {"script-src": ["unsafe-inline"]}}}}}`},
		{"csp", a, `{"preset": "recommended", "routes": {"/x/": {"update": {"X-Frame-Options": "DENY", "csp": {"script-src": ["unsafe-inline"]}}}}}`},
		{"content-security-policy", a, `{"preset": "recommended", "routes": {"/x/": {"update": {"X-Frame-Options": "DENY", "content-security-policy": {"script-src": ["unsafe-inline"]}}}}}`},
		{"x-frame-options removed", a, `{"preset": "recommended", "routes": {"/x/": {"remove": ["x-frame-options"]}}}`},
		{"preset strict to recommended", `{"preset": "strict"}`, `{"preset": "recommended"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pa, pb := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
			if err := os.WriteFile(pa, []byte(tt.a), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pb, []byte(tt.b), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if code := run([]string{"diff", "-fail-on", "widen", pa, pb}, &out, &errOut); code != 1 {
				t.Errorf("exit %d, want 1; stdout:\n%s\nstderr: %s", code, out.String(), errOut.String())
			}
		})
	}
}
