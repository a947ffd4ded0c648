package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchName joins key, value pairs as "k1=v1/k2=v2", the form benchstat
// splits into columns.
func benchName(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(kv[i] + "=" + kv[i+1])
	}
	return b.String()
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}

// writers are the two ResponseWriters every hot-path benchmark runs with.
var writers = []string{"minimal", "recorder"}

// serve runs h for r b.N times with the named writer and fails b if the
// last response's status is not want (so a benchmark cannot silently time
// a redirect or an error page).
func serve(b *testing.B, writer string, h http.Handler, r *http.Request, want int) {
	b.Helper()
	b.ReportAllocs()
	cpu := startCPU()
	defer cpu.report(b)
	var status int
	switch writer {
	case "minimal":
		w := newMinimalWriter()
		for b.Loop() {
			w.reset()
			h.ServeHTTP(w, r)
		}
		status = w.status
	case "recorder":
		var rec *httptest.ResponseRecorder
		for b.Loop() {
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, r)
		}
		status = rec.Code
	default:
		b.Fatalf("unknown writer %q", writer)
	}
	if status != want {
		b.Fatalf("status %d, want %d", status, want)
	}
}

// BenchmarkHotPath is one HTTPS request (via the trusted proxy) through each
// implementation, with the nonce (nonce=on) and without (nonce=off):
// impl=none is the bare handler, impl=floor hand-written header writes,
// impl=floor-ctx the same plus the nonce in the request context.
func BenchmarkHotPath(b *testing.B) {
	for _, nonce := range []bool{true, false} {
		b.Run("nonce="+onOff(nonce), func(b *testing.B) {
			for _, im := range impls {
				if !nonce && im.name == "floor-ctx" {
					continue // the same as floor without a nonce
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					for _, wr := range writers {
						b.Run("writer="+wr, func(b *testing.B) {
							serve(b, wr, im.handler(b, app, nonce), newSecureRequest(requestPath), http.StatusOK)
						})
					}
				})
			}
		})
	}
}
