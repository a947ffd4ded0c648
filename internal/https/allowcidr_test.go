package https

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// TestAllowedHostRanges checks which Hosts an allowedHosts list with address
// ranges lets through, and that a range never matches a name.
func TestAllowedHostRanges(t *testing.T) {
	h := mustHTTPS(t, Config{AllowedHosts: []string{"example.com", "10.0.0.0/8", "2001:db8::/32", "192.0.2.7", "[2001:db8:ffff::1]"}})
	tests := []struct {
		host string
		want Decision
	}{
		{"example.com", httpsServe},
		{"10.0.0.5:8080", httpsServe},
		{"10.255.255.255", httpsServe},
		{"11.0.0.1", httpsDeniedHost},
		{"[2001:db8::5]:8443", httpsServe},
		{"[2001:db9::5]", httpsDeniedHost},
		{"192.0.2.7", httpsServe},
		{"192.0.2.8", httpsDeniedHost},
		{"[2001:db8:ffff::1]", httpsServe},
		// The network address itself is in the range.
		{"10.0.0.0", httpsServe},
		{"10.example.com", httpsDeniedHost},
		// The IPv4-mapped form of an address in 10.0.0.0/8 is a different
		// Host, as TrustedProxies treats it.
		{"[::ffff:10.0.0.5]", httpsDeniedHost},
		{"[fe80::1%25eth0]", httpsBadHost},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got := httpsDecide(t, h, httpsTestReq{host: tt.host}.build())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllowedHostRangeErrors checks that each refused range gets its
// reason and a fix, and that a "did you mean" fix is itself accepted.
func TestAllowedHostRangeErrors(t *testing.T) {
	tests := []struct {
		entry, want, fixed string
	}{
		{"10.0.0.5/8", `https.allowedHosts[0]: host bits set in an address range "10.0.0.5/8" (did you mean "10.0.0.0/8"? (or "10.0.0.5" for that one address))`, "10.0.0.0/8"},
		{"2001:db8::1/32", `https.allowedHosts[0]: host bits set in an address range "2001:db8::1/32" (did you mean "2001:db8::/32"? (or "2001:db8::1" for that one address))`, "2001:db8::/32"},
		{"fe80::%eth0/64", `https.allowedHosts[0]: zone in an address range (a zone names a local interface, never a Host) "fe80::%eth0/64" (did you mean "fe80::/64"?)`, "fe80::/64"},
		{"[2001:db8::]/32", `https.allowedHosts[0]: brackets around the address of a range "[2001:db8::]/32" (did you mean "2001:db8::/32"?)`, "2001:db8::/32"},
		{"::ffff:10.0.0.0/104", `https.allowedHosts[0]: IPv4-mapped IPv6 range (Hosts carry IPv4 addresses in IPv4 form) "::ffff:10.0.0.0/104" (did you mean "10.0.0.0/8"?)`, "10.0.0.0/8"},
		{"0.0.0.0/0", `https.allowedHosts[0]: address range allowing every address "0.0.0.0/0" (list the ranges your health checkers and load balancers use, e.g. "10.0.0.0/8")`, ""},
		{"::/0", `https.allowedHosts[0]: address range allowing every address "::/0" (list the ranges your health checkers and load balancers use, e.g. "10.0.0.0/8")`, ""},
		{"10.0.0.0/33", `https.allowedHosts[0]: invalid address range "10.0.0.0/33" (write an address, "/" and a prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32")`, ""},
		{"10.0.0.0/", `https.allowedHosts[0]: invalid address range "10.0.0.0/" (write an address, "/" and a prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32")`, ""},
		// Not an address before the "/": a URL, as before.
		{"example.com/8", `https.allowedHosts[0]: URL where a bare host is expected "example.com/8" (write only the host, e.g. "example.com")`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			_, err := New(Config{AllowedHosts: []string{tt.entry}})
			var ce *cfgerr.Error
			if !errors.As(err, &ce) {
				t.Fatalf("New: %v, want a *cfgerr.Error", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if tt.fixed != "" {
				if _, err := New(Config{AllowedHosts: []string{tt.fixed}}); err != nil {
					t.Errorf("the suggested %q is refused too: %v", tt.fixed, err)
				}
			}
		})
	}
}

// FuzzAllowedHostEntry checks that compiling an allowedHosts entry never
// panics, that an accepted range allows its own network address, and that
// a "did you mean" fix is itself accepted.
func FuzzAllowedHostEntry(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "10.0.0.5/8", "[2001:db8::]/32", "fe80::%eth0/64", "::ffff:10.0.0.0/104", "::/0", "example.com", "*.example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p httpsHostPatterns
		reason, fix := p.add(s)
		if reason != "" {
			if q, ok := strings.CutPrefix(fix, `did you mean "`); ok {
				q, _, _ = strings.Cut(q, `"`)
				if !validHostPattern(q) {
					t.Fatalf("%q: fix %q suggests %q, which is refused", s, fix, q)
				}
			}
			return
		}
		for _, pre := range p.prefixes {
			if !p.allows(httpsHost{addr: pre.Addr()}) {
				t.Fatalf("%q: range %v does not allow its own address", s, pre)
			}
		}
	})
}
