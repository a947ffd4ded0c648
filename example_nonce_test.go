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
)

// layout is parsed once, with TemplateFuncs' placeholders. Its "scripts"
// template is not given the request, yet gets the response's nonce.
var layout = template.Must(template.New("layout").
	Funcs(secureheaders.TemplateFuncs(context.Background())).
	Parse(`{{define "page"}}<h1>{{.}}</h1>
{{template "scripts"}}{{end}}
{{define "scripts"}}<script{{cspNonceAttr}} src="/app.js"></script>
<script nonce="{{cspNonce}}">start()</script>{{end}}`))

// Per request, clone the parsed templates and bind the functions to the
// request's context: nested templates need no request in their data.
func ExampleTemplateFuncs() {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Policy: &p}))

	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := layout.Clone() // never execute layout itself, or Clone fails
		if err != nil {
			http.Error(w, "template error", http.StatusInternalServerError)
			return
		}
		t.Funcs(secureheaders.TemplateFuncs(r.Context()))
		t.ExecuteTemplate(w, "page", "Hello")
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	_, nonce, _ := strings.Cut(rec.Header().Get("Content-Security-Policy"), "'nonce-")
	nonce, _, _ = strings.Cut(nonce, "'")
	fmt.Println(strings.ReplaceAll(rec.Body.String(), nonce, "NONCE"))
	// Output:
	// <h1>Hello</h1>
	// <script nonce="NONCE" src="/app.js"></script>
	// <script nonce="NONCE">start()</script>
}

// Executing the parsed templates directly uses the parse-time placeholders:
// the page renders without a nonce and the CSP blocks its scripts. It fails
// closed, but the page is broken; bind a Clone per request as in
// ExampleTemplateFuncs. (Calling layout.Funcs per request instead of
// cloning would be worse: a data race that can hand one request's nonce to
// another.)
func ExampleTemplateFuncs_incorrect() {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Policy: &p}))

	parsed := template.Must(layout.Clone()) // a fresh copy, so layout stays unexecuted
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parsed.ExecuteTemplate(w, "page", "Hello") // wrong: no per-request binding
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	fmt.Println(rec.Body.String())
	fmt.Println("header has a nonce:", strings.Contains(rec.Header().Get("Content-Security-Policy"), "'nonce-"))
	// Output:
	// <h1>Hello</h1>
	// <script src="/app.js"></script>
	// <script nonce="">start()</script>
	// header has a nonce: true
}
