package https

// Fix returns what an operator can change so that requests refused with
// Decision.Reason reason are served, for the refusal log; "" for a reason
// that is not a refusal's. The client sees only the reason.
func Fix(reason string) string {
	switch reason {
	case httpsReasonBadHost:
		return "the client or a proxy sent a malformed Host (or X-Forwarded-Host); if it is your proxy, make it forward the original host"
	case httpsReasonHostDenied:
		return `add the host to https.allowedHosts (an address range such as "10.0.0.0/8" for load balancers), or set "hostCheck": false on the route of the health check (policy.Route.SkipHostCheck)`
	case httpsReasonNoHost:
		return "set https.host or https.canonicalHost, so that requests without Host (HTTP/1.0) can be redirected"
	case httpsReasonBadTarget:
		return "the request target cannot be written into a Location safely; nothing to change unless a legitimate client sends it"
	case httpsReasonRefused:
		return `set https.nonIdempotent to "redirect" (307/308) or "pass" to accept such requests over plain HTTP`
	case httpsReasonConnect:
		return "none: a CONNECT tunnel has no https:// URL to redirect to"
	case httpsReasonUncheckedRedirect:
		return `set "redirect": false on the route that skips the Host check, or set https.host or https.canonicalHost as the redirect target`
	case httpsReasonNotCanonical:
		return `set https.nonIdempotent to "redirect" (307/308) or "pass", or send the request to the canonical host`
	}
	return ""
}

// Configurable reports whether requests refused for reason are usually the
// configuration's doing (a valid Host missing from allowedHosts, a redirect
// with no target to go to) rather than the client's: the refusal log
// writes those at Info, the others at Debug.
func Configurable(reason string) bool {
	switch reason {
	case httpsReasonHostDenied, httpsReasonUncheckedRedirect, httpsReasonNoHost:
		return true
	}
	return false
}
