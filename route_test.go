package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// embed is the override of an embeddable page: a partner may frame it, so
// X-Frame-Options goes and frame-ancestors gains the partner.
var embed = policy.Override{
	Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}}},
	Remove: []string{"X-Frame-Options"},
}

// embedded returns Recommended's headers as changed by embed.
func embedded(secure bool) http.Header {
	h := recommended(secure)
	delete(h, "X-Frame-Options")
	h["Content-Security-Policy"] = []string{strings.Replace(h.Get("Content-Security-Policy"),
		"frame-ancestors 'self'", "frame-ancestors 'self' https://partner.example", 1)}
	return h
}

func TestRouteOverride(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	before := sh.Policy()
	mux := http.NewServeMux()
	mux.Handle("/", app("app"))
	mux.Handle("/embed/", sh.MustWrap(app("embed"), embed))
	mux.Handle("/other/", sh.MustWrap(app("other"), policy.Override{Update: policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer"}}}))
	h := sh.Handler(mux)

	if diff := cmp.Diff(before, sh.Policy()); diff != "" {
		t.Errorf("Route changed the app policy (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(before.Fields(), sh.Policy().Fields()); diff != "" {
		t.Errorf("Route changed the app header set (-before +after):\n%s", diff)
	}
	for _, secure := range []bool{true, false} {
		scheme := "http://"
		if secure {
			scheme = "https://"
		}
		tests := []struct {
			path string
			want http.Header
		}{
			{"/", plus(recommended(secure), "X-Handler", "app")},
			{"/embed/x", plus(embedded(secure), "X-Handler", "embed")},
			{"/other/x", plus(recommended(secure), "X-Handler", "other", "Referrer-Policy", "no-referrer")},
			// Again, in another order: nothing leaked between them.
			{"/", plus(recommended(secure), "X-Handler", "app")},
			{"/embed/y", plus(embedded(secure), "X-Handler", "embed")},
		}
		for _, tt := range tests {
			got := do(t, h, get(scheme+"example.com"+tt.path))
			if diff := cmp.Diff(tt.want, got.header); diff != "" {
				t.Errorf("%s%s (-want +got):\n%s", scheme, tt.path, diff)
			}
		}
	}
	if diff := cmp.Diff(before, sh.Policy()); diff != "" {
		t.Errorf("serving routes changed the app policy (-before +after):\n%s", diff)
	}
}

func TestRouteSharesNonce(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", app("app"))
	mux.Handle("/embed/", sh.MustWrap(app("embed"), embed))
	// A route that changes only the report-only CSP, and one that changes
	// no header carrying the nonce.
	mux.Handle("/ro/", sh.MustWrap(app("ro"), policy.Override{Update: policy.Policy{CSPReportOnly: csp.Policy{csp.ImgSrc: {csp.Self}}}}))
	mux.Handle("/plain/", sh.MustWrap(app("plain"), policy.Override{Remove: []string{"X-Frame-Options"}}))
	h := sh.Handler(mux)

	csp0 := "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests"
	tests := []struct {
		path   string
		csp    string
		report string
	}{
		{"/", csp0, "style-src 'nonce-{nonce}'"},
		{"/embed/", strings.Replace(csp0, "frame-ancestors 'self'", "frame-ancestors 'self' https://partner.example", 1), "style-src 'nonce-{nonce}'"},
		{"/ro/", csp0, "img-src 'self'; style-src 'nonce-{nonce}'"},
		{"/plain/", csp0, "style-src 'nonce-{nonce}'"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			// do replaces the nonce the handler saw with "{nonce}": a header
			// holding any other nonce would not match.
			got := do(t, h, get("https://example.com"+tt.path))
			if len(got.nonce) != 22 {
				t.Fatalf("handler saw nonce %q", got.nonce)
			}
			want := map[string]string{"Content-Security-Policy": tt.csp, "Content-Security-Policy-Report-Only": tt.report}
			for k, v := range want {
				if g := got.header.Get(k); g != v {
					t.Errorf("%s\n got %q\nwant %q", k, g, v)
				}
			}
		})
	}
}

func TestRouteBringsFirstNonce(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(sh.MustWrap(app("app"), policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.RequestNonce}}}}))
	got := do(t, h, get("https://example.com/"))
	if len(got.nonce) != 22 {
		t.Fatalf("handler saw nonce %q", got.nonce)
	}
	want := strings.Replace(recommendedCSP, "script-src 'self';", "script-src 'self' 'nonce-{nonce}';", 1)
	if g := got.header.Get("Content-Security-Policy"); g != want {
		t.Errorf("CSP\n got %q\nwant %q", g, want)
	}
}

