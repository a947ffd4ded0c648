// Command override gives one route its own policy: /embed/ may be framed by
// https://partner.example, so it adds that origin to CSP frame-ancestors,
// drops X-Frame-Options, whose DENY/SAMEORIGIN cannot name an origin, and
// sends Cross-Origin-Resource-Policy: cross-origin, which a partner page
// that is cross-origin isolated (COEP require-corp) needs from the frames it
// embeds. The app policy and the other routes are not changed.
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
	Update: policy.Policy{
		CSP: csp.Policy{
			csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}},
		},
		ResourcePolicy: policy.ResourceCrossOrigin,
	},
	Remove: []string{"X-Frame-Options"},
}

// newHandler returns the application wrapped by secureheaders.
func newHandler() (http.Handler, error) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("home: not frameable by other sites\n"))
	})
	// MustWrap validates and compiles the override now, not per request,
	// and panics if it makes an invalid policy: a bug in this file. (Use
	// Route, which returns the error, for overrides read from a file.) The
	// route goes inside sh.Handler, which writes the app policy first.
	mux.Handle("GET /embed/", sh.MustWrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("widget: frameable by https://partner.example\n"))
	}), embeddable))
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
