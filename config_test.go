package secureheaders_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
	"github.com/secureheaders/secureheaders/report"
)

// cfgDecodeLines decodes a configuration and renders its app policy.
func cfgDecodeLines(t *testing.T, js string) string {
	t.Helper()
	opts, err := secureheaders.ParseConfig([]byte(js))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	return cfgLines(t, *opts.Policy)
}

// cfgLines renders p as "Name: value" lines, the way an HTTPS response gets
// it.
func cfgLines(t *testing.T, p policy.Policy) string {
	t.Helper()
	set, err := render.Compile(p)
	if err != nil {
		t.Fatalf("render.Compile: %v", err)
	}
	var b strings.Builder
	for _, f := range set.Fields(true) {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	return b.String()
}

// cfgErrors flattens a joined error into one line per problem.
func cfgErrors(err error) []string {
	var out []string
	for e := range policy.AllErrors(err) {
		out = append(out, e.Error())
	}
	return out
}

// Valid pins: the base64 SHA-256 digests of two made-up keys.
const (
	pinA = "mGobcTX0mGFQql+gAo/uqmbNrz7WoAo1XdhuBC9/tJQ="
	pinB = "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM="
)

// TestParseDesignExample decodes the example configuration of the design
// (testdata/config/design-example.json), which uses every top-level key.
func TestParseDesignExample(t *testing.T) {
	opts, err := secureheaders.LoadConfig(filepath.Join("testdata", "config", "design-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	// rewrite CSP replaces the whole recommended CSP, so only default-src
	// 'none' is left before update adds script-src (seeded from 'none',
	// which then disappears) and upgrade-insecure-requests. remove drops
	// X-Download-Options. HPKP had no max-age in the file: a new HPKP
	// policy starts at 60 days.
	const app = "Content-Security-Policy: default-src 'none'; script-src 'self' 'nonce-{nonce}'; upgrade-insecure-requests\n" +
		"Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\n" +
		`Public-Key-Pins-Report-Only: pin-sha256="` + pinA + `"; pin-sha256="` + pinB + `"; max-age=5184000` + "\n" +
		"X-Frame-Options: SAMEORIGIN\n" +
		"X-Content-Type-Options: nosniff\n" +
		"Referrer-Policy: strict-origin-when-cross-origin\n" +
		"Cross-Origin-Opener-Policy: same-origin\n" +
		"Cross-Origin-Resource-Policy: same-origin\n" +
		"Origin-Agent-Cluster: ?1\n" +
		"X-XSS-Protection: 1; mode=block\n" +
		"X-DNS-Prefetch-Control: off\n" +
		"X-Permitted-Cross-Domain-Policies: none\n"
	if diff := cmp.Diff(app, cfgLines(t, *opts.Policy)); diff != "" {
		t.Errorf("app headers (-want +got):\n%s", diff)
	}
	if len(opts.Routes) != 1 || opts.Routes[0].Pattern != "/embed/" {
		t.Fatalf("Routes = %+v, want one /embed/ route", opts.Routes)
	}
	route, err := opts.Routes[0].Override.Apply(*opts.Policy)
	if err != nil {
		t.Fatal(err)
	}
	wantRoute := strings.Replace(app, "; upgrade-insecure-requests", "; frame-ancestors https://partner.example; upgrade-insecure-requests", 1)
	wantRoute = strings.Replace(wantRoute, "X-Frame-Options: SAMEORIGIN\n", "", 1)
	if diff := cmp.Diff(wantRoute, cfgLines(t, route)); diff != "" {
		t.Errorf("/embed/ headers (-want +got):\n%s", diff)
	}
	wantHTTPS := secureheaders.HTTPSOptions{
		Redirect: true, Port: 443, Skips: []string{"/healthz"}, InsecureBypassPatterns: []string{"/.well-known/acme-challenge/"},
		ProxyHeader: "X-Forwarded-Proto", AllowedHosts: []string{"example.com", "*.example.com"},
	}
	if diff := cmp.Diff(wantHTTPS, opts.HTTPS); diff != "" {
		t.Errorf("HTTPS (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"10.0.0.0/8"}, opts.TrustedProxies); diff != "" {
		t.Errorf("TrustedProxies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&report.Options{Path: "/csp-report", MaxBytes: 65536}, opts.Reports); diff != "" {
		t.Errorf("Reports (-want +got):\n%s", diff)
	}
	wantCookies := secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode}
	if diff := cmp.Diff(wantCookies, opts.Cookies); diff != "" {
		t.Errorf("Cookies (-want +got):\n%s", diff)
	}
}

func TestParseDefaults(t *testing.T) {
	for _, js := range []string{`{}`, `{"preset": ""}`, `{"preset": "Recommended"}`} {
		t.Run(js, func(t *testing.T) {
			opts, err := secureheaders.ParseConfig([]byte(js))
			if err != nil {
				t.Fatal(err)
			}
			rec := policy.Recommended()
			if diff := cmp.Diff(&secureheaders.Options{Policy: &rec}, opts); diff != "" {
				t.Errorf("Options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeHeaderNames checks that a header is found by its name, its
// short key or an alias, in any case, with '_' or '-'.
func TestParseHeaderNames(t *testing.T) {
	tests := []struct {
		keys []string
		val  string
		want string
	}{
		{[]string{"CSP", "csp", "Content-Security-Policy", "content_security_policy", "CONTENT-SECURITY-POLICY"},
			`{"default-src": ["self"]}`, "Content-Security-Policy: default-src 'self'\n"},
		{[]string{"CSP-Report-Only", "csp_report_only", "Content-Security-Policy-Report-Only"},
			`{"default-src": ["self"]}`, "Content-Security-Policy-Report-Only: default-src 'self'\n"},
		{[]string{"HSTS", "hsts", "Strict-Transport-Security", "strict_transport_security"},
			`{"max-age": 60}`, "Strict-Transport-Security: max-age=60\n"},
		{[]string{"HPKP", "Public-Key-Pins", "public_key_pins"},
			`{"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}], "max-age": 60}`,
			`Public-Key-Pins: pin-sha256="` + pinA + `"; pin-sha256="` + pinB + `"; max-age=60` + "\n"},
		{[]string{"Public-Key-Pins-Report-Only", "public_key_pins_report_only"},
			`{"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}], "max-age": 60}`,
			`Public-Key-Pins-Report-Only: pin-sha256="` + pinA + `"; pin-sha256="` + pinB + `"; max-age=60` + "\n"},
		{[]string{"X-Frame-Options", "X_Frame_Options", "x-frame-options", "X_FRAME_OPTIONS", " X-Frame-Options "},
			`"deny"`, "X-Frame-Options: DENY\n"},
		{[]string{"X-XSS-Protection", "X_XSS_Protection", "x-xss-protection"}, `0`, "X-XSS-Protection: 0\n"},
	}
	for _, tt := range tests {
		for _, k := range tt.keys {
			t.Run(k, func(t *testing.T) {
				js := `{"preset": "none", "update": {` + mustJSON(k) + `: ` + tt.val + `}}`
				if diff := cmp.Diff(tt.want, cfgDecodeLines(t, js)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", js, diff)
				}
			})
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestDecodeHeaderShapes checks every header's accepted JSON shapes.
func TestParseHeaderShapes(t *testing.T) {
	tests := []struct {
		name   string
		update string // the "update" object, on preset none
		want   string
	}{
		// CSP
		{"csp lists, keywords quoted or not", `{"CSP": {"default-src": ["self"], "object-src": ["'none'"], "script-src": ["'self'", "nonce", "strict-dynamic", "sha256-` + pinA + `"]}}`,
			"Content-Security-Policy: default-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic' 'sha256-" + pinA + "'\n"},
		{"csp hosts that look like keywords", `{"CSP": {"default-src": ["selfie.example.com", "none.example"]}}`,
			"Content-Security-Policy: default-src selfie.example.com none.example\n"},
		{"csp true", `{"CSP": {"default-src": ["self"], "upgrade-insecure-requests": true}}`,
			"Content-Security-Policy: default-src 'self'; upgrade-insecure-requests\n"},
		{"csp bare sandbox and flags", `{"CSP": {"sandbox": ["allow-scripts", "allow-forms"], "report-uri": ["/csp"]}}`,
			"Content-Security-Policy: sandbox allow-scripts allow-forms; report-uri /csp\n"},
		{"csp directive names in any case", `{"CSP": {"Default-Src": ["self"]}}`, "Content-Security-Policy: default-src 'self'\n"},
		{"csp header string", `{"CSP": "default-src 'self'; object-src 'none'"}`, "Content-Security-Policy: default-src 'self'; object-src 'none'\n"},
		{"csp report-only true", `{"CSP": {"default-src": ["self"], "report-only": true}}`, "Content-Security-Policy-Report-Only: default-src 'self'\n"},
		{"csp read-only true (the README's word)", `{"CSP": {"default-src": ["self"], "read-only": true}}`, "Content-Security-Policy-Report-Only: default-src 'self'\n"},
		{"csp report-only false", `{"CSP": {"default-src": ["self"], "report-only": false}}`, "Content-Security-Policy: default-src 'self'\n"},
		{"csp and report-only csp together", `{"CSP": {"default-src": ["self"]}, "CSP-Report-Only": {"default-src": ["none"], "report-only": true}}`,
			"Content-Security-Policy: default-src 'self'\nContent-Security-Policy-Report-Only: default-src 'none'\n"},
		{"report-to with endpoints", `{"CSP": {"default-src": ["self"], "report-to": ["csp"]}, "Reporting-Endpoints": {"csp": "/csp-report"}}`,
			"Content-Security-Policy: default-src 'self'; report-to csp\nReporting-Endpoints: csp=\"/csp-report\"\n"},

		// HSTS
		{"hsts object", `{"HSTS": {"max-age": 31536000, "includeSubDomains": true, "preload": false}}`, "Strict-Transport-Security: max-age=31536000; includeSubDomains\n"},
		{"hsts key spellings", `{"HSTS": {"maxage": "60", "include_subdomains": true}}`, "Strict-Transport-Security: max-age=60; includeSubDomains\n"},
		{"hsts header string", `{"HSTS": "max-age=63072000; includeSubDomains; preload"}`, "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\n"},
		{"hsts max-age 0", `{"HSTS": {"max-age": 0}}`, "Strict-Transport-Security: max-age=0\n"},

		// HPKP
		{"hpkp full", `{"HPKP": {"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}], "max-age": 5184000, "includeSubDomains": true, "report-uri": "/hpkp_report"}}`,
			`Public-Key-Pins: pin-sha256="` + pinA + `"; pin-sha256="` + pinB + `"; max-age=5184000; includeSubDomains; report-uri="/hpkp_report"` + "\n"},
		{"hpkp read-only", `{"HPKP": {"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}], "max-age": 60, "read-only": true}}`,
			`Public-Key-Pins-Report-Only: pin-sha256="` + pinA + `"; pin-sha256="` + pinB + `"; max-age=60` + "\n"},

		// X-XSS-Protection
		{"xss number", `{"X-XSS-Protection": 0}`, "X-XSS-Protection: 0\n"},
		{"xss string", `{"X-XSS-Protection": "1; mode=block"}`, "X-XSS-Protection: 1; mode=block\n"},
		{"xss seed dict", `{"X-XSS-Protection": {"value": 1, "mode": "block"}}`, "X-XSS-Protection: 1; mode=block\n"},
		{"xss report", `{"X-XSS-Protection": {"value": 1, "report": "/xss"}}`, "X-XSS-Protection: 1; report=/xss\n"},
		{"xss mode false", `{"X-XSS-Protection": {"value": 1, "mode": false}}`, "X-XSS-Protection: 1\n"},

		// Typed strings: "v", {"value": "v"}, numbers as text.
		{"xfo lower case upper-cased", `{"X-Frame-Options": {"value": "sameorigin"}}`, "X-Frame-Options: SAMEORIGIN\n"},
		{"xfo allow-from", `{"X-Frame-Options": "allow-from https://a.example"}`, "X-Frame-Options: ALLOW-FROM https://a.example\n"},
		{"xcto", `{"X-Content-Type-Options": {"value": "nosniff"}}`, "X-Content-Type-Options: nosniff\n"},
		{"xdo", `{"X-Download-Options": "noopen"}`, "X-Download-Options: noopen\n"},
		{"xpcdp", `{"X_Permitted_Cross_Domain_Policies": {"value": "all"}}`, "X-Permitted-Cross-Domain-Policies: all\n"},
		{"coop coep corp", `{"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": {"value": "require-corp"}, "Cross-Origin-Resource-Policy": "same-site"}`,
			"Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Embedder-Policy: require-corp\nCross-Origin-Resource-Policy: same-site\n"},
		{"cache-control", `{"Cache-Control": "no-store, max-age=0"}`, "Cache-Control: no-store, max-age=0\n"},

		// Booleans for structured or on/off headers.
		{"oac and dns true", `{"Origin-Agent-Cluster": true, "X-DNS-Prefetch-Control": true}`, "Origin-Agent-Cluster: ?1\nX-DNS-Prefetch-Control: on\n"},
		{"oac and dns false", `{"Origin-Agent-Cluster": false, "X-DNS-Prefetch-Control": false}`, "Origin-Agent-Cluster: ?0\nX-DNS-Prefetch-Control: off\n"},
		{"oac and dns strings", `{"Origin-Agent-Cluster": "?1", "X-DNS-Prefetch-Control": {"value": "off"}}`, "Origin-Agent-Cluster: ?1\nX-DNS-Prefetch-Control: off\n"},

		// Lists and maps.
		{"referrer list", `{"Referrer-Policy": ["no-referrer", "strict-origin-when-cross-origin"]}`, "Referrer-Policy: no-referrer, strict-origin-when-cross-origin\n"},
		{"referrer comma string", `{"Referrer-Policy": "no-referrer, strict-origin"}`, "Referrer-Policy: no-referrer, strict-origin\n"},
		{"referrer dict", `{"Referrer-Policy": {"value": "same-origin"}}`, "Referrer-Policy: same-origin\n"},
		{"clear-site-data quoted or not", `{"Clear-Site-Data": ["\"cache\"", "cookies"]}`, "Clear-Site-Data: \"cache\", \"cookies\"\n"},
		{"clear-site-data string", `{"Clear-Site-Data": "\"cache\", \"storage\""}`, "Clear-Site-Data: \"cache\", \"storage\"\n"},
		{"permissions", `{"Permissions-Policy": {"camera": [], "geolocation": ["self", "https://maps.example"], "fullscreen": ["*"]}}`,
			"Permissions-Policy: camera=(), fullscreen=*, geolocation=(self \"https://maps.example\")\n"},
		{"reporting endpoints", `{"Reporting-Endpoints": {"default": "https://r.example/", "csp": "/csp"}}`,
			"Reporting-Endpoints: csp=\"/csp\", default=\"https://r.example/\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := `{"preset": "none", "update": ` + tt.update + `}`
			if diff := cmp.Diff(tt.want, cfgDecodeLines(t, js)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", js, diff)
			}
		})
	}
}

// TestDecodeOrder checks preset, then rewrite, then update, then remove,
// whatever the order of the keys in the file.
func TestParseOrder(t *testing.T) {
	tests := []struct {
		name, js, want string
	}{
		{"rewrite before update",
			`{"update": {"CSP": {"script-src": ["self"]}}, "rewrite": {"CSP": {"default-src": ["none"]}}, "preset": "none"}`,
			"Content-Security-Policy: default-src 'none'; script-src 'self'\n"},
		{"remove after update",
			`{"remove": ["X-Frame-Options"], "update": {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"}, "preset": "none"}`,
			"X-Content-Type-Options: nosniff\n"},
		{"rewrite replaces, update merges",
			`{"preset": "flask-secure-headers", "rewrite": {"HSTS": {"max-age": 60}}, "update": {"CSP": {"img-src": ["data:"]}}, "remove": ["X-XSS-Protection", "X-Download-Options", "X-Content-Type-Options", "X-Permitted-Cross-Domain-Policies"]}`,
			"Content-Security-Policy: default-src 'self'; img-src 'self' data:; report-uri /csp_report\n" +
				"Strict-Transport-Security: max-age=60\n" +
				"X-Frame-Options: SAMEORIGIN\n"},
		{"update reads a partial object on top of the current value",
			`{"preset": "flask-secure-headers", "update": {"HSTS": {"preload": true, "max-age": 63072000}}, "remove": ["CSP", "X-XSS-Protection", "X-Download-Options", "X-Content-Type-Options", "X-Permitted-Cross-Domain-Policies", "X-Frame-Options"]}`,
			"Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\n"},
		{"rewrite reads a partial object on its own",
			`{"preset": "flask-secure-headers", "rewrite": {"HSTS": {"max-age": 63072000}}, "remove": ["CSP", "X-XSS-Protection", "X-Download-Options", "X-Content-Type-Options", "X-Permitted-Cross-Domain-Policies", "X-Frame-Options"]}`,
			"Strict-Transport-Security: max-age=63072000\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, cfgDecodeLines(t, tt.js)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeNullAndFalse checks that null removes a header (in rewrite,
// update and routes) and that false removes one parameter.
func TestParseNullAndFalse(t *testing.T) {
	flaskWithout := func(drop ...string) string {
		p, err := policy.Remove(policy.FlaskSecureHeaders(), drop...)
		if err != nil {
			t.Fatal(err)
		}
		return cfgLines(t, p)
	}
	tests := []struct {
		name, js, want string
	}{
		{"rewrite null", `{"preset": "flask", "rewrite": {"CSP": null}}`, flaskWithout("CSP")},
		{"update null", `{"preset": "flask", "update": {"X-XSS-Protection": null, "hsts": null}}`, flaskWithout("X-XSS-Protection", "HSTS")},
		{"null for an absent header", `{"preset": "flask", "update": {"Permissions-Policy": null}}`, flaskWithout()},
		{"report-only null", `{"preset": "flask", "update": {"CSP": {"report-only": true}, "CSP-Report-Only": null}}`, flaskWithout("CSP")},
		{"xss mode false", `{"preset": "flask", "update": {"X-XSS-Protection": {"value": 1, "mode": false}}}`,
			strings.Replace(flaskWithout(), "X-XSS-Protection: 1; mode=block", "X-XSS-Protection: 1", 1)},
		{"xss value 0 drops the base's mode", `{"preset": "flask", "update": {"X-XSS-Protection": {"value": 0}}}`,
			strings.Replace(flaskWithout(), "X-XSS-Protection: 1; mode=block", "X-XSS-Protection: 0", 1)},
		{"hsts preload false", `{"preset": "strict", "update": {"HSTS": {"preload": false}}, "remove": ["CSP", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "COOP", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy", "Origin-Agent-Cluster", "X-XSS-Protection", "X-DNS-Prefetch-Control", "X-Download-Options", "X-Permitted-Cross-Domain-Policies"]}`,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := secureheaders.ParseConfig([]byte(tt.js))
			if tt.name == "hsts preload false" {
				// "COOP" is not an alias: this case checks the error instead.
				want := []string{`remove[5]: unknown header "COOP" (use one of the header names of policy.Headers(), or CSP, HSTS, HPKP)`}
				if diff := cmp.Diff(want, cfgErrors(err)); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfgLines(t, *opts.Policy)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	got := cfgDecodeLines(t, `{"preset": "strict", "update": {"HSTS": {"preload": false}}}`)
	if !strings.Contains(got, "Strict-Transport-Security: max-age=63072000; includeSubDomains\n") {
		t.Errorf("preload false kept preload:\n%s", got)
	}
}

// TestDecodeRoutes checks route overrides: Update + Remove on a copy of the
// app policy, sorted by pattern, null in a route's update removing the
// header for that route only.
func TestParseRoutes(t *testing.T) {
	js := `{
		"preset": "flask-secure-headers",
		"routes": {
			"/z/": {"update": {"CSP": null, "X-XSS-Protection": null}},
			"/a/": {"update": {"CSP": {"script-src": ["code.jquery.com"], "report-only": true}}, "remove": ["HSTS"]},
			"GET /api/{id}": {"remove": ["X-Frame-Options"]},
			"/redirect/": {"redirect": false}
		}
	}`
	opts, err := secureheaders.ParseConfig([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cfgLines(t, policy.FlaskSecureHeaders()), cfgLines(t, *opts.Policy)); diff != "" {
		t.Errorf("routes changed the app policy (-want +got):\n%s", diff)
	}
	flask := cfgLines(t, policy.FlaskSecureHeaders())
	want := map[string]string{
		"/a/": strings.NewReplacer(
			"Content-Security-Policy: default-src 'self'; report-uri /csp_report\n",
			"Content-Security-Policy-Report-Only: default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report\n",
			"Strict-Transport-Security: max-age=31536000; includeSubDomains\n", "").Replace(flask),
		"/redirect/":    flask,
		"/z/":           strings.NewReplacer("Content-Security-Policy: default-src 'self'; report-uri /csp_report\n", "", "X-XSS-Protection: 1; mode=block\n", "").Replace(flask),
		"GET /api/{id}": strings.Replace(flask, "X-Frame-Options: SAMEORIGIN\n", "", 1),
	}
	var patterns []string
	for _, r := range opts.Routes {
		patterns = append(patterns, r.Pattern)
		p, err := r.Override.Apply(*opts.Policy)
		if err != nil {
			t.Errorf("%s: %v", r.Pattern, err)
			continue
		}
		if diff := cmp.Diff(want[r.Pattern], cfgLines(t, p)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", r.Pattern, diff)
		}
	}
	if diff := cmp.Diff([]string{"/z/", "/a/", "GET /api/{id}", "/redirect/"}, patterns); diff != "" {
		t.Errorf("patterns (-want +got):\n%s", diff)
	}
}

// TestDecodeErrors checks that every problem is reported at once, each with
// its path, and that no Config is returned.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want []string
	}{
		{"not an object", `["update"]`, []string{
			`the configuration must be a JSON object, got a list (write {"preset": "recommended", "update": {…}})`}},
		{"syntax", `{"preset": "none",}`, []string{
			`invalid JSON at line 1, column 19: a comma before the closing brace (JSON has no trailing commas), at "}"`}},
		{"trailing data", `{} {}`, []string{
			`invalid JSON at line 1, column 4: data after the JSON value, at "{"`}},
		{"unknown top-level keys", `{"updates": {}, "Preset": "none", "headers": {}}`, []string{
			`updates: unknown key (did you mean "update"?)`,
			`Preset: unknown key (did you mean "preset"? keys are case-sensitive)`,
			`headers: unknown key (keys are preset, rewrite, update, remove, routes, trustedProxies, https, reports, cookies)`}},
		{"preset", `{"preset": 1}`, []string{
			`preset: must be a string, got a number (write "recommended", "strict", "flask-secure-headers" or "none")`}},
		{"unknown preset", `{"preset": "legacy"}`, []string{
			`preset: unknown preset "legacy" (use "recommended", "strict", "flask-secure-headers" or "none")`}},
		{"update not an object", `{"update": ["CSP"]}`, []string{
			`update: must be an object of header names to policies, got a list (write {"CSP": {"script-src": ["self"]}})`}},
		{"update null", `{"update": null}`, []string{
			`update: must be an object of header names to policies, got null (write {"CSP": {"script-src": ["self"]}})`}},
		{"unknown header", `{"update": {"X-Frame-Option": "DENY", "X-Powered-By": "PHP"}}`, []string{
			`update.X-Frame-Option: unknown header (did you mean "X-Frame-Options"?)`,
			`update.X-Powered-By: unknown header (use one of the header names of policy.Headers(), or CSP, HSTS, HPKP)`}},
		{"header twice", `{"rewrite": {"HSTS": {"max-age": 1}, "Strict_Transport_Security": {"max-age": 2}}}`, []string{
			`rewrite.Strict_Transport_Security: key given twice, also as "HSTS" (keep one of them)`}},
		{"report-only CSP twice", `{"update": {"CSP": {"report-only": true}, "CSP-Report-Only": {"default-src": ["self"]}}}`, []string{
			`update.CSP-Report-Only: the report-only CSP is given twice, also by "CSP.report-only" (merge the two policies into one)`}},

		// CSP
		{"csp unknown directive", `{"update": {"CSP": {"script-scr": ["self"]}}}`, []string{
			`update.CSP.script-scr: unknown directive (did you mean "script-src"?)`}},
		{"csp unknown keyword", `{"update": {"CSP": {"script-src": ["self", "unsafe-inlin"]}}}`, []string{
			`update.CSP.script-src[1]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`}},
		{"csp sha1 hash", `{"update": {"CSP": {"script-src": ["sha1-klsdjfkl232"]}}}`, []string{
			`update.CSP.script-src[0]: unsupported hash algorithm sha1 "sha1-klsdjfkl232" (CSP accepts sha256, sha384 and sha512; see HashSource)`}},
		{"csp none mixed", `{"rewrite": {"CSP": {"default-src": ["none", "self"]}}}`, []string{
			`rewrite.CSP.default-src[0]: 'none' mixed with other sources (remove 'none', or the other sources)`}},
		{"csp injection in a source", `{"update": {"CSP": {"script-src": ["self; object-src *"]}}}`, []string{
			`update.CSP.script-src[0]: byte ';' at offset 4 is not allowed in the source "self; object-src *" (write one source per list item, without spaces, ';' or ',')`}},
		{"csp wrong types", `{"update": {"CSP": {"script-src": "self", "img-src": [1], "report-only": "yes"}}}`, []string{
			`update.CSP.script-src: must be a list of sources or true, got a string (write ["self", "https://cdn.example"])`,
			`update.CSP.img-src[0]: must be a source string, got a number (write "self" or "https://cdn.example")`,
			`update.CSP.report-only: must be a boolean, got a string (write true or false)`}},
		{"csp not an object", `{"update": {"CSP": 5}}`, []string{
			`update.CSP: must be an object of directives to source lists, got a number (write {"script-src": ["self", "nonce"], "upgrade-insecure-requests": true})`}},
		{"csp bad header string", `{"update": {"CSP": "default-src 'self', script-src *"}}`, []string{
			`update.CSP.default-src[0]: byte ',' not allowed in "'self'," (',' starts another policy; give one item per value)`}},

		// HSTS
		{"hsts negative max-age", `{"update": {"HSTS": {"max-age": -1}}}`, []string{
			`update.HSTS.max-age: must not be negative, got "-1" (use 0 to expire the policy, or a positive number of seconds)`}},
		{"hsts non-numeric max-age", `{"update": {"HSTS": {"max-age": "a year"}}}`, []string{
			`update.HSTS.max-age: must be a whole number of seconds, got "a year" (write e.g. 31536000 for a year)`}},
		{"hsts fractional max-age", `{"update": {"HSTS": {"max-age": 1.5}}}`, []string{
			`update.HSTS.max-age: must be a whole number of seconds, got "1.5" (write e.g. 31536000 for a year)`}},
		{"hsts huge max-age", `{"update": {"HSTS": {"max-age": 9999999999999}}}`, []string{
			`update.HSTS.max-age: too many seconds for a time.Duration, got "9999999999999" (use at most 63072000 (two years))`}},
		{"hsts max-age null", `{"update": {"HSTS": {"max-age": null}}}`, []string{
			`update.HSTS.max-age: must be a whole number of seconds, got null (write e.g. 31536000 for a year)`}},
		{"hsts unknown key and wrong flag", `{"update": {"HSTS": {"includeSubdomain": true, "preload": "yes"}}}`, []string{
			`update.HSTS.includeSubdomain: unknown key (did you mean "includeSubDomains"?)`,
			`update.HSTS.preload: must be a boolean, got a string (write true or false)`}},
		{"hsts not an object", `{"update": {"HSTS": true}}`, []string{
			`update.HSTS: must be an object, got a boolean (write {"max-age": 31536000, "includeSubDomains": true})`}},
		{"hsts preload not ready", `{"preset": "none", "update": {"HSTS": {"max-age": 60, "includeSubDomains": true, "preload": true}}}`, []string{
			`hsts.max-age: the preload list requires at least 31536000 seconds (one year), got "60" (set MaxAge to hsts.OneYear or more)`}},

		// HPKP
		{"hpkp README pin", `{"update": {"HPKP": {"pins": [{"sha256": "1234"}]}}}`, []string{
			`hpkp.pins: only one distinct pin; RFC 7469 §4.3 requires a backup pin, so at least two (add the pin-sha256 of a backup key that is kept offline, not in the served certificate chain)`,
			`hpkp.pins[0].sha256: the hash decodes to 3 bytes; a SHA-256 digest is 32 (pin the SHA-256 digest of the SubjectPublicKeyInfo, not another digest or the key itself)`}},
		{"hpkp shapes", `{"update": {"HPKP": {"pins": [{"sha256": "` + pinA + `", "sha1": "x"}, {}], "max-age": -5, "report-uri": 1, "report_only": "no", "include": true}}}`, []string{
			`update.HPKP.pins[0]: must hold exactly one algorithm: hash pair (write {"sha256": "base64"})`,
			`update.HPKP.pins[1]: must hold exactly one algorithm: hash pair (write {"sha256": "base64"})`,
			`update.HPKP.max-age: must not be negative, got "-5" (use 0 to expire the policy, or a positive number of seconds)`,
			`update.HPKP.report-uri: must be a string, got a number (write "https://example.com/hpkp-report")`,
			`update.HPKP.report_only: must be a boolean, got a string (write true or false)`,
			`update.HPKP.include: unknown key (keys are pins, max-age, includeSubDomains, report-uri, report-only)`}},
		{"hpkp pins not a list", `{"update": {"HPKP": {"pins": "` + pinA + `"}}}`, []string{
			`update.HPKP.pins: must be a list of {"sha256": "base64"}, got a string (write [{"sha256": "base64"}, {"sha256": "base64"}])`}},

		// X-XSS-Protection
		{"xss shapes", `{"update": {"X-XSS-Protection": {"value": true, "mode": 1, "Mode": "block"}}}`, []string{
			`update.X-XSS-Protection.value: must be 0 or 1, got a boolean (write 0)`,
			`update.X-XSS-Protection.mode: must be a non-empty string or false, got a number (write "block", or false)`,
			`update.X-XSS-Protection.Mode: unknown key (keys are value, mode, report)`}},
		{"xss bad value", `{"update": {"X-XSS-Protection": {"value": 2}}}`, []string{
			`x-xss-protection: invalid value "2" (use one of "0", "1", "1; mode=block")`}},

		// Typed strings
		{"simple value shapes", `{"update": {"X-Frame-Options": {"value": "DENY", "mode": "x"}, "X-Download-Options": {}, "X-Content-Type-Options": "", "Cache-Control": ["no-store"]}}`, []string{
			`update.X-Frame-Options.mode: unknown key (this header takes only {"value": …})`,
			`update.X-Download-Options: missing "value" (write {"value": "…"}, or remove the header with null)`,
			`update.X-Content-Type-Options: empty value (remove the header with null)`,
			`update.Cache-Control: must be a string, got a list (write "value" or {"value": "value"})`}},
		{"simple value refused", `{"update": {"X-Frame-Options": "allow", "X-Permitted-Cross-Domain-Policies": "every"}}`, []string{
			`x-frame-options: invalid value "ALLOW" (use one of "DENY", "SAMEORIGIN")`,
			`x-permitted-cross-domain-policies: invalid value "every" (use one of "none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response")`}},

		// Lists and maps
		{"permissions shape", `{"update": {"Permissions-Policy": {"camera": "none"}}}`, []string{
			`update.Permissions-Policy.camera: must be a list of origins, got a string (write [] to disable the feature, or ["self"])`}},
		{"endpoints shape", `{"update": {"Reporting-Endpoints": ["/r"]}}`, []string{
			`update.Reporting-Endpoints: must be an object of endpoint names to URLs, got a list (write {"csp-endpoint": "/csp-report"})`}},
		{"report-to without endpoint", `{"update": {"CSP": {"report-to": ["csp"]}}}`, []string{
			`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`}},

		// remove
		{"remove shapes", `{"remove": "CSP"}`, []string{
			`remove: must be a list of header names, got a string (write ["X-Download-Options", "HPKP"])`}},
		{"remove unknown", `{"remove": ["CSP", "X-Download-Option"]}`, []string{
			`remove[1]: unknown header "X-Download-Option" (did you mean "X-Download-Options"?)`}},

		// routes
		{"routes not an object", `{"routes": ["/a/"]}`, []string{
			`routes: must be an object of ServeMux patterns to {rewrite, replaceDirectives, update, remove, redirect, hostCheck}, got a list (write {"/embed/": {"update": {…}, "remove": ["X-Frame-Options"]}})`}},
		{"route unknown key", `{"routes": {"/a/": {"updates": {}}}}`, []string{
			`routes./a/.updates: unknown key (did you mean "update"?)`}},
		{"route errors", `{"routes": {"": {}, "/a/": {"update": {"CSP": {"script-src": ["unsafe-inlin"]}}, "remove": ["X-Frame-Option"]}, "/b/": {"remove": "HSTS"}, "/c/": {"update": {"X-Frame-Options": "allow"}}}}`, []string{
			`routes: empty route pattern (write a ServeMux pattern such as "/embed/" or "GET /api/{id}")`,
			`routes./a/.update.CSP.script-src[0]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`,
			`routes./a/.remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`,
			`routes./b/.remove: must be a list of header names, got a string (write ["X-Frame-Options"])`,
			`routes./c/.x-frame-options: invalid value "ALLOW" (use one of "DENY", "SAMEORIGIN")`}},
		{"errors everywhere at once", `{"preset": "strickt", "update": {"HSTS": {"max-age": -1}}, "remove": ["HSTSS"], "routes": {"/a/": {"remove": ["CPS"]}}}`, []string{
			`preset: unknown preset "strickt" (use "recommended", "strict", "flask-secure-headers" or "none")`,
			`update.HSTS.max-age: must not be negative, got "-1" (use 0 to expire the policy, or a positive number of seconds)`,
			`remove[0]: unknown header "HSTSS" (did you mean "HSTS"?)`,
			`routes./a/.remove[0]: unknown header "CPS" (did you mean "CSP"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := secureheaders.ParseConfig([]byte(tt.js))
			if os.Getenv("DUMP") != "" {
				for _, l := range cfgErrors(err) {
					fmt.Printf("DUMP\t%s\t%s\n", tt.name, l)
				}
			}
			if diff := cmp.Diff(tt.want, cfgErrors(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if opts != nil {
				t.Errorf("Options = %+v, want nil on error", opts)
			}
			for e := range policy.AllErrors(err) {
				var pe *policy.Error
				if !errors.As(e, &pe) {
					t.Errorf("%v is not a *policy.Error", e)
				}
			}
		})
	}
}

// TestConfigFiles decodes the example files under testdata/config.
func TestConfigFiles(t *testing.T) {
	for _, name := range []string{"design-example.json", "flask-readme.json"} {
		t.Run(name, func(t *testing.T) {
			if _, err := secureheaders.LoadConfig(filepath.Join("testdata", "config", name)); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("broken.json", func(t *testing.T) {
		_, err := secureheaders.LoadConfig(filepath.Join("testdata", "config", "broken.json"))
		cfgGolden(t, "broken-config-errors.txt", strings.Join(cfgErrors(err), "\n")+"\n")
	})
	t.Run("missing", func(t *testing.T) {
		_, err := secureheaders.LoadConfig(filepath.Join("testdata", "no-such-file.json"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want os.ErrNotExist", err)
		}
	})
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// cfgGolden compares got with testdata/golden/name (rewritten with -update).
func cfgGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestParseConfigReferrerTokens checks that a JSON Referrer-Policy decodes
// to the typed tokens.
func TestParseConfigReferrerTokens(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{"preset": "none", "update": {"Referrer-Policy": "no-referrer, strict-origin-when-cross-origin"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := policy.ReferrerPolicy{policy.NoReferrer, policy.StrictOriginWhenCrossOrigin}
	if diff := cmp.Diff(want, opts.Policy.ReferrerPolicy); diff != "" {
		t.Errorf("Referrer-Policy (-want +got):\n%s", diff)
	}
}

// TestParseConfigTrustedProxiesAlias checks that the v0.1 place of the proxy
// list, https.trustedProxies (the design's example has it), still sets the
// one Options.TrustedProxies.
func TestParseConfigTrustedProxiesAlias(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{"https": {"proxyHeader": "X-Forwarded-Proto", "trustedProxies": ["10.0.0.0/8"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"10.0.0.0/8"}, opts.TrustedProxies); diff != "" {
		t.Errorf("TrustedProxies (-want +got):\n%s", diff)
	}
}

// TestParseConfigReportsEverything checks that a file with a decoding error
// and an HTTPS option error gets both at once.
func TestParseConfigReportsEverything(t *testing.T) {
	_, err := secureheaders.ParseConfig([]byte(`{"update": {"X-Frame-Option": "DENY"}, "https": {"allowedHosts": [".+\\.example\\.com"]}}`))
	var got []string
	for e := range policy.AllErrors(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`update.X-Frame-Option: unknown header (did you mean "X-Frame-Options"?)`,
		`https.allowedHosts[0]: regular expression where a host pattern is expected ".+\\.example\\.com" (did you mean "*.example.com"?)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestParseConfigSinkBudget reads the report receiver's per-client byte
// budget.
func TestParseConfigSinkBudget(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{"reports": {"sinkBytesPerSecond": 4096}}`))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Reports == nil || opts.Reports.SinkBytesPerSecond != 4096 {
		t.Errorf("Reports = %+v", opts.Reports)
	}
}
