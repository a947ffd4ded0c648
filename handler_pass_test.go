package secureheaders_test

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/report"
)

// passProbe is a request of TestHandlerPassAgreesWithDecide, built afresh
// for each use.
type passProbe struct {
	name   string
	method string
	target string
	host   string
	tls    bool
	remote string
	proto  []string // the X-Forwarded-Proto lines, set under key
	key    string   // r.Header key of proto; "" is "X-Forwarded-Proto"
	h2     bool     // HTTP/2: r.Host from :authority, no Host line
	xfh    string   // X-Forwarded-Host
}

func (p passProbe) build() *http.Request {
	method := p.method
	if method == "" {
		method = http.MethodGet
	}
	var body *strings.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"csp-report":{"document-uri":"https://example.com/","violated-directive":"script-src","blocked-uri":"inline"}}`)
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, "http://placeholder"+p.target, body)
	r.Host = p.host
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/csp-report")
	}
	if p.tls {
		r.TLS = &tls.ConnectionState{}
	}
	r.RemoteAddr = "192.0.2.1:1234"
	if p.remote != "" {
		r.RemoteAddr = p.remote
	}
	if p.proto != nil {
		key := p.key
		if key == "" {
			key = "X-Forwarded-Proto"
		}
		r.Header[key] = p.proto
	}
	if p.xfh != "" {
		r.Header.Set("X-Forwarded-Host", p.xfh)
	}
	if p.h2 {
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/2.0", 2, 0
		r.Header.Del("Host")
	}
	return r
}

// passOutcome is what a response shows of the HTTPS decision: who
// answered (the app, the report receiver, the deny handler or the
// engine's own refusal), the status, the redirect target, and whether
// HSTS and the secure-only CSP directive were sent.
type passOutcome struct {
	By       string
	Status   int
	Location string
	HSTS     bool
	Upgrade  bool
}

func servePass(h http.Handler, p passProbe) passOutcome {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, p.build())
	o := passOutcome{Status: w.Code, Location: w.Header().Get("Location"),
		HSTS:    w.Header().Get("Strict-Transport-Security") != "",
		Upgrade: strings.Contains(w.Header().Get("Content-Security-Policy"), "upgrade-insecure-requests")}
	switch {
	case w.Header().Get("X-By") != "":
		o.By = w.Header().Get("X-By")
	case o.Location != "":
		o.By = "redirect"
	case w.Code == http.StatusBadRequest || w.Code == http.StatusForbidden || w.Code == http.StatusMethodNotAllowed:
		o.By = "engine"
	default:
		o.By = "receiver"
	}
	return o
}

// passEngine builds the engine of one configuration of
// TestHandlerPassAgreesWithDecide, its handler marking who answered.
func passEngine(t *testing.T, cfg string) (*secureheaders.Engine, http.Handler) {
	t.Helper()
	o := passOptions(t, cfg)
	e, err := secureheaders.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e, e.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-By", "app")
	}))
}

func passOptions(t *testing.T, cfg string) *secureheaders.Options {
	t.Helper()
	o, err := secureheaders.ParseConfig([]byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	o.Logger = slog.New(slog.DiscardHandler)
	o.ReportSink = func(context.Context, report.Report) {}
	o.DenyHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, _ := secureheaders.DenyReason(r)
		w.Header().Set("X-By", "deny")
		w.WriteHeader(status)
	})
	return o
}

// The configurations Pass is probed under: each way the redirect, the
// proxy header, the Host list, the canonical host, a route skipping the
// Host check or the redirect, and the report receiver change Decide.
var passConfigsJSON = map[string]string{
	"proxy": `{"update": {"CSP": {"upgrade-insecure-requests": true}},
		"trustedProxies": ["10.0.0.0/8"],
		"https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto", "allowedHosts": ["example.com", "localhost", "[::1]"]},
		"reports": {},
		"routes": {"GET /healthz": {"hostCheck": false, "redirect": false}, "/acme/": {"redirect": false}}}`,
	"canonical": `{"update": {"CSP": {"upgrade-insecure-requests": true}},
		"https": {"redirect": true, "canonicalHost": "example.com", "allowedHosts": ["example.com", "www.example.com"], "nonIdempotent": "refuse"},
		"reports": {"path": "/r"}}`,
	"last": `{"trustedProxies": ["10.0.0.0/8"], "https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto", "proxyElement": "last"}}`,
	"forwardedHost": `{"trustedProxies": ["10.0.0.0/8"],
		"https": {"redirect": true, "proxyHeader": "X-Forwarded-Proto", "trustForwardedHost": true, "allowedHosts": ["example.com", "www.example.com"]}}`,
	"development": `{"https": {"redirect": true, "development": true, "allowedHosts": ["example.com"]}}`,
	"plain":       `{"reports": {}}`,
}

// passProbes are the requests sent under every configuration.
var passProbes = []passProbe{
	{name: "tls", host: "example.com", target: "/", tls: true},
	{name: "tls, host in another case, final dot", host: "EXAMPLE.com.", target: "/", tls: true},
	{name: "tls, www", host: "www.example.com", target: "/a?b=c", tls: true},
	{name: "tls, localhost", host: "localhost:8443", target: "/", tls: true},
	{name: "tls, ::1", host: "[::1]:8443", target: "/", tls: true},
	{name: "tls, host not allowed", host: "evil.test", target: "/", tls: true},
	{name: "plain", host: "example.com", target: "/a"},
	{name: "plain POST", host: "example.com", target: "/a", method: http.MethodPost},
	{name: "plain, host not allowed", host: "evil.test", target: "/a"},
	{name: "plain, bad host", host: "exa mple.com", target: "/a"},
	{name: "plain, no host", host: "", target: "/a"},
	{name: "h2 tls", host: "example.com", target: "/", tls: true, h2: true},
	{name: "h2 plain", host: "example.com", target: "/", h2: true},
	{name: "proxy https", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"https"}},
	{name: "proxy https, untrusted peer", host: "example.com", target: "/", proto: []string{"https"}},
	{name: "proxy http", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"http"}},
	{name: "proxy HTTPS", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"HTTPS"}},
	{name: "proxy 'https ' with a space", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"https "}},
	{name: "proxy 'http, https'", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"http, https"}},
	{name: "proxy two lines https, http", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"https", "http"}},
	{name: "proxy two lines http, https", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"http", "https"}},
	{name: "proxy empty value", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{""}},
	{name: "proxy no value", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{}},
	{name: "proxy non-canonical key", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"https"}, key: "x-forwarded-proto"},
	{name: "proxy https, host not allowed", host: "evil.test", target: "/", remote: "10.0.0.1:5555", proto: []string{"https"}},
	{name: "proxy https, forwarded host not allowed", host: "example.com", target: "/", remote: "10.0.0.1:5555", proto: []string{"https"}, xfh: "evil.test"},
	{name: "proxy http, forwarded host www", host: "example.com", target: "/a", remote: "10.0.0.1:5555", proto: []string{"http"}, xfh: "www.example.com"},
	{name: "report POST plain", host: "example.com", target: "/csp-report", method: http.MethodPost},
	{name: "report POST plain, host not allowed", host: "evil.test", target: "/csp-report", method: http.MethodPost},
	{name: "report POST tls, www", host: "www.example.com", target: "/r", method: http.MethodPost, tls: true},
	{name: "report POST plain, /r", host: "example.com", target: "/r", method: http.MethodPost},
	{name: "report POST plain, /r, host not allowed", host: "evil.test", target: "/r", method: http.MethodPost},
	{name: "health check, address host", host: "10.1.2.3:8080", target: "/healthz"},
	{name: "health check over tls, address host", host: "10.1.2.3:8080", target: "/healthz", tls: true},
	{name: "acme bypass", host: "example.com", target: "/acme/x"},
	{name: "acme bypass, host not allowed", host: "evil.test", target: "/acme/x"},
}

// TestHandlerPassAgreesWithDecide holds Handler's fast path (https.Pass,
// which decides a request whose Host an earlier request had accepted) to
// Decide through the public Handler: every probe gets the same response
// on an engine that has never seen its Host (Decide decides) and on one
// that has served every probe before (Pass decides where it can), and
// again after a Reconfigure to another configuration and back (each
// generation has its own memos: what one accepted must not carry over).
func TestHandlerPassAgreesWithDecide(t *testing.T) {
	for cfgName, cfg := range passConfigsJSON {
		t.Run(cfgName, func(t *testing.T) {
			cold := make([]passOutcome, len(passProbes))
			for i, p := range passProbes {
				_, h := passEngine(t, cfg)
				cold[i] = servePass(h, p)
			}
			e, h := passEngine(t, cfg)
			for _, p := range passProbes {
				servePass(h, p)
				servePass(h, p)
			}
			check := func(when string) {
				t.Helper()
				for i, p := range passProbes {
					// The memo keeps a few Hosts: the first request puts
					// this one back, so that the second may take Pass.
					if diff := cmp.Diff(cold[i], servePass(h, p)); diff != "" {
						t.Errorf("%s: %s: first request against a cold engine's (-cold +warm):\n%s", when, p.name, diff)
					}
					if diff := cmp.Diff(cold[i], servePass(h, p)); diff != "" {
						t.Errorf("%s: %s: warm engine against a cold one (-cold +warm):\n%s", when, p.name, diff)
					}
				}
			}
			check("warm")
			for other, ocfg := range passConfigsJSON {
				if other == cfgName {
					continue
				}
				if err := e.Reconfigure(passOptions(t, ocfg)); err != nil {
					t.Fatal(err)
				}
				for _, p := range passProbes {
					servePass(h, p) // the other generation accepts its hosts
				}
				if err := e.Reconfigure(passOptions(t, cfg)); err != nil {
					t.Fatal(err)
				}
				check("after " + other + " and back")
			}
		})
	}
}

// TestHandlerPassOutcomes pins what users rely on for the probes above,
// on the engine that has seen every request before (Pass's side):
// plain HTTP is redirected, a trusted proxy's "https" (in whatever form
// Decide reads it) is served with HSTS, an untrusted peer's or a
// hand-set non-canonical key is not believed, a bad Host gets 400 even on
// the report path, a plain-HTTP report POST reaches the receiver, and a
// secure request for another host moves to the canonical one.
func TestHandlerPassOutcomes(t *testing.T) {
	app := passOutcome{By: "app", Status: 200, HSTS: true, Upgrade: true}
	plainApp := passOutcome{By: "app", Status: 200}
	denied := passOutcome{By: "deny", Status: http.StatusBadRequest}
	deniedSecure := passOutcome{By: "deny", Status: http.StatusBadRequest, Upgrade: true} // no HSTS for a Host the app does not serve
	tests := []struct {
		cfg   string
		probe string
		want  passOutcome
	}{
		{"proxy", "tls", app},
		{"proxy", "tls, host in another case, final dot", app},
		{"proxy", "tls, localhost", passOutcome{By: "app", Status: 200, Upgrade: true}},
		{"proxy", "tls, ::1", passOutcome{By: "app", Status: 200, Upgrade: true}},
		{"proxy", "tls, host not allowed", deniedSecure},
		{"proxy", "plain", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/a"}},
		{"proxy", "h2 tls", app},
		{"proxy", "h2 plain", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy https", app},
		{"proxy", "proxy HTTPS", app},
		{"proxy", "proxy 'https ' with a space", app},
		{"proxy", "proxy two lines https, http", app},
		{"proxy", "proxy two lines http, https", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy 'http, https'", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy empty value", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy https, untrusted peer", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy non-canonical key", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"proxy", "proxy https, host not allowed", deniedSecure},
		{"proxy", "report POST plain", passOutcome{By: "receiver", Status: http.StatusNoContent}},
		{"proxy", "report POST plain, host not allowed", denied},
		{"proxy", "health check, address host", plainApp},
		{"proxy", "health check over tls, address host", passOutcome{By: "app", Status: 200, Upgrade: true}},
		{"proxy", "acme bypass", plainApp},
		{"proxy", "acme bypass, host not allowed", denied},
		{"last", "proxy two lines http, https", app},
		{"last", "proxy 'http, https'", app},
		{"last", "proxy two lines https, http", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/"}},
		{"forwardedHost", "proxy https", app},
		{"forwardedHost", "proxy https, forwarded host not allowed", passOutcome{By: "deny", Status: http.StatusBadRequest, Upgrade: true}},
		{"forwardedHost", "proxy http, forwarded host www", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://www.example.com/a"}},
		{"canonical", "tls", app},
		{"canonical", "tls, host in another case, final dot", app},
		{"canonical", "tls, www", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/a?b=c", HSTS: true, Upgrade: true}},
		{"canonical", "plain", passOutcome{By: "redirect", Status: http.StatusFound, Location: "https://example.com/a"}},
		{"canonical", "plain POST", passOutcome{By: "deny", Status: http.StatusForbidden}},
		{"canonical", "report POST tls, www", passOutcome{By: "receiver", Status: http.StatusNoContent}},
		{"canonical", "report POST plain, /r", passOutcome{By: "receiver", Status: http.StatusNoContent}},
		{"canonical", "report POST plain, /r, host not allowed", denied},
		{"development", "plain", plainApp},
		{"development", "tls", app},
		{"development", "plain, host not allowed", denied},
		{"plain", "plain", plainApp},
		{"plain", "plain, bad host", passOutcome{By: "deny", Status: http.StatusBadRequest}},
		{"plain", "report POST plain", passOutcome{By: "receiver", Status: http.StatusNoContent}},
	}
	probes := map[string]passProbe{}
	for _, p := range passProbes {
		probes[p.name] = p
	}
	for _, tt := range tests {
		t.Run(tt.cfg+"/"+tt.probe, func(t *testing.T) {
			p, ok := probes[tt.probe]
			if !ok {
				t.Fatalf("no probe %q", tt.probe)
			}
			_, h := passEngine(t, passConfigsJSON[tt.cfg])
			servePass(h, p) // accepts the Host: the next one may take Pass
			if diff := cmp.Diff(tt.want, servePass(h, p)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
