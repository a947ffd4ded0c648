package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

func runRender(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("render", stderr)
	configPath := fs.String("config", "", "JSON configuration file (default: the recommended preset)")
	route := fs.String("route", "", "render the policy of the config route matching this request path")
	plain := fs.Bool("plain", false, "render what a plain-HTTP response gets (no HSTS, no upgrade-insecure-requests)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		printErrors(stderr, "secureheaders render", err)
		return 1
	}
	p, err := routePolicy(cfg, *route)
	if err != nil {
		printErrors(stderr, "secureheaders render", err)
		return 1
	}
	set, err := render.Compile(p)
	if err != nil {
		printErrors(stderr, "secureheaders render", err)
		return 1
	}
	for _, f := range set.Fields(!*plain) {
		fmt.Fprintf(stdout, "%s: %s\n", f.Name, f.Value)
	}
	return 0
}

// routePolicy returns the app policy, or with route set, the policy of the
// config route whose ServeMux pattern matches a GET of that path (the app
// policy when none matches).
func routePolicy(cfg *policy.Config, route string) (policy.Policy, error) {
	if route == "" || len(cfg.Routes) == 0 {
		return cfg.Policy, nil
	}
	u, err := url.ParseRequestURI(route)
	if err != nil {
		return policy.Policy{}, fmt.Errorf("-route %q: %v (write a path such as /embed/)", route, err)
	}
	mux := http.NewServeMux()
	for _, r := range cfg.Routes {
		mux.Handle(r.Pattern, http.NotFoundHandler())
	}
	_, pattern := mux.Handler(&http.Request{Method: http.MethodGet, URL: u, Host: u.Host})
	for _, r := range cfg.Routes {
		if r.Pattern == pattern {
			return r.Override.Apply(cfg.Policy)
		}
	}
	return cfg.Policy, nil
}
