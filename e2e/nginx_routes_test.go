package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders"
)

// routesConfig has routes of every kind the nginx and Caddy exports match:
// subtrees, a nested subtree, an exact path, {$} and {rest...}; methodRoute
// adds a route with a method, which only the nginx export matches.
const (
	routesConfig = `{
  "preset": "recommended",
  "routes": {
    "/api/": {"update": {"Cross-Origin-Resource-Policy": "cross-origin"}, "remove": ["X-Frame-Options", "CSP"]},%s
    "/embed/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}, "remove": ["X-Frame-Options"]},
    "/embed/deep/": {"update": {"Cache-Control": "no-store"}},
    "/account/{$}": {"update": {"Cache-Control": "no-store", "Clear-Site-Data": ["cache"]}},
    "/about": {"update": {"Referrer-Policy": "no-referrer"}},
    "/docs/{$}": {"update": {"Cache-Control": "no-store"}},
    "/static/{file...}": {"update": {"Cache-Control": "public, max-age=31536000, immutable"}}
  }
}`
	methodRoute = `
    "POST /api/upload": {"update": {"Cache-Control": "no-store"}},`
)

// routeCase is one request of the served comparison.
type routeCase struct {
	method, path string
	// route: the path is one render -route reads as the engine does.
	route bool
	// differs: a documented difference between the server's path and
	// ServeMux's, by server.
	differs map[string]string
}

var routeCases = []routeCase{
	{method: "GET", path: "/", route: true},
	{method: "GET", path: "/api/", route: true},
	{method: "GET", path: "/api/v1/users", route: true},
	{method: "GET", path: "/api/upload", route: true},
	{method: "POST", path: "/api/upload"},
	{method: "HEAD", path: "/api/upload"},
	{method: "POST", path: "/api/upload/x"},
	{method: "GET", path: "/API/v1"}, // ServeMux and the export are case-sensitive
	{method: "GET", path: "/embed", route: true},
	{method: "GET", path: "/embed/", route: true},
	{method: "GET", path: "/embed/x", route: true},
	{method: "GET", path: "/Embed/x"},
	{method: "GET", path: "/embed/deep", route: true},
	{method: "GET", path: "/embed/deep/y", route: true},
	{method: "GET", path: "/embed/deeper", route: true},
	{method: "GET", path: "//embed//x"},        // slashes merged; ServeMux redirects to the clean path
	{method: "GET", path: "/other/../embed/x"}, // dot segments resolved by all
	{method: "GET", path: "/%65mbed/x"},        // %65 decoded by all
	{method: "GET", path: "/account", route: true},
	{method: "GET", path: "/account/", route: true},
	{method: "GET", path: "/account/x", route: true},
	{method: "GET", path: "/account/%0A"}, // a decoded newline: anchored at the very end
	{method: "GET", path: "/about", route: true},
	{method: "GET", path: "/about/", route: true},
	{method: "GET", path: "/aboutx", route: true},
	{method: "GET", path: "/static/app.js", route: true},
	{method: "GET", path: "/static", route: true},
	{method: "GET", path: "/other/", route: true},
	{method: "GET", path: "/nothing-here", route: true},
	{method: "GET", path: "/embed%2Fx", differs: map[string]string{
		"nginx": "nginx decodes %2F into a slash in $uri; ServeMux keeps it inside the segment",
		"caddy": "Caddy decodes %2F into a slash in the path it matches; ServeMux keeps it inside the segment",
	}},
	{method: "GET", path: "/docs/", differs: map[string]string{
		"nginx":  "nginx's index directive redirects /docs/ internally to /docs/index.html, which $uri then holds",
		"apache": "mod_dir's DirectoryIndex redirects /docs/ internally to /docs/index.html, which <LocationMatch> then matches",
	}},
}

// getCases returns the GET requests of routeCases, for the exports that do
// not match methods.
func getCases() []routeCase {
	var out []routeCase
	for _, c := range routeCases {
		if c.method == "GET" {
			out = append(out, c)
		}
	}
	return out
}

