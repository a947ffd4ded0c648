// Command override gives one route its own policy: /embed/ may be framed by
// https://partner.example, so it adds that origin to CSP frame-ancestors
// and drops X-Frame-Options, whose DENY/SAMEORIGIN cannot name an origin.
// The app policy and the other routes are not changed.
//
//	go run ./override -addr 127.0.0.1:8080
//	curl -sI http://127.0.0.1:8080/        # frame-ancestors 'self', X-Frame-Options: SAMEORIGIN
//	curl -sI http://127.0.0.1:8080/embed/  # frame-ancestors 'self' https://partner.example
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// embeddable lets the partner frame a route.
var embeddable = policy.Override{
	Update: policy.Policy{CSP: csp.Policy{
		csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}},
	}},
	Remove: []string{"X-Frame-Options"},
}

// newHandler returns the application wrapped by secureheaders.
func newHandler() (http.Handler, error) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		return nil, err
	}
	// Route validates and compiles the override now, not per request.
	embed, err := sh.Route(embeddable)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("home: not frameable by other sites\n"))
	})
	mux.Handle("GET /embed/", embed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("widget: frameable by https://partner.example\n"))
	})))
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
