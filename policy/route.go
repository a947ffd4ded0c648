package policy

// Route is a per-route override for a net/http ServeMux pattern ("/embed/",
// "GET /api/{id}"): one "routes" entry of a configuration file, or one
// element of the engine's Options.Routes.
type Route struct {
	Pattern  string
	Override Override
	// SkipRedirect serves the route's plain-HTTP requests instead of
	// redirecting them to HTTPS ("redirect": false in the file), for paths
	// such as ACME HTTP-01 challenges that must answer over HTTP. HSTS is
	// still sent on HTTPS only.
	SkipRedirect bool
	// SkipHostCheck serves the route's requests whatever their Host, as
	// long as it is a syntactically valid host ("hostCheck": false in the
	// file): HTTPSOptions.AllowedHosts does not apply, for health checks
	// and load balancers that send an address or an internal name. Such a
	// request is never redirected to its own host (a plain-HTTP one due a
	// redirect gets 400 unless HTTPSOptions.Host or CanonicalHost is set:
	// combine with SkipRedirect), nor to the canonical host. Only pattern
	// routes (Options.Routes) can skip the check: a Route wrapper runs
	// after it.
	SkipHostCheck bool
}
