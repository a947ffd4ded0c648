// Package secureheaders puts correct, fast security headers and HTTPS in
// front of any net/http handler.
//
// A typed, validated policy (package policy: Content-Security-Policy,
// Strict-Transport-Security, X-Frame-Options, Permissions-Policy, the
// Cross-Origin-* headers and the rest) is compiled once into precomputed
// header strings. The [Engine]'s Handler writes them on every response with
// a fresh CSP nonce when the policy asks for one, redirects plain HTTP to
// HTTPS with host and proxy checks, applies cookie flags, and can mount the
// CSP report receiver (package report).
//
// # Quick start
//
//	sh, err := secureheaders.New(nil) // policy.Recommended(), no redirect
//	if err != nil { … }
//	http.ListenAndServe(":8080", sh.Handler(mux))
//
// # The Engine
//
// [New] validates an [Options] value (the policy, pattern routes,
// [HTTPSOptions], [CookieOptions], the trusted proxies and the report
// receiver) and compiles everything before the first request. The *Engine it
// returns is safe for concurrent use; [Engine.Handler] fits
// func(http.Handler) http.Handler chains. Programs that write or export the
// headers themselves, without the engine, use package render.
//
// # Per-route policies
//
// [Engine.Route] (and [Engine.MustWrap], which panics instead of returning
// an error) decorate one handler with a policy.Override: a Rewrite, a
// ReplaceDirectives of CSP directives, an Update, then a Remove, applied to
// a copy and compiled when the route is wrapped. Options.Routes does the
// same for ServeMux patterns. Routes layer: a request gets every pattern
// route that covers the one it matches, least specific first, then the
// Route wrappers around its handler, outer to inner; each layered policy is
// compiled once, never per request. A route never changes the app policy or
// another route; one that must start from scratch rewrites.
//
// # Run-time changes and Reconfigure
//
// [Engine.Update], [Engine.Rewrite], [Engine.Remove] and [Engine.SetPolicy]
// change the app policy; [Engine.Reconfigure] replaces the whole
// configuration: policy, routes, HTTPS, cookies, trusted proxies and report
// receiver. Each validates first, compiles a new generation (with every
// route derived from the new policy) and swaps it in atomically, so a request
// sees the old configuration or the new one, never a mix; on error nothing
// changes and every problem is returned. [Engine.Options] returns a deep
// copy of the configuration in effect, so that
//
//	o := sh.Options()
//	err := sh.Reconfigure(&o)
//
// changes nothing, and a program can change one field and give it back.
//
// # Trusted proxies
//
// [Options.TrustedProxies] is the one list of reverse proxies whose
// forwarding headers are believed: the scheme header named by
// HTTPSOptions.ProxyHeader, X-Forwarded-Host (HTTPSOptions.TrustForwardedHost)
// and, for the report receiver's per-client rate limit, X-Forwarded-For.
// Empty, no forwarding header is believed. The report options given to the
// engine (Options.Reports) must leave their own TrustedProxies empty.
//
// # Reports
//
// With Options.Reports set, Handler serves the CSP report receiver at its
// path (default [DefaultReportPath]) and hands each report to
// Options.ReportSink. [Engine.Reports] returns the *report.Handler, for its
// Stats or to mount it elsewhere; package report also works without the
// engine (report.NewHandler, report.Decode). [Engine.Close] stops it.
//
// # Nonces
//
// A policy with the nonce slot (csp.RequestNonce, "nonce" in a config) gets
// 128 random bits per response, written as 22 characters of unpadded
// base64url (RFC 4648 §5), the same in the enforced and the report-only CSP.
// Handlers read it with [Nonce], [NonceAttr] or [NonceFromContext], and
// templates, nested ones included, with [TemplateFuncs](r.Context()); base64url needs no escaping in an HTML
// attribute. 'unsafe-inline' is never added behind your back.
//
// # Errors
//
// Every configuration problem is a *policy.Error with a Path, the offending
// Value, a Reason and, where one helps, a Fix; its Error method reads
// `path: reason "value" (fix)`. New, Reconfigure and the policy changes
// return all problems at once, joined; range over them with
// policy.AllErrors:
//
//	if err != nil {
//		for e := range policy.AllErrors(err) {
//			log.Printf("%s: %s", e.Path, e.Reason)
//		}
//	}
package secureheaders
