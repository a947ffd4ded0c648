package https

import (
	"fmt"
	"net/netip"
	"strings"
)

// This file holds the Host checks of the HTTPS redirect: the grammar a request
// host must follow and the allowed-host patterns ("example.com",
// "*.example.com").
//
// Accepted request hosts (RFC 3986 authority without userinfo, narrowed):
//
//	host      = name / IPv4 / "[" IPv6 "]"   followed by an optional ":" port
//	name      = label *("." label) ["."]     ASCII letters, digits, '-' and '_';
//	                                         labels 1-63 bytes, 253 bytes in all
//	port      = 1*5DIGIT                     1-65535; an empty port means none
//
// Refused: userinfo ('@'), percent-encoding (and so IPv6 zones), '/', '\',
// spaces, controls, non-ASCII bytes (IDNs must arrive as "xn--" punycode, as
// browsers send them), empty labels, and a name whose last label is a number
// ("1.2.3", "0x7f.1") unless the whole name is a canonical dotted-quad IPv4:
// browsers read such names as IPv4 addresses in other notations.

// httpsHostMaxLen bounds a request host: a 253-byte name, ':' and five digits,
// with room for a bracketed IPv6 literal.
const httpsHostMaxLen = 253 + 1 + 1 + 5

// httpsHost is a request host that passed parseHTTPSHost. It points into the
// string it was parsed from and never allocates.
type httpsHost struct {
	name string     // reg-name without its trailing dot, case as sent; "" for IP literals
	addr netip.Addr // the address of an IP literal; zero for names
	port int        // 0 when absent
}

// httpsNameByte marks the bytes allowed in a name.
var httpsNameByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'] = true, true, true
	return t
}()

// parseHTTPSHost checks s against the grammar above. It reports false for an
// empty s; the caller decides what a missing Host means.
func parseHTTPSHost(s string) (httpsHost, bool) {
	if s == "" || len(s) > httpsHostMaxLen {
		return httpsHost{}, false
	}
	var h httpsHost
	rest := ""
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return httpsHost{}, false
		}
		lit := s[1:end]
		if strings.IndexByte(lit, '%') >= 0 {
			return httpsHost{}, false // zones are never a public host
		}
		a, err := netip.ParseAddr(lit)
		if err != nil || !a.Is6() {
			return httpsHost{}, false
		}
		h.addr, rest = a, s[end+1:]
	} else {
		name := s
		if i := strings.IndexByte(s, ':'); i >= 0 {
			name, rest = s[:i], s[i:]
		}
		var ok bool
		if h.name, h.addr, ok = parseHTTPSName(name); !ok {
			return httpsHost{}, false
		}
	}
	if rest != "" {
		if rest[0] != ':' {
			return httpsHost{}, false
		}
		p, ok := parseHTTPSPort(rest[1:])
		if !ok {
			return httpsHost{}, false
		}
		h.port = p
	}
	return h, true
}

// parseHTTPSName checks a reg-name or IPv4 literal. A name is returned without
// its trailing dot; an IPv4 literal is returned as addr with an empty name.
func parseHTTPSName(s string) (name string, addr netip.Addr, ok bool) {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return "", netip.Addr{}, false
	}
	label := 0  // length of the current label
	last := 0   // start of the last label
	digits := 0 // leading digits of the last label
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !httpsNameByte[c] {
			return "", netip.Addr{}, false
		}
		if c == '.' {
			if label == 0 {
				return "", netip.Addr{}, false
			}
			label, last, digits = 0, i+1, 0
			continue
		}
		if label++; label > 63 {
			return "", netip.Addr{}, false
		}
		if c >= '0' && c <= '9' && digits == label-1 {
			digits++
		}
	}
	if label == 0 {
		return "", netip.Addr{}, false
	}
	if httpsNumericLabel(s[last:], digits) {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return "", netip.Addr{}, false
		}
		return "", a, true
	}
	return s, netip.Addr{}, true
}

