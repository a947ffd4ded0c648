// Package hdrset compiles a policy.Policy into an immutable header Set whose
// values are rendered once, and writes a Set into an http.Header with about
// one allocation per request.
//
// # Per-request cost
//
// Write assigns canonical keys directly (no Header.Set canonicalisation),
// backs every header's []string by one array allocated per call, and, when
// the set has a nonce slot, builds every nonce-bearing value in one more
// buffer that also holds the random bytes. No slice is ever shared between
// two responses, so a handler that changes w.Header()[k][0] cannot corrupt
// the next response.
package hdrset

import (
	"encoding/base64"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"unsafe"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// NonceBytes is how many random bytes a nonce has (128 bits, CSP3 §7.1).
const NonceBytes = 16

// NonceLen is the length of a nonce in its unpadded base64url form (CSP3
// allows '-' and '_'; html/template would escape a '+' in an attribute).
const NonceLen = 22 // base64.RawURLEncoding.EncodedLen(NonceBytes)

// Set is a compiled, immutable header set: three variants, one for HTTPS
// responses, one for plain HTTP (no Strict-Transport-Security or
// Public-Key-Pins, per RFC 6797 §7.2, and no CSP upgrade-insecure-requests),
// and one for HTTPS responses to hosts where HSTS must not be sent.
//
// A *Set is safe for concurrent use. The zero Set writes nothing.
type Set struct {
	v [NumVariants]variant
}

// Variant selects which of a Set's header lists a response gets.
type Variant uint8

// The variants. Plain is the zero value.
const (
	// Plain is for plain-HTTP responses: no Strict-Transport-Security or
	// Public-Key-Pins (RFC 6797 §7.2), no CSP upgrade-insecure-requests.
	Plain Variant = iota
	// Secure is for HTTPS responses: every header.
	Secure
	// SecureNoHSTS is for HTTPS responses to localhost, *.localhost or an
	// IP literal: Secure without Strict-Transport-Security and
	// Public-Key-Pins. Browsers ignore HSTS for IP addresses (RFC 6797
	// §8.1.1), and a localhost HSTS entry (Safari keeps one) breaks every
	// plain-HTTP development server on that name afterwards.
	SecureNoHSTS
	// NumVariants is the number of variants.
	NumVariants = iota
)

// VariantOf returns the variant of a response: Plain unless secure, then
// SecureNoHSTS when noHSTS is set, Secure otherwise.
func VariantOf(secure, noHSTS bool) Variant {
	switch {
	case !secure:
		return Plain
	case noHSTS:
		return SecureNoHSTS
	}
	return Secure
}

type variant struct {
	fields []field
	// keys and vals are the fields' canonical keys and values, in order,
	// each nonce-bearing value as its first part (write fills them in): a
	// response's slots are one copy of vals.
	keys []string
	vals []string
	// nonceAt lists the indexes of the fields with a nonce slot.
	nonceAt []int
	// nonceFields counts fields with a nonce slot, nonceSlots the slots in
	// them, and partsLen the length of their values without the nonces.
	nonceFields int
	nonceSlots  int
	partsLen    int
}

type field struct {
	name       string   // header name as specified ("X-XSS-Protection")
	key        string   // canonical MIME header key ("X-Xss-Protection")
	parts      []string // value split at nonce slots; one part when none
	secureOnly bool     // sent on HTTPS only (policy.Field.SecureOnly)
}

func (f *field) hasNonce() bool { return len(f.parts) > 1 }

// Compile validates p and renders it. On error (every problem, joined) the
// *Set is nil. p is not retained.
func Compile(p policy.Policy) (*Set, error) {
	if err := policy.Validate(p); err != nil {
		return nil, err
	}
	return CompileValid(p), nil
}

// CompileValid is Compile for a p that policy.Validate has just accepted,
// which it does not check again (ParseConfig's decoder validates every
// route's policy as it decodes it). p is not retained.
func CompileValid(p policy.Policy) *Set {
	s := &Set{}
	// The policy is rendered once for HTTPS; plain HTTP renders it again
	// only when a CSP has upgrade-insecure-requests to drop (compiling 50
	// routes rendered every policy three times). The variants share the
	// fields they have in common: a Set is immutable.
	all := compileFields(p.Fields())
	s.v[Secure] = buildVariant(all)
	local := insecureFields(all)
	if len(local) == len(all) {
		s.v[SecureNoHSTS] = s.v[Secure]
	} else {
		s.v[SecureNoHSTS] = buildVariant(local)
	}
	_, up := p.CSP[csp.UpgradeInsecureRequests]
	_, upRO := p.CSPReportOnly[csp.UpgradeInsecureRequests]
	if !up && !upRO {
		s.v[Plain] = s.v[SecureNoHSTS]
		return s
	}
	plain := p.Clone()
	delete(plain.CSP, csp.UpgradeInsecureRequests)
	delete(plain.CSPReportOnly, csp.UpgradeInsecureRequests)
	s.v[Plain] = buildVariant(insecureFields(compileFields(plain.Fields())))
	return s
}

// insecureFields returns the fields of fs that are not secureOnly, the
// headers a response may carry without HTTPS (or to a no-HSTS host).
func insecureFields(fs []field) []field {
	out := make([]field, 0, len(fs))
	for _, f := range fs {
		if !f.secureOnly {
			out = append(out, f)
		}
	}
	return out
}

// MustCompile is Compile for package-level variables; it panics on error.
func MustCompile(p policy.Policy) *Set {
	s, err := Compile(p)
	if err != nil {
		panic("render: " + err.Error())
	}
	return s
}

// compileFields turns rendered fields, which the caller gives up, into a
// variant's fields.
func compileFields(fs []policy.Field) []field {
	fields := make([]field, len(fs))
	for i, f := range fs {
		fields[i] = field{name: f.Name, key: textproto.CanonicalMIMEHeaderKey(f.Name), parts: f.Parts, secureOnly: f.SecureOnly}
	}
	return fields
}

// buildVariant makes the variant writing fields, which it keeps.
func buildVariant(fields []field) variant {
	var v variant
	for _, cf := range fields {
		if cf.hasNonce() {
			v.nonceFields++
			v.nonceSlots += len(cf.parts) - 1
			for _, p := range cf.parts {
				v.partsLen += len(p)
			}
		}
	}
	if len(fields) > 0 {
		v.fields = fields
	}
	n := len(v.fields)
	kv := make([]string, 2*n) // one allocation for keys and vals
	v.keys, v.vals = kv[:n:n], kv[n:]
	if v.nonceFields > 0 {
		v.nonceAt = make([]int, 0, v.nonceFields)
	}
	for i, f := range v.fields {
		v.keys[i], v.vals[i] = f.key, f.parts[0]
		if f.hasNonce() {
			v.nonceAt = append(v.nonceAt, i)
		}
	}
	return v
}

func (s *Set) variant(v Variant) *variant {
	return &s.v[v]
}

// HasNonce reports whether any header of s carries the per-request nonce.
func (s *Set) HasNonce() bool {
	return s != nil && (s.v[Plain].nonceFields > 0 || s.v[Secure].nonceFields > 0 || s.v[SecureNoHSTS].nonceFields > 0)
}

// Len returns how many headers Write sets for a secure or plain response.
func (s *Set) Len(v Variant) int {
	if s == nil {
		return 0
	}
	return len(s.variant(v).fields)
}

// Fields returns the headers of one variant with their specified names
// ("X-XSS-Protection", where Write uses the canonical key X-Xss-Protection)
// and values, the nonce slot shown as csp.NoncePlaceholder. For the CLI and
// tests; it allocates.
func (s *Set) Fields(v Variant) []policy.Field {
	if s == nil {
		return nil
	}
	var out []policy.Field
	for _, f := range s.variant(v).fields {
		// parts keep "'nonce-" before and "'" after each slot.
		out = append(out, policy.Field{Name: f.name, Value: strings.Join(f.parts, "{nonce}"), Parts: slices.Clone(f.parts)})
	}
	return out
}

// Keys returns the canonical keys one variant writes, in order.
func (s *Set) Keys(v Variant) []string {
	if s == nil {
		return nil
	}
	var keys []string
	for _, f := range s.variant(v).fields {
		keys = append(keys, f.key)
	}
	return keys
}

// Write sets s's headers in h, replacing any value they had, and returns the
// nonce in effect: the one it filled in, or the given nonce (which is "" or
// unused when s has no nonce slot). nonce, when non-empty, is used instead of
// a fresh one (a per-route set reusing the request's nonce); it should be
// base64 as returned by an earlier Write.
func (s *Set) Write(h http.Header, v Variant, nonce string) string {
	return s.WriteInto(h, v, nonce, nil)
}

// Scratch is per-response memory that WriteInto and Delta.ApplyInto take
// from the front instead of allocating: backing slots for the header slices
// and bytes for the nonce-bearing values. A Scratch must serve one response
// only: the strings and slices made from it go into that response's header.
// The zero Scratch (or nil) makes them allocate.
type Scratch struct {
	Vals []string
	Buf  []byte
}

// vals takes n slots from sc, or allocates them.
func (sc *Scratch) vals(n int) []string {
	if sc == nil || len(sc.Vals) < n {
		return make([]string, n)
	}
	v := sc.Vals[:n:n]
	sc.Vals = sc.Vals[n:]
	return v
}

// buf takes n bytes from sc, or allocates them.
func (sc *Scratch) buf(n int) []byte {
	if sc == nil || len(sc.Buf) < n {
		return make([]byte, n)
	}
	b := sc.Buf[:n:n]
	sc.Buf = sc.Buf[n:]
	return b
}

// BufLen returns how many Scratch.Buf bytes writing one variant of s takes
// with a fresh nonce (the nonce-bearing values, which hold the nonce, and
// its random bytes); 0 when s has no nonce slot.
func (s *Set) BufLen(v Variant) int {
	if s == nil {
		return 0
	}
	return s.variant(v).bufLen("")
}

func (v *variant) bufLen(nonce string) int {
	if v.nonceFields == 0 {
		return 0
	}
	if nonce == "" {
		return v.partsLen + v.nonceSlots*NonceLen + NonceBytes
	}
	return v.partsLen + v.nonceSlots*len(nonce)
}

// WriteInto is Write taking its memory from sc (nil: allocate). It is the
// building block of middleware that allocates the scratch together with
// other per-request state.
func (s *Set) WriteInto(h http.Header, v Variant, nonce string, sc *Scratch) string {
	if s == nil {
		return nonce
	}
	return s.variant(v).write(h, nonce, sc)
}

func (v *variant) write(h http.Header, nonce string, sc *Scratch) string {
	if len(v.keys) == 0 {
		return nonce
	}
	vals := sc.vals(len(v.keys))
	copy(vals, v.vals)
	if v.nonceFields > 0 {
		nonce = v.fillNonces(vals, nonce, sc)
	}
	for i, k := range v.keys {
		h[k] = vals[i : i+1 : i+1]
	}
	return nonce
}

// fillNonces builds the nonce-bearing values of vals in one buffer from
// sc, with a fresh nonce when nonce is "", and returns the nonce.
//
// A fresh nonce is encoded straight into its first slot, from random
// bytes at the end of the buffer, and the nonce returned is that slot: a
// slice of a value, never written again.
func (v *variant) fillNonces(vals []string, nonce string, sc *Scratch) string {
	buf := sc.buf(v.bufLen(nonce))
	var raw []byte
	if nonce == "" {
		raw = buf[len(buf)-NonceBytes:]
		nonceBytes(raw)
	}
	off := 0
	for _, i := range v.nonceAt {
		parts := v.fields[i].parts
		start := off
		off += copy(buf[off:], parts[0])
		for _, p := range parts[1:] {
			if raw != nil {
				enc := buf[off : off+NonceLen]
				base64.RawURLEncoding.Encode(enc, raw)
				nonce, raw = unsafe.String(&enc[0], NonceLen), nil
				off += NonceLen
			} else {
				off += copy(buf[off:], nonce)
			}
			off += copy(buf[off:], p)
		}
		vals[i] = unsafe.String(&buf[start], off-start)
	}
	return nonce
}
