package main

import (
	"regexp"
	"strings"
	"testing"
)

// unquoteConf reads one double-quoted configuration token the way nginx,
// Apache and Caddy do: it must start and end with '"', and within it a
// backslash escapes the next byte when that byte is in escapable (else both
// bytes are kept). ok is false when an unescaped quote ends the token early.
func unquoteConf(s, escapable string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	var b strings.Builder
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body) && strings.IndexByte(escapable, body[i+1]) >= 0:
			i++
			b.WriteByte(body[i])
		case c == '\\' && i+1 == len(body):
			return "", false // would escape the closing quote
		case c == '"':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// FuzzQuote checks that every value a format's quote function accepts reads
// back, by that server's rules, as exactly the value: no byte of a header
// value can end the directive or start another.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{`default-src 'self'`, `csp="/r"`, `a\b`, `100%`, `{x}`, `$host`, `\`, `"`, `a\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if q, err := quoteNginx(v); err == nil {
			if got, ok := unquoteConf(q, `"'\`); !ok || got != v {
				t.Errorf("nginx: %q quoted as %q reads back as %q (ok=%v)", v, q, got, ok)
			}
			if strings.Contains(v, "$") {
				t.Errorf("nginx accepted %q with a variable sign", v)
			}
		}
		if q, err := quoteCaddy(v); err == nil {
			if got, ok := unquoteConf(q, `"`); !ok || got != v {
				t.Errorf("caddy: %q quoted as %q reads back as %q (ok=%v)", v, q, got, ok)
			}
			if strings.ContainsAny(v, "{}") {
				t.Errorf("caddy accepted %q with a placeholder brace", v)
			}
		}
		if q, err := quoteApache(v); err == nil {
			got, ok := unquoteConf(q, `"`)
			// mod_headers then reads %% as one percent sign; a lone % would
			// start a format specifier.
			if strings.Contains(strings.ReplaceAll(got, "%%", ""), "%") {
				t.Errorf("apache: %q quoted as %q leaves a lone %%", v, q)
			}
			if got = strings.ReplaceAll(got, "%%", "%"); !ok || got != v {
				t.Errorf("apache: %q quoted as %q reads back as %q (ok=%v)", v, q, got, ok)
			}
		}
	})
}

// FuzzStaticMatch checks that a pattern either is refused or becomes a path
// made only of bytes every format writes unquoted, with a method of letters,
// and that the nginx map's expression for the path (pcreLiteral) matches
// exactly that path and holds no byte nginx would read itself.
func FuzzStaticMatch(f *testing.F) {
	for _, s := range []string{"/embed/", "/about", "/{$}", "/static/{f...}", "GET /x", "example.com/", "/a;b{", "/a/{id}/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		m, err := staticMatch(pattern)
		if err != nil {
			return
		}
		if !strings.HasPrefix(m.path, "/") || (!m.exact && !strings.HasSuffix(m.path, "/")) {
			t.Fatalf("staticMatch(%q) = %+v: not a path, or a prefix without a trailing slash", pattern, m)
		}
		for i := 0; i < len(m.path); i++ {
			if !isPathByte(m.path[i]) {
				t.Fatalf("staticMatch(%q) = %+v: byte %q", pattern, m, m.path[i])
			}
		}
		if strings.Trim(m.method, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
			t.Fatalf("staticMatch(%q) = %+v: method not letters", pattern, m)
		}
		lit := pcreLiteral(m.path)
		if strings.ContainsAny(lit, "\"$;{}' \t") {
			t.Fatalf("pcreLiteral(%q) = %q: a byte nginx reads", m.path, lit)
		}
		re, err := regexp.Compile("^" + lit + `\z`)
		if err != nil || !re.MatchString(m.path) || re.MatchString(m.path+"x") || re.MatchString(strings.ToUpper(m.path)) && strings.ToUpper(m.path) != m.path {
			t.Fatalf("pcreLiteral(%q) = %q: compile error %v, or it does not match exactly the path", m.path, lit, err)
		}
	})
}

// FuzzObservatory checks that no response panics the Observatory's tests,
// that every result has its table's modifier, and that the score stays in
// its range: 0 to 100 plus every bonus.
func FuzzObservatory(f *testing.F) {
	f.Add("default-src 'none'; script-src 'nonce-a' 'strict-dynamic' https:", "max-age=31536000", "__Host-s=1; Path=/; Secure; HttpOnly; SameSite=Lax",
		"no-referrer, unsafe-url", `<script src="//cdn.example/a.js" integrity=x></script>`, "script-src 'self'")
	f.Add("script-src a; script-src b", "max-age=-1, max-age=2", "sess=1; SameSite", "", `<script src="http://a.example/x.js">`, "")
	f.Add("default-src 'self'; report-uri /a; report-uri /b; img-src http:", "max-age=", "csrf=1; Domain=other.example", "origin", "<template><script src=https://x.example/>",
		"default-src https://a.example/%zz/; frame-ancestors 'none'")
	f.Fuzz(func(t *testing.T, csp, hsts, cookie, referrer, body, meta string) {
		s := served(body, "Content-Type: text/html", "Content-Security-Policy: "+csp, "Strict-Transport-Security: "+hsts,
			"Set-Cookie: "+cookie, "Referrer-Policy: "+referrer, "X-Frame-Options: "+referrer, "Cross-Origin-Resource-Policy: "+hsts)
		s.metaCSP, s.metaReferrer = []string{meta, csp}, referrer
		tests := observatory(s)
		bonus := 0
		for _, tc := range tests {
			if o, ok := outcomes[tc.Result]; !ok || o.modifier != tc.Modifier {
				t.Fatalf("%s: result %q with modifier %d, not the table's", tc.Name, tc.Result, tc.Modifier)
			}
			bonus += max(tc.Modifier, 0)
		}
		if _, score := grade(tests); score < 0 || score > 100+bonus {
			t.Fatalf("score %d out of [0, %d]", score, 100+bonus)
		}
	})
}
