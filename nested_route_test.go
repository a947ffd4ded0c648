package secureheaders_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// TestNestedRoutes pins the rule for Route(Route(h, inner), outer): the
// routes layer, outer then inner (app policy + outer override + inner
// override) is what is sent, exactly, and the nonce stays the one the
// handler sees.
func TestNestedRoutes(t *testing.T) {
	app := policy.Update(policy.Recommended(), policy.Policy{CSP: csp.MustParse("script-src 'self' 'nonce-{nonce}'")})
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &app})
	if err != nil {
		t.Fatal(err)
	}
	outer := policy.Override{
		Update: policy.Policy{CSP: csp.MustParse("img-src https://img.example"), CacheControl: "no-store"},
		Remove: []string{"Referrer-Policy"},
	}
	inner := policy.Override{
		Update: policy.Policy{CSP: csp.MustParse("frame-ancestors https://partner.example")},
		Remove: []string{"X-Frame-Options"},
	}
	var nonce string
	h := sh.Handler(sh.MustWrap(sh.MustWrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce = secureheaders.Nonce(r)
	}), inner), outer))

	r := httptest.NewRequest(http.MethodGet, "https://example.com/", nil)
	r.TLS = &tls.ConnectionState{}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)

	outerPolicy, err := outer.Apply(app)
	if err != nil {
		t.Fatal(err)
	}
	innerPolicy, err := inner.Apply(outerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	want := http.Header{}
	mustCompile(t, innerPolicy).Write(want, true, nonce)
	if nonce == "" {
		t.Fatal("handler saw no nonce")
	}
	if diff := cmp.Diff(want, w.Header()); diff != "" {
		t.Errorf("nested routes: headers differ from outer then inner (-want +got):\n%s", diff)
	}
}
