package https

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHostMemoSameDecisions checks that remembering accepted hosts changes
// no decision: a Gate that has seen every host before answers each request
// as a fresh Gate does, hosts of the same length (the same memo slot)
// included, and a refused host is never remembered as accepted.
func TestHostMemoSameDecisions(t *testing.T) {
	cfg := Config{Redirect: true, AllowedHosts: []string{"example.com", "*.example.com", "[::1]"}}
	hosts := []string{
		"example.com", "EXAMPLE.com", "example.com.", "example.com:8080",
		"evil.exampl", // same length as example.com, not allowed
		"a.example.com", "b.example.com", "localhost", "[::1]", "[::1]:8443",
		"example.com@evil", "exa mple.com", "", "evil.example.com.evil",
	}
	warm := mustHTTPS(t, cfg)
	for round := range 3 {
		for _, host := range hosts {
			for _, secure := range []bool{false, true} {
				target := "http://x/p?q=1"
				if secure {
					target = "https://x/p?q=1" // r.TLS set
				}
				r := httptest.NewRequest(http.MethodGet, target, nil)
				r.Host = host
				want := httpsDecide(t, mustHTTPS(t, cfg), r)
				got := httpsDecide(t, warm, r)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("round %d, Host %q, secure %v: decision (-fresh +warm):\n%s", round, host, secure, diff)
				}
			}
		}
	}
}

// TestPeerMemoSameTrust checks that remembering trusted proxies changes no
// decision: peers of the same key length, other ports of a trusted peer,
// and RemoteAddr forms that are not "ip:port" are judged as a fresh Gate
// judges them.
func TestPeerMemoSameTrust(t *testing.T) {
	cfg := Config{ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8", "::1")}
	peers := []string{
		"10.1.2.3:5555", "10.1.2.3:6666", "11.1.2.3:5555", "10.1.2.3", "::1", "::2", "[::1]:80", "[::2]:80",
		"[::1]", "@", "", "10.1.2.3:", "10.1.2.3:x", "[::1:80", "1.1.2.3:5555",
	}
	warm := mustHTTPS(t, cfg)
	for round := range 3 {
		for _, peer := range peers {
			r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
			r.RemoteAddr = peer
			r.Header.Set("X-Forwarded-Proto", "https")
			want := httpsDecide(t, mustHTTPS(t, cfg), r)
			got := httpsDecide(t, warm, r)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round %d, RemoteAddr %q: decision (-fresh +warm):\n%s", round, peer, diff)
			}
		}
	}
}

func TestPeerKey(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"10.1.2.3:5555", "10.1.2.3", true},
		{"[::1]:80", "[::1]", true},
		{"::1", "", false},
		{"10.1.2.3", "", false},
		{"10.1.2.3:", "", false},
		{"10.1.2.3:x1", "", false},
		{"[::1:80", "", false},
		{":80", "", false},
		{"@", "", false},
	}
	for _, tt := range tests {
		got, ok := peerKey(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("peerKey(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzPeerKey holds peerKey's one-pass scan to its definition: the host
// part before the last ':', the port all digits and not empty, the host
// either bracketed or without a ':'.
func FuzzPeerKey(f *testing.F) {
	for _, s := range []string{"10.1.2.3:5555", "[::1]:80", "::1", "10.1.2.3:", "a:1:2", "[x]:9", ":80", "1:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		want, wantOK := "", false
		if i := strings.LastIndexByte(remote, ':'); i > 0 && i < len(remote)-1 &&
			strings.Trim(remote[i+1:], "0123456789") == "" {
			host := remote[:i]
			bracketed := host[0] == '['
			if (bracketed && host[len(host)-1] == ']') || (!bracketed && !strings.Contains(host, ":")) {
				want, wantOK = host, true
			}
		}
		if got, ok := peerKey(remote); got != want || ok != wantOK {
			t.Fatalf("peerKey(%q) = %q, %v, want %q, %v", remote, got, ok, want, wantOK)
		}
	})
}
