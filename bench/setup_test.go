package bench

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/unrolled/secure"
)

// The one policy every implementation sends, as the header strings a
// browser receives. The CSP is split around its nonce. Permissions-Policy
// is written with its features sorted and the CSP with its directives in
// the canonical order secureheaders renders (object-src before script-src);
// the other implementations are given the same strings.
const (
	valHSTS        = "max-age=31536000; includeSubDomains; preload"
	valFrame       = "DENY"
	valNoSniff     = "nosniff"
	valReferrer    = "strict-origin-when-cross-origin"
	valPermissions = "camera=(), geolocation=()"
	valCOOP        = "same-origin"
	cspPrefix      = "default-src 'self'; object-src 'none'; script-src 'self' 'nonce-"
	cspSuffix      = "'; base-uri 'none'; report-uri /csp-report"
	cspNoNonce     = "default-src 'self'; object-src 'none'; script-src 'self'; base-uri 'none'; report-uri /csp-report"
)

// The request: HTTPS terminated by a proxy at 10.1.2.3, which a trusted
// proxy range covers, telling the scheme with X-Forwarded-Proto.
const (
	proxyAddr    = "10.1.2.3:41234"
	trustedCIDR  = "10.0.0.0/8"
	clientAddr   = "203.0.113.9:52011" // an untrusted, direct client
	requestHost  = "example.com"
	requestPath  = "/page"
	protoHeader  = "X-Forwarded-Proto"
	reportPath   = "/csp-report"
	partnerFrame = "https://partner.example"
)

// newSecureRequest returns a GET that arrived over HTTPS via the trusted
// proxy, shaped like one net/http's server builds (no URL scheme or host).
func newSecureRequest(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = requestHost
	r.RemoteAddr = proxyAddr
	r.Header.Set(protoHeader, "https")
	return r
}

// newTLSRequest returns a GET straight from a client over TLS: the HTTPS
// decision needs neither the proxy check nor its header.
func newTLSRequest(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = requestHost
	r.RemoteAddr = clientAddr
	r.TLS = &tls.ConnectionState{}
	return r
}

// newPlainRequest returns a GET straight from a client over plain HTTP.
func newPlainRequest(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = requestHost
	r.RemoteAddr = clientAddr
	return r
}

// app is the work behind every middleware: 200 with an empty body.
var app = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
})

// minimalWriter is the cheapest ResponseWriter that still behaves like one:
// its header map is reused (cleared between requests, so it keeps its
// memory; it starts empty, so seven headers stay in Go's one-group small
// map) and the body is discarded.
type minimalWriter struct {
	h      http.Header
	status int
}

func newMinimalWriter() *minimalWriter { return &minimalWriter{h: make(http.Header)} }

func (w *minimalWriter) Header() http.Header { return w.h }

func (w *minimalWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *minimalWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

func (w *minimalWriter) reset() {
	clear(w.h)
	w.status = 0
}

// floor is what a careful programmer writes by hand for this one policy:
// precomputed strings, one fresh []string per response sliced for every
// header (no slice shared across responses) and a fresh 128-bit nonce.
// It does not tell the handler the nonce; floorCtx does.
func floor(next http.Handler, nonce bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeFloor(w.Header(), nonce)
		next.ServeHTTP(w, r)
	})
}

type nonceKey struct{}

// floorCtx is floor that also hands the nonce to the handler through the
// request's context, as an application that uses the nonce must.
func floorCtx(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := writeFloor(w.Header(), true)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey{}, n)))
	})
}

func writeFloor(h http.Header, withNonce bool) string {
	v := make([]string, 7)
	v[0], v[1], v[2], v[3], v[4], v[5] = valHSTS, valFrame, valNoSniff, valReferrer, valPermissions, valCOOP
	var n string
	if withNonce {
		var raw [16]byte
		rand.Read(raw[:])
		n = base64.StdEncoding.EncodeToString(raw[:])
		v[6] = cspPrefix + n + cspSuffix
	} else {
		v[6] = cspNoNonce
	}
	setFloorHeaders(h, v)
	return n
}

// setFloorHeaders points the seven headers at the seven values of v, each
// its own one-element slice of v.
func setFloorHeaders(h http.Header, v []string) {
	h["Strict-Transport-Security"] = v[0:1:1]
	h["X-Frame-Options"] = v[1:2:2]
	h["X-Content-Type-Options"] = v[2:3:3]
	h["Referrer-Policy"] = v[3:4:4]
	h["Permissions-Policy"] = v[4:5:5]
	h["Cross-Origin-Opener-Policy"] = v[5:6:6]
	h["Content-Security-Policy"] = v[6:7:7]
}

