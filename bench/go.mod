module github.com/secureheaders/secureheaders/bench

go 1.26.0

replace github.com/secureheaders/secureheaders => ../

require (
	github.com/google/go-cmp v0.7.0
	github.com/secureheaders/secureheaders v0.0.0-00010101000000-000000000000
	github.com/unrolled/secure v1.17.0
)