// httpsNumericLabel reports whether the last label of a name makes URL parsers
// read the whole name as an IPv4 address: all decimal digits, or "0x" and hex.
func httpsNumericLabel(l string, digits int) bool {
	if digits == len(l) {
		return true
	}
	if len(l) < 2 || l[0] != '0' || (l[1] != 'x' && l[1] != 'X') {
		return false
	}
	for i := 2; i < len(l); i++ {
		c := l[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// parseHTTPSPort parses 0-5 digits; "" is no port (0), otherwise 1-65535.
func parseHTTPSPort(s string) (int, bool) {
	if len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if s != "" && (n < 1 || n > 65535) {
		return 0, false
	}
	return n, true
}

// noHSTS reports whether h is a host HSTS must not be sent to: an IP
// literal, "localhost" or a name under ".localhost" (RFC 6761 §6.3), in any
// case.
func (h httpsHost) noHSTS() bool {
	const lh = "localhost"
	n := h.name
	return h.addr.IsValid() ||
		len(n) >= len(lh) && strings.EqualFold(n[len(n)-len(lh):], lh) && (len(n) == len(lh) || n[len(n)-len(lh)-1] == '.')
}

// writeAuthority appends the lower-cased host to b, IPv6 in brackets, in
// canonical form. The port is the caller's business.
func (h httpsHost) writeAuthority(b *strings.Builder) {
	switch {
	case h.name != "":
		for i := 0; i < len(h.name); i++ {
			c := h.name[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
	case h.addr.Is4():
		b.WriteString(h.addr.String())
	default:
		b.WriteByte('[')
		b.WriteString(h.addr.String())
		b.WriteByte(']')
	}
}

// httpsHostPatterns is a compiled allowedHosts list. The zero value allows
// nothing; HTTPS only consults it when the list was not empty.
type httpsHostPatterns struct {
	exact    []string       // lower-case names
	suffixes []string       // ".example.com" for "*.example.com", lower-case
	addrs    []netip.Addr   // IP literals
	prefixes []netip.Prefix // address ranges (allowcidr.go)
}

// allows reports whether h matches a pattern: names case-insensitively, the
// port ignored, "*.example.com" any subdomain at any depth but not the apex.
func (p *httpsHostPatterns) allows(h httpsHost) bool {
	if h.name == "" {
		return p.allowsAddr(h.addr)
	}
	for _, e := range p.exact {
		if strings.EqualFold(e, h.name) {
			return true
		}
	}
	for _, s := range p.suffixes {
		if len(h.name) > len(s) && strings.EqualFold(h.name[len(h.name)-len(s):], s) {
			return true
		}
	}
	return false
}

// add compiles one allowedHosts entry, returning the reason and the fix when
// it is not a valid pattern.
func (p *httpsHostPatterns) add(pattern string) (reason, fix string) {
	s := pattern
	switch {
	case s == "":
		return "empty host pattern", `write a host such as "example.com" or "*.example.com", or remove the entry`
	case s == "*":
		return "pattern allowing every host", "leave allowedHosts empty to accept any syntactically valid host"
	case looksLikePrefix(s):
		return p.addPrefix(s)
	case strings.Contains(s, "://") || strings.ContainsAny(s, "/?#@"):
		return "URL where a bare host is expected", `write only the host, e.g. "example.com"`
	case strings.ContainsAny(s, `\+^$()|`):
		fix := `write a host such as "example.com", or "*.example.com" for its subdomains`
		if c := regexpToHostPattern(s); c != "" {
			fix = fmt.Sprintf("did you mean %q?", c)
		}
		return "regular expression where a host pattern is expected", fix
	case s[0] == '.':
		if validHostPattern(s[1:]) {
			return "leading dot in host pattern", `write "*` + s + `" for its subdomains and "` + s[1:] + `" for the apex`
		}
		return "leading dot in host pattern", `write "*.example.com" for the subdomains of example.com and "example.com" for the apex`
	}
	wild := strings.HasPrefix(s, "*.")
	if wild {
		s = s[2:]
	} else if strings.Contains(s, "*") {
		return `"*" not as the whole first label in`, `write "*.example.com" for the subdomains of example.com`
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil && !wild && a.Zone() == "" {
		p.addrs = append(p.addrs, a)
		return "", ""
	}
	name, addr, ok := parseHTTPSName(s)
	if !ok {
		if _, port, found := strings.Cut(s, ":"); found && parseHTTPSPortOK(port) {
			return "port in host pattern", "write it without the \":" + port + "\"; ports are ignored when matching"
		}
		return "invalid host name", "use ASCII letters, digits, '-' and '.' (punycode \"xn--…\" for IDNs)"
	}
	if addr.IsValid() {
		if wild {
			return `"*." before an IP address in`, "list the address without \"*.\""
		}
		p.addrs = append(p.addrs, addr)
		return "", ""
	}
	name = strings.ToLower(name)
	if wild {
		p.suffixes = append(p.suffixes, "."+name)
	} else {
		p.exact = append(p.exact, name)
	}
	return "", ""
}

// validHostPattern reports whether s is an allowedHosts entry that add
// accepts, so that a suggested fix is never itself refused.
func validHostPattern(s string) bool {
	var p httpsHostPatterns
	reason, _ := p.add(s)
	return reason == ""
}

// regexpToHostPattern guesses the host pattern a regular expression such as
// `^.+\.example\.com$` meant ("*.example.com"), or returns "" when the guess
// is not a valid pattern.
func regexpToHostPattern(s string) string {
	c := strings.TrimSuffix(strings.TrimPrefix(s, "^"), "$")
	for _, wild := range []string{`.+\.`, `.*\.`, `[^.]+\.`} {
		if rest, ok := strings.CutPrefix(c, wild); ok {
			c = "*." + rest
			break
		}
	}
	c = strings.ReplaceAll(c, `\.`, ".")
	if !strings.ContainsAny(c, `\+^$()[]|`) && validHostPattern(c) {
		return c
	}
	return ""
}

// parseHTTPSPortOK reports whether s is a port number 1-65535.
func parseHTTPSPortOK(s string) bool {
	n, ok := parseHTTPSPort(s)
	return ok && n != 0
}
