package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
)

// TestCookieRulesFromConfig checks "cookies.rules" from a file through
// Handler: secure_headers' {strict: {only: [_session]}, lax: {except:
// [_session]}}, a skipped cookie and a prefix.
func TestCookieRulesFromConfig(t *testing.T) {
	opts, err := secureheaders.ParseConfig([]byte(`{"cookies": {
		"secure": true, "httpOnly": true, "sameSite": "Lax",
		"rules": [
			{"names": ["_session"], "secure": true, "httpOnly": true, "sameSite": "Strict"},
			{"names": ["theme"], "skip": true},
			{"names": ["__Host-*"], "secure": true, "sameSite": "Strict"}
		]
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode, Rules: []secureheaders.CookieRule{
		{Names: []string{"_session"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
		{Names: []string{"theme"}, Skip: true},
		{Names: []string{"__Host-*"}, Secure: true, SameSite: http.SameSiteStrictMode},
	}}
	if diff := cmp.Diff(want, opts.Cookies); diff != "" {
		t.Fatalf("Cookies (-want +got):\n%s", diff)
	}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, n := range []string{"_session", "theme", "__Host-csrf", "lang"} {
			http.SetCookie(w, &http.Cookie{Name: n, Value: "1"})
		}
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "https://example.com/", nil))
	wantCookies := []string{
		"_session=1; Secure; HttpOnly; SameSite=Strict",
		"theme=1",
		"__Host-csrf=1; Secure; SameSite=Strict",
		"lang=1; Secure; HttpOnly; SameSite=Lax",
	}
	if diff := cmp.Diff(wantCookies, w.Header().Values("Set-Cookie")); diff != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", diff)
	}
}

// TestCookieRulesConfigErrors checks the shape of rules, and v0.1's
// only/except beside them.
func TestCookieRulesConfigErrors(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{name: "only with rules", js: `{"cookies": {"httpOnly": true, "only": ["sid"], "rules": [{"names": ["theme"], "skip": true}]}}`,
			want:    []string{`cookies.only: is set together with rules (move the names into a rule of their own, first in rules)`},
			fixedJS: `{"cookies": {"rules": [{"names": ["sid"], "httpOnly": true}, {"names": ["theme"], "skip": true}]}}`},
		{name: "rules not a list", js: `{"cookies": {"rules": {"names": ["sid"]}}}`,
			want: []string{`cookies.rules: must be a list of rules, got an object (write [{"names": ["_session"], "secure": true, "httpOnly": true, "sameSite": "Strict"}])`}},
		{name: "rule key case", js: `{"cookies": {"rules": [{"Names": ["sid"], "httpOnly": true}]}}`,
			want:    []string{`cookies.rules[0].Names: unknown key (did you mean "names"? keys are case-sensitive)`},
			fixedJS: `{"cookies": {"rules": [{"names": ["sid"], "httpOnly": true}]}}`},
		{name: "rule sameSite case", js: `{"cookies": {"rules": [{"names": ["sid"], "sameSite": "strict"}]}}`,
			want:    []string{`cookies.rules[0].sameSite: unknown value "strict" (did you mean "Strict"? values are case-sensitive)`},
			fixedJS: `{"cookies": {"rules": [{"names": ["sid"], "sameSite": "Strict"}]}}`},
		{name: "rule key twice", js: `{"cookies": {"rules": [{"names": ["a"], "names": ["b"], "httpOnly": true}]}}`,
			want: []string{`cookies.rules[0].names: key given twice (keep one of them)`}},
	})
	// The engine's checks, at the rule's path.
	_, err := secureheaders.ParseConfig([]byte(`{"cookies": {"httpOnly": true, "rules": [{"names": ["*"], "secure": true}, {"names": ["sid"], "skip": true}]}}`))
	want := `cookies.rules[1].names[0]: never applies: cookies.rules[0] matches it first (with "*"), in "sid" (move this rule before cookies.rules[0], or remove the name)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseConfig: %v\nwant %s", err, want)
	}
}

// TestCookieRulesPrefixCase checks that a rule naming a "__Secure-" or
// "__Host-" cookie, or those prefixes, covers every spelling of the prefix
// (browsers match them case-insensitively: __HOST-id must meet __Host-'s
// requirements), and only the prefix: the rest of the name stays exact.
// Through Handler, one response per row.
func TestCookieRulesPrefixCase(t *testing.T) {
	opts := &secureheaders.Options{Cookies: secureheaders.CookieOptions{
		HTTPOnly: true,
		Rules: []secureheaders.CookieRule{
			{Names: []string{"__Host-*"}, Secure: true, HTTPOnly: true, SameSite: http.SameSiteStrictMode},
			{Names: []string{"__secure-sid"}, Secure: true, SameSite: http.SameSiteLaxMode},
			{Names: []string{"__Ho*"}, Skip: true},
		},
	}}
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ cookie, want string }{
		{"__Host-id=1; Path=/", "__Host-id=1; Path=/; Secure; HttpOnly; SameSite=Strict"},
		{"__HOST-id=1; Path=/", "__HOST-id=1; Path=/; Secure; HttpOnly; SameSite=Strict"},
		{"__host-ID=1; Path=/", "__host-ID=1; Path=/; Secure; HttpOnly; SameSite=Strict"},
		{"__Secure-sid=1", "__Secure-sid=1; Secure; SameSite=Lax"},
		{"__SECURE-sid=1", "__SECURE-sid=1; Secure; SameSite=Lax"},
		// The rest of the name is exact: not the rule of "__secure-sid".
		{"__Secure-SID=1", "__Secure-SID=1; HttpOnly"},
		// A pattern shorter than the whole prefix is exact, case included.
		{"__Hotel=1", "__Hotel=1"},
		{"__HOtel=1", "__HOtel=1; HttpOnly"},
		// Not a prefix browsers know: exact.
		{"__HOST_id=1", "__HOST_id=1; HttpOnly"},
	}
	for _, tt := range tests {
		t.Run(tt.cookie, func(t *testing.T) {
			h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Set-Cookie", tt.cookie)
			}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "https://example.com/", nil))
			if diff := cmp.Diff([]string{tt.want}, w.Header().Values("Set-Cookie")); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCookieRulesPrefixCaseShadowed: two spellings of one prefix are one
// name, so the second rule never applies and is refused; a pattern
// shorter than the prefix does not shadow the prefix's other spellings.
func TestCookieRulesPrefixCaseShadowed(t *testing.T) {
	_, err := secureheaders.ParseConfig([]byte(`{"cookies": {"rules": [{"names": ["__Host-*"], "secure": true}, {"names": ["__HOST-id"], "httpOnly": true}]}}`))
	want := `cookies.rules[1].names[0]: never applies: cookies.rules[0] matches it first (with "__Host-*"), in "__HOST-id" (move this rule before cookies.rules[0], or remove the name)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseConfig: %v\nwant %s", err, want)
	}
	if _, err := secureheaders.ParseConfig([]byte(`{"cookies": {"rules": [{"names": ["__Ho*"], "skip": true}, {"names": ["__Host-*"], "secure": true}]}}`)); err != nil {
		t.Errorf("a pattern shorter than the prefix shadowed it: %v", err)
	}
}
