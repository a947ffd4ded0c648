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
}
