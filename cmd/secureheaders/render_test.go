package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestRenderGolden compares the output of render with the golden files;
// run with -update to rewrite them after a deliberate change.
func TestRenderGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"recommended.http", []string{"-format", "http"}},
		{"recommended.nginx", []string{"-format", "nginx"}},
		{"recommended.caddy", []string{"-format", "caddy"}},
		{"recommended.apache", []string{"-format", "apache"}},
		{"recommended.netlify", []string{"-format", "netlify"}},
		{"recommended.json", []string{"-format", "json"}},
		{"recommended-plain.nginx", []string{"-format", "nginx", "-plain"}},
		{"routes.http", []string{"-config", "testdata/routes.json"}},
		{"routes-embed.http", []string{"-config", "testdata/routes.json", "-route", "/embed/page"}},
		{"routes-http.nginx", []string{"-config", "testdata/routes.json", "-format", "nginx", "-nginx-part", "http"}},
		{"routes-server.nginx", []string{"-config", "testdata/routes.json", "-format", "nginx", "-nginx-part", "server"}},
		{"methods-http.nginx", []string{"-config", "testdata/methods.json", "-format", "nginx", "-nginx-part", "http"}},
		{"recommended-http.nginx", []string{"-format", "nginx", "-nginx-part", "http"}},
		{"routes.caddy", []string{"-config", "testdata/routes.json", "-format", "caddy"}},
		{"routes.apache", []string{"-config", "testdata/routes.json", "-format", "apache"}},
		{"routes.json", []string{"-config", "testdata/routes.json", "-format", "json"}},
		{"addonly.netlify", []string{"-config", "testdata/addonly.json", "-format", "netlify"}},
		{"strict.http", []string{"-config", "testdata/strict.json"}},
		{"strict.json", []string{"-config", "testdata/strict.json", "-format", "json"}},
		{"strict-nonce-comment.nginx", []string{"-config", "testdata/strict.json", "-format", "nginx", "-nonce-comment"}},
		{"strict-nonce-comment.netlify", []string{"-config", "testdata/strict.json", "-format", "netlify", "-nonce-comment"}},
		{"dollar.apache", []string{"-config", "testdata/dollar.json", "-format", "apache"}},
		{"dollar.caddy", []string{"-config", "testdata/dollar.json", "-format", "caddy"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"render"}, tc.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("render %v: exit %d, stderr:\n%s", tc.args, code, stderr)
			}
			path := filepath.Join("testdata", "golden", tc.golden)
			if *update {
				if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), stdout); diff != "" {
				t.Errorf("render %v mismatch (-want +got):\n%s", tc.args, diff)
			}
			// A static export never carries a nonce placeholder outside a
			// comment, nor a control byte.
			for _, line := range strings.Split(stdout, "\n") {
				if strings.Contains(line, "{nonce}") && !strings.HasPrefix(strings.TrimSpace(line), "#") && !strings.HasSuffix(tc.golden, ".http") && !strings.HasSuffix(tc.golden, ".json") {
					t.Errorf("nonce placeholder outside a comment: %q", line)
				}
				if strings.ContainsAny(line, "\r\x00") {
					t.Errorf("control byte in %q", line)
				}
			}
		})
	}
}

// TestRenderSampleNonce: -nonce sample fills every slot with one fresh
// 22-character base64url nonce, so the output feeds graders.
func TestRenderSampleNonce(t *testing.T) {
	sample := regexp.MustCompile(`'nonce-([A-Za-z0-9_-]{22})'`)
	seen := map[string]bool{}
	for _, format := range []string{"http", "json"} {
		code, stdout, stderr := runCmd(t, "render", "-config", "testdata/strict.json", "-format", format, "-nonce", "sample")
		if code != 0 {
			t.Fatalf("-format %s: exit %d: %s", format, code, stderr)
		}
		if strings.Contains(stdout, "{nonce}") {
			t.Errorf("-format %s: placeholder left:\n%s", format, stdout)
		}
		m := sample.FindAllStringSubmatch(stdout, -1)
		if len(m) < 2 {
			t.Fatalf("-format %s: want the nonce in script-src and style-src:\n%s", format, stdout)
		}
		for _, x := range m[1:] {
			if x[1] != m[0][1] {
				t.Errorf("-format %s: two nonces in one response: %s, %s", format, m[0][1], x[1])
			}
		}
		if seen[m[0][1]] {
			t.Errorf("the same sample nonce twice: %s", m[0][1])
		}
		seen[m[0][1]] = true
	}
}

func TestRenderErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string // each must appear in stderr
	}{
		{"unknown format", []string{"-format", "iis"}, 2, []string{`unknown -format "iis"`}},
		{"missing file", []string{"-config", "testdata/nope.json"}, 1, []string{"testdata/nope.json: no such file or directory"}},
		{"truncated JSON", []string{"-config", "testdata/truncated.json"}, 1, []string{"invalid JSON at line 1, column 12: unexpected end of input"}},
		{"invalid config", []string{"-config", "testdata/invalid.json", "-format", "nginx"}, 1, []string{`did you mean "remove"?`, `did you mean "unsafe-inline"?`, `must not be negative, got "-5"`}},
		{"nonce in nginx", []string{"-config", "testdata/strict.json", "-format", "nginx"}, 1, []string{"app policy: Content-Security-Policy needs a per-request nonce, which a static nginx config cannot generate", "-nonce-comment"}},
		{"nonce in caddy", []string{"-config", "testdata/strict.json", "-format", "caddy"}, 1, []string{"static Caddy config"}},
		{"nonce in apache", []string{"-config", "testdata/strict.json", "-format", "apache"}, 1, []string{"static Apache config"}},
		{"nonce in netlify", []string{"-config", "testdata/strict.json", "-format", "netlify"}, 1, []string{"static _headers config"}},
		{"netlify cannot override", []string{"-config", "testdata/routes.json", "-format", "netlify"}, 1, []string{
			`route "/embed/": changes Content-Security-Policy`,
			`route "/embed/": removes X-Frame-Options`,
		}},
		{"method pattern", []string{"-config", "testdata/methods.json", "-format", "apache"}, 1, []string{`route "GET /download/": a static Apache config cannot match the method "GET"`}},
		{"host pattern", []string{"-config", "testdata/host-route.json", "-format", "nginx", "-nginx-part", "http"}, 1, []string{`route "example.com/": a static config cannot match a host in a route pattern (ServeMux compares hosts as written, nginx lowercases them)`}},
		{"wildcard with method", []string{"-config", "testdata/method-route.json", "-format", "nginx"}, 1, []string{`route "GET /api/{id}": a {wildcard} segment`}},
		{"nginx routes need two parts", []string{"-config", "testdata/routes.json", "-format", "nginx"}, 1, []string{"render -nginx-part http (include it in http {}) and render -nginx-part server"}},
		{"unknown -nginx-part", []string{"-format", "nginx", "-nginx-part", "location"}, 2, []string{`unknown -nginx-part "location" (use http or server)`}},
		{"-nginx-part for caddy", []string{"-format", "caddy", "-nginx-part", "http"}, 2, []string{`-nginx-part is for -format nginx, not "caddy"`}},
		{"wildcard pattern", []string{"-config", "testdata/wildcard-route.json", "-format", "apache"}, 1, []string{`route "/files/{name}/raw": a {wildcard} segment`}},
		{"dollar in nginx", []string{"-config", "testdata/dollar.json", "-format", "nginx"}, 1, []string{"holds '$'"}},
		{"bad route flag", []string{"-config", "testdata/routes.json", "-route", "::"}, 1, []string{`-route "::"`}},
		{"extra argument", []string{"extra"}, 2, []string{`unexpected argument "extra"`}},
		{"unknown -nonce", []string{"-nonce", "random"}, 2, []string{`unknown -nonce "random" (use placeholder or sample)`}},
		{"sample nonce in nginx", []string{"-config", "testdata/strict.json", "-format", "nginx", "-nonce", "sample"}, 2, []string{"-nonce sample is for the http and json formats"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, append([]string{"render"}, tc.args...)...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing: a failed render prints no partial config", stdout)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr = %q\nwant it to contain %q", stderr, w)
				}
			}
			if tc.wantCode == 1 {
				oneLineErrors(t, stderr, "secureheaders render: ")
			}
		})
	}
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		quote          func(string) (string, error)
		wantErr        bool
	}{
		{"nginx quotes", `a "b"`, `"a \"b\""`, quoteNginx, false},
		{"nginx backslash", `a\b`, `"a\\b"`, quoteNginx, false},
		{"nginx dollar", `a$b`, "", quoteNginx, true},
		{"caddy quotes", `x="/r"`, `"x=\"/r\""`, quoteCaddy, false},
		{"caddy placeholder", `{http.request.host}`, "", quoteCaddy, true},
		{"caddy backslash", `a\`, "", quoteCaddy, true},
		{"apache quotes and percent", `to="/a%20b"`, `"to=\"/a%%20b\""`, quoteApache, false},
		{"apache backslash", `a\"`, "", quoteApache, true},
		{"netlify as is", `a "b" $c`, `a "b" $c`, quoteNetlify, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.quote(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("quote(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStaticMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    pathMatch
		wantErr bool
	}{
		{"/embed/", pathMatch{path: "/embed/"}, false},
		{"/about", pathMatch{path: "/about", exact: true}, false},
		{"/{$}", pathMatch{path: "/", exact: true}, false},
		{"/account/{$}", pathMatch{path: "/account/", exact: true}, false},
		{"/static/{file...}", pathMatch{path: "/static/"}, false},
		{"/files/{id}", pathMatch{}, true},
		{"GET /about", pathMatch{method: "GET", path: "/about", exact: true}, false},
		{"POST  /api/", pathMatch{method: "POST", path: "/api/"}, false},
		{"M-SEARCH /x", pathMatch{}, true},
		{"example.com/", pathMatch{}, true},
		{"/a;b", pathMatch{}, true},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			got, err := staticMatch(tc.pattern)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("staticMatch(%q) = %+v, want %+v", tc.pattern, got, tc.want)
			}
		})
	}
}
