package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/policy"
)

func TestLetterFor(t *testing.T) {
	for _, tc := range []struct {
		score int
		want  string
	}{
		{135, "A+"}, {100, "A+"}, {99, "A"}, {90, "A"}, {89, "A-"}, {85, "A-"}, {84, "B+"}, {80, "B+"},
		{79, "B"}, {70, "B"}, {69, "B-"}, {65, "B-"}, {64, "C+"}, {60, "C+"}, {59, "C"}, {50, "C"},
		{49, "C-"}, {45, "C-"}, {44, "D+"}, {40, "D+"}, {39, "D"}, {30, "D"}, {29, "D-"}, {25, "D-"},
		{24, "F"}, {0, "F"},
	} {
		if got := letterFor(tc.score); got != tc.want {
			t.Errorf("letterFor(%d) = %q, want %q", tc.score, got, tc.want)
		}
	}
}

func TestGrade(t *testing.T) {
	mods := func(ms ...int) []scoreTest {
		var out []scoreTest
		for _, m := range ms {
			out = append(out, scoreTest{Modifier: m})
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		tests     []scoreTest
		wantGrade string
		wantScore int
	}{
		{"nothing to add", nil, "A+", 100},
		{"bonuses count at 90", mods(-10, 10, 5), "A+", 105},
		{"bonuses do not count under 90", mods(-15, 10, 5), "A-", 85},
		{"penalties alone", mods(-20, -5), "B", 75},
		{"never below 0", mods(-50, -40, -30), "F", 0},
		{"the recommended preset", mods(10, 5, 5, 10), "A+", 130},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, s := grade(tc.tests)
			if g != tc.wantGrade || s != tc.wantScore {
				t.Errorf("grade = %s %d, want %s %d", g, s, tc.wantGrade, tc.wantScore)
			}
		})
	}
}

// TestOutcomes: every result the tests name has an outcome, so scored
// never panics on them.
func TestOutcomes(t *testing.T) {
	for _, list := range [][]string{sriOrder, cookieOrder} {
		for _, r := range list {
			if _, ok := outcomes[r]; !ok {
				t.Errorf("%q is ranked but has no outcome", r)
			}
		}
	}
	for r, o := range outcomes {
		if o.modifier < 0 && o.fix == "" {
			t.Errorf("%s costs %d points and names no fix", r, o.modifier)
		}
		if o.message == "" {
			t.Errorf("%s has no message", r)
		}
	}
}

// served returns a site answering HTTPS, verified, with the header fields
// given as "Name: value" lines, and the body.
func served(body string, fields ...string) *site {
	h := http.Header{}
	for _, f := range fields {
		name, value, _ := strings.Cut(f, ":")
		h.Add(name, strings.TrimSpace(value))
	}
	u, _ := url.Parse("https://www.example.com/")
	s := &site{host: "www.example.com", page: h, pageHTTPS: true, https: h, verified: true, body: []byte(body)}
	for _, c := range h.Values("Set-Cookie") {
		s.cookies = append(s.cookies, setCookie{field: c, from: u})
	}
	return s
}

func routeOf(urls ...string) []*url.URL {
	var out []*url.URL
	for _, s := range urls {
		u, _ := url.Parse(s)
		out = append(out, u)
	}
	return out
}

// results returns the result of each test that is not its default.
func results(tests []scoreTest) map[string]string {
	defaults := map[string]string{
		"content-security-policy":       "csp-not-implemented",
		"cookies":                       "cookies-not-found",
		"cross-origin-resource-sharing": "cross-origin-resource-sharing-not-implemented",
		"redirection":                   "redirection-not-needed-no-http",
		"referrer-policy":               "referrer-policy-not-implemented",
		"strict-transport-security":     "hsts-not-implemented",
		"subresource-integrity":         "sri-not-implemented-response-not-html",
		"x-content-type-options":        "x-content-type-options-not-implemented",
		"x-frame-options":               "x-frame-options-not-implemented",
		"cross-origin-resource-policy":  "corp-not-implemented",
	}
	out := map[string]string{}
	for _, t := range tests {
		if t.Result != defaults[t.Name] {
			out[t.Name] = t.Result
		}
	}
	return out
}

