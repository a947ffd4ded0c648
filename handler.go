package secureheaders

import (
	"net/http"

	"github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/internal/https"
)

// Handler returns next wrapped by the engine. For each request, in order:
//
//  1. The HTTPS decision: a Host that fails the checks gets 400 (not on a
//     pattern route with SkipHostCheck, if it is a valid host); a
//     plain-HTTP request that must move gets the redirect (or 403 for a
//     refused non-idempotent method), unless it matches an insecure bypass
//     pattern (HTTPSOptions.InsecureBypassPatterns, Skips, or a pattern
//     route with SkipRedirect) or is for the report receiver (step 2); a
//     secure one for another host than HTTPSOptions.CanonicalHost is
//     redirected there. Refusals are logged (Options.Logger) and answered
//     by Options.DenyHandler when set.
//  2. A request for the report receiver's exact path goes to the receiver,
//     over plain HTTP too (see Options.Reports).
//  3. The header set of the matching pattern route (Options.Routes, layered
//     on the routes that cover it), or the app-wide one, with the Routes
//     next is directly made of (Handler(Route(o)(h)): known when Handler
//     is called) layered on top, is written once: HSTS
//     only on HTTPS, and not to localhost, *.localhost or an IP-literal host
//     (browsers ignore HSTS for IP addresses; Safari pins localhost);
//     upgrade-insecure-requests only on HTTPS; a fresh nonce when the set
//     has a nonce slot.
//  4. Set-Cookie flags, when enabled, are applied as the response starts.
//  5. next runs with the request's context carrying the nonce (Nonce).
//
// The request is never mutated; a copy with the new context is passed on
// only when there is a nonce or a Route to tell. Handler fits
// func(http.Handler) http.Handler chains (chi's Use, alice).
func (s *Engine) Handler(next http.Handler) http.Handler {
	ids, inner := routeChain(s, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, next, ids, inner)
	})
}

// routeChain returns the ids of the Routes of s that next is made of,
// outermost first (next = Route a(Route b(inner))), and the handler inside
// them. Handler serves every request the policy of those routes layered
// on its own, written once, and calls inner directly, as it does for a
// pattern route: the routes are known when Handler is built, so nothing
// has to be patched per request.
func routeChain(s *Engine, next http.Handler) ([]int, http.Handler) {
	var ids []int
	for {
		rh, ok := next.(*routeHandler)
		if !ok || rh.s != s {
			return ids, next
		}
		ids = append(ids, rh.id)
		next = rh.next
	}
}

func (s *Engine) serve(w http.ResponseWriter, r *http.Request, next http.Handler, ids []int, inner http.Handler) {
	st := s.state.Load()
	if st == nil {
		next.ServeHTTP(w, r)
		return
	}
	// Pass decides the usual request; Decide every other one. The report
	// receiver's explicit bypass: browsers POST reports to the URL in the
	// policy, over plain HTTP if that is what it says, and do not follow
	// redirects with them. A bad Host is still refused.
	secure, noHSTS, ok := st.https.Pass(r)
	if !ok {
		d := st.https.Decide(r)
		if d.Status != 0 && (d.Status == http.StatusBadRequest || !st.isReport(r)) {
			s.deny(w, r, st, d)
			return
		}
		secure, noHSTS = d.Secure, d.NoHSTS
	}
	if st.isReport(r) {
		st.reports.ServeHTTP(w, r)
		return
	}
	lay := st.baseLay
	if st.matcher != nil {
		if i := st.matcher.Index(r); i >= 0 && st.byIndex[i] != nil {
			lay = st.byIndex[i]
		}
	}
	if len(ids) > 0 {
		if l, ok := st.chainLayer(lay, ids); ok {
			lay, next = l, inner
		}
	}
	set := lay.set
	v := hdrset.VariantOf(secure, noHSTS)
	h := w.Header()
	if len(st.routes) == 0 && !set.HasNonce() {
		// Nothing to tell through the context (no Route to layer on
		// it, no nonce): the header slots are all that is allocated.
		set.Write(h, v, "")
		cw := st.cookies.Wrap(w, secure)
		next.ServeHTTP(cw, r)
		st.cookies.Finish(cw)
		return
	}
	rs := newReqState(set.Len(v), set.BufLen(v))
	rs.eng, rs.st, rs.layer = s, st, lay
	nonce := set.WriteInto(h, v, "", &rs.sc)
	if nonce != "" || len(st.routes) > 0 {
		rs.Context, rs.nonce, rs.variant = r.Context(), nonce, v
		r = r.WithContext(rs)
	}
	cw := st.cookies.Wrap(w, secure)
	next.ServeHTTP(cw, r)
	st.cookies.Finish(cw)
}

