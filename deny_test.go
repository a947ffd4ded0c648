package secureheaders_test

import (
	"crypto/tls"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
)

// denyPage renders refusals as HTML with an inline script under the nonce,
// and sets a cookie, to show what applies to a DenyHandler's response.
var denyPage = template.Must(template.New("").Parse(`<p>{{.Reason}}</p><script nonce="{{.Nonce}}">x()</script>`))

func denyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, reason := secureheaders.DenyReason(r)
		http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1"})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Seen-Nonce", secureheaders.Nonce(r))
		w.WriteHeader(status)
		denyPage.Execute(w, map[string]string{"Reason": reason, "Nonce": secureheaders.Nonce(r)})
	})
}

// TestDenyHandler checks Options.DenyHandler: it answers 400, 403 and 405
// with the status and reason DenyReason gives, under the app policy's
// headers (a nonce it can use, cookie flags, Allow for a 405, no HSTS for a
// disallowed Host), and never sees redirects or served requests.
func TestDenyHandler(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{
		Policy:      &p,
		HTTPS:       secureheaders.HTTPSOptions{Redirect: true, AllowedHosts: []string{"example.com"}, NonIdempotent: secureheaders.RefuseNonIdempotent},
		Cookies:     secureheaders.CookieOptions{Secure: true, HTTPOnly: true},
		DenyHandler: denyHandler(),
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	var inApp []string
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, reason := secureheaders.DenyReason(r)
		inApp = append(inApp, fmt.Sprintf("%d %q", status, reason))
	}))
	csp := func(secure bool) string {
		v := "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
		if secure {
			v += "; upgrade-insecure-requests"
		}
		return v
	}
	tests := []struct {
		name, method, target, host string
		tls                        bool
		wantStatus                 int
		wantBody                   string
		want                       http.Header // the headers checked
	}{
		{name: "disallowed Host over HTTPS", target: "/", host: "evil.example", tls: true, wantStatus: 400,
			wantBody: `<p>Host not allowed</p><script nonce="{nonce}">x()</script>`,
			want: http.Header{"Content-Security-Policy": {csp(true)}, "X-Frame-Options": {"SAMEORIGIN"}, "Set-Cookie": {"seen=1; Secure; HttpOnly"},
				"Content-Type": {"text/html; charset=utf-8"}}},
		{name: "malformed Host", target: "/", host: "a@b", wantStatus: 400,
			wantBody: `<p>invalid Host header</p><script nonce="{nonce}">x()</script>`,
			want:     http.Header{"Content-Security-Policy": {csp(false)}, "X-Frame-Options": {"SAMEORIGIN"}, "Set-Cookie": {"seen=1; HttpOnly"}, "Content-Type": {"text/html; charset=utf-8"}}},
		{name: "refused POST", method: "POST", target: "/form", host: "example.com", wantStatus: 403,
			wantBody: `<p>this method is refused over plain HTTP: send the request to https:// instead</p><script nonce="{nonce}">x()</script>`,
			want:     http.Header{"Content-Security-Policy": {csp(false)}, "X-Frame-Options": {"SAMEORIGIN"}, "Set-Cookie": {"seen=1; HttpOnly"}, "Content-Type": {"text/html; charset=utf-8"}}},
		{name: "CONNECT", method: "CONNECT", target: "example.com:443", host: "example.com", wantStatus: 405,
			wantBody: `<p>CONNECT is not allowed over plain HTTP</p><script nonce="{nonce}">x()</script>`,
			want:     http.Header{"Allow": {"GET, HEAD"}, "Content-Security-Policy": {csp(false)}, "X-Frame-Options": {"SAMEORIGIN"}, "Set-Cookie": {"seen=1; HttpOnly"}, "Content-Type": {"text/html; charset=utf-8"}}},
		{name: "redirect is not a refusal", target: "/x", host: "example.com", wantStatus: 302,
			want: http.Header{"Location": {"https://example.com/x"}, "Content-Security-Policy": nil, "Set-Cookie": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			r := httptest.NewRequest(method, "http://example.com"+strings.TrimPrefix(tt.target, "example.com:443"), nil)
			if method == "CONNECT" {
				r.RequestURI, r.URL.Path = tt.target, ""
			}
			r.Host = tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			nonce := w.Header().Get("X-Seen-Nonce")
			if tt.wantStatus != 302 && len(nonce) < 16 {
				t.Fatalf("the DenyHandler saw nonce %q", nonce)
			}
			got := http.Header{}
			for k := range tt.want {
				if vs := w.Header().Values(k); vs != nil && nonce != "" {
					got[k] = []string{strings.ReplaceAll(strings.Join(vs, ", "), nonce, "{nonce}")}
				} else if vs != nil {
					got[k] = vs
				} else {
					got[k] = nil
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			if body := strings.ReplaceAll(w.Body.String(), nonce, "{nonce}"); tt.wantBody != "" && nonce != "" && body != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if w.Header().Get("Strict-Transport-Security") != "" {
				t.Errorf("HSTS sent with a %d", w.Code)
			}
		})
	}
	// A served request: the app ran, with no denial in its context.
	r := httptest.NewRequest("GET", "https://example.com/", nil)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if diff := cmp.Diff([]string{`0 ""`}, inApp); diff != "" {
		t.Errorf("DenyReason in the app (-want +got):\n%s", diff)
	}
}

// TestDefaultRefusal checks the default answer, which a DenyHandler
// replaces: the status, the reason as text/plain, nosniff, and nothing else.
func TestDefaultRefusal(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{HTTPS: secureheaders.HTTPSOptions{AllowedHosts: []string{"example.com"}}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "https://evil.example/", nil)
	w := httptest.NewRecorder()
	sh.Handler(app("app")).ServeHTTP(w, r)
	want := http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"}}
	if diff := cmp.Diff(want, w.Header()); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if w.Code != 400 || w.Body.String() != "Host not allowed\n" {
		t.Errorf("got %d %q, want 400 %q", w.Code, w.Body.String(), "Host not allowed\n")
	}
}

// ExampleDenyReason shows a DenyHandler that answers refusals in JSON.
func ExampleDenyReason() {
	sh, err := secureheaders.New(&secureheaders.Options{
		HTTPS:  secureheaders.HTTPSOptions{AllowedHosts: []string{"example.com"}},
		Logger: slog.New(slog.DiscardHandler),
		DenyHandler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			status, reason := secureheaders.DenyReason(r)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, "{\"error\": %q}\n", reason)
		}),
	})
	if err != nil {
		panic(err)
	}
	h := sh.Handler(http.NotFoundHandler())
	r := httptest.NewRequest("GET", "https://evil.example/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("X-Frame-Options"))
	fmt.Print(w.Body.String())
	// Output:
	// 400 application/json SAMEORIGIN
	// {"error": "Host not allowed"}
}
