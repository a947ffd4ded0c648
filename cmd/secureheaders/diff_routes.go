package main

import (
	"reflect"
	"slices"

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
}

// diffRoutes compares, for each route pattern of a or b (a's in order,
// then b's others), the policy the engine serves for it in a with the one
// in b. A config without the route serves the route's paths the policy of
// its most specific route that covers the pattern (patmux.Layers, as the
// engine layers routes), or its app policy. A route with no change is left
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
