package secureheaders

import (
	"context"
	"net/http"

	"github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/internal/https"
)

// reqState is everything one request needs, in one allocation: the context
// that carries the nonce, and the backing array of the header slices. It is
// allocated as one of the sized wrappers below, chosen by the number of
// header slots the policy generation needs, so a small policy does not pay
// for a large array.
//
// It is also the request's context (it embeds the parent), so attaching it
// costs no allocation of its own. It is written only by the engine's layers
// (Handler, then any Route wrappers), in the request's goroutine, before the
// application handler runs; from then on it is only read.
type reqState struct {
	context.Context
	nonce   string         // the response's CSP nonce; "" without a nonce slot
	variant hdrset.Variant // the header variant the response gets
	eng     *Engine
	st      *state
	set     *hdrset.Set    // the set whose headers are in the response
	layer   *layer         // the layer set belongs to
	sc      hdrset.Scratch // what is left of the header slots and value bytes
}

// stateKey is the context key of the request's *reqState.
type stateKey struct{}

// Value returns s for stateKey and defers to the parent for any other key.
func (s *reqState) Value(key any) any {
	if key == (stateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// stateFrom returns the engine's state of a request context, or nil.
func stateFrom(ctx context.Context) *reqState {
	s, _ := ctx.Value(stateKey{}).(*reqState)
	return s
}

type reqState8 struct {
	reqState
	arr [8]string
}

type reqState16 struct {
	reqState
	arr [16]string
}

type reqState32 struct {
	reqState
	arr [32]string
}

// newReqState allocates a state with at least n header slots.
func newReqState(n int) *reqState {
	switch {
	case n <= 8:
		s := &reqState8{}
		s.sc.Vals = s.arr[:]
		return &s.reqState
	case n <= 16:
		s := &reqState16{}
		s.sc.Vals = s.arr[:]
		return &s.reqState
	case n <= 32:
		s := &reqState32{}
		s.sc.Vals = s.arr[:]
		return &s.reqState
	}
	return &reqState{sc: hdrset.Scratch{Vals: make([]string, n)}}
}

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
//     on the routes that cover it), or the app-wide one, is written: HSTS
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, next)
	})
}

func (s *Engine) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	st := s.state.Load()
	if st == nil {
		next.ServeHTTP(w, r)
		return
	}
	d := st.https.Decide(r)
	// The report receiver's explicit bypass: browsers POST reports to the
	// URL in the policy, over plain HTTP if that is what it says, and do not
	// follow redirects with them. A bad Host is still refused.
	if st.reports != nil && d.Status != http.StatusBadRequest && r.URL.Path == st.repPath {
		st.reports.ServeHTTP(w, r)
		return
	}
	if d.Status != 0 {
		s.deny(w, r, st, d)
		return
	}
	lay := st.baseLay
	if st.matcher != nil {
		if pattern := st.matcher.Match(r); pattern != "" {
			if pl, ok := st.byPat[pattern]; ok {
				lay = pl
			}
		}
	}
	set := lay.set
	rs := newReqState(st.slots)
	rs.eng, rs.st, rs.set, rs.layer = s, st, set, lay
	v := hdrset.VariantOf(d.Secure, d.NoHSTS)
	if set.BufLen(v) > 0 {
		// One buffer for the nonce-bearing values of the set and of the
		// largest Route delta that may follow. (When only a Route has a
		// nonce, that Route allocates its own, so other paths do not pay.)
		rs.sc.Buf = make([]byte, st.bufLen[v])
	}
	nonce := set.WriteInto(w.Header(), v, "", &rs.sc)
	if nonce != "" || len(st.routes) > 0 {
		rs.Context, rs.nonce, rs.variant = r.Context(), nonce, v
		r = r.WithContext(rs)
	}
	cw := st.cookies.Wrap(w, d.Secure)
	next.ServeHTTP(cw, r)
	st.cookies.Finish(cw)
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
	d := st.https.Decide(r)
	v := hdrset.VariantOf(d.Secure, d.NoHSTS)
	route := &st.routes[h.id]
	nonce := route.set.Write(hdr, v, "")
	// A Route nested in this one layers on it (under).
	rs := &reqState{Context: r.Context(), nonce: nonce, variant: v, eng: h.s, st: st, set: route.set, layer: route.layer}
	r = r.WithContext(rs)
	cw := st.cookies.Wrap(w, d.Secure)
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
	rs.nonce = next.delta.ApplyInto(hdr, rs.variant, rs.nonce, &rs.sc)
	if !next.set.HasNonce() {
		rs.nonce = "" // the route dropped the nonce: none is in the response
	}
	rs.set, rs.layer = next.set, next
	h.next.ServeHTTP(w, r)
}
