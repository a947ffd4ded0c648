package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
)

// TestCanonicalHostThroughHandler checks https.canonicalHost from a
// configuration file: secure requests for another allowed host move to the
// canonical one, plain HTTP goes there in one hop, and routes with
// "hostCheck": false stay where they are.
func TestCanonicalHostThroughHandler(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{
		"routes": {"GET /healthz": {"hostCheck": false, "redirect": false}},
		"https": {"redirect": true, "permanent": true, "allowedHosts": ["example.com", "www.example.com"], "canonicalHost": "www.example.com"}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(app("app"))
	tests := []struct {
		method, target string
		wantStatus     int
		wantLocation   string
	}{
		{"GET", "https://www.example.com/a", 200, ""},
		{"GET", "https://example.com/a?q=1", 301, "https://www.example.com/a?q=1"},
		{"POST", "https://example.com/form", 308, "https://www.example.com/form"},
		{"GET", "http://example.com/a", 301, "https://www.example.com/a"},
		{"GET", "http://www.example.com/a", 301, "https://www.example.com/a"},
		{"GET", "https://example.com/healthz", 200, ""},
		{"GET", "http://example.com/healthz", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.target, nil))
			if w.Code != tt.wantStatus || w.Header().Get("Location") != tt.wantLocation {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Header().Get("Location"), tt.wantStatus, tt.wantLocation)
			}
			if w.Code == 200 && w.Header().Get("X-Handler") != "app" {
				t.Error("the app did not run")
			}
			// HTTPS responses, redirects to the canonical host included,
			// carry HSTS (the preload list requires it on the apex's
			// redirect); plain-HTTP ones never do.
			wantHSTS := ""
			if strings.HasPrefix(tt.target, "https://") {
				wantHSTS = "max-age=31536000; includeSubDomains"
			}
			if got := w.Header().Get("Strict-Transport-Security"); got != wantHSTS {
				t.Errorf("HSTS %q, want %q", got, wantHSTS)
			}
		})
	}
}

// TestUpgradeLocationThroughHandler checks https.upgradeLocation for an
// app behind a TLS proxy: its http:// redirects to allowed hosts become
// https:// on secure requests only, and other Locations are untouched.
func TestUpgradeLocationThroughHandler(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{
		"trustedProxies": ["10.0.0.0/8"],
		"https": {"proxyHeader": "X-Forwarded-Proto", "allowedHosts": ["example.com"], "upgradeLocation": true},
		"cookies": {"httpOnly": true}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	proxied := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	tests := []struct {
		name, to string
		secure   bool
		want     string
	}{
		{"own host", "http://example.com/next", true, "https://example.com/next"},
		{"port 80", "http://example.com:80/next?a=b", true, "https://example.com/next?a=b"},
		{"plain HTTP request keeps http", "http://example.com/next", false, "http://example.com/next"},
		{"other host", "http://partner.example/x", true, "http://partner.example/x"},
		{"userinfo", "http://example.com@evil.example/", true, "http://example.com@evil.example/"},
		{"look-alike", "http://example.com.evil.example/", true, "http://example.com.evil.example/"},
		{"other port", "http://example.com:8080/", true, "http://example.com:8080/"},
		{"relative", "/next", true, "/next"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://example.com/go?to="+url.QueryEscape(tt.to), nil)
			r.RemoteAddr = "10.0.0.2:4000"
			if tt.secure {
				r.Header.Set("X-Forwarded-Proto", "https")
			}
			w := httptest.NewRecorder()
			proxied.ServeHTTP(w, r)
			got := []string{w.Header().Get("Location"), w.Header().Get("Set-Cookie")}
			if diff := cmp.Diff([]string{tt.want, "s=1; HttpOnly"}, got); diff != "" {
				t.Errorf("Location, Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
	// Without allowedHosts it cannot know which hosts are the app's.
	_, err = secureheaders.New(&secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{UpgradeLocation: true}})
	if want := `https.upgradeLocation: is true but https.allowedHosts is empty, so no Location host could be trusted (list the app's hosts in https.allowedHosts, e.g. ["example.com"])`; err == nil || err.Error() != want {
		t.Errorf("New: %v, want %s", err, want)
	}
}
