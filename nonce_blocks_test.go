package secureheaders_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// nonceSlot finds the nonces in a header value.
var nonceSlot = regexp.MustCompile(`'nonce-([^']*)'`)

// nonceSeen is what the application handler saw of one response: the
// nonce Nonce(r) gave, and each header value as it was then, the strings
// themselves (whose bytes may be the engine's buffer) and copies.
type nonceSeen struct {
	path   string
	nonce  string
	values map[string]string // the strings written, kept as they are
	copies map[string]string // strings.Clone of each, taken in the handler
}

// TestNonceEveryWay serves requests concurrently through every way a
// nonce is written (the app-wide set, a pattern route changing the CSP,
// Route wrappers under Handler that reuse the request's nonce through a
// delta, one nested in another, Handler(Route(h)), a standalone Route and
// a route that takes the nonce off the CSP but keeps it in
// Content-Security-Policy-Report-Only, the DenyHandler's page), with Reconfigure swapping the
// generation meanwhile, and checks that:
//
//   - Nonce(r) is 22 base64url characters, and every nonce slot of both
//     CSP headers holds exactly it;
//   - no nonce is handed to two responses;
//   - nothing writes a response's header bytes afterwards: the values the
//     handler saw still equal the copies it took, after every other
//     request has been served (the nonce is a slice of the CSP value, in
//     the request's scratch, which later ApplyInto calls and other
//     requests must not reuse).
//
// Run it with -race: the blocks of random bytes change goroutines.
func TestNonceEveryWay(t *testing.T) {
	p := withNonce()
	var record func(path string) http.Handler
	opts := func() *secureheaders.Options {
		return &secureheaders.Options{Policy: ptr(p.Clone()), Routes: []policy.Route{
			{Pattern: "/pat/", Override: policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.ImgSrc: {csp.Self, {Kind: csp.Host, Value: "https://img.example"}}}}}},
		}, DenyHandler: record("deny"), Logger: slog.New(slog.DiscardHandler)}
	}
	var mu sync.Mutex
	var seen []nonceSeen
	record = func(path string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := nonceSeen{path: path, nonce: secureheaders.Nonce(r), values: map[string]string{}, copies: map[string]string{}}
			for _, k := range []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"} {
				if vs := w.Header()[k]; len(vs) > 0 {
					s.values[k], s.copies[k] = vs[0], strings.Clone(vs[0])
				}
			}
			// What an application may do to its header afterwards.
			for k := range w.Header() {
				w.Header()[k] = append(w.Header()[k], "appended")
				w.Header()[k][0] = "overwritten"
			}
			mu.Lock()
			seen = append(seen, s)
			mu.Unlock()
		})
	}
	e, err := secureheaders.New(opts())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ro := policy.Override{Update: policy.Policy{CSPReportOnly: csp.Policy{csp.ImgSrc: {csp.Self}}}}
	cspOnly := policy.Override{Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}}}}
	dropCSPNonce := policy.Override{ReplaceDirectives: policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.Self}}}}
	mux := http.NewServeMux()
	mux.Handle("/", record("/"))
	mux.Handle("/pat/", record("/pat/"))
	mux.Handle("/ro/", e.MustWrap(record("/ro/"), ro))
	mux.Handle("/nested/", e.MustWrap(e.MustWrap(record("/nested/"), ro), cspOnly))
	mux.Handle("/drop/", e.MustWrap(record("/drop/"), dropCSPNonce))
	mux.Handle("/pat/ro/", e.MustWrap(record("/pat/ro/"), ro))
	handler := e.Handler(mux)
	chained := e.Handler(e.MustWrap(record("chain"), cspOnly))
	standalone := e.MustWrap(record("standalone"), ro)

	paths := []string{"/", "/pat/", "/ro/", "/nested/", "/drop/", "/pat/ro/"}
	const goroutines, each = 4, 150
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				scheme := "https://"
				if i%3 == 0 {
					scheme = "http://"
				}
				var h http.Handler = handler
				path := paths[(g+i)%len(paths)]
				r := httptest.NewRequest(http.MethodGet, scheme+"example.com"+path, nil)
				switch i % 8 {
				case 5:
					r.Host = "bad host" // 400, answered by the DenyHandler
				case 6:
					h, r.URL.Path = chained, "/chain"
				case 7:
					h, r.URL.Path = standalone, "/standalone"
				}
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if err := e.Reconfigure(opts()); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()

	if len(seen) != goroutines*each {
		t.Fatalf("%d responses recorded, want %d", len(seen), goroutines*each)
	}
	served := map[string]bool{}
	for _, s := range seen {
		served[s.path] = true
	}
	for _, path := range append(paths, "chain", "standalone", "deny") {
		if !served[path] {
			t.Errorf("no response recorded for %s", path)
		}
	}
	byNonce := map[string]string{}
	for _, s := range seen {
		if len(s.nonce) != 22 || strings.Trim(s.nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			t.Fatalf("%s: Nonce(r) = %q, want 22 base64url characters", s.path, s.nonce)
		}
		if p, ok := byNonce[s.nonce]; ok {
			t.Fatalf("nonce %q handed to two responses (%s, %s)", s.nonce, p, s.path)
		}
		byNonce[s.nonce] = s.path
		if diff := cmp.Diff(s.copies, s.values); diff != "" {
			t.Fatalf("%s: header values changed after the handler saw them (-then +now):\n%s", s.path, diff)
		}
		slots := 0
		for k, v := range s.values {
			for _, m := range nonceSlot.FindAllStringSubmatch(v, -1) {
				slots++
				if m[1] != s.nonce {
					t.Fatalf("%s: %s holds nonce %q, Nonce(r) is %q", s.path, k, m[1], s.nonce)
				}
			}
		}
		wantSlots := 2 // script-src and the report-only style-src
		if s.path == "/drop/" {
			wantSlots = 1 // only the report-only style-src
		}
		if slots != wantSlots {
			t.Fatalf("%s: %d nonce slots in %v, want %d", s.path, slots, s.values, wantSlots)
		}
	}
}
