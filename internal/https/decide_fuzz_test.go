package https

import (
	"crypto/tls"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decideFuzzConfigs are the Gates FuzzDecideHosts attacks: an allow-list
// with names, a wildcard and a range, health-check routes that skip the
// Host check (one with a host), a trusted proxy whose X-Forwarded-Host is
// read, with and without a canonical host.
func decideFuzzConfigs() []Config {
	base := Config{
		Redirect:        true,
		AllowedHosts:    []string{"example.com", "www.example.com", "*.example.org", "10.0.0.0/8"},
		RouteHostBypass: []string{"GET /healthz", "lb.internal/lb/"},
		RouteBypass:     []string{"GET /healthz"},
		Trust:           trust("10.0.0.0/8"), TrustForwardedHost: true, ProxyHeader: "X-Forwarded-Proto",
		UpgradeLocation: true,
	}
	canonical := base
	canonical.CanonicalHost = "www.example.com"
	return []Config{base, canonical}
}

// decideFuzzLocationHostOK reports whether a redirect of config i may go to
// host (url.Parse's Host of the Location): the canonical host only when
// one is set, otherwise a lower-case allowed host with no port.
func decideFuzzLocationHostOK(i int, host string) bool {
	if i == 1 {
		return host == "www.example.com"
	}
	if host == "example.com" || host == "www.example.com" {
		return true
	}
	if sub, ok := strings.CutSuffix(host, ".example.org"); ok && sub != "" && strings.ToLower(host) == host {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4() && netip.MustParsePrefix("10.0.0.0/8").Contains(a)
}

// FuzzDecideHosts attacks Decide with hostile Host and X-Forwarded-Host
// values and paths: a redirect never leaves the allowed hosts (the
// canonical host when one is set), and a Gate that has remembered earlier
// requests' hosts and peers (the memos) decides as a fresh Gate does.
func FuzzDecideHosts(f *testing.F) {
	for _, s := range []struct {
		host, xfh, target string
		secure, proxy     bool
	}{
		{"example.com", "", "/", false, false},
		{"EXAMPLE.COM.:8080", "", "/a?b", false, false},
		{"lb.internal", "evil.test", "/lb/x", false, true},
		{"10.0.0.5:8080", "", "/healthz", true, false},
		{"[::ffff:10.0.0.5]", "", "/", false, false},
		{"example.com", "evil.test", "//evil.test/", true, true},
		{"a.example.org", "www.example.com@evil", "/%2e%2e/x", true, true},
		{"evil.test", "", "/lb/../x", false, false},
		{"example.com\r\nX: y", "", "/", false, false},
		{"www.example.com", "example.com", "/x\\y", true, true},
	} {
		f.Add(s.host, s.xfh, s.target, s.secure, s.proxy)
	}
	cfgs := decideFuzzConfigs()
	warm := make([]*Gate, len(cfgs))
	for i, c := range cfgs {
		warm[i] = mustHTTPS(f, c)
	}
	f.Fuzz(func(t *testing.T, host, xfh, target string, secure, proxy bool) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		r := &http.Request{Method: http.MethodGet, URL: u, RequestURI: target, Host: host,
			Header: http.Header{}, RemoteAddr: "192.0.2.1:1234"}
		if proxy {
			r.RemoteAddr = "10.0.0.1:5555"
		}
		if xfh != "" {
			r.Header["X-Forwarded-Host"] = []string{xfh}
		}
		if secure {
			r.TLS = &tls.ConnectionState{}
		}
		for i, c := range cfgs {
			got := warm[i].Decide(r)
			if want := mustHTTPS(t, c).Decide(r); !cmp.Equal(want, got) {
				t.Fatalf("config %d, Host %q, X-Forwarded-Host %q, %q: warm Gate (-fresh +warm):\n%s", i, host, xfh, target, cmp.Diff(want, got))
			}
			if got.Location == "" {
				continue
			}
			lu, err := url.Parse(got.Location)
			if err != nil || lu.Scheme != "https" || !decideFuzzLocationHostOK(i, lu.Host) || lu.User != nil {
				t.Fatalf("config %d, Host %q, X-Forwarded-Host %q, %q: redirect to %q (host %q)", i, host, xfh, target, got.Location, lu.Host)
			}
		}
	})
}
