package secureheaders_test

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// logRecorder is a slog.Handler keeping "msg|level|reason|fix|host" lines.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + "|" + r.Message
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "status", "reason", "host", "suppressed":
			line += "|" + a.Key + "=" + a.Value.String()
		case "fix":
			if a.Value.String() == "" {
				line += "|no fix"
			}
		}
		return true
	})
	h.mu.Lock()
	h.lines = append(h.lines, line)
	h.mu.Unlock()
	return nil
}
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecorder) WithGroup(string) slog.Handler      { return h }

func (h *logRecorder) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.lines
	h.lines = nil
	return l
}

// TestRouteHostCheckOff checks "hostCheck": false through Handler: a load
// balancer's health check with an address Host is served on its route and
// refused elsewhere, the route's layered policy applies, allowedHosts takes
// ranges, and each refusal is logged with its reason.
func TestRouteHostCheckOff(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{
		"routes": {
			"/api/": {"rewrite": {"CSP": {"default-src": ["none"], "frame-ancestors": ["none"]}}},
			"GET /api/health": {"redirect": false, "hostCheck": false, "remove": ["X-Frame-Options"]}
		},
		"https": {"redirect": true, "allowedHosts": ["example.com", "192.0.2.0/24"]}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bool{false, true}, []bool{opts.Routes[0].SkipHostCheck, opts.Routes[1].SkipHostCheck}); diff != "" {
		t.Fatalf("SkipHostCheck of the routes (-want +got):\n%s", diff)
	}
	logs := &logRecorder{}
	opts.Logger = slog.New(logs)
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("app"))
	const apiCSP = "default-src 'none'; frame-ancestors 'none'"
	tests := []struct {
		name, method, target, host string
		tls                        bool
		wantStatus                 int
		wantCSP, wantXFO, wantLoc  string
		wantLog                    []string
	}{
		{name: "health check, IP Host, plain HTTP", target: "/api/health", host: "10.0.0.5:8080", wantStatus: 200, wantCSP: apiCSP},
		{name: "health check, IP Host, HTTPS", target: "/api/health", host: "10.0.0.5", tls: true, wantStatus: 200, wantCSP: apiCSP},
		{name: "health check, allowed host", target: "/api/health", host: "example.com", wantStatus: 200, wantCSP: apiCSP},
		{name: "health check POST is not the route", method: "POST", target: "/api/health", host: "10.0.0.5", wantStatus: 400,
			wantLog: []string{"INFO|secureheaders: request refused|status=400|reason=Host not allowed|host=10.0.0.5"}},
		{name: "API with an IP Host refused", target: "/api/users", host: "10.0.0.5", tls: true, wantStatus: 400,
			wantLog: []string{"INFO|secureheaders: request refused|status=400|reason=Host not allowed|host=10.0.0.5"}},
		{name: "address in an allowed range", target: "/api/users", host: "192.0.2.9", tls: true, wantStatus: 200, wantCSP: apiCSP, wantXFO: "SAMEORIGIN"},
		{name: "malformed Host refused on the route too", target: "/api/health", host: "a b", wantStatus: 400,
			wantLog: []string{"DEBUG|secureheaders: request refused|status=400|reason=invalid Host header|host=a b"}},
		{name: "app page redirected", target: "/", host: "example.com", wantStatus: 302, wantLoc: "https://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			r := httptest.NewRequest(method, tt.target, nil)
			r.Host = tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := []string{strconv.Itoa(w.Code), w.Header().Get("Content-Security-Policy"), w.Header().Get("X-Frame-Options"), w.Header().Get("Location")}
			want := []string{strconv.Itoa(tt.wantStatus), tt.wantCSP, tt.wantXFO, tt.wantLoc}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("status, CSP, X-Frame-Options, Location (-want +got):\n%s", diff)
			}
			if w.Code == 200 && w.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("HSTS sent to %q", tt.host)
			}
			if diff := cmp.Diff(tt.wantLog, logs.take()); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRefusalLogFlood checks the engine's refusal log bound: a flood of bad