// routeSite writes the files of the served comparison under dir.
func routeSite(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"index.html", "about", "account/x", "docs/index.html", "embed/index.html", "embed/x", "embed/deep/y", "static/app.js", "other/index.html"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("<!doctype html><title>"+f+"</title>\n"), 0o644)
	}
}

// TestNginxIncludeRoutes includes the two parts of `render -format nginx`
// in a real nginx.conf whose server has its own location blocks, among
// them /api/ (the old export's location blocks made nginx -t fail with
// duplicate location "/api/"), and checks that for each route path and
// for paths no route has, nginx serves the headers the engine serves, and
// for the plain paths, the ones `render -route` prints. The requests
// include the edges of $uri (case, merged slashes, dot segments, %-encoded
// letters, a decoded newline) and the two documented differences.
func TestNginxIncludeRoutes(t *testing.T) {
	nginx := nginxPath(t)
	work := t.TempDir()
	site := filepath.Join(work, "site")
	routeSite(t, site)
	config := filepath.Join(work, "secureheaders.json")
	os.WriteFile(config, []byte(fmt.Sprintf(routesConfig, methodRoute)), 0o644)
	cli := buildCLI(t, work)
	os.WriteFile(filepath.Join(work, "maps.conf"), cli("render", "-config", config, "-plain", "-format", "nginx", "-nginx-part", "http"), 0o644)
	os.WriteFile(filepath.Join(work, "headers.conf"), cli("render", "-config", config, "-plain", "-format", "nginx", "-nginx-part", "server"), 0o644)
	// The site's own locations: an API answered by nginx itself, an exact
	// location, and one with an add_header of its own, which must include
	// the server part again (nginx inherits add_header only into a
	// location without any).
	base := startNginx(t, nginx, work, `
	include `+work+`/maps.conf;
	server {
		listen {addr};
		root `+site+`;
		include `+work+`/headers.conf;
		location /api/ {
			return 200 "api\n";
		}
		location = /about {
			default_type text/plain;
		}
		location /embed/ {
			add_header X-Site-Own "1" always;
			include `+work+`/headers.conf;
		}
	}`)
	compareServed(t, "nginx", base, config, cli, routeCases)
}

// TestCaddyIncludeRoutes imports `render -format caddy` in a real
// Caddyfile next to the site's own handlers and compares what Caddy serves
// with the engine and render -route, as TestNginxIncludeRoutes does.
func TestCaddyIncludeRoutes(t *testing.T) {
	caddy := serverPath(t, "caddy", "caddy")
	work := t.TempDir()
	site := filepath.Join(work, "site")
	routeSite(t, site)
	config := filepath.Join(work, "secureheaders.json")
	os.WriteFile(config, []byte(fmt.Sprintf(routesConfig, "")), 0o644)
	cli := buildCLI(t, work)
	os.WriteFile(filepath.Join(work, "headers.caddy"), cli("render", "-config", config, "-plain", "-format", "caddy"), 0o644)
	addr := freeAddr(t)
	caddyfile := filepath.Join(work, "Caddyfile")
	os.WriteFile(caddyfile, []byte(`{
	admin off
	auto_https off
}
http://`+addr+` {
	root * `+site+`
	import `+work+`/headers.caddy
	header /embed/* X-Site-Own 1
	handle /api/* {
		respond "api" 200
	}
	handle {
		file_server
	}
}
`), 0o644)
	env := append(os.Environ(), "HOME="+work, "XDG_DATA_HOME="+work, "XDG_CONFIG_HOME="+work)
	validate := exec.Command(caddy, "validate", "--config", caddyfile, "--adapter", "caddyfile")
	validate.Env = env
	if out, err := validate.CombinedOutput(); err != nil {
		t.Fatalf("caddy validate: %v\n%s", err, out)
	}
	runServer(t, addr, env, caddy, "run", "--config", caddyfile, "--adapter", "caddyfile")
	compareServed(t, "caddy", "http://"+addr, config, cli, getCases())
}

