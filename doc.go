// Package secureheaders puts correct, fast security headers and HTTPS in
// front of any net/http handler.
//
// A typed, validated policy (package policy: Content-Security-Policy,
// Strict-Transport-Security, X-Frame-Options, Permissions-Policy, the
// Cross-Origin-* headers and the rest) is compiled once into precomputed
// header strings (package render). The engine's Handler writes them on every
// response with a fresh CSP nonce when the policy asks for one, redirects
// plain HTTP to HTTPS with host and proxy checks, and can receive CSP
// violation reports (package middleware).
//
// # Quick start
//
//	sh, err := secureheaders.New(nil) // policy.Recommended(), no redirect
//	if err != nil { … }
//	http.ListenAndServe(":8080", sh.Handler(mux))
//
// # Per-route policies
//
// Route (and Wrap) decorate one handler with an Override of the app policy:
// an Update, then a Remove, applied to a copy and compiled when the route is
// wrapped. A route never changes the app policy or another route.
//
// # Run-time changes
//
// Update, Rewrite, Remove and SetPolicy validate, compile a new generation
// (the app policy and every route derived from it) and swap it atomically;
// on error the old policy stays in effect.
//
// # Nonces
//
// A policy with the nonce slot (csp.RequestNonce, "nonce" in a config) gets
// 128 random bits per response, the same in the enforced and report-only
// CSP; handlers read it with Nonce(r) or NonceAttr(r), and html/template
// pages, nested templates included, with TemplateFuncs(r.Context()).
// 'unsafe-inline' is never added behind your back.
package secureheaders
