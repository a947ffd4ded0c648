package secureheaders_test

import (
	"context"
	"html/template"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
	"github.com/secureheaders/secureheaders/report"
)

// recommendedCSP is Recommended's CSP on HTTPS; on plain HTTP it lacks the
// trailing "; upgrade-insecure-requests".
const recommendedCSP = "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests"

// recommended returns the exact headers of policy.Recommended().
func recommended(secure bool) http.Header {
	h := http.Header{
		"Content-Security-Policy":           {recommendedCSP},
		"Strict-Transport-Security":         {"max-age=31536000; includeSubDomains"},
		"X-Frame-Options":                   {"SAMEORIGIN"},
		"X-Content-Type-Options":            {"nosniff"},
		"Referrer-Policy":                   {"strict-origin-when-cross-origin"},
		"Cross-Origin-Opener-Policy":        {"same-origin"},
		"Cross-Origin-Resource-Policy":      {"same-origin"},
		"Origin-Agent-Cluster":              {"?1"},
		"X-Xss-Protection":                  {"0"},
		"X-Dns-Prefetch-Control":            {"off"},
		"X-Download-Options":                {"noopen"},
		"X-Permitted-Cross-Domain-Policies": {"none"},
	}
	if !secure {
		delete(h, "Strict-Transport-Security")
		h["Content-Security-Policy"] = []string{strings.TrimSuffix(recommendedCSP, "; upgrade-insecure-requests")}
	}
	return h
}

// withNonce is Recommended with the nonce slot in script-src and in a
// report-only style-src.
func withNonce() policy.Policy {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	p.CSPReportOnly = csp.Policy{csp.StyleSrc: {csp.RequestNonce}}
	return p
}

func ptr[T any](v T) *T { return &v }

// app is the application behind the engine in these tests: it reports
// which handler ran and the nonce it saw in response headers.
func app(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", name)
		if n := secureheaders.Nonce(r); n != "" {
			w.Header().Set("X-Seen-Nonce", n)
		}
	})
}

// response is what one request through h produced: the headers (with the
// nonce the handler saw replaced by "{nonce}", and X-Seen-Nonce removed),
// that nonce and the status.
type response struct {
	status int
	header http.Header
	nonce  string
}

func do(t testing.TB, h http.Handler, r *http.Request) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := response{status: rec.Code, header: rec.Header().Clone(), nonce: rec.Header().Get("X-Seen-Nonce")}
	delete(res.header, "X-Seen-Nonce")
	if res.nonce != "" {
		for k, vs := range res.header {
			for i, v := range vs {
				vs[i] = strings.ReplaceAll(v, res.nonce, "{nonce}")
			}
			res.header[k] = vs
		}
	}
	return res
}

// get builds a GET request; an https:// target has r.TLS set.
func get(target string) *http.Request { return httptest.NewRequest(http.MethodGet, target, nil) }

