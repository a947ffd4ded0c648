module github.com/secureheaders/secureheaders/examples

go 1.26.0

require (
	github.com/go-chi/chi/v5 v5.2.3
	github.com/gorilla/mux v1.8.1
	github.com/secureheaders/secureheaders v0.0.0
)

replace github.com/secureheaders/secureheaders => ../
