package secureheaders_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// printHeaders prints the security headers of a response in the order the
// engine writes them.
func printHeaders(sh *secureheaders.Engine, h http.Header, secure bool) {
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
	printHeaders(sh, rec.Header(), true)

	fmt.Println("-- plain HTTP --")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/", nil))
	fmt.Println(rec.Header().Get("Content-Security-Policy"))
	fmt.Printf("Strict-Transport-Security: %q\n", rec.Header().Get("Strict-Transport-Security"))
	// Output:
	// Content-Security-Policy: default-src 'self'; img-src 'self' data:; object-src 'none'; script-src-attr 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests
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
	// default-src 'self'; img-src 'self' data:; object-src 'none'; script-src-attr 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'
	// Strict-Transport-Security: ""
}

// A route that a partner may frame: the override is compiled once, when the
// route is wrapped, and changes neither the app policy nor other routes.
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
		_, frame, _ := strings.Cut(rec.Header().Get("Content-Security-Policy"), "frame-ancestors ")
		frame, _, _ = strings.Cut(frame, ";")
		fmt.Printf("  CSP frame-ancestors: %s\n", frame)
	}
	// Output:
	// /embed/video
	//   X-Frame-Options: ""
	//   CSP frame-ancestors: 'self' https://partner.example
	// /
	//   X-Frame-Options: "SAMEORIGIN"
	//   CSP frame-ancestors: 'self'
}

// With the nonce slot (csp.RequestNonce, "nonce" in a config file) every
// response gets a fresh 128-bit nonce, in the header and for the page (see
// NonceAttr to write it into html/template). The output shows it as NONCE
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
	tmpl := template.Must(template.New("page").Funcs(secureheaders.TemplateFuncs()).
		Parse(`<script{{cspNonce .}} src="/app.js"></script>`))
	var nonce string
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce = secureheaders.Nonce(r)
		tmpl.Execute(w, r) // or {{.NonceAttr}} with NonceAttr(r) in the data
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
	// default-src 'self'; img-src 'self' data: https://cdn.example; object-src 'none'; script-src-attr 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests
	// SAMEORIGIN
}
