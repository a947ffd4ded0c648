// Command gorillamux serves a gorilla/mux router behind secureheaders.
//
//	go run ./gorillamux -addr 127.0.0.1:8080
//	curl -sI http://127.0.0.1:8080/articles/42
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"github.com/gorilla/mux"
	"github.com/secureheaders/secureheaders"
)

// newRouter returns the gorilla/mux router with secureheaders in front.
func newRouter() (http.Handler, error) {
	sh, err := secureheaders.New(nil) // policy.Recommended()
	if err != nil {
		return nil, err
	}
	r := mux.NewRouter()
	r.HandleFunc("/articles/{id:[0-9]+}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "article %s\n", mux.Vars(r)["id"])
	}).Methods(http.MethodGet)
	// r.Use(sh.Handler) works too, but gorilla/mux runs router middleware
	// only for requests that match a route: wrapping the whole router also
	// covers its 404 and 405 responses.
	return sh.Handler(r), nil
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
