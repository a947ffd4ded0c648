// Command servemux serves a net/http ServeMux (Go 1.22 patterns) behind
// secureheaders: the recommended policy with a per-request script nonce,
// used by html/template pages through secureheaders.TemplateFuncs, and
// session cookies made Secure, HttpOnly and SameSite=Lax.
//
//	go run ./servemux -addr 127.0.0.1:8080
//	curl -sI http://127.0.0.1:8080/
package main

import (
	"context"
	"flag"
	"html/template"
	"log"
	"net/http"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// pages is parsed once with TemplateFuncs' placeholders; render binds a
// copy to each request. It is never executed itself.
var pages = template.Must(template.New("pages").
	Funcs(secureheaders.TemplateFuncs(context.Background())).
	Parse(`{{define "page"}}<!doctype html>
<title>servemux</title>
<p id="out">The inline script did not run.</p>
{{template "scripts" .}}
{{end}}
{{define "scripts"}}<script{{cspNonceAttr}}>document.getElementById("out").textContent = "Hello, {{.}}: the nonce let this script run.";</script>{{end}}`))

// render executes the named template with the request's nonce. The Clone
// costs some 30 µs a page (see secureheaders.TemplateFuncs); a hot page can
// pass secureheaders.NonceAttr(r) in its data instead.
func render(w http.ResponseWriter, r *http.Request, name string, data any) {
	t, err := pages.Clone()
	if err != nil {
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	t.Funcs(secureheaders.TemplateFuncs(r.Context()))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := t.ExecuteTemplate(w, name, data); err != nil {
		log.Printf("render %s: %v", name, err)
	}
}

// newHandler returns the application wrapped by secureheaders.
func newHandler() (http.Handler, error) {
	// Recommended, plus scripts allowed by the per-request nonce.
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP: csp.Policy{csp.ScriptSrc: {csp.Self, csp.RequestNonce}},
	})
	sh, err := secureheaders.New(&secureheaders.Options{
		Policy:  &p,
		Cookies: secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode},
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "demo", Path: "/"})
		render(w, r, "page", "world")
	})
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		render(w, r, "page", r.PathValue("name"))
	})
	return sh.Handler(mux), nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	h, err := newHandler()
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, h))
}
