// Package render compiles a policy.Policy into an immutable header Set whose
// values are rendered once, for programs that write the headers themselves
// or export them (the CLI's nginx, Caddy, Apache and Netlify formats). The
// engine (package secureheaders) compiles the same way; most applications
// never import this package.
package render

import (
	"net/http"

	"github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/policy"
)

// Set is a compiled, immutable header set with two variants: one for HTTPS
// responses and one for plain HTTP (no Strict-Transport-Security or
// Public-Key-Pins, per RFC 6797 §7.2, and no CSP upgrade-insecure-requests).
//
// A *Set is safe for concurrent use. A nil *Set writes nothing.
type Set struct {
	s *hdrset.Set
}

// Compile validates p and renders it. On error (every problem, joined, each
// a *policy.Error) the *Set is nil. p is not retained.
func Compile(p policy.Policy) (*Set, error) {
	s, err := hdrset.Compile(p)
	if err != nil {
		return nil, err
	}
	return &Set{s: s}, nil
}

// Write sets the headers of one variant in h, replacing any value they had,
// and returns the nonce in effect. When the set has a nonce slot, nonce
// fills it, or, when nonce is "", a fresh one: 128 bits from crypto/rand in
// unpadded base64url (22 bytes). Every response gets its own []string
// values, so a handler that changes h[k][0] cannot corrupt another response.
func (s *Set) Write(h http.Header, secure bool, nonce string) string {
	if s == nil {
		return nonce
	}
	return s.s.Write(h, hdrset.VariantOf(secure, false), nonce)
}

// Fields returns the headers of one variant, in the canonical order, with
// their specified names ("X-XSS-Protection") and values, each nonce slot
// shown as "{nonce}" in Value and split out in Parts. It allocates.
func (s *Set) Fields(secure bool) []policy.Field {
	if s == nil {
		return nil
	}
	return s.s.Fields(hdrset.VariantOf(secure, false))
}

// HasNonce reports whether any header of s carries the per-request nonce.
func (s *Set) HasNonce() bool { return s != nil && s.s.HasNonce() }