// isReport reports whether r is for the report receiver's exact path.
func (st *state) isReport(r *http.Request) bool {
	return st.reports != nil && r.URL.Path == st.repPath
}

// chainLayer returns the layer the Routes ids make of lay, outermost
// first, as the routeHandlers would layer them one by one (under); false
// when one of them was registered after this generation was compiled.
func (st *state) chainLayer(lay *layer, ids []int) (*layer, bool) {
	for _, id := range ids {
		if id >= len(st.routes) {
			return nil, false
		}
		cr := &st.routes[id]
		if lay == st.baseLay && cr.base == st.base {
			lay = cr.layer
		} else {
			lay = lay.child(cr.def, cr.layer, st.opts.Logger)
		}
	}
	return lay, true
}

func writeDecision(w http.ResponseWriter, d https.Decision) {
	h := w.Header()
	if d.Location != "" {
		h["Location"] = []string{d.Location}
		w.WriteHeader(d.Status)
		return
	}
	if d.Allow != "" {
		h["Allow"] = []string{d.Allow}
	}
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.WriteHeader(d.Status)
	w.Write([]byte(d.Reason + "\n"))
}

// routeHandler serves one Route.
type routeHandler struct {
	s    *Engine
	id   int
	next http.Handler
}

func (h *routeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if rs := stateFrom(r.Context()); rs != nil && rs.eng == h.s {
		h.under(w, r, hdr, rs)
		return
	}
	st := h.s.state.Load()
	if st == nil || h.id >= len(st.routes) {
		h.next.ServeHTTP(w, r)
		return
	}
	// Without Handler there is no HTTPS decision to enforce, only the
	// variant to choose: Pass, or Decide's Secure and NoHSTS.
	secure, noHSTS, ok := st.https.Pass(r)
	if !ok {
		d := st.https.Decide(r)
		secure, noHSTS = d.Secure, d.NoHSTS
	}
	v := hdrset.VariantOf(secure, noHSTS)
	route := &st.routes[h.id]
	nonce := route.set.Write(hdr, v, "")
	// A Route nested in this one layers on it (under).
	rs := &reqState{Context: r.Context(), nonce: nonce, variant: v, eng: h.s, st: st, layer: route.layer}
	r = r.WithContext(rs)
	cw := st.cookies.Wrap(w, secure)
	h.next.ServeHTTP(cw, r)
	st.cookies.Finish(cw)
}

// under applies the route inside Handler, or inside another Route: the
// route layers on the policy the request already has (its pattern route's,
// then the outer Routes'), through the layer compiled for that pair once
// and cached (layer.child), so only the headers that differ from what was
// written are touched and the nonce is shared. The request's state is
// updated in place (the chain runs in one goroutine, before the
// application handler), so a nested Route layers on this one.
func (h *routeHandler) under(w http.ResponseWriter, r *http.Request, hdr http.Header, rs *reqState) {
	st := rs.st
	var route *compiledRoute
	if h.id < len(st.routes) {
		route = &st.routes[h.id]
	} else if cur := h.s.state.Load(); h.id < len(cur.routes) {
		// The route was added after the request's generation.
		route = &cur.routes[h.id]
	} else {
		h.next.ServeHTTP(w, r)
		return
	}
	next := route.layer
	if rs.layer != st.baseLay || route.base != st.base {
		next = rs.layer.child(route.def, route.layer, st.opts.Logger)
	}
	// Handler wrote rs.layer's headers before the application's mux
	// reached this route: write what differs (into the spare slots and
	// bytes of the request's allocation while they last).
	rs.nonce = next.delta.ApplyInto(hdr, rs.variant, rs.nonce, &rs.sc)
	if !next.set.HasNonce() {
		rs.nonce = "" // the route dropped the nonce: none is in the response
	}
	rs.layer = next
	h.next.ServeHTTP(w, r)
}