const htmlType = "Content-Type: text/html; charset=utf-8"

func TestObservatory(t *testing.T) {
	for _, tc := range []struct {
		name string
		site *site
		want map[string]string
	}{
		{"nothing", served(""), map[string]string{}},
		{
			"the recommended headers",
			served("", "Content-Security-Policy: default-src 'none'; script-src 'self'; frame-ancestors 'none'", "Strict-Transport-Security: max-age=63072000",
				"X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "Cross-Origin-Resource-Policy: same-origin"),
			map[string]string{
				"content-security-policy":      "csp-implemented-with-no-unsafe-default-src-none",
				"strict-transport-security":    "hsts-implemented-max-age-at-least-six-months",
				"x-content-type-options":       "x-content-type-options-nosniff",
				"x-frame-options":              "x-frame-options-implemented-via-csp",
				"referrer-policy":              "referrer-policy-private",
				"cross-origin-resource-policy": "corp-implemented-with-same-origin",
			},
		},
		{
			"default-src shared with script-src loses 'unsafe-inline' beside a nonce",
			served("", "Content-Security-Policy: default-src 'nonce-abc' 'unsafe-inline'"),
			map[string]string{"content-security-policy": "csp-implemented-with-no-unsafe"},
		},
		{
			"'strict-dynamic' drops https: and 'self'",
			served("", "Content-Security-Policy: script-src 'nonce-abc' 'strict-dynamic' https: 'self'; object-src 'none'; style-src 'self'"),
			map[string]string{"content-security-policy": "csp-implemented-with-no-unsafe"},
		},
		{
			"'strict-dynamic' without a nonce",
			served("", "Content-Security-Policy: script-src 'strict-dynamic'; frame-ancestors 'none'"),
			map[string]string{"content-security-policy": "csp-header-invalid", "x-frame-options": "x-frame-options-implemented-via-csp"},
		},
		{
			"repeated directive", served("", "Content-Security-Policy: script-src 'self'; SCRIPT-SRC *"),
			map[string]string{"content-security-policy": "csp-header-invalid"},
		},
		{
			"repeated report-uri costs the bonus", served("", "Content-Security-Policy: default-src 'self'; report-uri /a; report-uri /b"),
			map[string]string{"content-security-policy": "csp-implemented-but-duplicate-directives"},
		},
		{
			// "default-src *, default-src 'none'": one directive whose sources
			// are "*," "default-src" and "'none'", none of them broad.
			"two CSP fields are read as one, joined by a comma", served("", "Content-Security-Policy: default-src *", "Content-Security-Policy: default-src 'none'"),
			map[string]string{"content-security-policy": "csp-implemented-with-no-unsafe"},
		},
		{
			"report-only", served("", "Content-Security-Policy-Report-Only: default-src 'self'"),
			map[string]string{"content-security-policy": "csp-not-implemented-but-reporting-enabled"},
		},
		{
			"http: in connect-src", served("", "Content-Security-Policy: default-src 'self'; connect-src http://api.example"),
			map[string]string{"content-security-policy": "csp-implemented-with-insecure-scheme"},
		},
		{
			"http: in img-src", served("", "Content-Security-Policy: default-src 'self'; img-src http:"),
			map[string]string{"content-security-policy": "csp-implemented-with-insecure-scheme-in-passive-content-only"},
		},
		{
			"HSTS sent twice", served("", "Strict-Transport-Security: max-age=31536000", "Strict-Transport-Security: max-age=31536000"),
			map[string]string{"strict-transport-security": "hsts-header-invalid"},
		},
		{
			"HSTS of 180 days", served("", "Strict-Transport-Security: max-age=15552000"),
			map[string]string{"strict-transport-security": "hsts-implemented-max-age-at-least-six-months"},
		},
		{
			"HSTS max-age with trailing garbage is read as parseInt reads it", served("", "Strict-Transport-Security: max-age=600abc"),
			map[string]string{"strict-transport-security": "hsts-implemented-max-age-less-than-six-months"},
		},
		{
			"HSTS max-age that is no number", served("", "Strict-Transport-Security: max-age=forever"),
			map[string]string{"strict-transport-security": "hsts-header-invalid"},
		},
		{
			"the last known Referrer-Policy wins", served("", "Referrer-Policy: no-referrer, unsafe-url, bogus"),
			map[string]string{"referrer-policy": "referrer-policy-unsafe"},
		},
		{
			"X-Frame-Options twice", served("", "X-Frame-Options: DENY", "X-Frame-Options: DENY"),
			map[string]string{"x-frame-options": "x-frame-options-header-invalid"},
		},
		{
			"session cookie without HttpOnly beats one without Secure", served("", "Set-Cookie: sessionid=1", "Strict-Transport-Security: max-age=31536000"),
			map[string]string{"cookies": "cookies-session-without-httponly-flag", "strict-transport-security": "hsts-implemented-max-age-at-least-six-months"},
		},
		{
			"a __Host- cookie with a Path is never stored", served("", "Set-Cookie: __Host-sess=1; Path=/app; Secure; HttpOnly"),
			map[string]string{},
		},
		{
			// Browsers match the prefixes case-insensitively (RFC 6265bis).
			"a __HOST- cookie with a Path is never stored", served("", "Set-Cookie: __HOST-sess=1; Path=/app; Secure; HttpOnly"),
			map[string]string{},
		},
		{
			"a __secure- cookie without Secure is never stored", served("", "Set-Cookie: __secure-sess=1; HttpOnly"),
			map[string]string{},
		},
		{
			"a cookie for another domain is never stored", served("", "Set-Cookie: sess=1; Domain=other.example"),
			map[string]string{},
		},
		{
			"hardened cookies", served("", "Set-Cookie: __Host-sess=1; Path=/; Secure; HttpOnly; SameSite=Lax"),
			map[string]string{"cookies": "cookies-secure-with-httponly-sessions-and-samesite"},
		},
		{
			"bogus SameSite", served("", "Set-Cookie: a=1; Secure; SameSite=yes"),
			map[string]string{"cookies": "cookies-samesite-flag-invalid"},
		},
		{
			"HTTPS script from another site without integrity", served(`<script src="https://cdn.example.net/a.js"></script>`, htmlType),
			map[string]string{"subresource-integrity": "sri-not-implemented-but-external-scripts-loaded-securely"},
		},
		{
			"the Observatory ranks a missing integrity under an http: script with one",
			served(`<script src="http://cdn.example.net/a.js" integrity="sha256-x"></script><script src="https://cdn.example.net/b.js"></script>`, htmlType),
			map[string]string{"subresource-integrity": "sri-not-implemented-but-external-scripts-loaded-securely"},
		},
		{
			"protocol-relative script", served(`<script src="//cdn.example.net/a.js"></script>`, htmlType),
			map[string]string{"subresource-integrity": "sri-not-implemented-and-external-scripts-not-loaded-securely"},
		},
		{
			"script on a sibling subdomain is the site's", served(`<script src="https://static.example.com/a.js"></script>`, htmlType),
			map[string]string{"subresource-integrity": "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"},
		},
		{
			"scripts in <template> and <noscript> do not load", served(`<template><script src="http://x.example/a.js"></script></template><noscript><script src="http://x.example/b.js"></script></noscript>`, htmlType),
			map[string]string{"subresource-integrity": "sri-not-implemented-but-no-scripts-loaded"},
		},
		{
			"page that is not HTML", served(`<script src="http://x.example/a.js"></script>`, "Content-Type: text/plain"),
			map[string]string{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, results(observatory(tc.site))); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestObservatoryFetches(t *testing.T) {
	plain := served("")
	plain.https, plain.pageHTTPS = nil, false
	unverified := served("", "Strict-Transport-Security: max-age=31536000")
	unverified.verified = false
	for _, tc := range []struct {
		name  string
		site  *site
		route []*url.URL
		// verified is the plain-HTTP fetch's certificates.
		verified bool
		want     map[string]string
	}{
		{"no HTTPS", plain, nil, true, map[string]string{"strict-transport-security": "hsts-not-implemented-no-https"}},
		{"invalid certificate", unverified, nil, true, map[string]string{"strict-transport-security": "hsts-invalid-cert"}},
		{"no redirect", served(""), routeOf("http://example.com/"), true, map[string]string{"redirection": "redirection-missing"}},
		{"to HTTPS", served(""), routeOf("http://example.com/", "https://example.com/"), true, map[string]string{"redirection": "redirection-to-https"}},
		{"to HTTPS, invalid certificate", served(""), routeOf("http://example.com/", "https://example.com/"), false, map[string]string{"redirection": "redirection-invalid-cert"}},
		{"off host", served(""), routeOf("http://example.com/", "https://www.example.com/"), true, map[string]string{"redirection": "redirection-off-host-from-http"}},
		{"http first", served(""), routeOf("http://example.com/", "http://www.example.com/", "https://www.example.com/"), true, map[string]string{"redirection": "redirection-not-to-https-on-initial-redirection"}},
		{"never HTTPS", served(""), routeOf("http://example.com/", "http://www.example.com/"), true, map[string]string{"redirection": "redirection-not-to-https"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.site.httpRoute, tc.site.httpVerified = tc.route, tc.verified
			if diff := cmp.Diff(tc.want, results(observatory(tc.site))); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	for _, tc := range []struct {
		name      string
		preflight http.Header
		want      string
	}{
		{"no answer", nil, "cross-origin-resource-sharing-not-implemented"},
		{"public", http.Header{"Access-Control-Allow-Origin": {"*"}}, "cross-origin-resource-sharing-implemented-with-public-access"},
		{"echoed with credentials", http.Header{"Access-Control-Allow-Origin": {foreignOrigin}, "Access-Control-Allow-Credentials": {"true"}},
			"cross-origin-resource-sharing-implemented-with-universal-access"},
		{"echoed without credentials", http.Header{"Access-Control-Allow-Origin": {foreignOrigin}}, "cross-origin-resource-sharing-implemented-with-restricted-access"},
		{"a partner", http.Header{"Access-Control-Allow-Origin": {"https://partner.example"}, "Access-Control-Allow-Credentials": {"true"}},
			"cross-origin-resource-sharing-implemented-with-restricted-access"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := corsTest(&site{preflight: tc.preflight}).Result; got != tc.want {
				t.Errorf("result = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCSPVerdict: a policy the Observatory passes but Lint rates critical
// fails, marked as check's own; one the Observatory already fails keeps
// its result.
func TestCSPVerdict(t *testing.T) {
	critical := []policy.Finding{{Severity: policy.Critical, Path: "csp.script-src-elem"}}
	for _, tc := range []struct {
		name     string
		csp      string
		findings []policy.Finding
		want     string
		ours     bool
	}{
		{"passed, no finding", "default-src 'self'", nil, "csp-implemented-with-no-unsafe", false},
		{"passed, critical finding", "default-src 'self'", critical, "csp-script-injection-allowed", true},
		{"passed, critical finding on another header", "default-src 'self'", []policy.Finding{{Severity: policy.Critical, Path: "https"}}, "csp-implemented-with-no-unsafe", false},
		{"already failed", "default-src *", critical, "csp-implemented-with-unsafe-inline", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tests := observatory(served("", "Content-Security-Policy: "+tc.csp))
			cspVerdict(tests, tc.findings)
			got := tests[0]
			if got.Result != tc.want || got.Ours != tc.ours {
				t.Errorf("result = %q (ours %v), want %q (ours %v)", got.Result, got.Ours, tc.want, tc.ours)
			}
		})
	}
}

func TestLeadingInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"31536000", 31536000, true}, {" 600abc", 600, true}, {"-5", -5, true}, {"+7", 7, true},
		{"", 0, false}, {"abc", 0, false}, {"-", 0, false}, {"99999999999999999999999", 1 << 62, true},
	} {
		got, ok := leadingInt(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("leadingInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPageMeta(t *testing.T) {
	for _, tc := range []struct {
		name, doc    string
		wantCSP      []string
		wantReferrer string
	}{
		{"none", `<p>`, nil, ""},
		{"both", `<meta http-equiv=" Content-Security-Policy " content="default-src 'self'"><meta name=referrer content=origin><meta name=REFERRER content=no-referrer>`,
			[]string{"default-src 'self'"}, "no-referrer"},
		{"empty content is no policy", `<meta http-equiv=content-security-policy content=""><meta name=referrer content="">`, nil, ""},
		{"http-equiv with content is never a referrer meta", `<meta name=referrer http-equiv=x content=origin>`, nil, ""},
		{"in the body too", `<body><meta http-equiv=Content-Security-Policy content="img-src 'self'">`, []string{"img-src 'self'"}, ""},
		{"not in a template", `<template><meta http-equiv=Content-Security-Policy content="img-src *"></template>`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			csp, ref := pageMeta([]byte(tc.doc))
			if diff := cmp.Diff(tc.wantCSP, csp); diff != "" || ref != tc.wantReferrer {
				t.Errorf("CSP (-want +got):\n%sreferrer = %q, want %q", diff, ref, tc.wantReferrer)
			}
		})
	}
}

func TestObservatoryMeta(t *testing.T) {
	with := func(s *site, meta ...string) *site { s.metaCSP = meta; return s }
	for _, tc := range []struct {
		name string
		site *site
		want map[string]string
	}{
		{"meta only", with(served(""), "default-src 'none'; script-src 'self'"),
			map[string]string{"content-security-policy": "csp-implemented-with-no-unsafe-default-src-none"}},
		{"a meta of only frame-ancestors is no policy", with(served(""), "frame-ancestors 'none'; report-uri /r"), map[string]string{}},
		{"frame-ancestors in meta protects nothing", with(served(""), "default-src 'self'; frame-ancestors 'none'"),
			map[string]string{"content-security-policy": "csp-implemented-with-no-unsafe"}},
		{"a directive the header lacks is 'none' once combined", with(served("", "Content-Security-Policy: default-src *; object-src 'none'"), "script-src 'self' 'unsafe-inline'"),
			// script-src is only in the second policy: 'none'; default-src * stays.
			map[string]string{"content-security-policy": "csp-implemented-with-unsafe-inline-in-style-src-only"}},
		{"a source both policies list is kept", with(served("", "Content-Security-Policy: script-src 'self' 'unsafe-inline'; object-src 'none'"), "script-src 'unsafe-inline'"),
			map[string]string{"content-security-policy": "csp-implemented-with-unsafe-inline"}},
		{"a source only the header lists is dropped", with(served("", "Content-Security-Policy: script-src 'self' 'unsafe-inline'; object-src 'none'"), "script-src 'self'"),
			map[string]string{"content-security-policy": "csp-implemented-with-unsafe-inline-in-style-src-only"}},
		{"meta referrer wins over the header", func() *site { s := served("", "Referrer-Policy: unsafe-url"); s.metaReferrer = "same-origin"; return s }(),
			map[string]string{"referrer-policy": "referrer-policy-private"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tests := observatory(tc.site)
			if diff := cmp.Diff(tc.want, results(tests)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLimitList(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	for _, tc := range []struct {
		in   []string
		n    int
		want []string
	}{
		{nil, 3, []string{}},
		{[]string{"a", "b"}, 3, []string{"a", "b"}},
		{[]string{"a", "b", "c", "d", "e"}, 3, []string{"a", "b", "c", "… (2 more)"}},
		{[]string{long}, 3, []string{strings.Repeat("é", 100) + "…"}},
	} {
		if diff := cmp.Diff(tc.want, limitList(tc.in, tc.n)); diff != "" {
			t.Errorf("limitList(%d) (-want +got):\n%s", len(tc.in), diff)
		}
	}
}
