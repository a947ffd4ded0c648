package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// tlsServer starts an HTTPS test server and returns it with the path of a
// PEM file holding its certificate, for -ca.
func tlsServer(t *testing.T, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	// Handshakes the client refuses are what some tests are about.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

// redirector starts a plain-HTTP server that redirects every request to
// target + path with status code.
func redirector(t *testing.T, target string, code int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.RequestURI(), code)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func ok(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }

// withHeaders serves ok with fixed headers.
func withHeaders(h map[string]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range h {
			w.Header().Set(k, v)
		}
		ok(w, r)
	})
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestCheck(t *testing.T) {
	engine := secureheaders.Must(secureheaders.New(nil)) // the recommended preset
	// The engine sends no HSTS to 127.0.0.1 or localhost: serve it as if the
	// request named a public host.
	public := engine.Handler(http.HandlerFunc(ok))
	good, goodCA := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := *r
		r2.Host = "good.example"
		public.ServeHTTP(w, &r2)
	}))
	goodHTTP := redirector(t, good.URL, http.StatusMovedPermanently)
	// The redirect goes to another host name, www.example.com (which the
	// test certificate holds), resolved to the server with -resolve.
	_, goodPort, _ := net.SplitHostPort(good.Listener.Addr().String())
	leaving := redirector(t, "https://www.example.com:"+goodPort, http.StatusFound)
	toGood := "www.example.com:" + goodPort + ":127.0.0.1"

	weak, weakCA := tlsServer(t, withHeaders(map[string]string{
		"X-XSS-Protection":          "1; mode=block",
		"X-Frame-Options":           "ALLOW-FROM https://a.example",
		"Strict-Transport-Security": "max-age=300",
		"Content-Security-Policy":   "default-src 'self'; script-src 'self' 'unsafe-inlin' 'unsafe-eval'",
	}))
	plainOnly := httptest.NewServer(http.HandlerFunc(ok))
	t.Cleanup(plainOnly.Close)
	// Issue 13: the recommended headers with a CSP that script-src-elem
	// undoes graded A+.
	weakCSP, weakCSPCA := tlsServer(t, engine.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; script-src-elem 'self' 'unsafe-inline' *; object-src 'none'; base-uri 'none'")
		ok(w, r)
	})))
	// An app that redirects to https:// on its own plain-HTTP port.
	var samePort *httptest.Server
	samePort = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+samePort.Listener.Addr().String()+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	t.Cleanup(samePort.Close)

	fixedNonce, fixedCA := tlsServer(t, withHeaders(map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'nonce-c2VjdXJlaGVhZGVyc2ZpeGVk'; object-src 'none'; base-uri 'none'",
	}))
	freshNonce, freshCA := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+base64.StdEncoding.EncodeToString(b)+"'; object-src 'none'; base-uri 'none'")
		ok(w, r)
	}))

	// A page with scripts from elsewhere, one over http:, and an API that
	// echoes any Origin with credentials.
	missing, missingCA := tlsServer(t, http.NotFoundHandler())
	scripts, scriptsCA := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!DOCTYPE html><script src="https://cdn.example.net/a.js"></script><script src="http://cdn.example.net/b.js"></script><script src="/own.js"></script>`)
	}))

	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		want     []string // in stdout
		notWant  []string // not in stdout
	}{
		{
			name: "a 404 page", args: []string{"-ca", missingCA, missing.URL},
			want: []string{"note   the page answers 404: the Observatory refuses to grade a status of 400 or more (but 401 and 403); graded anyway"},
		},
		{
			name: "scripts without integrity, CORS open to all", args: []string{"-ca", scriptsCA, scripts.URL},
			want: []string{
				" -50 subresource-integrity: a <script src> from another site loads over http: or a protocol-relative //host URL, without integrity: http://cdn.example.net/b.js; fix: load it over https:// and add integrity",
				" -50 cross-origin-resource-sharing: Access-Control-Allow-Origin echoes any origin with Access-Control-Allow-Credentials: true",
				"grade  F (score 0,",
			},
			notWant: []string{"/own.js", "a.js"},
		},
		{
			name: "good site via HTTP redirect", args: []string{"-ca", goodCA, goodHTTP.URL},
			want: []string{"HTTP   " + goodHTTP.URL + "/ 301 → " + good.URL + "/ 200 (stays on the host)",
				"grade  A+ (score 130, as the MDN HTTP Observatory scores it)",
				" +10 content-security-policy: Content-Security-Policy: default-src 'none'",
				"   0 redirection: plain HTTP redirects to HTTPS on the same host",
				" +10 cross-origin-resource-policy: Cross-Origin-Resource-Policy: same-origin",
				"lint   0 critical, 0 warnings, 1 info", "info: hsts.preload"},
		},
		{
			name: "good site over HTTPS, port named", args: []string{"-ca", goodCA, good.URL},
			want: []string{"HTTPS  " + good.URL + "/ 200", "note   plain HTTP not probed", "grade  A+"},
		},
		{
			name: "insecure grades a certificate that does not verify", args: []string{"-insecure", good.URL},
			want: []string{"note   the HTTPS certificate does not verify (-insecure)", "grade  A+",
				"   0 strict-transport-security: the HTTPS certificate does not verify, so browsers ignore HSTS (not counted: browsers ignore HSTS for 127.0.0.1)"},
		},
		{
			name: "flags after the URL", args: []string{good.URL, "-insecure", "-timeout", "5s"},
			want: []string{"grade  A+"},
		},
		{
			name: "URL after --", args: []string{"-insecure", "--", good.URL},
			want: []string{"grade  A+"},
		},
		{
			name: "redirect leaves the host", args: []string{"-ca", goodCA, "-resolve", toGood, leaving.URL},
			want: []string{"(leaves the host)", "  -5 redirection: the redirect from plain HTTP goes to another host, which never gets HSTS; fix: redirect to https:// on the same host first",
				"grade  A+ (score 125,"},
		},
		{
			name: "weak headers", args: []string{"-ca", weakCA, weak.URL},
			want: []string{
				`warning: csp.script-src[1]: unknown keyword "'unsafe-inlin'"; browsers ignore it`,
				"warning: csp.script-src: 'unsafe-eval'",
				"warning: x-xss-protection:",
				"warning: x-frame-options: ALLOW-FROM",
				"warning: hsts.max-age: max-age of 300 seconds is under a year",
				"warning: csp.object-src",
				"grade  A- (score 85,",
				" -10 content-security-policy: Content-Security-Policy: script-src or style-src allows 'unsafe-eval'",
				"  -5 x-content-type-options: no X-Content-Type-Options header; fix: send X-Content-Type-Options: nosniff",
				"   0 x-frame-options: X-Frame-Options: ALLOW-FROM, which browsers ignore",
				"lint   0 critical, 8 warnings, 0 infos",
			},
		},
		{
			name: "CSP undone by script-src-elem", args: []string{"-ca", weakCSPCA, weakCSP.URL}, wantCode: 1,
			want: []string{
				"critical: csp.script-src-elem: 'unsafe-inline' lets injected inline scripts run",
				`critical: csp.script-src-elem: "*" allows scripts from any host`,
				"grade  B+ (score 80, as the MDN HTTP Observatory scores it, but stricter on content-security-policy)",
				" -20 content-security-policy: Content-Security-Policy lets injected scripts run (see the critical csp findings below)",
				"lint   2 critical,",
				"note   no Strict-Transport-Security, which browsers ignore for 127.0.0.1 anyway (IP addresses and localhost): not graded",
			},
			notWant: []string{"grade  A"},
		},
		{
			name: "redirect to HTTPS on the same port", args: []string{samePort.URL}, wantCode: 1,
			want: []string{
				"HTTP   " + samePort.URL + "/ 301 → https://" + samePort.Listener.Addr().String() + "/ (failed)",
				"critical: https: no HTTPS response: https://" + samePort.Listener.Addr().String() + "/: http: server gave HTTP response to HTTPS client",
				"grade  D (score 30,",
			},
		},
		{
			name: "no HTTPS at all", args: []string{plainOnly.URL}, wantCode: 1,
			want: []string{"critical: https: no HTTPS response", " -20 redirection: plain HTTP serves the page instead of redirecting to HTTPS", " -20 strict-transport-security: no HTTPS response, so no HSTS", "grade  F"},
		},
		{
			name: "fixed nonce is reported", args: []string{"-ca", fixedCA, "-json", fixedNonce.URL},
			want: []string{`"a fixed nonce is the same on every response`, `"the CSP nonce was the same on two responses"`, `"grade": "`},
		},
		{
			name: "fresh nonce is the per-request slot", args: []string{"-ca", freshCA, freshNonce.URL},
			want:    []string{"note   the CSP nonce changed between two responses"},
			notWant: []string{"fixed nonce", "shorter than 128 bits"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"check"}, tc.args...)...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout does not contain %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout contains %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestCheckErrors(t *testing.T) {
	good, goodCA := tlsServer(t, http.HandlerFunc(ok))
	var loop *httptest.Server
	loop = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, loop.URL+"/again", http.StatusFound)
	}))
	t.Cleanup(loop.Close)
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Huge", strings.Repeat("a", 10<<20))
		ok(w, r)
	}))
	t.Cleanup(huge.Close)
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(block); slow.Close() })
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	os.WriteFile(notPEM, []byte("{}"), 0o600)

	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no URL", nil, 2, "usage: secureheaders check"},
		{"two URLs", []string{"a.example", "b.example"}, 2, "usage: secureheaders check"},
		{"two URLs around a flag", []string{"a.example", "-insecure", "b.example"}, 2, "usage: secureheaders check"},
		{"bad flag after the URL", []string{"a.example", "-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"bad scheme", []string{"ftp://a.example/"}, 2, "only http:// and https:// URLs can be checked"},
		{"bad timeout", []string{"-timeout", "0s", "a.example"}, 2, "-timeout must be positive"},
		{"missing CA file", []string{"-ca", "testdata/nope.pem", good.URL}, 1, "-ca: open testdata/nope.pem: no such file or directory"},
		{"CA file without PEM", []string{"-ca", notPEM, good.URL}, 1, "no PEM certificate in the file"},
		{"unknown certificate", []string{good.URL}, 1, "(pass -ca FILE with the server's CA certificate, or -insecure for a test server)"},
		{"unreachable", []string{"http://" + closedAddr(t) + "/"}, 1, "connection refused"},
		{"redirect loop", []string{loop.URL}, 1, "stopped after 10 redirects (a redirect loop?)"},
		{"10 MB header", []string{huge.URL}, 1, "response headers larger than 256 KiB; not read"},
		{"timeout", []string{"-timeout", "300ms", slow.URL}, 1, "no answer within 300ms (raise -timeout)"},
		{"works with the CA", []string{"-ca", goodCA, good.URL}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, append([]string{"check"}, tc.args...)...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr = %q\nwant it to contain %q", stderr, tc.wantErr)
			}
			if tc.wantCode == 1 {
				oneLineErrors(t, stderr, "secureheaders check: ")
				if n := strings.Count(stderr, "\n"); n != 1 {
					t.Errorf("stderr has %d lines, want 1:\n%s", n, stderr)
				}
			}
		})
	}
}

// TestCheckEscapesHostileText is issue 12 item 12: nothing the server sends
// reaches the terminal raw. U+202E (RIGHT-TO-LEFT OVERRIDE), C1 controls
// (U+0085, U+009B CSI) and bytes that are not UTF-8 are escaped in every
// message, in text and JSON.
func TestCheckEscapesHostileText(t *testing.T) {
	hostile, ca := tlsServer(t, withHeaders(map[string]string{
		"Content-Security-Policy": "default-src 'self'; x\u202e-src a; object-src 'none'",
		"X-Frame-Options":         "DENY\u0085",
		"Referrer-Policy":         "no-referrer\u009b31m",
		"X-Content-Type-Options":  "nosniff\xff",
	}))
	for _, format := range [][]string{nil, {"-json"}} {
		args := append(append([]string{"check", "-ca", ca}, format...), hostile.URL)
		_, stdout, stderr := runCmd(t, args...)
		for _, raw := range []string{"\u202e", "\u0085", "\u009b", "\xff"} {
			if strings.Contains(stdout, raw) || strings.Contains(stderr, raw) {
				t.Errorf("%q: output holds %+q raw:\n%s%s", args, raw, stdout, stderr)
			}
		}
		if want := `x\u202e-src`; format == nil && !strings.Contains(stdout, want) {
			t.Errorf("%q: stdout does not show %s:\n%s", args, want, stdout)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain → text…":    "plain → text…",
		"a\u202eb":         `a\u202eb`,
		"nel\u0085":        `nel\u0085`,
		"bad\xffbyte":      `bad\xffbyte`,
		"tab\tand\x1b[31m": `tab\u0009and\u001b[31m`,
		"\U000E0041tag":    `\U000e0041tag`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%+q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportEscape: the last line of defence holds whatever a lower layer
// lets through, in every text field of the report.
func TestReportEscape(t *testing.T) {
	const bad = "x\u202ey\u0085\xff"
	const want = `x\u202ey\u0085\xff`
	f := &fetch{Hops: []hop{{URL: bad}}, Error: bad}
	rep := &checkReport{URL: bad, HTTP: f, HTTPS: f, Notes: []string{bad},
		Findings: []policy.Finding{{Path: bad, Message: bad, Fix: bad}}}
	rep.escape()
	got := []string{rep.URL, rep.Notes[0], rep.Findings[0].Path, rep.Findings[0].Message, rep.Findings[0].Fix, f.Error, f.Hops[0].URL}
	for i, g := range got {
		if g != want {
			t.Errorf("field %d = %q, want %q", i, g, want)
		}
	}
}

func TestResolveFlag(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{"Example.com:443:127.0.0.1", map[string]string{"example.com:443": "127.0.0.1:443"}, ""},
		{"example.com:8443:[::1]", map[string]string{"example.com:8443": "[::1]:8443"}, ""},
		{"example.com:443", nil, "is not HOST:PORT:ADDR"},
		{":443:127.0.0.1", nil, "is not HOST:PORT:ADDR"},
		{"example.com:https:127.0.0.1", nil, "is not HOST:PORT:ADDR"},
		{"example.com:443:db.internal", nil, `"db.internal" is not an IP address`},
	} {
		r := resolveFlag{}
		err := r.Set(tc.in)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("Set(%q) = %v, want an error with %q", tc.in, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("Set(%q) = %v", tc.in, err)
		case tc.wantErr == "":
			if diff := cmp.Diff(tc.want, map[string]string(r)); diff != "" {
				t.Errorf("Set(%q) (-want +got):\n%s", tc.in, diff)
			}
		}
	}
}
