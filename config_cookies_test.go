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
