// Package hsts models the Strict-Transport-Security header (RFC 6797).
package hsts

import "time"

// Policy is one Strict-Transport-Security header value.
//
// The zero value is "max-age=0", which tells a browser to forget the host's
// HSTS state. MaxAge is sent in whole seconds (truncated). A Policy is plain
// data and safe to copy.
type Policy struct {
	MaxAge            time.Duration
	IncludeSubDomains bool
	Preload           bool
}
