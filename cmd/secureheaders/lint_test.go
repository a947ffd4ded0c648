package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/policy"
)

func TestLint(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		want     []string // lines of stdout, exactly
	}{
		{
			name: "default is the recommended preset",
			want: []string{
				"info: hsts.preload: not eligible for the HSTS preload list (fix: add preload, then submit the domain at https://hstspreload.org)",
				"0 critical, 0 warnings, 1 info",
			},
		},
		{
			name: "config with routes: a route adds only its own findings",
			args: []string{"-config", "testdata/method-route.json"},
			want: []string{
				"info: hsts.preload: not eligible for the HSTS preload list (fix: add preload, then submit the domain at https://hstspreload.org)",
				"0 critical, 0 warnings, 1 info",
			},
		},
		{
			name: "routes that weaken the app policy, and Flask's '/' trap (issue 11, items 9 and 10)",
			args: []string{"-config", "testdata/weak-routes.json"}, wantCode: 1,
			want: []string{
				"critical: routes./legacy/.csp.script-src: 'unsafe-inline' lets injected inline scripts run, which defeats most of CSP (fix: use a nonce ('nonce') or hashes)",
				`warning: routes./: "/" matches every path, not only the index (Flask's '/' is the index only) (fix: write "/{$}" for the index alone, or change the app policy for every page)`,
				"warning: routes./api/.x-frame-options: weaker than the app policy: the header is no longer sent (fix: if the route needs it, say why in a comment; otherwise keep the app's value)",
				"warning: routes./legacy/.content-security-policy.script-src: weaker than the app policy: 'unsafe-inline' lets injected inline scripts run (fix: if the route needs it, say why in a comment; otherwise keep the app's value)",
				"warning: routes./legacy/.content-security-policy.script-src-elem: weaker than the app policy: 'unsafe-inline' lets injected inline scripts run (fix: if the route needs it, say why in a comment; otherwise keep the app's value)",
				"info: hsts.preload: not eligible for the HSTS preload list (fix: add preload, then submit the domain at https://hstspreload.org)",
				"1 critical, 4 warnings, 1 info",
			},
		},
		{
			name: "invalid config: every problem is an error finding", args: []string{"-config", "testdata/invalid.json"}, wantCode: 1,
			want: []string{
				`critical: remve: unknown key (fix: did you mean "remove"?)`,
				`critical: update.CSP.script-src[1]: unknown keyword "unsafe-inlin" (fix: did you mean "unsafe-inline"?)`,
				`critical: update.HSTS.max-age: must not be negative, got "-5" (fix: use 0 to expire the policy, or a positive number of seconds)`,
				"3 critical, 0 warnings, 0 infos",
			},
		},
		{
			name: "truncated JSON", args: []string{"-config", "testdata/truncated.json"}, wantCode: 1,
			want: []string{
				`critical: config: invalid JSON at line 1, column 12: unexpected end of input (fix: the file ends inside a list, object or string: close it)`,
				"1 critical, 0 warnings, 0 infos",
			},
		},
		{
			name: "clean CSP", args: []string{"-csp", "default-src 'self'; object-src 'none'; base-uri 'self'"},
			want: []string{"no findings"},
		},
		{
			name: "weak CSP", args: []string{"-csp", "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' * https:"}, wantCode: 1,
			want: []string{
				"critical: csp.script-src: 'unsafe-inline' lets injected inline scripts and event handlers run, which defeats most of CSP (fix: use a nonce ('nonce') or hashes)",
				`critical: csp.script-src: "*" allows scripts from any host (fix: list the hosts you load scripts from, or use a nonce with 'strict-dynamic')`,
				`critical: csp.script-src: "https:" allows scripts from any host of that scheme (fix: list the hosts you load scripts from, or use a nonce with 'strict-dynamic')`,
				"warning: csp.base-uri: base-uri is missing: an injected <base> tag can redirect relative script URLs (fix: add base-uri 'self' (or 'none'))",
				"warning: csp.object-src: object-src falls back to default-src: plugins may load from its sources and run script (fix: add object-src 'none')",
				"warning: csp.script-src: 'unsafe-eval' lets strings run as code (eval, new Function) (fix: remove it; refactor the code that needs eval)",
				"3 critical, 3 warnings, 0 infos",
			},
		},
		{
			name: "strict-dynamic alone and a short fixed nonce", args: []string{"-csp", "default-src 'none'; style-src 'nonce-abc'; script-src 'strict-dynamic'; base-uri 'none'"},
			want: []string{
				"warning: csp.script-src: 'strict-dynamic' without a nonce or hash blocks every script (fix: add the per-request nonce ('nonce') or hashes)",
				"0 critical, 1 warning, 0 infos",
			},
		},
		{
			name: "short fixed nonce in script-src", args: []string{"-csp", "object-src 'none'; base-uri 'none'; script-src 'nonce-abc'"},
			want: []string{
				"warning: csp.script-src: a fixed nonce is the same on every response, so an attacker can reuse it (fix: use the per-request nonce slot ('nonce'))",
				"warning: csp.script-src: nonce shorter than 128 bits (fix: use at least 16 random bytes)",
				"0 critical, 2 warnings, 0 infos",
			},
		},
		{
			name: "CSP that does not parse", args: []string{"-csp", "script-src 'self' 'unsafe-inlin'; scirpt-src x"}, wantCode: 1,
			want: []string{
				`critical: csp.scirpt-src: unknown directive (fix: did you mean "script-src"?)`,
				`critical: csp.script-src[1]: unknown keyword "'unsafe-inlin'" (fix: did you mean "'unsafe-inline'"?)`,
				"2 critical, 0 warnings, 0 infos",
			},
		},
		{
			name: "report-to without Reporting-Endpoints", args: []string{"-csp", "default-src 'self'; object-src 'none'; base-uri 'self'; report-to csp"}, wantCode: 1,
			want: []string{
				`critical: csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (fix: add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`,
				"1 critical, 0 warnings, 0 infos",
			},
		},
		{
			name: "report-to with Reporting-Endpoints, as headers",
			args: []string{"-header", "Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'self'; report-to csp", "-header", `Reporting-Endpoints: csp="/csp-report"`},
			want: []string{"no findings"},
		},
		{
			name: "legacy headers",
			args: []string{"-header", "X-XSS-Protection: 1; mode=block", "-header", "X-Frame-Options: ALLOW-FROM https://a.example", "-header", "Strict-Transport-Security: max-age=300"},
			want: []string{
				"warning: hsts.max-age: max-age of 300 seconds is under a year (fix: use at least 31536000)",
				"warning: x-frame-options: ALLOW-FROM is ignored by current browsers, so the page can be framed by anyone (fix: use CSP frame-ancestors with the allowed origin)",
				`warning: x-xss-protection: "1; mode=block" enables a removed XSS filter that could be abused to leak data (fix: send "0" and rely on CSP)`,
				"0 critical, 3 warnings, 0 infos",
			},
		},
		{
			name: "HSTS not preload-ready", args: []string{"-header", "strict-transport-security: max-age=31536000"},
			want: []string{
				"info: hsts.preload: not eligible for the HSTS preload list (fix: when every subdomain serves HTTPS, add includeSubDomains and preload)",
				"0 critical, 0 warnings, 1 info",
			},
		},
		{
			name: "HPKP at all", args: []string{"-header", `Public-Key-Pins: pin-sha256="d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="; pin-sha256="E9CZ9INDbd+2eRQozYqqbQ2yXLVKB9+xcprMF+44U1g="; max-age=5184000`},
			want: []string{
				"warning: hpkp: Public-Key-Pins is deprecated and ignored by browsers; a wrong pin once locked users out for max-age (fix: remove HPKP; use Certificate Transparency monitoring instead)",
				"0 critical, 1 warning, 0 infos",
			},
		},
		{
			name: "conflicting X-Frame-Options", args: []string{"-header", "X-Frame-Options: DENY, SAMEORIGIN"}, wantCode: 1,
			want: []string{
				`critical: x-frame-options: conflicting values "DENY", "SAMEORIGIN": browsers then ignore the header (fix: send one value, "DENY" or "SAMEORIGIN")`,
				"warning: x-frame-options: no frame protection: pages can be framed for clickjacking (fix: set CSP frame-ancestors 'self' (or 'none') and X-Frame-Options: DENY or SAMEORIGIN)",
				"1 critical, 1 warning, 0 infos",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"lint"}, tc.args...)...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			got := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLintFailOn: -fail-on sets the least severity that exits 1.
func TestLintFailOn(t *testing.T) {
	const warn = "default-src 'self'; object-src 'none'; base-uri 'self'; style-src 'self' 'unsafe-inline'"
	const info = "default-src 'self'; object-src 'self'; base-uri 'self'"
	for _, tc := range []struct {
		csp, failOn string
		wantCode    int
	}{
		{warn, "", 0},
		{warn, "critical", 0},
		{warn, "warning", 1},
		{warn, "WARNING", 1},
		{warn, "info", 1},
		{info, "warning", 0},
		{info, "info", 1},
		{"script-src *", "critical", 1},
		{"default-src 'none'; base-uri 'none'", "info", 0},
		{warn, "error", 2},
	} {
		args := []string{"lint", "-csp", tc.csp}
		if tc.failOn != "" {
			args = append(args, "-fail-on", tc.failOn)
		}
		if code, _, stderr := runCmd(t, args...); code != tc.wantCode {
			t.Errorf("%q: exit code = %d, want %d; stderr: %s", args, code, tc.wantCode, stderr)
		}
	}
}

// TestLintFormat: -format json is -json; an unknown format is bad usage.
func TestLintFormat(t *testing.T) {
	const c = "script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'"
	_, a, _ := runCmd(t, "lint", "-json", "-csp", c)
	_, b, _ := runCmd(t, "lint", "-format", "json", "-csp", c)
	if a != b || !strings.HasPrefix(a, "[") {
		t.Errorf("-format json = %q, -json = %q", b, a)
	}
	_, text, _ := runCmd(t, "lint", "-format", "text", "-csp", c)
	if !strings.HasPrefix(text, "warning: csp.script-src: ") {
		t.Errorf("-format text = %q", text)
	}
	if code, _, stderr := runCmd(t, "lint", "-format", "xml"); code != 2 || !strings.Contains(stderr, `unknown -format "xml" (use text or json)`) {
		t.Errorf("-format xml: exit %d, stderr %q", code, stderr)
	}
}

func TestLintJSON(t *testing.T) {
	code, stdout, _ := runCmd(t, "lint", "-json", "-csp", "script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'")
	if code != 0 {
		t.Fatalf("exit code = %d, want 0", code)
	}
	var got []map[string]string
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not a JSON array of findings: %v\n%s", err, stdout)
	}
	want := []map[string]string{{
		"severity": "warning", "path": "csp.script-src",
		"message": "'unsafe-eval' lets strings run as code (eval, new Function)",
		"fix":     "remove it; refactor the code that needs eval",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}

	code, stdout, _ = runCmd(t, "lint", "-json", "-csp", "default-src 'none'; base-uri 'none'")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("no findings: exit %d, stdout %q; want 0 and []", code, stdout)
	}
}

func TestLintErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"two modes", []string{"-csp", "default-src 'self'", "-config", "x.json"}, 2, "use one of -config, -csp or -header"},
		{"missing file", []string{"-config", "testdata/nope.json"}, 1, "secureheaders lint: open testdata/nope.json: no such file or directory"},
		{"header without colon", []string{"-header", "X-Frame-Options DENY"}, 1, `-header "X-Frame-Options DENY": want 'Name: value'`},
		{"unknown header", []string{"-header", "X-Frame-Option: DENY"}, 1, `unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"lint"}, tc.args...)...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d", code, tc.wantCode)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr = %q\nwant it to contain %q", stderr, tc.wantErr)
			}
			if tc.wantCode == 1 {
				oneLineErrors(t, stderr, "secureheaders lint: ")
			}
		})
	}
}

func TestLintHTML(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"index.html": `<!DOCTYPE html><script src="/app.js"></script>` +
			`<script src="https://cdn.example.net/a.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin></script>`,
		"blog/post.html": `<script src="https://cdn.example.net/b.js"></script><script src="http://cdn.example.net/c.js"></script>` +
			`<template><script src="https://cdn.example.net/t.js"></script></template>`,
		"img.png": "\x89PNG\r\n\x1a\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type finding struct{ Severity, Path, Src string }
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		want     []finding
	}{
		{"pages only", []string{"-html", dir}, 0, []finding{
			{"warning", "html/blog/post.html.script[0]", "https://cdn.example.net/b.js"},
			{"warning", "html/blog/post.html.script[1]", "http://cdn.example.net/c.js"},
			{"warning", "html/blog/post.html.script[1]", "http://cdn.example.net/c.js"},
		}},
		{"fails on warnings", []string{"-html", dir, "-fail-on", "warning"}, 1, nil},
		{"a clean file", []string{"-html", filepath.Join(dir, "index.html")}, 0, []finding{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"lint", "-format", "json"}, tc.args...)...)
			if code != tc.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			if tc.want == nil {
				return
			}
			var got []policy.Finding
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			short := []finding{}
			for _, f := range got {
				src := f.Message[strings.Index(f.Message, `"`)+1:]
				short = append(short, finding{f.Severity.String(), f.Path, src[:strings.Index(src, `"`)]})
			}
			if diff := cmp.Diff(tc.want, short); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