// plus returns h with the extra headers set.
func plus(h http.Header, kv ...string) http.Header {
	h = h.Clone()
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestZeroValueIsPassthrough(t *testing.T) {
	var sh secureheaders.Engine
	for _, tt := range []struct{ target, host string }{
		{"https://example.com/", ""},
		{"http://example.com/x", ""},
		{"http://example.com/", "bad host!"}, // not even the Host check runs
	} {
		r := get(tt.target)
		if tt.host != "" {
			r.Host = tt.host
		}
		got := do(t, sh.Handler(app("app")), r)
		if diff := cmp.Diff(response{status: 200, header: http.Header{"X-Handler": {"app"}}}, got,
			cmp.AllowUnexported(response{})); diff != "" {
			t.Errorf("%s Host %q (-want +got):\n%s", tt.target, tt.host, diff)
		}
	}
	if diff := cmp.Diff(policy.Policy{}, sh.Policy()); diff != "" {
		t.Errorf("Policy() of the zero value (-want +got):\n%s", diff)
	}
	if sh.Reports() != nil {
		t.Error("Reports() of the zero value is not nil")
	}
	sh.Close() // must not panic

	// A policy set at run time turns it on.
	if err := sh.Update(policy.Policy{FrameOptions: policy.FrameDeny}); err != nil {
		t.Fatal(err)
	}
	got := do(t, sh.Handler(app("app")), get("https://example.com/"))
	if diff := cmp.Diff(http.Header{"X-Handler": {"app"}, "X-Frame-Options": {"DENY"}}, got.header); diff != "" {
		t.Errorf("after Update (-want +got):\n%s", diff)
	}
}

func TestNewDefaults(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("app"))
	for _, tt := range []struct {
		target string
		secure bool
	}{
		{"https://example.com/", true},
		{"http://example.com/", false},
	} {
		t.Run(tt.target, func(t *testing.T) {
			got := do(t, h, get(tt.target))
			want := response{status: 200, header: plus(recommended(tt.secure), "X-Handler", "app")}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(response{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(policy.Recommended(), sh.Policy()); diff != "" {
		t.Errorf("Policy() (-want +got):\n%s", diff)
	}
}

func TestNewCopiesOptions(t *testing.T) {
	p := policy.Recommended()
	opts := &secureheaders.Options{Policy: &p}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	p.FrameOptions = policy.FrameDeny
	p.CSP[csp.DefaultSrc][0] = csp.None
	opts.Policy = nil
	got := do(t, sh.Handler(app("app")), get("https://example.com/"))
	if diff := cmp.Diff(plus(recommended(true), "X-Handler", "app"), got.header); diff != "" {
		t.Errorf("options changed after New leaked in (-want +got):\n%s", diff)
	}
}

func TestNewErrors(t *testing.T) {
	bad := policy.Policy{FrameOptions: "nope"}
	tests := []struct {
		name  string
		opts  secureheaders.Options
		paths []string // substrings expected in the error, in order
	}{
		{"policy", secureheaders.Options{Policy: &bad}, []string{"x-frame-options"}},
		{"https", secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{Port: 70000}}, []string{"https.port"}},
		{"cookies", secureheaders.Options{Cookies: secureheaders.CookieOptions{SameSite: http.SameSiteDefaultMode}}, []string{"cookies.sameSite"}},
		{"reports", secureheaders.Options{Reports: &report.Options{Path: "no-slash"}}, []string{"reports.path"}},
		{"pattern", secureheaders.Options{Routes: []policy.Route{{Pattern: "GET"}}}, []string{"routes.GET"}},
		{"route override", secureheaders.Options{Routes: []policy.Route{{Pattern: "/a/", Override: policy.Override{Remove: []string{"X-Nope"}}}}}, []string{"routes./a/"}},
		{
			name: "every problem at once",
			opts: secureheaders.Options{
				Policy:  &bad,
				HTTPS:   secureheaders.HTTPSOptions{Port: 70000},
				Cookies: secureheaders.CookieOptions{SameSite: http.SameSiteDefaultMode},
			},
			paths: []string{"https.port", "cookies.sameSite", "x-frame-options"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(&tt.opts)
			if err == nil {
				t.Fatal("New: no error")
			}
			if sh != nil {
				t.Error("New returned an engine with the error")
			}
			msg := err.Error()
			at := 0
			for _, p := range tt.paths {
				i := strings.Index(msg[at:], p)
				if i < 0 {
					t.Fatalf("error lacks %q (in order):\n%v", p, err)
				}
				at += i + len(p)
			}
		})
	}
}

func TestMust(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "secureheaders: ") {
			t.Errorf("Must panicked with %#v", r)
		}
	}()
	bad := policy.Policy{FrameOptions: "nope"}
	secureheaders.Must(secureheaders.New(&secureheaders.Options{Policy: &bad}))
}

func TestHTTPSRedirect(t *testing.T) {
	opts := func(permanent bool) *secureheaders.Options {
		return &secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{
			Redirect:     true,
			Permanent:    permanent,
			AllowedHosts: []string{"example.com", "*.example.com"},
			Skips:        []string{"/healthz"},
		}}
	}
	tests := []struct {
		name      string
		permanent bool
		method    string
		target    string
		host      string // overrides the target's host when set
		status    int
		location  string
		served    bool // the app ran (with the plain or secure headers)
	}{
		{name: "GET", method: "GET", target: "http://example.com/a/b?q=1", status: 302, location: "https://example.com/a/b?q=1"},
		{name: "HEAD", method: "HEAD", target: "http://www.example.com/", status: 302, location: "https://www.example.com/"},
		{name: "GET permanent", permanent: true, method: "GET", target: "http://example.com/", status: 301, location: "https://example.com/"},
		{name: "POST", method: "POST", target: "http://example.com/form", status: 307, location: "https://example.com/form"},
		{name: "POST permanent", permanent: true, method: "POST", target: "http://example.com/form", status: 308, location: "https://example.com/form"},
		{name: "port 80 dropped", method: "GET", target: "http://example.com:80/", status: 302, location: "https://example.com/"},
		{name: "host not allowed", method: "GET", target: "http://evil.example/", status: 400},
		{name: "host not allowed on HTTPS", method: "GET", target: "https://evil.example/", status: 400},
		{name: "apex of wildcard only", method: "GET", target: "http://example.com/", host: "x.y.evil.com", status: 400},
		{name: "invalid host", method: "GET", target: "http://example.com/", host: "example.com@evil.example", status: 400},
		{name: "skip", method: "GET", target: "http://example.com/healthz", status: 200, served: true},
		{name: "skip below", method: "GET", target: "http://example.com/healthz/db", status: 200, served: true},
		{name: "not a skip", method: "GET", target: "http://example.com/healthzz", status: 302, location: "https://example.com/healthzz"},
		{name: "HTTPS served", method: "GET", target: "https://example.com/", status: 200, served: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := secureheaders.New(opts(tt.permanent))
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.host != "" {
				r.Host = tt.host
			}
			before := *r
			got := do(t, sh.Handler(app("app")), r)
			if got.status != tt.status {
				t.Fatalf("status %d, want %d", got.status, tt.status)
			}
			if loc := got.header.Get("Location"); loc != tt.location {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
			if ran := got.header.Get("X-Handler") == "app"; ran != tt.served {
				t.Errorf("app ran: %v, want %v", ran, tt.served)
			}
			if tt.served {
				want := plus(recommended(r.TLS != nil), "X-Handler", "app")
				if diff := cmp.Diff(want, got.header); diff != "" {
					t.Errorf("served headers (-want +got):\n%s", diff)
				}
			} else if got.header.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS on a redirect or refusal")
			}
			if r.URL.String() != before.URL.String() || r.Host != before.Host || r.Context() != before.Context() {
				t.Error("the request was mutated")
			}
		})
	}
}

