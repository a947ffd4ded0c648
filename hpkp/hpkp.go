// Package hpkp models the Public-Key-Pins header (RFC 7469).
//
// HPKP itself is deprecated: browsers removed its support (Chrome 72, Firefox 72) and a
// wrong pin can lock users out of a site for max-age. It exists for parity
// with flask-secure-headers and is in no preset but the flask-compatible one,
// which sends it only once pins are added.
package hpkp

import "time"

// Pin is one pinned SubjectPublicKeyInfo hash.
type Pin struct {
	// Alg is the hash algorithm; RFC 7469 defines only "sha256".
	Alg string
	// Hash is the base64 digest of the SubjectPublicKeyInfo.
	Hash string
}

// Policy is one Public-Key-Pins (or Public-Key-Pins-Report-Only) header value.
//
// The zero value is invalid: a valid policy has at least two pins (one
// backup pin, RFC 7469 §4.3). A Policy is plain data; Clone before changing a
// shared one.
type Policy struct {
	Pins              []Pin
	MaxAge            time.Duration
	IncludeSubDomains bool
	ReportURI         string
	// ReportOnly sends the header as Public-Key-Pins-Report-Only.
	ReportOnly bool
}
