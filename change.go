package secureheaders

import (
	"net/http"

	"github.com/secureheaders/secureheaders/policy"
)

// Update merges patch into the app policy (policy.Update's rules), then
// recompiles it and every route derived from it, and swaps the result in
// atomically. On error nothing changes: the old policy stays in effect.
func (s *Engine) Update(patch policy.Policy) error {
	return s.change(func(p policy.Policy) (policy.Policy, error) { return policy.Update(p, patch), nil })
}

// Rewrite replaces each header present in patch whole (policy.Rewrite), like
// Update in every other respect.
func (s *Engine) Rewrite(patch policy.Policy) error {
	return s.change(func(p policy.Policy) (policy.Policy, error) { return policy.Rewrite(p, patch), nil })
}

// Remove stops sending the named headers ("CSP", "X-Frame-Options", …),
// like Update in every other respect.
func (s *Engine) Remove(names ...string) error {
	return s.change(func(p policy.Policy) (policy.Policy, error) { return policy.Remove(p, names...) })
}

// SetPolicy replaces the app policy with a copy of p, like Update in every
// other respect.
func (s *Engine) SetPolicy(p policy.Policy) error {
	return s.change(func(policy.Policy) (policy.Policy, error) { return p.Clone(), nil })
}

func (s *Engine) change(f func(policy.Policy) (policy.Policy, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.current()
	p, err := f(old.policy)
	if err != nil {
		return err
	}
	next, err := s.compile(old, p)
	if err != nil {
		return err
	}
	s.state.Store(next)
	return nil
}

// current returns the state in effect, creating the zero value's passthrough
// state on first use. s.mu must be held.
func (s *Engine) current() *state {
	if st := s.state.Load(); st != nil {
		return st
	}
	return &state{baseLay: &layer{}}
}

// Route returns a decorator that serves a handler with the policy it
// already has changed by o (policy.Override.Apply: Rewrite,
// ReplaceDirectives, Update, then Remove). It is compiled now against the
// app policy in effect, and again whenever the app policy changes. It never
// changes the app policy or any other route.
//
// Routes layer. Inside Handler, the route applies on top of the request's
// pattern route (Options.Routes) when one matched, and inside another Route
// on top of that one: wrappers apply outer to inner, so an inner route
// keeps what the outer one changed (use o.Rewrite to start a header from
// scratch). The policy of each such pair is compiled on its first request
// and cached for the generation. When Handler wraps the route directly
// (Handler(route(h)), nested routes included), Handler writes the layered
// set once, as for a pattern route; a route Handler reaches through a mux
// or another handler writes only the headers that differ from what
// Handler wrote, sharing the request's nonce (none when the layered policy
// has no nonce slot: then Nonce returns ""). Used alone, the route writes
// its full header set and creates the nonce itself (it never redirects).
//
// An override that makes an invalid policy on the app policy is an error,
// and nothing is registered. One that is valid on the app policy but not
// on the policy of a pattern route or outer Route it is layered on is
// served as its own policy on the app policy there, and logged once
// (Options.Logger) as a warning.
func (s *Engine) Route(o policy.Override) (func(next http.Handler) http.Handler, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.current()
	def := &routeDef{o: o.Clone()}
	cr, err := compileRoute(old.baseLay, def)
	if err != nil {
		return nil, routeError(len(s.routeDefs), "", err)
	}
	id := len(s.routeDefs)
	s.routeDefs = append(s.routeDefs, def)
	next := *old
	next.routes = append(old.routes[:len(old.routes):len(old.routes)], cr)
	s.state.Store(&next)
	return func(h http.Handler) http.Handler { return &routeHandler{s: s, id: id, next: h} }, nil
}

// MustRoute is Route for use at start-up; it panics on error.
func (s *Engine) MustRoute(o policy.Override) func(next http.Handler) http.Handler {
	f, err := s.Route(o)
	if err != nil {
		panic("secureheaders: " + err.Error())
	}
	return f
}

// MustWrap is MustRoute(o)(h), for start-up code: it panics when o makes an
// invalid policy.
func (s *Engine) MustWrap(h http.Handler, o policy.Override) http.Handler {
	return s.MustRoute(o)(h)
}
