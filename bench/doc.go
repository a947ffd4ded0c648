// Package bench measures secureheaders against a hand-written floor and
// against github.com/unrolled/secure, with the same policy and the same
// request for every implementation.
//
// It is a module of its own so that the peers it measures never become
// dependencies of the library. Everything lives in test files: run
//
//	./run.sh            # -count 10, prints a benchstat table
//	go test -run XXX -bench . -benchmem
//
// and read ../docs/performance.md for the results and what they mean.
// TestSameHeaders checks that every implementation really sends the same
// header set, so the comparison is honest.
package bench
