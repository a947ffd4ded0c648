package patmux

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// muxAnswer is what the engine took from ServeMux before Matcher:
// the pattern ServeMux.Handler picks, the engine's catch-all "/" counting as
// none unless it is a route of its own.
func muxAnswer(mux *http.ServeMux, routes map[string]bool, r *http.Request) string {
	_, p := mux.Handler(r)
	if !routes[p] {
		return ""
	}
	return p
}

// buildMatcher registers patterns as the engine does; ok is false when
// ServeMux refuses the set (a conflict), which the engine reports as an
// error before any matcher is built.
func buildMatcher(patterns []string) (m *Matcher, routes map[string]bool, ok bool) {
	mux := http.NewServeMux()
	routes = map[string]bool{}
	for _, p := range patterns {
		if routes[p] {
			continue
		}
		if err := Register(mux, p, http.NotFoundHandler()); err != nil {
			return nil, nil, false
		}
		routes[p] = true
	}
	_ = Register(mux, "/", http.NotFoundHandler())
	var list []string
	for p := range routes {
		list = append(list, p)
	}
	return New(mux, list), routes, true
}

func checkAgreement(t *testing.T, patterns []string, method, target string) {
	t.Helper()
	m, routes, ok := buildMatcher(patterns)
	if !ok {
		return
	}
	r := httptest.NewRequest(method, "http://example.com/", nil)
	r.URL.Path, r.URL.RawPath = target, ""
	if strings.Contains(target, "%") {
		r.URL.RawPath = target // an escaped form: the matcher must defer to ServeMux
	}
	want := muxAnswer(m.mux, routes, r)
	if got := m.Match(r); got != want {
		t.Errorf("patterns %q, %s %q: matcher chose %q, ServeMux %q", patterns, method, target, got, want)
	}
}

func TestPatternMatcherAgreesWithServeMux(t *testing.T) {
	tests := []struct {
		patterns []string
		method   string
		paths    []string
	}{
		{[]string{"/embed/"}, "GET", []string{"/embed/", "/embed/x", "/embed", "/embedx", "/", "/other", "/embed//x", "/embed/../x", "/embed/./x"}},
		{[]string{"/embed/", "/embed/deep/"}, "GET", []string{"/embed/deep/a", "/embed/deep", "/embed/a", "/embed/deep/"}},
		{[]string{"/a", "/a/"}, "GET", []string{"/a", "/a/", "/a/b", "/ab"}},
		{[]string{"GET /a/", "POST /a/", "/b"}, "HEAD", []string{"/a/x", "/b", "/a"}},
		{[]string{"GET /a/", "POST /a/", "/b"}, "POST", []string{"/a/x", "/b"}},
		{[]string{"GET /a/", "POST /a/", "/b"}, "DELETE", []string{"/a/x", "/b"}},
		{[]string{"GET /a", "/a", "HEAD /a"}, "HEAD", []string{"/a"}},
		{[]string{"GET /a", "/a", "HEAD /a"}, "GET", []string{"/a"}},
		{[]string{"/a/{$}", "/a/"}, "GET", []string{"/a/", "/a/b", "/a"}},
		{[]string{"/"}, "GET", []string{"/", "/x", "/x/y"}},
		{[]string{"/x/{id}", "/y/"}, "GET", []string{"/x/1", "/y/2", "/z"}},
		{[]string{"example.com/h/", "/h/"}, "GET", []string{"/h/1"}},
		{[]string{"/esc/"}, "GET", []string{"/esc/a%2Fb"}},
		{[]string{"/c/"}, "CONNECT", []string{"/c/x"}},
	}
	for _, tt := range tests {
		for _, p := range tt.paths {
			checkAgreement(t, tt.patterns, tt.method, p)
		}
	}
}

// TestPatternMatcherRandom compares the matcher with ServeMux on random
// literal pattern sets and requests.
func TestPatternMatcherRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	segs := []string{"a", "b", "ab", "c"}
	methods := []string{"", "GET", "HEAD", "POST"}
	randPath := func(withSuffix bool) string {
		var b strings.Builder
		for range rng.IntN(3) + 1 {
			b.WriteString("/" + segs[rng.IntN(len(segs))])
		}
		switch rng.IntN(4) {
		case 0:
			b.WriteString("/")
		case 1:
			if withSuffix {
				b.WriteString("/{$}")
			}
		}
		return b.String()
	}
	for range 3000 {
		var patterns []string
		for range rng.IntN(4) + 1 {
			p := randPath(true)
			if m := methods[rng.IntN(len(methods))]; m != "" {
				p = m + " " + p
			}
			patterns = append(patterns, p)
		}
		method := methods[1+rng.IntN(len(methods)-1)]
		checkAgreement(t, patterns, method, randPath(false))
	}
}

func FuzzPatternMatcher(f *testing.F) {
	f.Add("/embed/", "GET /a", "GET", "/embed/x")
	f.Add("/a/{$}", "/a/", "HEAD", "/a/")
	f.Add("POST /x/", "/x/y", "POST", "/x/y/../z")
	f.Fuzz(func(t *testing.T, p1, p2, method, target string) {
		if method == "" || !strings.HasPrefix(target, "/") || strings.ContainsAny(method+target, " \t\r\n\x00") {
			return
		}
		for _, c := range method {
			if c < 'A' || c > 'Z' {
				return
			}
		}
		checkAgreement(t, []string{p1, p2}, method, target)
	})
}

func TestRegisterErrors(t *testing.T) {
	mux := http.NewServeMux()
	if err := Register(mux, "/a/{x}", http.NotFoundHandler()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ pattern, want string }{
		{"x", "at offset 0: host/path missing /"},
		{"/a/{x", "at offset 3: bad wildcard segment (must end with '}')"},
		{"", "http: invalid pattern"},
	} {
		err := Register(mux, tt.pattern, http.NotFoundHandler())
		if err == nil || err.Error() != tt.want {
			t.Errorf("Register(%q) = %v, want %q", tt.pattern, err, tt.want)
		}
	}
	if err := Register(mux, "/{y}/b", http.NotFoundHandler()); err == nil || !strings.Contains(err.Error(), `conflicts with pattern "/a/{x}"`) {
		t.Errorf("Register of a conflicting pattern = %v", err)
	}
}
