package proxy

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Trust is the set of peers whose forwarding headers (X-Forwarded-Proto,
// Forwarded, X-Forwarded-For, X-Forwarded-Host) are believed.
//
// The zero value trusts nobody: every forwarding header is ignored (fail
// closed). A Trust is immutable and safe for concurrent use.
type Trust struct {
	prefixes []netip.Prefix
}

// Parse builds a Trust from CIDRs ("10.0.0.0/8") and single addresses
// ("192.0.2.7", "::1"), surrounding spaces ignored. Every entry that is
// neither, or that has an IPv6 zone or an IPv4-mapped IPv6 form, is reported
// as a *cfgerr.Error at path[i] (errors joined); nothing is trusted then.
func Parse(path string, entries []string) (Trust, error) {
	var t Trust
	var errs cfgerr.List
	for i, raw := range entries {
		e := strings.TrimSpace(raw)
		at := path + cfgerr.Index(i)
		if p, err := netip.ParsePrefix(e); err == nil {
			if p.Addr().Is4In6() {
				errs.Add(at, raw, "IPv4-mapped IPv6 prefix", "write the IPv4 form, e.g. 10.0.0.0/8")
				continue
			}
			t.prefixes = append(t.prefixes, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		switch {
		case err != nil:
			errs.Add(at, raw, "neither a CIDR nor an IP address", `write a CIDR such as "10.0.0.0/8" or an address such as "192.0.2.7"`)
			continue
		case a.Zone() != "":
			errs.Add(at, raw, "IPv6 address with a zone, which peers' addresses never carry", "drop the %zone")
			continue
		case a.Is4In6():
			errs.Add(at, raw, "IPv4-mapped IPv6 address", "write the IPv4 form, e.g. "+a.Unmap().String())
			continue
		}
		t.prefixes = append(t.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	if err := errs.Err(); err != nil {
		return Trust{}, err
	}
	return t, nil
}

// Empty reports whether t trusts no peer.
func (t Trust) Empty() bool { return len(t.prefixes) == 0 }

// Trusts reports whether addr is inside a trusted prefix.
func (t Trust) Trusts(addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	addr = addr.Unmap()
	for _, p := range t.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// TrustsPeer reports whether the direct peer of r (its RemoteAddr) is trusted.
func (t Trust) TrustsPeer(r *http.Request) bool {
	if len(t.prefixes) == 0 {
		return false
	}
	return t.Trusts(PeerAddr(r))
}

// ClientAddr returns the address of the client that made r: the peer itself,
// or, when the peer is trusted, the right-most X-Forwarded-For entry that is
// not a trusted proxy (entries left of it could be forged by the client).
// It returns the zero Addr when RemoteAddr is not an IP (e.g. a Unix socket).
func (t Trust) ClientAddr(r *http.Request) netip.Addr {
	peer := PeerAddr(r)
	if !t.Trusts(peer) {
		return peer
	}
	xff := r.Header.Values("X-Forwarded-For")
	for i := len(xff) - 1; i >= 0; i-- {
		parts := strings.Split(xff[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return peer // malformed chain: stop believing it
			}
			a = a.Unmap()
			if !t.Trusts(a) {
				return a
			}
			peer = a
		}
	}
	return peer
}

// PeerAddr parses r.RemoteAddr ("ip:port" or "ip"); the zero Addr if it is
// not an IP address.
func PeerAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap() // the common "ip:port" form, parsed without allocating
	}
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}
