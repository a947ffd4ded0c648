package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"testing"
	"unsafe"

	"github.com/secureheaders/secureheaders"
)

// floorOne is the strictest floor for a handler that tells the nonce: the
// context, the header slots and the CSP bytes (value, nonce and random
// bytes) in one allocation, plus the request copy that carries the
// context.
func floorOne(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := &floorState{Context: r.Context()}
		v := &s.vals
		raw := s.buf[floorCSPLen+floorNonceLen:]
		rand.Read(raw)
		enc := s.buf[floorCSPLen : floorCSPLen+floorNonceLen]
		base64.RawURLEncoding.Encode(enc, raw)
		s.nonce = unsafe.String(&enc[0], floorNonceLen)
		n := copy(s.buf[:], cspPrefix)
		n += copy(s.buf[n:], enc)
		n += copy(s.buf[n:], cspSuffix)
		v[0], v[1], v[2], v[3], v[4], v[5] = valHSTS, valFrame, valNoSniff, valReferrer, valPermissions, valCOOP
		v[6] = unsafe.String(&s.buf[0], n)
		setFloorHeaders(w.Header(), v[:])
		next.ServeHTTP(w, r.WithContext(s))
	})
}

const (
	floorNonceLen = 22
	floorCSPLen   = len(cspPrefix) + floorNonceLen + len(cspSuffix)
)

type floorState struct {
	context.Context
	nonce string
	vals  [7]string
	buf   [floorCSPLen + floorNonceLen + 16]byte
}

func (s *floorState) Value(k any) any {
	if k == (nonceKey{}) {
		return s
	}
	return s.Context.Value(k)
}

func floorOneNonce(r *http.Request) string {
	s, _ := r.Context().Value(nonceKey{}).(*floorState)
	if s == nil {
		return ""
	}
	return s.nonce
}

// handlerSide is a pairSide serving r through h with a minimal writer,
// after checking once that it answers want.
func handlerSide(tb testing.TB, name string, h http.Handler, r *http.Request, want int) pairSide {
	tb.Helper()
	w := newMinimalWriter()
	h.ServeHTTP(w, r)
	if w.status != want {
		tb.Fatalf("%s: status %d, want %d", name, w.status, want)
	}
	return pairSide{name: name, op: func() {
		w.reset()
		h.ServeHTTP(w, r)
	}}
}

// pairCase is one ratio of the performance table: A is the baseline, B
// the candidate; target is the ratio B/A the issue asks for at most.
type pairCase struct {
	name   string
	target float64
	setup  func(tb testing.TB) (a, b pairSide)
}

func onHTTPS(tb testing.TB, name string, h http.Handler, path string) pairSide {
	return handlerSide(tb, name, h, newSecureRequest(path), http.StatusOK)
}

func onTLS(tb testing.TB, name string, h http.Handler) pairSide {
	return handlerSide(tb, name, h, newTLSRequest(requestPath), http.StatusOK)
}

// nonceApp reads the nonce as an application that uses it does.
func nonceApp(nonceOf func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if nonceOf(r) == "" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

var pairCases = []pairCase{
	// The noise floor of the harness: the same handler on both sides.
	{"aa", 1.0, func(tb testing.TB) (pairSide, pairSide) {
		h := newEngine(tb, appOptions(true)).Handler(app)
		return onHTTPS(tb, "ours", h, requestPath), onHTTPS(tb, "ours-again", h, requestPath)
	}},
	{"nonce", 1.05, func(tb testing.TB) (pairSide, pairSide) {
		return onHTTPS(tb, "floor1", floorOne(nonceApp(floorOneNonce)), requestPath),
			onHTTPS(tb, "ours", newEngine(tb, appOptions(true)).Handler(nonceApp(secureheaders.Nonce)), requestPath)
	}},
	{"static", 1.10, func(tb testing.TB) (pairSide, pairSide) {
		return onHTTPS(tb, "floor", floor(app, false), requestPath),
			onHTTPS(tb, "ours", newEngine(tb, appOptions(false)).Handler(app), requestPath)
	}},
	// The same two over TLS straight from the client: the HTTPS decision
	// without a trusted proxy's header to look up and check.
	{"nonce-tls", 1.05, func(tb testing.TB) (pairSide, pairSide) {
		return onTLS(tb, "floor1", floorOne(nonceApp(floorOneNonce))),
			onTLS(tb, "ours", newEngine(tb, appOptions(true)).Handler(nonceApp(secureheaders.Nonce)))
	}},
	{"static-tls", 1.10, func(tb testing.TB) (pairSide, pairSide) {
		return onTLS(tb, "floor", floor(app, false)),
			onTLS(tb, "ours", newEngine(tb, appOptions(false)).Handler(app))
	}},
	{"pattern", 1.05, func(tb testing.TB) (pairSide, pairSide) {
		return onHTTPS(tb, "global", newEngine(tb, appOptions(true)).Handler(app), requestPath),
			onHTTPS(tb, "pattern", newEngine(tb, patternOptions()).Handler(app), "/embed/page")
	}},
	{"wrap", 1.05, func(tb testing.TB) (pairSide, pairSide) {
		sh := newEngine(tb, appOptions(true))
		return onHTTPS(tb, "global", newEngine(tb, appOptions(true)).Handler(app), requestPath),
			onHTTPS(tb, "wrap", sh.Handler(sh.MustWrap(app, frameOverride())), requestPath)
	}},
	// A Wrap route registered, the request not going through it.
	{"wrap-elsewhere", 1.00, func(tb testing.TB) (pairSide, pairSide) {
		sh := newEngine(tb, appOptions(true))
		sh.MustWrap(app, frameOverride())
		return onHTTPS(tb, "global", newEngine(tb, appOptions(true)).Handler(app), requestPath),
			onHTTPS(tb, "elsewhere", sh.Handler(app), requestPath)
	}},
	{"redirect", 2.0, func(tb testing.TB) (pairSide, pairSide) {
		side := func(im redirectImpl) pairSide {
			h, _ := im.handler(tb)
			return handlerSide(tb, im.name, h, newPlainRequest(redirectTarget), http.StatusMovedPermanently)
		}
		return side(redirectImpls[0]), side(redirectImpls[2])
	}},
}

// BenchmarkPaired measures every ratio of the performance table, each as a
// paired ABBA benchmark (see paired).
func BenchmarkPaired(b *testing.B) {
	for _, pc := range pairCases {
		b.Run(pc.name, func(b *testing.B) {
			a, c := pc.setup(b)
			paired(b, pairSlice, a, c)
		})
	}
}

// TestPairSides checks that both sides of every pair answer as they
// should before a benchmark times them (handlerSide fails otherwise).
func TestPairSides(t *testing.T) {
	for _, pc := range pairCases {
		t.Run(pc.name, func(t *testing.T) { pc.setup(t) })
	}
}
