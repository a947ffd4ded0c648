// Command chi serves a chi router with secureheaders as its first
// middleware, redirecting plain HTTP to HTTPS for the allowed hosts.
//
//	go run ./chi -addr 127.0.0.1:8080
//	curl -sI -H 'Host: example.com' http://127.0.0.1:8080/   # 302 to https://example.com/
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/secureheaders/secureheaders"
)

// newRouter returns the chi router with secureheaders in front.
func newRouter() (http.Handler, error) {
	sh, err := secureheaders.New(&secureheaders.Options{
		HTTPS: secureheaders.HTTPSOptions{
			Redirect:               true,
			AllowedHosts:           []string{"example.com", "localhost", "127.0.0.1"},
			InsecureBypassPatterns: []string{"GET /healthz"},
		},
	})
	if err != nil {
		return nil, err
	}
	r := chi.NewRouter()
	r.Use(sh.Handler)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello from chi\n"))
	})
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	return r, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	h, err := newRouter()
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, h))
}