func TestNonceReachesHandler(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var nonce string
	var attr template.HTMLAttr
	var page strings.Builder
	tmpl := template.Must(template.New("page").Funcs(template.FuncMap{"cspNonce": secureheaders.NonceAttr}).
		Parse(`<script{{cspNonce .}}>go()</script>`))
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		nonce, attr = secureheaders.Nonce(r), secureheaders.NonceAttr(r)
		if got := secureheaders.NonceFromContext(r.Context()); got != nonce {
			t.Errorf("NonceFromContext %q, Nonce %q", got, nonce)
		}
		page.Reset()
		if err := tmpl.Execute(&page, r); err != nil {
			t.Error(err)
		}
	}))
	seen := map[string]bool{}
	for range 50 {
		for _, target := range []string{"https://example.com/", "http://example.com/"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, get(target))
			if len(nonce) != 22 || seen[nonce] {
				t.Fatalf("nonce %q: want 22 characters (base64url), fresh", nonce)
			}
			seen[nonce] = true
			wantCSP := "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-" + nonce + "'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
			if strings.HasPrefix(target, "https") {
				wantCSP += "; upgrade-insecure-requests"
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != wantCSP {
				t.Fatalf("CSP\n got %q\nwant %q", got, wantCSP)
			}
			if got, want := rec.Header().Get("Content-Security-Policy-Report-Only"), "style-src 'nonce-"+nonce+"'"; got != want {
				t.Fatalf("CSP-Report-Only %q, want %q", got, want)
			}
			if want := template.HTMLAttr(` nonce="` + nonce + `"`); attr != want {
				t.Fatalf("NonceAttr %q, want %q", attr, want)
			}
			if want := `<script nonce="` + nonce + `">go()</script>`; page.String() != want {
				t.Fatalf("template rendered %q, want %q", page.String(), want)
			}
		}
	}

	// Without a nonce slot there is no nonce and no attribute.
	sh2, _ := secureheaders.New(nil)
	sh2.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, a := secureheaders.Nonce(r), secureheaders.NonceAttr(r); n != "" || a != "" {
			t.Errorf("Nonce %q, NonceAttr %q without a nonce slot", n, a)
		}
	})).ServeHTTP(httptest.NewRecorder(), get("https://example.com/"))
	if n := secureheaders.Nonce(get("https://example.com/")); n != "" {
		t.Errorf("Nonce of a request that never met the engine: %q", n)
	}
}