// Hosts yields at most 10 records at once.
func TestRefusalLogFlood(t *testing.T) {
	logs := &logRecorder{}
	sh, err := secureheaders.New(&secureheaders.Options{Logger: slog.New(logs), HTTPS: secureheaders.HTTPSOptions{AllowedHosts: []string{"example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("app"))
	const flood = 5000
	for i := range flood {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = "evil" + strconv.Itoa(i%1000) + ".example"
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	// The test runs well within a second: the bucket refills one token a
	// second, so at most one more than the burst can appear.
	if got := len(logs.take()); got < 10 || got > 11 {
		t.Errorf("%d records for %d refusals, want 10 (11 if a second passed)", got, flood)
	}
}

// TestRefusalLogFloodAcrossReconfigure checks that Reconfigure does not
// refill the refusal log's bucket: an application that reloads its
// configuration often (a file watcher, a flag from an admin page) would
// otherwise let a flood of bad Hosts write a burst of records per reload.
// A reload that changes the Logger keeps the bucket too.
func TestRefusalLogFloodAcrossReconfigure(t *testing.T) {
	logs := &logRecorder{}
	opts := &secureheaders.Options{Logger: slog.New(logs), HTTPS: secureheaders.HTTPSOptions{AllowedHosts: []string{"example.com"}}}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("app"))
	other := &logRecorder{}
	const reloads, perReload = 20, 50
	for i := range reloads {
		o := sh.Options()
		if i == reloads/2 {
			o.Logger = slog.New(other)
		}
		if err := sh.Reconfigure(&o); err != nil {
			t.Fatal(err)
		}
		for j := range perReload {
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = "evil" + strconv.Itoa(j) + ".example"
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
	}
	// Well within a second: at most one token more than the burst, and
	// one "suppressed" summary before it.
	if got := len(logs.take()) + len(other.take()); got < 10 || got > 12 {
		t.Errorf("%d records for %d refusals over %d reloads, want 10 (up to 12 if a second passed)", got, reloads*perReload, reloads)
	}
}

// TestRouteHostCheckErrors checks the bad input of "hostCheck": its type, a
// duplicate, and a route that would turn the check off everywhere.
func TestRouteHostCheckErrors(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{name: "hostCheck not a boolean", js: `{"routes": {"GET /healthz": {"hostCheck": "no"}}}`,
			want: []string{`"routes.GET /healthz.hostCheck": must be a boolean, got a string (write true or false)`}, fixedJS: `{"routes": {"GET /healthz": {"hostCheck": false}}}`},
		{name: "hostCheck twice", js: `{"routes": {"GET /healthz": {"hostCheck": false, "hostCheck": true}}}`,
			want: []string{`"routes.GET /healthz.hostCheck": key given twice (keep one of them)`}},
		{name: "hostCheck case", js: `{"routes": {"GET /healthz": {"HostCheck": false}}}`,
			want: []string{`"routes.GET /healthz.HostCheck": unknown key (did you mean "hostCheck"? keys are case-sensitive)`}, fixedJS: `{"routes": {"GET /healthz": {"hostCheck": false}}}`},
		{name: "canonicalHost not a string", js: `{"https": {"canonicalHost": 1}}`,
			want: []string{`https.canonicalHost: must be a string, got a number (write "www.example.com")`}, fixedJS: `{"https": {"canonicalHost": "www.example.com"}}`},
		{name: "upgradeLocation not a boolean", js: `{"https": {"upgradeLocation": "yes"}}`,
			want: []string{`https.upgradeLocation: must be a boolean, got a string (write true or false)`}},
	})
	_, err := secureheaders.New(&secureheaders.Options{
		Routes: []policy.Route{{Pattern: "/", SkipHostCheck: true}},
		HTTPS:  secureheaders.HTTPSOptions{AllowedHosts: []string{"example.com", "10.0.0.1/8"}, CanonicalHost: "www.example.com"},
	})
	var got []string
	for e := range policy.AllErrors(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`https.allowedHosts[1]: host bits set in an address range "10.0.0.1/8" (did you mean "10.0.0.0/8"? (or "10.0.0.1" for that one address))`,
		`https.canonicalHost: is not in https.allowedHosts, so its own requests would be refused "www.example.com" (add "www.example.com" to https.allowedHosts)`,
		`routes./: pattern matching every path, with "hostCheck": false "/" (give the route of the health check its own path, such as "GET /healthz", or leave https.allowedHosts empty)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
