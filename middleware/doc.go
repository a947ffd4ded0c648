// Package middleware is the net/http layer of secureheaders: the HTTPS
// redirect with its host and proxy checks, the per-request writing of compiled
// header sets and nonces, Set-Cookie flags, and the CSP violation-report
// receiver.
//
// Applications normally use the root package secureheaders, which wires these
// pieces together; this package is for those who want one piece alone.
package middleware