// TestApacheIncludeRoutes includes `render -format apache` in a real
// httpd.conf next to the site's own <Location "/embed/"> and compares what
// Apache serves with the engine and render -route, as
// TestNginxIncludeRoutes does.
func TestApacheIncludeRoutes(t *testing.T) {
	apache := serverPath(t, "apache2", "apache2")
	const modules = "/usr/lib/apache2/modules/"
	work := t.TempDir()
	// Apache drops to User nobody when run as root: let it read the site.
	os.Chmod(filepath.Dir(work), 0o755)
	os.Chmod(work, 0o755)
	site := filepath.Join(work, "site")
	routeSite(t, site)
	config := filepath.Join(work, "secureheaders.json")
	os.WriteFile(config, []byte(fmt.Sprintf(routesConfig, "")), 0o644)
	cli := buildCLI(t, work)
	os.WriteFile(filepath.Join(work, "headers.conf"), cli("render", "-config", config, "-plain", "-format", "apache"), 0o644)
	addr := freeAddr(t)
	conf := filepath.Join(work, "httpd.conf")
	os.WriteFile(conf, []byte(`ServerRoot `+work+`
Listen `+addr+`
LoadModule mpm_event_module `+modules+`mod_mpm_event.so
LoadModule authz_core_module `+modules+`mod_authz_core.so
LoadModule headers_module `+modules+`mod_headers.so
LoadModule dir_module `+modules+`mod_dir.so
LoadModule mime_module `+modules+`mod_mime.so
TypesConfig /etc/mime.types
User nobody
Group nogroup
PidFile `+work+`/httpd.pid
ErrorLog `+work+`/error.log
ServerName localhost
DocumentRoot `+site+`
DirectoryIndex index.html
<Directory `+site+`>
	Require all granted
</Directory>
Include `+work+`/headers.conf
<Location "/embed/">
	Header always set X-Site-Own "1"
</Location>
`), 0o644)
	if out, err := exec.Command(apache, "-t", "-f", conf).CombinedOutput(); err != nil {
		t.Fatalf("apache2 -t: %v\n%s", err, out)
	}
	runServer(t, addr, nil, apache, "-X", "-f", conf)
	compareServed(t, "apache", "http://"+addr, config, cli, getCases())
}

// compareServed sends each case to the server at base and to the engine
// built from config, and compares the security headers of the two (and
// with render -route for the cases marked route).
func compareServed(t *testing.T, server, base, config string, cli func(...string) []byte, cases []routeCase) {
	t.Helper()
	// The header names any route or the app sends.
	var export struct {
		Headers []struct{ Name string }
		Routes  []struct {
			Headers []struct{ Name string }
		}
	}
	if err := json.Unmarshal(cli("render", "-config", config, "-plain", "-format", "json"), &export); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, h := range export.Headers {
		names[h.Name] = true
	}
	for _, r := range export.Routes {
		for _, h := range r.Headers {
			names[h.Name] = true
		}
	}
	security := func(h http.Header) map[string]string {
		out := map[string]string{}
		for n := range names {
			if vs := h.Values(n); len(vs) > 0 {
				out[n] = strings.Join(vs, "\n")
			}
		}
		return out
	}

	opts, err := secureheaders.LoadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	app := eng.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))

	for _, tc := range cases {

		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, base+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := security(resp.Header)

			ereq := httptest.NewRequest(tc.method, "http://example.com"+tc.path, nil)
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, ereq)
			want := security(rec.Header())
			diff := cmp.Diff(want, got)
			if why := tc.differs[server]; why != "" {
				if diff == "" {
					t.Errorf("%s and the engine agree on %s, but docs/exporting.md says they differ: %s", server, tc.path, why)
				}
				return
			}
			if diff != "" {
				t.Errorf("%s %s: %s headers differ from the engine's (-engine +%s):\n%s", tc.method, tc.path, server, server, diff)
			}
			if !tc.route {
				return
			}
			lines := map[string]string{}
			for _, l := range strings.Split(strings.TrimSpace(string(cli("render", "-config", config, "-plain", "-route", tc.path))), "\n") {
				n, v, _ := strings.Cut(l, ": ")
				lines[n] = v
			}
			if diff := cmp.Diff(lines, got); diff != "" {
				t.Errorf("GET %s: %s headers differ from render -route (-render +%s):\n%s", tc.path, server, server, diff)
			}
		})
	}
}
