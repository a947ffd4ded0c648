package secureheaders_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// printHeaders prints the security headers of a response in the order the
// engine writes them.
func printHeaders(sh *secureheaders.Engine, h http.Header) {
	for _, f := range sh.Policy().Fields() {
		if v := h.Get(f.Name); v != "" {
			fmt.Printf("%s: %s\n", f.Name, v)
		}
	}
}

// The zero Options send the Recommended policy. HSTS and
// upgrade-insecure-requests go on HTTPS responses only.
func ExampleNew() {
	sh, err := secureheaders.New(nil)
	if err != nil {
		panic(err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	h := sh.Handler(page)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	printHeaders(sh, rec.Header())

	fmt.Println("-- plain HTTP --")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/", nil))
	fmt.Println(rec.Header().Get("Content-Security-Policy"))
	fmt.Printf("Strict-Transport-Security: %q\n", rec.Header().Get("Strict-Transport-Security"))
	// Output:
	// Content-Security-Policy: default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests
	// Strict-Transport-Security: max-age=31536000; includeSubDomains
	// X-Frame-Options: SAMEORIGIN
	// X-Content-Type-Options: nosniff
	// Referrer-Policy: strict-origin-when-cross-origin
	// Cross-Origin-Opener-Policy: same-origin
	// Cross-Origin-Resource-Policy: same-origin
	// Origin-Agent-Cluster: ?1
	// X-XSS-Protection: 0
	// X-DNS-Prefetch-Control: off
	// X-Download-Options: noopen
	// X-Permitted-Cross-Domain-Policies: none
	// -- plain HTTP --
	// default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'
	// Strict-Transport-Security: ""
}

// A route that a partner may frame: the override is compiled once, when the
// route is wrapped, and changes neither the app policy nor other routes.
// Route returns the error of an override that makes an invalid policy; use
// it when the override comes from configuration.
func ExampleEngine_Route() {
	sh, err := secureheaders.New(nil)
	if err != nil {
		panic(err)
	}
	embeddable, err := sh.Route(policy.Override{
		Update: policy.Policy{CSP: csp.Policy{
			csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}},
		}},
		Remove: []string{"X-Frame-Options"},
	})
	if err != nil {
		panic(err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	mux := http.NewServeMux()
	mux.Handle("/", page)
	mux.Handle("/embed/", embeddable(page))
	h := sh.Handler(mux)

	for _, path := range []string{"/embed/video", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com"+path, nil))
		fmt.Println(path)
		fmt.Printf("  X-Frame-Options: %q\n", rec.Header().Get("X-Frame-Options"))
		fmt.Printf("  CSP frame-ancestors: %s\n", frameAncestors(rec.Header()))
	}
	// Output:
	// /embed/video
	//   X-Frame-Options: ""
	//   CSP frame-ancestors: 'self' https://partner.example
	// /
	//   X-Frame-Options: "SAMEORIGIN"
	//   CSP frame-ancestors: 'self'
}

// A Route belongs inside Handler. Wrapped around it, the route writes its
// headers first and Handler then writes the app policy over them, so the
// partner's frame-ancestors and the removal of X-Frame-Options are lost.
// Inside, Handler writes the app policy and the route changes only what it
// overrides, sharing the request's nonce.
func ExampleEngine_Route_incorrect() {
	sh := secureheaders.Must(secureheaders.New(nil))
	embed := policy.Override{
		Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}}},
		Remove: []string{"X-Frame-Options"},
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})

	wrong := sh.MustWrap(sh.Handler(page), embed) // Route outside Handler
	right := sh.Handler(sh.MustWrap(page, embed)) // Route inside Handler

	for _, h := range []struct {
		name string
		http.Handler
	}{{"outside", wrong}, {"inside", right}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/embed/", nil))
		fmt.Printf("%s: X-Frame-Options %q, frame-ancestors %s\n", h.name, rec.Header().Get("X-Frame-Options"), frameAncestors(rec.Header()))
	}
	// Output:
	// outside: X-Frame-Options "SAMEORIGIN", frame-ancestors 'self'
	// inside: X-Frame-Options "", frame-ancestors 'self' https://partner.example
}

// frameAncestors returns the sources of the CSP's frame-ancestors.
func frameAncestors(h http.Header) string {
	_, frame, _ := strings.Cut(h.Get("Content-Security-Policy"), "frame-ancestors ")
	frame, _, _ = strings.Cut(frame, ";")
	return frame
}

// MustWrap is Route for start-up code, where an invalid override is a bug:
// it wraps one handler and panics on error. Here an API route sends no CSP
// and is never cached, inside the engine's Handler.
func ExampleEngine_MustWrap() {
	sh := secureheaders.Must(secureheaders.New(nil))
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})

	mux := http.NewServeMux()
	mux.Handle("/api/", sh.MustWrap(api, policy.Override{
		Update: policy.Policy{CacheControl: "no-store", ResourcePolicy: policy.ResourceSameSite},
		Remove: []string{"CSP"},
	}))
	h := sh.Handler(mux)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/api/items", nil))
	for _, name := range []string{"Content-Security-Policy", "Cache-Control", "Cross-Origin-Resource-Policy", "X-Frame-Options"} {
		fmt.Printf("%s: %q\n", name, rec.Header().Get(name))
	}
	// Output:
	// Content-Security-Policy: ""
	// Cache-Control: "no-store"
	// Cross-Origin-Resource-Policy: "same-site"
	// X-Frame-Options: "SAMEORIGIN"
}

