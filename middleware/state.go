package middleware

import (
	"context"
)

type requestStateKey struct{}

// RequestState is what the secureheaders middleware records about one request
// for the layers below it: the CSP nonce and whether the request is secure.
// It is itself the request's context (it embeds the parent), so attaching it
// costs one allocation, shared with the header slots.
//
// A RequestState is written only by the secureheaders layers (Handler, then
// any Route wrappers), in the request's goroutine, before the application
// handler runs; from then on it is only read, so the handler and any
// goroutine it starts may read it.
type RequestState struct {
	context.Context
	// Nonce is the base64 CSP nonce of this response, "" when its policy has
	// no nonce slot.
	Nonce string
	// Secure reports whether the request came over HTTPS (directly or via a
	// trusted proxy).
	Secure bool
	// Owner is opaque data of the layer that created the state (the
	// compiled policy generation, for per-route wrappers).
	Owner any
}

// Value returns s for the RequestState key and defers to the parent for any
// other key.
func (s *RequestState) Value(key any) any {
	if key == (requestStateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// StateFromContext returns the RequestState the middleware attached, or nil.
func StateFromContext(ctx context.Context) *RequestState {
	s, _ := ctx.Value(requestStateKey{}).(*RequestState)
	return s
}

// NonceFromContext returns the request's CSP nonce, or "" when the route's
// policy has no nonce slot or the middleware did not run.
func NonceFromContext(ctx context.Context) string {
	if s := StateFromContext(ctx); s != nil {
		return s.Nonce
	}
	return ""
}
