package https

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUpgradeLocation checks which Locations are upgraded to https://, and
// that every hostile form is left as the app wrote it.
func TestUpgradeLocation(t *testing.T) {
	h := mustHTTPS(t, Config{AllowedHosts: []string{"example.com", "*.example.com", "10.0.0.0/8"}, UpgradeLocation: true})
	port := mustHTTPS(t, Config{AllowedHosts: []string{"example.com"}, UpgradeLocation: true, Port: 8443})
	tests := []struct {
		gate     *Gate
		in, want string // want "" means unchanged
	}{
		{h, "http://example.com/a?b=1#c", "https://example.com/a?b=1#c"},
		{h, "http://example.com", "https://example.com"},
		{h, "http://example.com?x", "https://example.com?x"},
		{h, "HTTP://Example.COM/a", "https://Example.COM/a"},   // only the scheme changes
		{h, "http://example.com./a", "https://example.com./a"}, // another origin than example.com to browsers
		{h, "http://example.com.:80/a", "https://example.com./a"},
		{h, "http://example.com:80/a", "https://example.com/a"},
		{h, "http://api.example.com/", "https://api.example.com/"},
		{h, "http://10.0.0.5/", "https://10.0.0.5/"},
		{port, "http://example.com/a", "https://example.com:8443/a"},
		// Left alone.
		{h, "http://example.com:8080/a", ""},
		{h, "http://evil.com/", ""},
		{h, "http://example.com.evil.com/", ""},
		{h, "http://allowedexample.com/", ""},
		{h, "http://evil.com@example.com/", ""},
		{h, "http://example.com@evil.com/", ""},
		{h, "http://example.com:80@evil.com/", ""},
		{h, `http://example.com\@evil.com/`, ""},
		{h, `http://evil.com\example.com/`, ""},
		{h, "http://example.com%2eevil.com/", ""},
		{h, "http://example.com/a\r\nSet-Cookie: x=1", ""},
		{h, "http://exa\tmple.com/", ""},
		{h, " http://example.com/", ""},
		{h, "//example.com/a", ""},
		{h, "/a", ""},
		{h, "https://example.com/a", ""},
		{h, "http:/example.com/", ""},
		{h, "http://[::1]/", ""},
		{h, "http://", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			shared := []string{tt.in}
			hdr := http.Header{"Location": shared}
			tt.gate.UpgradeLocation(hdr)
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if diff := cmp.Diff([]string{want}, hdr["Location"]); diff != "" {
				t.Errorf("Location (-want +got):\n%s", diff)
			}
			if shared[0] != tt.in {
				t.Errorf("the app's slice was edited in place: %q", shared[0])
			}
		})
	}
	t.Run("several values", func(t *testing.T) {
		hdr := http.Header{"Location": {"http://example.com/a", "http://example.com/b"}}
		h.UpgradeLocation(hdr)
		if diff := cmp.Diff([]string{"http://example.com/a", "http://example.com/b"}, hdr["Location"]); diff != "" {
			t.Errorf("Location (-want +got):\n%s", diff)
		}
	})
	t.Run("off", func(t *testing.T) {
		hdr := http.Header{"Location": {"http://example.com/a"}}
		mustHTTPS(t, Config{AllowedHosts: []string{"example.com"}}).UpgradeLocation(hdr)
		var nilGate *Gate
		nilGate.UpgradeLocation(hdr)
		if got := hdr.Get("Location"); got != "http://example.com/a" {
			t.Errorf("Location = %q, want it unchanged", got)
		}
	})
}

func TestUpgradeLocationNeedsAllowedHosts(t *testing.T) {
	_, err := New(Config{UpgradeLocation: true})
	want := `https.upgradeLocation: is true but https.allowedHosts is empty, so no Location host could be trusted (list the app's hosts in https.allowedHosts, e.g. ["example.com"])`
	if err == nil || err.Error() != want {
		t.Errorf("New: %v, want %s", err, want)
	}
}

// FuzzUpgradeLocation checks that an upgraded Location keeps its host (as
// net/url reads both), is https:// on an allowed host, and has no control
// byte; and that upgrading is idempotent.
func FuzzUpgradeLocation(f *testing.F) {
	for _, s := range []string{"http://example.com/a", "http://a.example.com:80?x", `http://example.com\@evil/`,
		"http://evil@example.com/", "http://10.1.2.3/", "http://example.com/\r\n"} {
		f.Add(s)
	}
	h := mustHTTPS(f, Config{AllowedHosts: []string{"example.com", "*.example.com", "10.0.0.0/8"}, UpgradeLocation: true})
	f.Fuzz(func(t *testing.T, loc string) {
		got, ok := h.upgradedLocation(loc)
		if !ok {
			return
		}
		if strings.ContainsFunc(got, func(r rune) bool { return r < ' ' || r == 0x7F }) {
			t.Fatalf("%q -> %q has a control byte", loc, got)
		}
		in, err1 := url.Parse(loc)
		out, err2 := url.Parse(got)
		if err1 != nil || err2 != nil {
			t.Fatalf("%q -> %q: parse errors %v, %v", loc, got, err1, err2)
		}
		if out.Scheme != "https" || out.User != nil || !strings.EqualFold(in.Hostname(), out.Hostname()) {
			t.Fatalf("%q -> %q: scheme %q, user %v, host %q from %q", loc, got, out.Scheme, out.User, out.Hostname(), in.Hostname())
		}
		if host, ok := parseHTTPSHost(out.Host); !ok || !h.allowed.allows(host) {
			t.Fatalf("%q -> %q: host %q not allowed", loc, got, out.Host)
		}
		if _, again := h.upgradedLocation(got); again {
			t.Fatalf("%q -> %q is upgraded again", loc, got)
		}
	})
}
