package proxy

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tr, err := Parse("trustedProxies", []string{"10.0.0.0/8", " 192.0.2.7 ", "::1", "2001:db8::/32"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"10.1.2.3", true}, {"::ffff:10.1.2.3", true}, {"192.0.2.7", true}, {"192.0.2.8", false},
		{"::1", true}, {"2001:db8::5", true}, {"2001:db9::5", false}, {"11.0.0.1", false},
	} {
		if got := tr.Trusts(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Trusts(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if (Trust{}).Trusts(netip.MustParseAddr("127.0.0.1")) {
		t.Error("the zero Trust trusts a peer")
	}

	_, err = Parse("trustedProxies", []string{"10.0.0.0/33", "fe80::1%eth0", "::ffff:10.0.0.0/104", "host.example"})
	if err == nil {
		t.Fatal("bad entries accepted")
	}
	for _, want := range []string{"trustedProxies[0]", "trustedProxies[1]", "trustedProxies[2]", "trustedProxies[3]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	tr, _ := Parse("trustedProxies", []string{"10.0.0.0/8"})
	tests := []struct {
		name, remote, xff, want string
	}{
		{"untrusted peer: XFF ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"trusted peer: right-most untrusted entry", "10.0.0.1:5000", "1.1.1.1, 198.51.100.1, 10.0.0.2", "198.51.100.1"},
		{"trusted peer, no XFF", "10.0.0.1:5000", "", "10.0.0.1"},
		{"malformed chain: stop at the peer", "10.0.0.1:5000", "198.51.100.1, garbage", "10.0.0.1"},
		{"all trusted", "10.0.0.1:5000", "10.0.0.3", "10.0.0.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := tr.ClientAddr(r).String(); got != tt.want {
				t.Errorf("ClientAddr = %s, want %s", got, tt.want)
			}
		})
	}
}
