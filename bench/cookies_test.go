package bench

import (
	"net/http"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders"
)

// cookieApp sets the cookies of a typical login response; the values are
// the same on every request, as the rewrite never edits the app's slice.
func cookieApp(cookies []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Set-Cookie"] = cookies
		w.WriteHeader(http.StatusOK)
	})
}

// cookieRules are the per-cookie rules of docs/config.md's example plus a
// host-prefixed rule, so that a cookie is matched against exact names and
// prefixes, the prefix "__Host-" among them.
func cookieRules() secureheaders.CookieOptions {
	return secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode, Rules: []secureheaders.CookieRule{
		{Names: []string{"_session", "csrf"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
		{Names: []string{"__Host-*", "__Secure-id"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
		{Names: []string{"theme", "ab_*"}, Skip: true},
	}}
}

// BenchmarkCookieRules is a secure GET whose app sets three cookies that
// the rules rewrite: the cost of reading each cookie's name, finding its
// rule and appending the attributes, on top of the headers.
func BenchmarkCookieRules(b *testing.B) {
	for _, set := range []struct {
		name    string
		cookies []string
	}{
		{"exact", []string{"_session=abc; Path=/", "csrf=t; Path=/", "pref=1"}},
		{"prefixed", []string{"__Host-sid=abc; Path=/", "__HOST-csrf=t; Path=/", "ab_test=b"}},
	} {
		b.Run("cookies="+set.name, func(b *testing.B) {
			opts := appOptions(false)
			opts.Cookies = cookieRules()
			h := newEngine(b, opts).Handler(cookieApp(set.cookies))
			r := newSecureRequest("/page")
			w := newMinimalWriter()
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				w.reset()
				h.ServeHTTP(w, r)
			}
			cpu.report(b)
			if got := strings.Join(w.h["Set-Cookie"], "\n"); !strings.Contains(got, "Secure") {
				b.Fatalf("cookies not rewritten: %s", got)
			}
		})
	}
}
