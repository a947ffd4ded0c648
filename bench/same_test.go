package bench

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantHeaders is the header set of one HTTPS response, the nonce replaced by
// "{nonce}".
func wantHeaders(nonce bool) map[string]string {
	c := cspNoNonce
	if nonce {
		c = cspPrefix + "{nonce}" + cspSuffix
	}
	return map[string]string{
		"Strict-Transport-Security":  valHSTS,
		"X-Frame-Options":            valFrame,
		"X-Content-Type-Options":     valNoSniff,
		"Referrer-Policy":            valReferrer,
		"Permissions-Policy":         valPermissions,
		"Cross-Origin-Opener-Policy": valCOOP,
		"Content-Security-Policy":    c,
	}
}

// maskNonce returns the headers of h, one value each, with the CSP nonce
// replaced by "{nonce}", and the nonce itself.
func maskNonce(t *testing.T, h http.Header) (map[string]string, string) {
	t.Helper()
	got := make(map[string]string, len(h))
	var nonce string
	for k, vs := range h {
		if len(vs) != 1 {
			t.Errorf("%s has %d values %q, want 1", k, len(vs), vs)
		}
		v := strings.Join(vs, ", ")
		if k == "Content-Security-Policy" {
			if rest, ok := strings.CutPrefix(v, cspPrefix); ok {
				if n, tail, ok := strings.Cut(rest, "'"); ok {
					nonce = n
					v = cspPrefix + "{nonce}'" + tail
				}
			}
		}
		got[k] = v
	}
	return got, nonce
}

// checkNonce reports a nonce that is not 128 bits of base64: standard
// (padded or not: unrolled/secure leaves the padding out) or base64url
// without padding (secureheaders since v0.2).
func checkNonce(t *testing.T, n string) {
	t.Helper()
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(n); err == nil {
			break
		}
	}
	if err != nil || len(raw) != 16 {
		t.Errorf("nonce %q is not 16 bytes of base64 (err %v)", n, err)
	}
}

// TestSameHeaders checks that every implementation sends the same headers
// for the same HTTPS request, with and without a nonce, so that the
// benchmarks compare equal work. It also checks that the nonce is fresh and
// that the implementations that tell the handler the nonce tell the one
// they sent.
func TestSameHeaders(t *testing.T) {
	for _, nonce := range []bool{true, false} {
		for _, im := range impls[1:] { // "none" sends nothing, by design
			t.Run(benchName("nonce", onOff(nonce), "impl", im.name), func(t *testing.T) {
				var told string
				next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if im.nonceOf != nil {
						told = im.nonceOf(r)
					}
					w.WriteHeader(http.StatusOK)
				})
				h := im.handler(t, next, nonce)
				seen := map[string]bool{}
				for range 3 {
					told = ""
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, newSecureRequest(requestPath))
					if rec.Code != http.StatusOK {
						t.Fatalf("status %d, want 200", rec.Code)
					}
					got, sent := maskNonce(t, rec.Header())
					if diff := cmp.Diff(wantHeaders(nonce), got); diff != "" {
						t.Fatalf("headers (-want +got):\n%s", diff)
					}
					if !nonce {
						if told != "" {
							t.Errorf("handler told nonce %q, want none", told)
						}
						continue
					}
					checkNonce(t, sent)
					if seen[sent] {
						t.Errorf("nonce %q sent twice", sent)
					}
					seen[sent] = true
					if im.nonceOf != nil && told != sent {
						t.Errorf("handler told nonce %q, header has %q", told, sent)
					}
				}
			})
		}
	}
}

// TestRedirectSame checks that a plain-HTTP GET gets the same 301 to the
// same https:// URL from every implementation of BenchmarkRedirect.
func TestRedirectSame(t *testing.T) {
	for _, im := range redirectImpls {
		t.Run("impl="+im.name, func(t *testing.T) {
			h, prepare := im.handler(t)
			r := newPlainRequest(redirectTarget)
			for range 2 { // twice: the request must come out unchanged
				prepare(r)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Code != http.StatusMovedPermanently {
					t.Fatalf("status %d, want 301", rec.Code)
				}
				if got, want := rec.Header().Get("Location"), "https://"+requestHost+redirectTarget; got != want {
					t.Fatalf("Location %q, want %q", got, want)
				}
			}
		})
	}
}

// TestRouteHeaders checks the per-route scenarios really send the route's
// policy: no X-Frame-Options, frame-ancestors in the CSP.
func TestRouteHeaders(t *testing.T) {
	for _, sc := range routeScenarios {
		t.Run("route="+sc.name, func(t *testing.T) {
			h, r := sc.setup(t)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			got, nonce := maskNonce(t, rec.Header())
			want := wantHeaders(true)
			if sc.overridden {
				delete(want, "X-Frame-Options")
				want["Content-Security-Policy"] = cspPrefix + "{nonce}" + cspSuffix[:strings.Index(cspSuffix, "; report-uri")] +
					"; frame-ancestors " + partnerFrame + "; report-uri /csp-report"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("headers (-want +got):\n%s", diff)
			}
			checkNonce(t, nonce)
		})
	}
}