func TestRouteStandalone(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	route, err := sh.Route(embed)
	if err != nil {
		t.Fatal(err)
	}
	h := route(app("embed")) // no sh.Handler around it
	for _, secure := range []bool{true, false} {
		target := "http://example.com/"
		if secure {
			target = "https://example.com/"
		}
		got := do(t, h, get(target))
		if len(got.nonce) != 22 {
			t.Fatalf("handler saw nonce %q", got.nonce)
		}
		want := plus(embedded(secure), "X-Handler", "embed",
			"Content-Security-Policy-Report-Only", "style-src 'nonce-{nonce}'")
		want["Content-Security-Policy"] = []string{strings.Replace(want.Get("Content-Security-Policy"),
			"script-src 'self';", "script-src 'self' 'nonce-{nonce}';", 1)}
		if diff := cmp.Diff(want, got.header); diff != "" {
			t.Errorf("secure=%v (-want +got):\n%s", secure, diff)
		}
	}
}

func TestRouteInvalidOverride(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	before := sh.Policy()
	tests := []struct {
		name string
		o    policy.Override
		path string
	}{
		{"invalid value", policy.Override{Update: policy.Policy{FrameOptions: "nope"}}, "route[0].x-frame-options"},
		{"unknown header", policy.Override{Remove: []string{"X-Nope"}}, "route[0]"},
		{"report-to without endpoint", policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.ReportTo: {{Kind: csp.Token, Value: "g"}}}}}, "route[0].csp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := sh.Route(tt.o)
			if err == nil || f != nil {
				t.Fatalf("Route: decorator %v, error %v; want only an error", f != nil, err)
			}
			if !strings.HasPrefix(err.Error(), tt.path) {
				t.Errorf("error %q does not start with %q", err, tt.path)
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Error("MustRoute did not panic")
					}
				}()
				sh.MustRoute(tt.o)
			}()
		})
	}
	if diff := cmp.Diff(before, sh.Policy()); diff != "" {
		t.Errorf("a refused route changed the app policy (-before +after):\n%s", diff)
	}
	// Nothing was registered: the next route is route[0] and works.
	h := sh.Handler(sh.MustWrap(app("embed"), embed))
	if diff := cmp.Diff(plus(embedded(true), "X-Handler", "embed"), do(t, h, get("https://example.com/")).header); diff != "" {
		t.Errorf("route after refused ones (-want +got):\n%s", diff)
	}
	if _, err := sh.Route(policy.Override{Remove: []string{"X-Nope"}}); err == nil || !strings.HasPrefix(err.Error(), "route[1]") {
		t.Errorf("second route's error %v, want it named route[1]", err)
	}
}

