// Package hsts models the Strict-Transport-Security header (RFC 6797).
package hsts

import "time"

// Policy is one Strict-Transport-Security header value.
//
// MaxAge is sent in whole seconds (truncated). A zero MaxAge means "not
// given", never "zero seconds": [Policy.Validate] refuses it, so that a
// partial Policy{IncludeSubDomains: true} cannot go out as max-age=0 by
// accident (which would make browsers forget the host's HSTS state), and
// policy.Update keeps the base's max-age when a patch leaves MaxAge zero —
// the same as a configuration file that leaves "max-age" out. To send
// max-age=0 on purpose, set Expire.
//
// The zero value is therefore not a valid policy (String still renders it,
// as "max-age=0"). A Policy is plain data and safe to copy.
type Policy struct {
	// MaxAge is how long browsers remember to use HTTPS only
	// (RFC 6797 §6.1.1); see OneYear.
	MaxAge time.Duration
	// IncludeSubDomains extends the policy to every subdomain.
	IncludeSubDomains bool
	// Preload asks to be on browsers' built-in list; see PreloadReady.
	Preload bool
	// Expire sends max-age=0 on purpose, telling browsers to forget the
	// host's HSTS state (to undo a policy). MaxAge must then be zero. In a
	// configuration file it is written "max-age": 0.
	Expire bool
}
