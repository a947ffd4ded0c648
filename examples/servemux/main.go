// Command servemux serves a net/http ServeMux (Go 1.22 patterns) behind
// secureheaders: the recommended policy with a per-request script nonce,
// used by an html/template page through secureheaders.TemplateFuncs.
//
//	go run ./servemux -addr 127.0.0.1:8080
//	curl -sI http://127.0.0.1:8080/
package main

import (
	"flag"
	"html/template"
	"log"
	"net/http"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

var page = template.Must(template.New("page").Funcs(secureheaders.TemplateFuncs()).Parse(`<!doctype html>
<title>servemux</title>
<p id="out">The inline script did not run.</p>
<script{{cspNonce .Request}}>document.getElementById("out").textContent = "Hello, {{.Name}}: the nonce let this script run.";</script>
`))

// newHandler returns the application wrapped by secureheaders.
func newHandler() (http.Handler, error) {
	// Recommended, plus scripts allowed by the per-request nonce.
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP: csp.Policy{csp.ScriptSrc: {csp.Self, csp.RequestNonce}},
	})
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page.Execute(w, map[string]any{"Request": r, "Name": "world"})
	})
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		page.Execute(w, map[string]any{"Request": r, "Name": r.PathValue("name")})
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