func TestPatternRoutes(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "GET /embed/{id}", Override: embed},
		{Pattern: "/api/", Override: policy.Override{Update: policy.Policy{CacheControl: "no-store"}, Remove: []string{"CSP"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	api := recommended(true)
	delete(api, "Content-Security-Policy")
	api.Set("Cache-Control", "no-store")
	h := sh.Handler(app("app"))
	tests := []struct {
		method, path string
		want         http.Header
	}{
		{"GET", "/embed/42", embedded(true)},
		{"HEAD", "/embed/42", embedded(true)},
		{"POST", "/embed/42", recommended(true)},
		{"GET", "/embed/42/more", recommended(true)},
		{"GET", "/api/users", api},
		{"GET", "/", recommended(true)},
		{"GET", "/embed/42", embedded(true)},
	}
	for _, tt := range tests {
		got := do(t, h, httptest.NewRequest(tt.method, "https://example.com"+tt.path, nil))
		if diff := cmp.Diff(plus(tt.want, "X-Handler", "app"), got.header); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.path, diff)
		}
	}

	// A catch-all route of the user's applies where no other route does.
	sh3, err := secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "/", Override: policy.Override{Remove: []string{"X-Frame-Options"}}},
		{Pattern: "/embed/", Override: embed},
	}})
	if err != nil {
		t.Fatal(err)
	}
	noXFO := recommended(true)
	delete(noXFO, "X-Frame-Options")
	for path, want := range map[string]http.Header{"/": noXFO, "/x/y": noXFO, "/embed/1": embedded(true)} {
		got := do(t, sh3.Handler(app("app")), get("https://example.com"+path))
		if diff := cmp.Diff(plus(want, "X-Handler", "app"), got.header); diff != "" {
			t.Errorf("catch-all route, %s (-want +got):\n%s", path, diff)
		}
	}

	// Routes from a config file work the same way.
	opts, err := secureheaders.ParseConfig([]byte(`{"routes": {"/embed/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}, "remove": ["X-Frame-Options"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	sh2, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	got := do(t, sh2.Handler(app("app")), get("https://example.com/embed/x"))
	if diff := cmp.Diff(plus(embedded(true), "X-Handler", "app"), got.header); diff != "" {
		t.Errorf("config route (-want +got):\n%s", diff)
	}
}

func TestPatternRouteWithRouteInside(t *testing.T) {
	// A Route wrapped around a handler that a pattern route also matches
	// layers on the pattern route's policy (layering rule 3).
	sh, err := secureheaders.New(&secureheaders.Options{Routes: []policy.Route{
		{Pattern: "/embed/", Override: policy.Override{Update: policy.Policy{CacheControl: "no-store"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(sh.MustWrap(app("embed"), embed))
	got := do(t, h, get("https://example.com/embed/"))
	want := plus(plus(embedded(true), "X-Handler", "embed"), "Cache-Control", "no-store")
	if diff := cmp.Diff(want, got.header); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRunTimeChanges(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", app("app"))
	mux.Handle("/embed/", sh.MustWrap(app("embed"), embed))
	h := sh.Handler(mux)
	cdn := csp.Source{Kind: csp.Host, Value: "https://cdn.example"}

	check := func(t *testing.T, path string, want http.Header) {
		t.Helper()
		got := do(t, h, get("https://example.com"+path))
		delete(got.header, "X-Handler")
		if diff := cmp.Diff(want, got.header); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	setCSP := func(h http.Header, v string) http.Header {
		h = h.Clone()
		h.Set("Content-Security-Policy", v)
		return h
	}

	t.Run("Update", func(t *testing.T) {
		if err := sh.Update(policy.Policy{CSP: csp.Policy{csp.ImgSrc: {cdn}}}); err != nil {
			t.Fatal(err)
		}
		check(t, "/", setCSP(recommended(true), strings.Replace(recommendedCSP, "img-src 'self' data:", "img-src 'self' data: https://cdn.example", 1)))
		// The route re-derives from the new base: it has both changes.
		e := embedded(true)
		check(t, "/embed/", setCSP(e, strings.Replace(e.Get("Content-Security-Policy"), "img-src 'self' data:", "img-src 'self' data: https://cdn.example", 1)))
	})
	t.Run("Rewrite", func(t *testing.T) {
		if err := sh.Rewrite(policy.Policy{CSP: csp.Policy{csp.DefaultSrc: {csp.None}}}); err != nil {
			t.Fatal(err)
		}
		check(t, "/", setCSP(recommended(true), "default-src 'none'"))
		check(t, "/embed/", setCSP(embedded(true), "default-src 'none'; frame-ancestors https://partner.example"))
	})
	t.Run("Remove", func(t *testing.T) {
		if err := sh.Remove("CSP", "Referrer-Policy"); err != nil {
			t.Fatal(err)
		}
		want := recommended(true)
		delete(want, "Content-Security-Policy")
		delete(want, "Referrer-Policy")
		check(t, "/", want)
		e := embedded(true)
		e.Set("Content-Security-Policy", "frame-ancestors https://partner.example")
		delete(e, "Referrer-Policy")
		check(t, "/embed/", e)
	})
	t.Run("SetPolicy", func(t *testing.T) {
		p := policy.Recommended()
		if err := sh.SetPolicy(p); err != nil {
			t.Fatal(err)
		}
		p.FrameOptions = policy.FrameDeny // a copy was taken
		check(t, "/", recommended(true))
		check(t, "/embed/", embedded(true))
		if diff := cmp.Diff(policy.Recommended(), sh.Policy()); diff != "" {
			t.Errorf("Policy() (-want +got):\n%s", diff)
		}
	})
	t.Run("invalid changes keep the old policy", func(t *testing.T) {
		before := sh.Policy()
		for name, change := range map[string]func() error{
			"Update":    func() error { return sh.Update(policy.Policy{FrameOptions: "nope"}) },
			"Rewrite":   func() error { return sh.Rewrite(policy.Policy{CSP: csp.Policy{"scirpt-src": {csp.Self}}}) },
			"Remove":    func() error { return sh.Remove("X-Nope") },
			"SetPolicy": func() error { return sh.SetPolicy(policy.Policy{XSSProtection: "2"}) },
		} {
			if err := change(); err == nil {
				t.Errorf("%s: no error", name)
			}
		}
		if diff := cmp.Diff(before, sh.Policy()); diff != "" {
			t.Errorf("Policy() after refused changes (-before +after):\n%s", diff)
		}
		check(t, "/", recommended(true))
		check(t, "/embed/", embedded(true))
	})
	t.Run("change that breaks a route", func(t *testing.T) {
		// A route that needs the app's Reporting-Endpoints.
		if err := sh.Update(policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/csp-report"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := sh.Route(policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.ReportTo: {{Kind: csp.Token, Value: "csp"}}}}}); err != nil {
			t.Fatal(err)
		}
		before := sh.Policy()
		err := sh.Remove("Reporting-Endpoints")
		if err == nil || !strings.Contains(err.Error(), "route[1]") {
			t.Fatalf("Remove(Reporting-Endpoints): error %v, want one naming route[1]", err)
		}
		if diff := cmp.Diff(before, sh.Policy()); diff != "" {
			t.Errorf("refused change applied (-before +after):\n%s", diff)
		}
	})
}

func TestPolicyIsDeepCopy(t *testing.T) {
	p := withNonce()
	p.PermissionsPolicy = policy.PermissionsPolicy{"camera": {}}
	p.ReferrerPolicy = policy.ReferrerPolicy{"no-referrer", "strict-origin"}
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	want := sh.Policy()
	h := sh.Handler(app("app"))
	before := do(t, h, get("https://example.com/")).header

	got := sh.Policy()
	got.CSP[csp.DefaultSrc][0] = csp.None
	got.CSP[csp.ConnectSrc] = []csp.Source{csp.Self}
	got.CSPReportOnly[csp.StyleSrc][0] = csp.Self
	got.HSTS.MaxAge = 0
	got.HSTS.Preload = true
	got.PermissionsPolicy["camera"] = append(got.PermissionsPolicy["camera"], "*")
	got.ReferrerPolicy[0] = "unsafe-url"
	got.FrameOptions = policy.FrameDeny

	if diff := cmp.Diff(want, sh.Policy()); diff != "" {
		t.Errorf("mutating Policy()'s result changed the engine's policy (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, do(t, h, get("https://example.com/")).header); diff != "" {
		t.Errorf("mutating Policy()'s result changed the headers (-before +after):\n%s", diff)
	}
}
