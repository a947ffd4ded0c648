package csp

import (
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// isScheme reports whether s is an RFC 3986 scheme:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// isHostPart reports whether s is a CSP host-part: 1*host-char
// *( "." 1*host-char ), host-char being ALPHA / DIGIT / "-".
func isHostPart(s string) bool {
	label := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isAlpha(c) || isDigit(c) || c == '-':
			label++
		case c == '.' && label > 0:
			label = 0
		default:
			return false
		}
	}
	return label > 0
}

// isPort reports whether s is "*" or a decimal port number up to 65535.
func isPort(s string) bool {
	if s == "*" {
		return true
	}
	if s == "" || len(s) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n <= 65535
}

// isPath reports whether s is an RFC 3986 path-absolute made of pchars and
// '/': no query, no fragment, '%' only before two hex digits, and not
// starting with "//". ';' and ',' are sub-delims there, but the caller has
// refused them already.
func isPath(s string) bool {
	if s == "" || s[0] != '/' || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c) || isDigit(c) || strings.IndexByte("-._~!$&'()*+=:@/", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// parseHostOrScheme parses a scheme-source or a host-source (CSP3 §2.3.1).
// s has passed headerval.CheckAtom.
func parseHostOrScheme(s string) (Source, error) {
	if i := strings.IndexByte(s, ':'); i >= 0 && i == len(s)-1 && isScheme(s[:i]) {
		return Source{Scheme, lower(s)}, nil
	}
	rest, scheme := s, ""
	if i := strings.Index(s, "://"); i >= 0 {
		if !isScheme(s[:i]) {
			return Source{}, &cfgerr.Error{Value: s, Reason: "invalid scheme in source",
				Fix: "a scheme is a letter then letters, digits, '+', '-' or '.'"}
		}
		scheme, rest = s[:i+3], s[i+3:]
	}
	host, port, path := rest, "", ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i:]
	}
	switch {
	case host == "*":
	case strings.HasPrefix(host, "*.") && isHostPart(host[2:]):
	case isHostPart(host):
	case strings.HasPrefix(host, "["):
		return Source{}, &cfgerr.Error{Value: s, Reason: "IP literal in source",
			Fix: "CSP has no IPv6 host-source; use a host name or a scheme"}
	default:
		return Source{}, &cfgerr.Error{Value: s, Reason: "invalid source",
			Fix: "a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path"}
	}
	if port != "" && !isPort(port[1:]) {
		return Source{}, &cfgerr.Error{Value: s, Reason: "invalid port in source",
			Fix: "a port is * or a number up to 65535"}
	}
	if path != "" && !isPath(path) {
		return Source{}, &cfgerr.Error{Value: s, Reason: "invalid path in source",
			Fix: "a path has no ? or #, and % only before two hex digits"}
	}
	if ls, lh := lower(scheme), lower(host); ls != scheme || lh != host {
		return Source{Host, ls + lh + port + path}, nil
	}
	return Source{Host, s}, nil
}
