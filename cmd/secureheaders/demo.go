package main

import (
	"crypto/rand"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

var demoPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>secureheaders demo</title></head>
<body>
<h1>secureheaders demo</h1>
<p>This response's CSP nonce is <code>{{.Nonce}}</code>.</p>
<p id="with-nonce">The inline script with the nonce did not run.</p>
<p id="without-nonce">The inline script without a nonce was blocked, as it should be.</p>
<script{{.NonceAttr}}>document.getElementById("with-nonce").textContent = "The inline script with the nonce ran.";</script>
<script>document.getElementById("without-nonce").textContent = "The inline script WITHOUT a nonce ran: CSP is not enforced!";</script>
<p>It also set a demo session cookie, <code>__Host-demo-session</code>, with only
a name, a value and <code>Path=/</code>: the middleware's cookie options added
<code>Secure; HttpOnly; SameSite=Lax</code> on the way out (open the developer tools).</p>
<ul>
<li><a href="/headers">/headers</a>: the headers this server sent</li>
<li><a href="/embed/">/embed/</a>: a route whose override allows framing by https://partner.example</li>
</ul>
</body></html>
`))

// demoMux is the demo application behind the middleware.
func demoMux(sh *secureheaders.Engine) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The handler sets the cookie bare; Options.Cookies hardens it.
		http.SetCookie(w, &http.Cookie{Name: "__Host-demo-session", Value: rand.Text(), Path: "/"})
		demoPage.Execute(w, struct {
			Nonce     string
			NonceAttr template.HTMLAttr
		}{secureheaders.Nonce(r), secureheaders.NonceAttr(r)})
	})
	mux.HandleFunc("GET /headers", func(w http.ResponseWriter, r *http.Request) {
		showHeaders(w)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	embed := sh.MustWrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		showHeaders(w)
	}), policy.Override{
		Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}}},
		Remove: []string{"X-Frame-Options"},
	})
	mux.Handle("GET /embed/", embed)
	return mux
}

// showHeaders prints the headers written so far, sorted, as text.
func showHeaders(w http.ResponseWriter) {
	h := w.Header()
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range h[k] {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(b.String()))
}
