package suggestcsp

import (
	"net/http"
	"net/url"

	"github.com/secureheaders/secureheaders/internal/patmux"
)

// router finds the pattern route of a document path as the engine does.
type router struct {
	m *patmux.Matcher // nil without routes
}

func newRouter(routes []Route) *router {
	if len(routes) == 0 {
		return &router{}
	}
	mux := http.NewServeMux()
	var pats []string
	for _, r := range routes {
		if patmux.Register(mux, r.Pattern, http.NotFoundHandler()) == nil {
			pats = append(pats, r.Pattern)
		}
	}
	_ = patmux.Register(mux, "/", http.NotFoundHandler()) // the catch-all patmux.New asks for
	return &router{m: patmux.New(mux, pats)}
}

// match returns the pattern a GET request for the document path p goes
// to, or "" for the app policy.
func (r *router) match(p string) string {
	if r.m == nil || p == "" || p[0] != '/' {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return r.m.Match(&http.Request{Method: http.MethodGet, URL: u, Host: "", Header: http.Header{}})
}