// newUnrolled configures unrolled/secure with the same policy. It trusts
// X-Forwarded-Proto from any peer: it has no notion of a trusted proxy.
func newUnrolled(nonce bool) *secure.Secure {
	c := cspNoNonce
	if nonce {
		c = "default-src 'self'; object-src 'none'; script-src 'self' $NONCE; base-uri 'none'; report-uri /csp-report"
	}
	return secure.New(secure.Options{
		SSLRedirect:             true,
		SSLProxyHeaders:         map[string]string{protoHeader: "https"},
		STSSeconds:              31536000,
		STSIncludeSubdomains:    true,
		STSPreload:              true,
		FrameDeny:               true,
		ContentTypeNosniff:      true,
		ReferrerPolicy:          valReferrer,
		PermissionsPolicy:       valPermissions,
		CrossOriginOpenerPolicy: valCOOP,
		ContentSecurityPolicy:   c,
	})
}

// appPolicy is the policy in secureheaders' types.
func appPolicy(nonce bool) policy.Policy {
	script := []csp.Source{csp.Self}
	if nonce {
		script = append(script, csp.RequestNonce)
	}
	return policy.Policy{
		CSP: csp.Policy{
			csp.DefaultSrc: {csp.Self},
			csp.ScriptSrc:  script,
			csp.ObjectSrc:  {csp.None},
			csp.BaseURI:    {csp.None},
			csp.ReportURI:  {{Kind: csp.Token, Value: reportPath}},
		},
		HSTS:               &hsts.Policy{MaxAge: 365 * 24 * time.Hour, IncludeSubDomains: true, Preload: true},
		FrameOptions:       policy.FrameDeny,
		ContentTypeOptions: policy.NoSniff,
		ReferrerPolicy:     policy.ReferrerPolicy{valReferrer},
		PermissionsPolicy:  policy.PermissionsPolicy{"geolocation": {}, "camera": {}},
		OpenerPolicy:       valCOOP,
	}
}

// httpsOptions redirects plain HTTP permanently (301, like unrolled/secure's
// default) and believes X-Forwarded-Proto from the trusted proxy range only.
func httpsOptions() secureheaders.HTTPSOptions {
	return secureheaders.HTTPSOptions{
		Redirect:    true,
		Permanent:   true,
		ProxyHeader: protoHeader,
	}
}

func appOptions(nonce bool) *secureheaders.Options {
	p := appPolicy(nonce)
	return &secureheaders.Options{Policy: &p, HTTPS: httpsOptions(), TrustedProxies: []string{trustedCIDR}}
}

// newEngine builds secureheaders with the app policy, failing tb on error.
func newEngine(tb testing.TB, opts *secureheaders.Options) *secureheaders.Engine {
	tb.Helper()
	sh, err := secureheaders.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return sh
}

// frameOverride is the per-route change: the page may be framed by a
// partner, so X-Frame-Options goes and the CSP gains frame-ancestors.
func frameOverride() policy.Override {
	return policy.Override{
		Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: partnerFrame}}}},
		Remove: []string{"X-Frame-Options"},
	}
}

// impl is one implementation of the hot path under test: handler wraps next
// with it, and nonceOf reads, inside next, the nonce it told the handler
// (nil when it tells none).
type impl struct {
	name    string
	handler func(tb testing.TB, next http.Handler, nonce bool) http.Handler
	nonceOf func(r *http.Request) string
}

var impls = []impl{
	{name: "none", handler: func(_ testing.TB, next http.Handler, _ bool) http.Handler { return next }},
	{name: "floor", handler: func(_ testing.TB, next http.Handler, nonce bool) http.Handler { return floor(next, nonce) }},
	{
		name: "floor-ctx",
		handler: func(_ testing.TB, next http.Handler, nonce bool) http.Handler {
			if !nonce {
				return floor(next, false)
			}
			return floorCtx(next)
		},
		nonceOf: func(r *http.Request) string { n, _ := r.Context().Value(nonceKey{}).(string); return n },
	},
	{
		name: "unrolled",
		handler: func(_ testing.TB, next http.Handler, nonce bool) http.Handler {
			return newUnrolled(nonce).Handler(next)
		},
		nonceOf: func(r *http.Request) string { return secure.CSPNonce(r.Context()) },
	},
	{
		name: "secureheaders",
		handler: func(tb testing.TB, next http.Handler, nonce bool) http.Handler {
			return newEngine(tb, appOptions(nonce)).Handler(next)
		},
		nonceOf: secureheaders.Nonce,
	},
}
