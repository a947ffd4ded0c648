package cookies

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCookieRules checks the per-cookie rules, one row per rule of
// rules.go: first match wins, a rule gives the attributes whole, prefixes,
// "*", skip, and the top level for the cookies no rule matches. The
// configuration is secure_headers' {strict: {only: [_session]}, lax:
// {except: [_session]}} with Secure and HttpOnly on both.
func TestCookieRules(t *testing.T) {
	sh := Config{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode, Rules: []Rule{
		{Names: []string{"_session"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
		{Names: []string{"__Host-*", "csrf"}, Secure: true, SameSite: http.SameSiteStrictMode},
		{Names: []string{"theme", "ab_*"}, Skip: true},
		{Names: []string{"embed"}, Secure: true, SameSite: http.SameSiteNoneMode},
	}}
	shPrefix := Config{Rules: []Rule{{Names: []string{"__Secure-sid"}, HTTPOnly: true}}}
	catchAll := Config{Rules: []Rule{
		{Names: []string{"sid"}, HTTPOnly: true},
		{Names: []string{"*"}, Secure: true},
	}}
	tests := []struct {
		name   string
		opts   Config
		secure bool
		in     string
		want   string
	}{
		{"first rule: strict session", sh, true, "_session=1; Path=/", "_session=1; Path=/; Secure; HttpOnly; SameSite=Strict"},
		{"names are case-sensitive: top level", sh, true, "_SESSION=1", "_SESSION=1; Secure; HttpOnly; SameSite=Lax"},
		{"a rule gives the attributes whole: no HttpOnly", sh, true, "csrf=t", "csrf=t; Secure; SameSite=Strict"},
		{"prefix", sh, true, "__Host-id=1; Path=/", "__Host-id=1; Path=/; Secure; SameSite=Strict"},
		{"prefix needs the whole prefix", sh, true, "__Hos=1", "__Hos=1; Secure; HttpOnly; SameSite=Lax"},
		{"cookie prefix in any case", sh, true, "__HOST-id=1; Path=/", "__HOST-id=1; Path=/; Secure; SameSite=Strict"},
		{"cookie prefix folded, not the rest", shPrefix, true, "__secure-SID=1", "__secure-SID=1"},
		{"cookie prefix folded in an exact name", shPrefix, true, "__SECURE-sid=1", "__SECURE-sid=1; HttpOnly"},
		{"skip", sh, true, "theme=dark", "theme=dark"},
		{"skip by prefix", sh, true, "ab_test=b", "ab_test=b"},
		{"no rule: top level", sh, true, "pref=1", "pref=1; Secure; HttpOnly; SameSite=Lax"},
		{"plain HTTP: no Secure", sh, false, "_session=1", "_session=1; HttpOnly; SameSite=Strict"},
		{"None only on secure requests", sh, false, "embed=1", "embed=1"},
		{"None on secure requests", sh, true, "embed=1", "embed=1; Secure; SameSite=None"},
		{"explicit attributes still win", sh, true, "_session=1; SameSite=Lax", "_session=1; SameSite=Lax; Secure; HttpOnly"},
		{"catch-all after a name", catchAll, true, "sid=1", "sid=1; HttpOnly"},
		{"catch-all", catchAll, true, "other=1", "other=1; Secure"},
		{"attributes in odd case and spacing, a valued Secure", sh, true, "pref=1;secure=false ;  HTTPONLY  ; samesite = lax", "pref=1;secure=false ;  HTTPONLY  ; samesite = lax"},
		// RFC 6265bis §5.6: a pair without "=" is a nameless cookie whose
		// value is the pair, so a rule for the name "theme" is not its rule.
		{"pair without '=' is nameless: top level, not theme's skip", sh, true, "theme; Path=/", "theme; Path=/; Secure; HttpOnly; SameSite=Lax"},
		{"pair without '=' is nameless: not _session's rule", sh, true, " _session ", " _session; Secure; HttpOnly; SameSite=Lax"},
		{"empty name: the catch-all", catchAll, true, "=v", "=v; Secure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCookieFlags(t, tt.opts)
			h := http.Header{"Set-Cookie": {tt.in}}
			c.rewriteHeader(h, tt.secure)
			if diff := cmp.Diff([]string{tt.want}, h["Set-Cookie"]); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCookieRulesWrapOnlyWhenNeeded checks that a response is wrapped only
// when some rule or the top level can add an attribute to it.
func TestCookieRulesWrapOnlyWhenNeeded(t *testing.T) {
	secureOnly := mustCookieFlags(t, Config{Rules: []Rule{{Names: []string{"sid"}, Secure: true}}})
	rec := http.ResponseWriter(nil)
	if got := secureOnly.Wrap(rec, false); got != rec {
		t.Errorf("a Secure-only rule wrapped a plain-HTTP response")
	}
	w := &testWriter{h: http.Header{}}
	if got := secureOnly.Wrap(w, true); got == http.ResponseWriter(w) {
		t.Errorf("a Secure-only rule did not wrap a secure response")
	}
	if got := secureOnly.Wrap(w, false); got != http.ResponseWriter(w) {
		t.Errorf("a Secure-only rule wrapped a plain-HTTP response")
	}
}

type testWriter struct{ h http.Header }

func (w *testWriter) Header() http.Header         { return w.h }
func (w *testWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *testWriter) WriteHeader(int)             {}

// FuzzCookiePrefixCase checks the one case-insensitive part of rule
// matching: every name gets the attributes of its canonical spelling
// (cookie prefix as "__Secure-" or "__Host-"), and a name without a cookie
// prefix matches exactly as strings.HasPrefix and == would.
func FuzzCookiePrefixCase(f *testing.F) {
	for _, s := range []string{"__HOST-id", "__secure-x", "__Ho", "__Host-", "sid", "__Secure-SID", "\xc5\xbf"} {
		f.Add(s)
	}
	c, err := New(Config{Rules: []Rule{
		{Names: []string{"__Secure-sid"}, HTTPOnly: true},
		{Names: []string{"__Host-*"}, Secure: true},
		{Names: []string{"__Ho*", "sid"}, Skip: true},
		{Names: []string{"*"}, SameSite: http.SameSiteLaxMode},
	}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, canon := c.attrsFor(name), c.attrsFor(canonicalName(name))
		if got != canon {
			t.Errorf("%q gets %+v, its canonical spelling %q %+v", name, got, canonicalName(name), canon)
		}
		if prefixLen(name) == 0 {
			for _, r := range c.rules {
				want := slices.ContainsFunc(r.exact, func(n pattern) bool { return n.s == name }) ||
					slices.ContainsFunc(r.prefixes, func(p pattern) bool { return strings.HasPrefix(name, p.s) })
				if r.matches(name) != want {
					t.Errorf("%q: matches %v, want %v (rule %+v)", name, !want, want, r)
				}
			}
		}
	})
}
