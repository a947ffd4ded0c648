package main

import (
	"reflect"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/patmux"
	"github.com/secureheaders/secureheaders/policy"
)

// routeDiff is what differs for one route pattern between two configs.
type routeDiff struct {
	// Pattern is the route's pattern, as the config spells it.
	Pattern string `json:"pattern"`
	// OnlyIn is "A" or "B" when only that config has the route; empty when
	// both have it.
	OnlyIn string `json:"onlyIn,omitempty"`
	// Other, for a route only in one config, is the pattern of the other
	// config's route whose policy the route's paths get there (the most
	// specific route covering it); empty for the app policy.
	Other string `json:"other,omitempty"`
	// Changes are policy.Diff of the policy the paths get in A and in B,
	// without those the app policy's changes list too.
	Changes []policy.Change `json:"changes"`
	// AsApp is true when some changes were left out for being the app
	// policy's.
	AsApp bool `json:"asApp,omitempty"`
	// Serving are the changes of the redirect and the Host check of the
	// requests the pattern matches (routeServing).
	Serving []servingChange `json:"serving"`
	// servedA and servedB, for a pattern neither config has (an
	// intersection, hostIntersections), are the routes whose policy its
	// requests get in A and in B ("" for the app policy).
	servedA, servedB string
	inNeither        bool
}

// diffRoutes compares, for each route pattern of a or b (a's in order,
// then b's others), the policy the engine serves for it in a with the one
// in b. A config without the route serves the route's paths the policy of
// its most specific route that covers the pattern (patmux.Layers, as the
// engine layers routes), or its app policy. The intersections of a route
// with a host and one without (hostIntersections), which neither config
// may have as a route, are compared too. A route with no change is left
// out unless only one config has it. A change that app (the app policies'
// changes) lists too is left out of the route's: the route's paths get it
// as every path does.
func diffRoutes(a, b *diffConfig, app []policy.Change) []routeDiff {
	var pats []string
	for _, r := range a.Routes {
		pats = append(pats, r.Pattern)
	}
	for _, r := range b.Routes {
		if !slices.Contains(pats, r.Pattern) {
			pats = append(pats, r.Pattern)
		}
	}
	pats = append(pats, hostIntersections(pats)...)
	var out []routeDiff
	for _, pat := range pats {
		pa, otherA, inA := a.patternPolicy(pat)
		pb, otherB, inB := b.patternPolicy(pat)
		d := routeDiff{Pattern: pat}
		for _, c := range policy.Diff(pa, pb) {
			if slices.ContainsFunc(app, func(ac policy.Change) bool { return reflect.DeepEqual(ac, c) }) {
				d.AsApp = true
				continue
			}
			d.Changes = append(d.Changes, c)
		}
		d.Serving = routeServing(a, b, pat)
		switch {
		case !inA && !inB:
			if len(d.Changes) == 0 && len(d.Serving) == 0 {
				continue
			}
			d.inNeither, d.servedA, d.servedB = true, otherA, otherB
		case !inA:
			d.OnlyIn, d.Other = "B", otherA
		case !inB:
			d.OnlyIn, d.Other = "A", otherB
		case len(d.Changes) == 0 && len(d.Serving) == 0:
			continue
		}
		out = append(out, d)
	}
	return out
}

// hostIntersections returns the patterns of the requests that a route
// pattern with a host and one without of pats both match, when neither
// covers the other and pats lacks them: the host on the more specific
// path and method of the two. "www.example.com/" and "/admin/" share
// "www.example.com/admin/"; "www.example.com/admin/" and "GET /" share
// "GET www.example.com/admin/". ServeMux sends these requests to the
// route with the host, and the route without one does not layer under it
// (patmux.Covers: "/admin/" does not cover "www.example.com/"), so a
// config that gains or loses the host route changes what they get while
// neither route's own policy changes.
func hostIntersections(pats []string) []string {
	var out []string
	for _, h := range pats {
		hm, host, hpath := cutPattern(h)
		if host == "" {
			continue
		}
		for _, p := range pats {
			pm, phost, ppath := cutPattern(p)
			if phost != "" || ppath == "" {
				continue
			}
			for _, m := range []string{pm, hm} {
				for _, path := range []string{ppath, hpath} {
					x := host + path
					if m != "" {
						x = m + " " + x
					}
					if !slices.Contains(pats, x) && !slices.Contains(out, x) && patmux.Covers(h, x) && patmux.Covers(p, x) {
						out = append(out, x)
					}
				}
			}
		}
	}
	return out
}

// cutPattern splits a ServeMux pattern into its method, host and path;
// path is "" when p has none.
func cutPattern(p string) (method, host, path string) {
	rest := p
	if i := strings.IndexAny(p, " \t"); i >= 0 {
		method, rest = p[:i], strings.TrimLeft(p[i:], " \t")
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return method, "", ""
	}
	return method, rest[:i], rest[i:]
}

// patternPolicy returns the policy c's engine serves for the route
// pattern pat and true when c has that route. Otherwise it returns the
// policy of c's most specific route that covers pat (every request pat
// matches, it matches), with that route's pattern, or c's app policy and
// "".
func (c *config) patternPolicy(pat string) (p policy.Policy, covering string, ok bool) {
	if p, ok := c.layered[pat]; ok {
		return p, "", true
	}
	pats := make([]string, 0, len(c.Routes)+1)
	for _, r := range c.Routes {
		pats = append(pats, r.Pattern)
	}
	layers := patmux.Layers(append(pats, pat))
	if l := layers[len(pats)]; len(l) > 0 {
		covering = pats[l[len(l)-1]]
		return c.layered[covering], covering, false
	}
	return c.Policy, "", false
}
