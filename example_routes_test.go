package secureheaders_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
)

// A load balancer checks GET /healthz with its own address as Host: the
// route skips the Host check (and the redirect), the rest of the app does
// not.
func ExampleOptions_healthCheck() {
	sh, err := secureheaders.New(&secureheaders.Options{
		Routes: []policy.Route{{Pattern: "GET /healthz", SkipRedirect: true, SkipHostCheck: true}},
		HTTPS:  secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com"}},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		panic(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	for _, path := range []string{"/healthz", "/admin"} {
		r := httptest.NewRequest("GET", "http://10.0.0.5:8080"+path, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(path, w.Code)
	}
	// Output:
	// /healthz 200
	// /admin 400
}

// The app answers at www.example.com only: the apex and plain HTTP move
// there in one redirect.
func ExampleHTTPSOptions_canonicalHost() {
	sh, err := secureheaders.New(&secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{
		Redirect: true, Permanent: true,
		AllowedHosts:  []string{"example.com", "www.example.com"},
		CanonicalHost: "www.example.com",
	}})
	if err != nil {
		panic(err)
	}
	h := sh.Handler(http.NotFoundHandler())
	for _, u := range []string{"https://example.com/a", "http://example.com/a", "https://www.example.com/a"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		fmt.Println(u, w.Code, w.Header().Get("Location"))
	}
	// Output:
	// https://example.com/a 301 https://www.example.com/a
	// http://example.com/a 301 https://www.example.com/a
	// https://www.example.com/a 404
}

// secure_headers' {strict: {only: ["_session"]}, lax: {except: ["_session"]}}:
// the first rule that names a cookie gives all its attributes.
func ExampleCookieOptions_rules() {
	sh, err := secureheaders.New(&secureheaders.Options{Cookies: secureheaders.CookieOptions{
		Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode,
		Rules: []secureheaders.CookieRule{
			{Names: []string{"_session"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
			{Names: []string{"ab_*"}, Skip: true},
		},
	}})
	if err != nil {
		panic(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, n := range []string{"_session", "ab_test", "lang"} {
			http.SetCookie(w, &http.Cookie{Name: n, Value: "1"})
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "https://example.com/", nil))
	for _, c := range w.Header().Values("Set-Cookie") {
		fmt.Println(c)
	}
	// Output:
	// _session=1; Secure; HttpOnly; SameSite=Strict
	// ab_test=1
	// lang=1; Secure; HttpOnly; SameSite=Lax
}
