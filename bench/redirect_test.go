package bench

import (
	"net/http"
	"testing"
)

// redirectTarget is the request target of the plain-HTTP GET.
const redirectTarget = "/page?id=42"

// redirectImpl is one implementation of the HTTP→HTTPS redirect. prepare
// runs before each request: unrolled/secure writes the scheme and host into
// r.URL when it redirects, so the request must be put back as it came.
type redirectImpl struct {
	name    string
	handler func(tb testing.TB) (h http.Handler, prepare func(*http.Request))
}

func keepRequest(*http.Request) {}

var redirectImpls = []redirectImpl{
	// floor: what one writes by hand for a server that terminates TLS itself.
	{"floor", func(testing.TB) (http.Handler, func(*http.Request)) {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.TLS == nil {
				w.Header()["Location"] = []string{"https://" + r.Host + r.RequestURI}
				w.WriteHeader(http.StatusMovedPermanently)
				return
			}
			app.ServeHTTP(w, r)
		}), keepRequest
	}},
	{"unrolled", func(testing.TB) (http.Handler, func(*http.Request)) {
		return newUnrolled(true).Handler(app), func(r *http.Request) { r.URL.Scheme, r.URL.Host = "", "" }
	}},
	{"secureheaders", func(tb testing.TB) (http.Handler, func(*http.Request)) {
		return newEngine(tb, appOptions(true)).Handler(app), keepRequest
	}},
}

// BenchmarkRedirect is a plain-HTTP GET from an untrusted client answered
// with a 301 to https://, minimal writer.
func BenchmarkRedirect(b *testing.B) {
	for _, im := range redirectImpls {
		b.Run("impl="+im.name, func(b *testing.B) {
			h, prepare := im.handler(b)
			r := newPlainRequest(redirectTarget)
			w := newMinimalWriter()
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				w.reset()
				prepare(r)
				h.ServeHTTP(w, r)
			}
			cpu.report(b)
			if w.status != http.StatusMovedPermanently {
				b.Fatalf("status %d, want 301", w.status)
			}
		})
	}
}