func TestCookieFlags(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{
		Cookies: secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		target string
		write  bool
		want   string
	}{
		{"secure, body written", "https://example.com/", true, "sid=1; Secure; HttpOnly; SameSite=Lax"},
		{"secure, nothing written", "https://example.com/", false, "sid=1; Secure; HttpOnly; SameSite=Lax"},
		{"plain: no Secure", "http://example.com/", true, "sid=1; HttpOnly; SameSite=Lax"},
		{"plain, nothing written", "http://example.com/", false, "sid=1; HttpOnly; SameSite=Lax"},
	}
	route := sh.MustRoute(policy.Override{Remove: []string{"X-Frame-Options"}})
	for _, tt := range tests {
		for _, standalone := range []bool{false, true} {
			name := tt.name
			if standalone {
				name += ", standalone route"
			}
			t.Run(name, func(t *testing.T) {
				var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.SetCookie(w, &http.Cookie{Name: "sid", Value: "1"})
					if tt.write {
						io.WriteString(w, "hi")
					}
				})
				if standalone {
					h = route(h)
				} else {
					h = sh.Handler(h)
				}
				// A real server: when the handler writes nothing, the server
				// sends the header after the handler returns.
				srv := httptest.NewUnstartedServer(h)
				if strings.HasPrefix(tt.target, "https") {
					srv.StartTLS()
				} else {
					srv.Start()
				}
				defer srv.Close()
				res, err := srv.Client().Get(srv.URL + "/")
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if got := res.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != tt.want {
					t.Errorf("Set-Cookie %q, want [%q]", got, tt.want)
				}
			})
		}
	}
}

func TestReportsServedInsideHandler(t *testing.T) {
	got := make(chan report.Report, 1)
	sh, err := secureheaders.New(&secureheaders.Options{
		Reports:    &report.Options{},
		ReportSink: func(_ context.Context, r report.Report) { got <- r },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	if sh.Reports() == nil {
		t.Fatal("Reports() is nil")
	}
	h := sh.Handler(app("app"))

	body := `{"csp-report":{"document-uri":"https://example.com/","violated-directive":"script-src","blocked-uri":"inline"}}`
	r := httptest.NewRequest(http.MethodPost, "https://example.com"+secureheaders.DefaultReportPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/csp-report")
	res := do(t, h, r)
	if res.status != http.StatusNoContent || res.header.Get("X-Handler") != "" {
		t.Fatalf("report POST: status %d, handler %q; want 204 from the receiver", res.status, res.header.Get("X-Handler"))
	}
	select {
	case rep := <-got:
		if rep.URL != "https://example.com/" || rep.EffectiveDirective != "script-src" {
			t.Errorf("report %+v", rep)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sink got no report")
	}
	if res := do(t, h, get("https://example.com"+secureheaders.DefaultReportPath)); res.status != http.StatusMethodNotAllowed {
		t.Errorf("GET on the report path: %d, want 405", res.status)
	}
	// Other paths reach the app.
	if res := do(t, h, get("https://example.com/csp-report/x")); res.header.Get("X-Handler") != "app" {
		t.Errorf("GET /csp-report/x did not reach the app")
	}
}

func TestHandlerPanicLeavesEngineHealthy(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	mux.Handle("/", app("app"))
	srv := httptest.NewUnstartedServer(sh.Handler(mux))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	defer srv.Close()

	for range 3 {
		if res, err := srv.Client().Get(srv.URL + "/panic"); err == nil {
			res.Body.Close()
			t.Fatalf("panicking handler answered %d", res.StatusCode)
		}
		res, err := srv.Client().Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		n := res.Header.Get("X-Seen-Nonce")
		if res.StatusCode != 200 || len(n) != 22 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "'nonce-"+n+"'") {
			t.Fatalf("after a panic: status %d, nonce %q, CSP %q", res.StatusCode, n, res.Header.Get("Content-Security-Policy"))
		}
	}
}

// mustCompile is render.Compile for policies a test knows are valid.
func mustCompile(t testing.TB, p policy.Policy) *render.Set {
	t.Helper()
	set, err := render.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return set
}
