package secureheaders

import (
	"html/template"
	"net/http"

	"github.com/secureheaders/secureheaders/middleware"
	"github.com/secureheaders/secureheaders/render"
)

// reqState is everything one request needs, in one allocation: the context
// that carries the nonce, and the backing array of the header slices. It is
// allocated as one of the sized wrappers below, chosen by the number of
// header slots the policy generation needs, so a small policy does not pay
// for a large array.
type reqState struct {
	middleware.RequestState
	eng *SecureHeaders
	st  *state
	set *render.Set    // the set whose headers are in the response
	sc  render.Scratch // what is left of the header slots and value bytes
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
	return &reqState{sc: render.Scratch{Vals: make([]string, n)}}
}

// Handler returns next wrapped by the engine. For each request, in order:
//
//  1. The HTTPS decision (middleware.HTTPS.Decide): a Host that fails the
//     checks gets 400; a plain-HTTP request that must move gets the redirect
//     (or 403 for a refused non-idempotent method), unless its pattern route
//     has SkipRedirect; nothing else runs.
//  2. A request for the report receiver's path goes to the receiver.
//  3. The header set of the matching pattern route (Options.Routes), or the
//     app-wide one, is written: HSTS only on HTTPS, upgrade-insecure-requests
//     only on HTTPS, a fresh nonce when the set has a nonce slot.
//  4. Set-Cookie flags, when enabled, are applied as the response starts.
//  5. next runs with the request's context carrying the nonce (Nonce).
//
// The request is never mutated; a copy with the new context is passed on
// only when there is a nonce or a Route to tell. Handler fits
// func(http.Handler) http.Handler chains (chi's Use, alice).
func (s *SecureHeaders) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, next)
	})
}

func (s *SecureHeaders) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	st := s.state.Load()
	if st == nil {
		next.ServeHTTP(w, r)
		return
	}
	d := st.https.Decide(r)
	if st.reports != nil && d.Status != http.StatusBadRequest && r.URL.Path == st.repPath {
		st.reports.ServeHTTP(w, r)
		return
	}
	set, pattern := st.base, ""
	if st.matcher != nil {
		if pattern = st.matcher.match(r); pattern != "" {
			if ps, ok := st.byPat[pattern]; ok {
				set = ps
			}
		}
	}
	if d.Status != 0 && (d.Status == http.StatusBadRequest || !st.httpOK[pattern]) {
		writeDecision(w, d)
		return
	}
	rs := newReqState(st.slots)
	rs.eng, rs.st, rs.set = s, st, set
	if set.BufLen(d.Secure) > 0 {
		// One buffer for the nonce-bearing values of the set and of the
		// largest Route delta that may follow. (When only a Route has a
		// nonce, that Route allocates its own, so other paths do not pay.)
		rs.sc.Buf = make([]byte, st.bufLen[b2i(d.Secure)])
	}
	nonce := set.WriteInto(w.Header(), d.Secure, "", &rs.sc)
	if nonce != "" || len(st.routes) > 0 {
		rs.Context, rs.Nonce, rs.Secure, rs.Owner = r.Context(), nonce, d.Secure, rs
		r = r.WithContext(&rs.RequestState)
	}
	cw := st.cookies.Wrap(w, d.Secure)
	next.ServeHTTP(cw, r)
	st.cookies.Finish(cw)
}

func writeDecision(w http.ResponseWriter, d middleware.Decision) {
	h := w.Header()
	if d.Location != "" {
		h["Location"] = []string{d.Location}
		w.WriteHeader(d.Status)
		return
	}
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.WriteHeader(d.Status)
	w.Write([]byte(d.Reason + "\n"))
}

// routeHandler serves one Route.
type routeHandler struct {
	s    *SecureHeaders
	id   int
	next http.Handler
}

func (h *routeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if outer := middleware.StateFromContext(r.Context()); outer != nil {
		if rs, ok := outer.Owner.(*reqState); ok && rs.eng == h.s {
			h.under(w, r, hdr, rs)
			return
		}
	}
	st := h.s.state.Load()
	if st == nil || h.id >= len(st.routes) {
		h.next.ServeHTTP(w, r)
		return
	}
	secure := st.https.Decide(r).Secure
	nonce := st.routes[h.id].set.Write(hdr, secure, "")
	h.serveWith(w, r, nonce, secure, st.cookies)
}

// under applies the route inside Handler: only the headers that differ from
// what Handler wrote are touched, and the nonce is shared. The request's
// state is updated in place (the chain runs in one goroutine, before the
// application handler), so a nested Route sees this route's set and the
// innermost Route's policy is the one sent.
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
	if rs.set == st.base && route.base == st.base {
		rs.Nonce = route.delta.ApplyInto(hdr, rs.Secure, rs.Nonce, &rs.sc)
	} else {
		// Handler chose a pattern route, an outer Route already applied,
		// or the generations differ: replace what was written wholesale.
		for _, k := range rs.set.Keys(rs.Secure) {
			delete(hdr, k)
		}
		rs.Nonce = route.set.Write(hdr, rs.Secure, rs.Nonce)
	}
	rs.set = route.set
	h.next.ServeHTTP(w, r)
}

func (h *routeHandler) serveWith(w http.ResponseWriter, r *http.Request, nonce string, secure bool, cookies *middleware.CookieFlags) {
	if nonce != "" {
		r = r.WithContext(&middleware.RequestState{Context: r.Context(), Nonce: nonce, Secure: secure})
	}
	cw := cookies.Wrap(w, secure)
	h.next.ServeHTTP(cw, r)
	cookies.Finish(cw)
}

// Nonce returns the CSP nonce of r's response, or "" when its policy has no
// nonce slot. Put it in a nonce attribute: <script nonce="{{.Nonce}}">.
func Nonce(r *http.Request) string {
	return middleware.NonceFromContext(r.Context())
}

// NonceAttr returns ` nonce="…"` for html/template, or "" without a nonce:
// <script{{.NonceAttr}}>…</script>. The nonce is base64, so the attribute
// needs no escaping.
func NonceAttr(r *http.Request) template.HTMLAttr {
	n := Nonce(r)
	if n == "" {
		return ""
	}
	return template.HTMLAttr(` nonce="` + n + `"`)
}

// TemplateFuncs returns a template.FuncMap with "cspNonce", which renders
// the nonce attribute from the request: {{cspNonce .Request}}.
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{"cspNonce": NonceAttr}
}