// With the nonce slot (csp.RequestNonce, "nonce" in a config file) every
// response gets a fresh 128-bit nonce, in the header and for the page (see
// NonceAttr and TemplateFuncs to write it into html/template). The output
// shows it as NONCE
// because it changes on every response.
func ExampleNonce() {
	p := policy.Strict()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		panic(err)
	}
	var nonce string
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce = secureheaders.Nonce(r)
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	fmt.Println(len(nonce), "characters")
	fmt.Println(strings.ReplaceAll(rec.Header().Get("Content-Security-Policy"), nonce, "NONCE"))
	// Output:
	// 22 characters
	// default-src 'none'; connect-src 'self'; font-src 'self'; img-src 'self'; manifest-src 'self'; object-src 'none'; script-src 'nonce-NONCE' 'strict-dynamic'; style-src 'self' 'nonce-NONCE'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests; require-trusted-types-for 'script'
}

// NonceAttr writes the whole attribute, and nothing when the policy has no
// nonce slot.
func ExampleNonceAttr() {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		panic(err)
	}
	tmpl := template.Must(template.New("page").Parse(`<script{{.NonceAttr}} src="/app.js"></script>`))
	var nonce string
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce = secureheaders.Nonce(r)
		tmpl.Execute(w, struct{ NonceAttr template.HTMLAttr }{secureheaders.NonceAttr(r)})
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	fmt.Println(strings.ReplaceAll(rec.Body.String(), nonce, "NONCE"))
	// Output:
	// <script nonce="NONCE" src="/app.js"></script>
}

// Run-time changes are validated and swapped in atomically; a bad change
// is refused and the old policy stays in effect.
func ExampleEngine_Update() {
	sh, err := secureheaders.New(nil)
	if err != nil {
		panic(err)
	}
	err = sh.Update(policy.Policy{CSP: csp.Policy{csp.ImgSrc: {{Kind: csp.Host, Value: "https://cdn.example"}}}})
	fmt.Println("update:", err)
	err = sh.Update(policy.Policy{FrameOptions: "ALLOW"})
	fmt.Println("bad update refused:", err != nil)

	rec := httptest.NewRecorder()
	sh.Handler(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	fmt.Println(rec.Header().Get("Content-Security-Policy"))
	fmt.Println(rec.Header().Get("X-Frame-Options"))
	// Output:
	// update: <nil>
	// bad update refused: true
	// default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data: https://cdn.example; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests
	// SAMEORIGIN
}

// Behind a reverse proxy that terminates TLS, list it in TrustedProxies and
// name the header it sets: its requests that arrived over HTTPS get HSTS,
// and plain-HTTP ones are redirected. The same header from anyone else is
// ignored (fail closed), so a client cannot fake HTTPS.
func ExampleOptions() {
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{
		TrustedProxies: []string{"10.0.0.0/8"},
		HTTPS:          secureheaders.HTTPSOptions{Redirect: true, ProxyHeader: "X-Forwarded-Proto"},
	}))
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))

	for _, peer := range []string{"10.1.2.3:4567", "203.0.113.9:4567"} {
		r := httptest.NewRequest("GET", "http://example.com/account", nil)
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		fmt.Printf("from %s: %d %s%s\n", peer, rec.Code, rec.Header().Get("Location"), rec.Header().Get("Strict-Transport-Security"))
	}
	// Output:
	// from 10.1.2.3:4567: 200 max-age=31536000; includeSubDomains
	// from 203.0.113.9:4567: 302 https://example.com/account
}

// Options.Reports mounts the CSP report receiver inside Handler; the sink
// gets each decoded report, off the request goroutine. Close delivers what
// is queued and stops the worker.
func ExampleOptions_reports() {
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP:                csp.MustParse("report-to csp"),
		ReportingEndpoints: policy.ReportingEndpoints{"csp": secureheaders.DefaultReportPath},
	})
	// The sink runs on the receiver's worker goroutine, after the 204.
	got := make(chan report.Report, 1)
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{
		Policy:     &p,
		Reports:    &report.Options{},
		ReportSink: func(ctx context.Context, r report.Report) { got <- r },
	}))
	h := sh.Handler(http.NotFoundHandler())

	body := `[{"type": "csp-violation", "age": 10, "url": "https://example.com/", "body": {
		"documentURL": "https://example.com/", "blockedURL": "inline",
		"effectiveDirective": "script-src-elem", "disposition": "enforce", "statusCode": 200}}]`
	r := httptest.NewRequest("POST", "https://example.com"+secureheaders.DefaultReportPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/reports+json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	fmt.Println("status", rec.Code)
	rep := <-got
	fmt.Println(rep.Type, rep.EffectiveDirective, rep.BlockedURL)
	sh.Close()
	// Output:
	// status 204
	// csp-violation script-src-elem inline
}
