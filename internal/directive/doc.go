// Package directive reads the header values that Strict-Transport-Security
// (RFC 6797 §6.1) and Public-Key-Pins (RFC 7469 §2.1) share the grammar of:
//
//	value     = [ directive ] *( OWS ";" OWS [ directive ] )
//	directive = token [ OWS "=" OWS ( token / quoted-string ) ]
//
// [Scan] splits such a value into [Item]s and reports every syntax problem
// as a [Problem]; the meaning of each directive is the caller's. The
// packages that use it turn each Problem into their own typed error, so the
// messages here are written to be shown to users as they are.
//
// Everything in the package is pure and safe for concurrent use.
package directive
