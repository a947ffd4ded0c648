package https

import (
	"net/netip"
	"strings"
)

// This file holds the address ranges of allowedHosts. Their syntax is
// netip.Prefix's, an address, "/" and a prefix length, with the IPv6 address
// unbracketed:
//
//	"10.0.0.0/8"    "192.0.2.0/24"    "2001:db8::/32"
//
// A name never contains "/", so a range is never read as a name, and a
// bracketed IPv6 literal ("[2001:db8::1]") stays a single address. Refused,
// each with the form to write instead: host bits set ("10.0.0.5/8"), a zone
// ("fe80::%eth0/64"), brackets around a range's address ("[2001:db8::]/32"),
// IPv4-mapped IPv6 ranges ("::ffff:10.0.0.0/104": write the IPv4 range) and
// ranges of length 0, which allow every address.

// looksLikePrefix reports whether an allowedHosts entry is meant as an
// address range: it has a "/" and no "://", and what comes before the "/"
// is an address, bracketed or not.
func looksLikePrefix(s string) bool {
	addr, _, ok := strings.Cut(s, "/")
	if !ok || strings.Contains(s, "://") {
		return false
	}
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	if i := strings.IndexByte(addr, '%'); i >= 0 {
		addr = addr[:i] // a zone: refused by addPrefix with its own reason
	}
	_, err := netip.ParseAddr(addr)
	return err == nil
}

// addPrefix compiles an allowedHosts entry for which looksLikePrefix holds.
func (p *httpsHostPatterns) addPrefix(s string) (reason, fix string) {
	addr, bits, _ := strings.Cut(s, "/")
	if strings.HasPrefix(addr, "[") {
		plain := strings.TrimSuffix(addr[1:], "]") + "/" + bits
		if validHostPattern(plain) {
			return "brackets around the address of a range", "did you mean " + quote(plain) + "?"
		}
		return "brackets around the address of a range", `write the range unbracketed, e.g. "2001:db8::/32"`
	}
	if i := strings.IndexByte(addr, '%'); i >= 0 {
		plain := addr[:i] + "/" + bits
		if validHostPattern(plain) {
			return "zone in an address range (a zone names a local interface, never a Host)", "did you mean " + quote(plain) + "?"
		}
		return "zone in an address range (a zone names a local interface, never a Host)", "remove the \"%…\" part"
	}
	pre, err := netip.ParsePrefix(s)
	if err != nil {
		return "invalid address range", `write an address, "/" and a prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32"`
	}
	if pre.Addr().Is4In6() {
		a := pre.Addr().Unmap()
		if pre.Bits() >= 96 {
			if m, err := a.Prefix(pre.Bits() - 96); err == nil {
				return "IPv4-mapped IPv6 range (Hosts carry IPv4 addresses in IPv4 form)", "did you mean " + quote(m.String()) + "?"
			}
		}
		return "IPv4-mapped IPv6 range (Hosts carry IPv4 addresses in IPv4 form)", `write the IPv4 range, e.g. "10.0.0.0/8"`
	}
	if pre.Bits() == 0 {
		return "address range allowing every address", "list the ranges your health checkers and load balancers use, e.g. \"10.0.0.0/8\""
	}
	if m := pre.Masked(); m != pre {
		return "host bits set in an address range", "did you mean " + quote(m.String()) + "? (or " + quote(pre.Addr().String()) + " for that one address)"
	}
	p.prefixes = append(p.prefixes, pre)
	return "", ""
}

// allowsAddr reports whether a is one of the listed addresses or in one of
// the listed ranges.
func (p *httpsHostPatterns) allowsAddr(a netip.Addr) bool {
	for _, e := range p.addrs {
		if e == a {
			return true
		}
	}
	for _, pre := range p.prefixes {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// quote is strconv.Quote for the ASCII strings of fixes.
func quote(s string) string { return `"` + s + `"` }
