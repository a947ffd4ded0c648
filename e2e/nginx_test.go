package e2e

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNginxStaticSite builds a small static site, pins its assets with
// `secureheaders hash -sri -write`, exports the strict preset with
// `render -format nginx -hashes`, serves it through Debian's nginx and
// checks in Chromium that every hashed inline script runs, that a script
// changed by one byte after hashing is blocked, and that a tampered asset is
// refused, and that an event-handler attribute stays blocked. The site has
// a location of its own (/js/). It skips without nginx or Chromium.
func TestNginxStaticSite(t *testing.T) {
	chromiumPath(t)
	nginx := nginxPath(t)
	work := t.TempDir()
	site := filepath.Join(work, "site")
	files := map[string]string{
		"index.html": "<!doctype html>\r\n<meta charset=\"utf-8\"><title>home</title>\r\n" +
			"<style>html { color: rgb(1, 2, 3) }</style>\r\n" +
			"<script>\r\n" + mark("home") + "\r\n</script>\r\n" +
			`<script>if (getComputedStyle(document.documentElement).color === "rgb(1, 2, 3)") {` + mark("homestyle") + "}</script>\r\n" +
			`<script src="/js/app.js"></script>` + "\r\n",
		"blog/index.html": "<!doctype html><meta charset=\"utf-8\"><title>blog</title>\n" +
			"<script>var s = \"</scr\" + \"ipt>\", a = \"&amp;\"; " + mark("blog") + "</script>\n" +
			`<script type="module">` + mark("blogmodule") + "</script>\n" +
			`<script src="../js/bad.js"></script>` + "\n",
		"changed.html": "<!doctype html><meta charset=\"utf-8\">\n<script>" + mark("control") + "</script>\n<script>" + mark("changed") + "</script>\n",
		// An event-handler attribute: render -hashes warns, and the policy
		// (no 'unsafe-hashes') blocks it while the page's script runs.
		"attr.html": "<!doctype html><meta charset=\"utf-8\">\n<body onload='" + mark("attr") + "'>\n<script>" + mark("attrpage") + "</script>\n",
		"js/app.js": mark("appjs"),
		"js/bad.js": mark("badjs"),
	}
	for name, body := range files {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cli := buildCLI(t, work)
	cli("hash", "-sri", "-write", "-alg", "sha384", site)
	config := filepath.Join(work, "secureheaders.json")
	os.WriteFile(config, []byte(`{"preset": "strict"}`), 0o644)
	maps := cli("render", "-config", config, "-plain", "-format", "nginx", "-nginx-part", "http", "-hashes", site)
	headers := cli("render", "-config", config, "-plain", "-format", "nginx", "-nginx-part", "server", "-hashes", site)
	os.WriteFile(filepath.Join(work, "maps.conf"), maps, 0o644)
	os.WriteFile(filepath.Join(work, "headers.conf"), headers, 0o644)
	// After hashing: one byte of a script changed, and one asset tampered.
	changed := filepath.Join(site, "changed.html")
	b, _ := os.ReadFile(changed)
	os.WriteFile(changed, bytes.Replace(b, []byte(`"changed"`), []byte(`"changeD"`), 1), 0o644)
	os.WriteFile(filepath.Join(site, "js", "bad.js"), []byte(mark("badjs")+"//"), 0o644)

	base := startNginx(t, nginx, work, `
	include `+work+`/maps.conf;
	server {
		listen {addr};
		root `+site+`;
		include `+work+`/headers.conf;
		location /js/ {
			expires 1h; # the site's own location: it keeps the server's add_header lines
		}
	}`)
	// nginx sends each page its own hashes, and the rest the policy with
	// the nonce slot dropped.
	for path, want := range map[string]string{"/": "'sha256-", "/blog/": "'sha256-", "/changed.html": "'sha256-", "/js/app.js": "script-src 'strict-dynamic';"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, want) {
			t.Errorf("GET %s: Content-Security-Policy %q, want it to hold %q", path, got, want)
		}
	}
	dom := dumpDOM(t, base+"/")
	for _, m := range []string{"home", "homestyle", "appjs"} {
		if !ran(dom, m) {
			t.Errorf("/: %s did not run; DOM:\n%s\nconfig:\n%s", m, dom, headers)
		}
	}
	dom = dumpDOM(t, base+"/blog/")
	if !ran(dom, "blog") || !ran(dom, "blogmodule") || ran(dom, "badjs") {
		t.Errorf("/blog/: want both inline scripts to run and the tampered bad.js refused; DOM:\n%s", dom)
	}
	dom = dumpDOM(t, base+"/attr.html")
	if !ran(dom, "attrpage") || ran(dom, "attr") {
		t.Errorf("/attr.html: want the inline script to run and the onload attribute blocked; DOM:\n%s", dom)
	}
	dom = dumpDOM(t, base+"/changed.html")
	if !ran(dom, "control") || ran(dom, "changeD") {
		t.Errorf("/changed.html: want the control script to run and the changed one blocked; DOM:\n%s", dom)
	}
}

// nginxPath finds Debian's nginx, or skips (fails in CI) without it.
func nginxPath(t *testing.T) string { return serverPath(t, "nginx", "nginx-light") }

// serverPath finds the binary name in PATH or /usr/sbin, or skips the test
// without it (fails in CI, which installs the Debian package pkg).
func serverPath(t *testing.T, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := "/usr/sbin/" + name
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s, and CI must run this test: apt-get install %s", name, pkg)
		}
		t.Skipf("no %s binary: apt-get install %s to run this test", name, pkg)
	}
	return p
}

// buildCLIBinary builds cmd/secureheaders into dir and returns its path.
func buildCLIBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "secureheaders")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/secureheaders").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// buildCLI builds cmd/secureheaders into dir and returns a function that
// runs it and returns its stdout, failing the test on a non-zero exit.
func buildCLI(t *testing.T, dir string) func(args ...string) []byte {
	t.Helper()
	bin := buildCLIBinary(t, dir)
	return func(args ...string) []byte {
		t.Helper()
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("secureheaders %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
}

// startNginx checks with nginx -t and runs, until the test ends, an nginx
// whose http block holds httpBlock ({addr} replaced by a free loopback
// address), and returns its base URL.
func startNginx(t *testing.T, nginx, work, httpBlock string) string {
	t.Helper()
	addr := freeAddr(t)
	conf := `daemon off;
master_process off;
pid ` + work + `/nginx.pid;
error_log ` + work + `/error.log;
events {}
http {
	access_log off;
	client_body_temp_path ` + work + `/body;
	proxy_temp_path ` + work + `/proxy;
	fastcgi_temp_path ` + work + `/fastcgi;
	types { text/html html; text/javascript js; text/css css; }
	charset utf-8;
	charset_types text/css text/javascript;
` + strings.ReplaceAll(httpBlock, "{addr}", addr) + `
}
`
	confPath := filepath.Join(work, "nginx.conf")
	os.WriteFile(confPath, []byte(conf), 0o644)
	if out, err := exec.Command(nginx, "-t", "-p", work, "-c", confPath).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf)
	}
	runServer(t, addr, nil, nginx, "-p", work, "-c", confPath)
	return "http://" + addr
}

// freeAddr returns a loopback address that nothing listened on a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// runServer runs name with args (and env, when not nil) until the test
// ends, and waits for it to accept connections on addr (10 s at most).
func runServer(t *testing.T, addr string, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, name, args...)
	srv.Env = env
	ownGroup(srv)
	var srvErr bytes.Buffer
	srv.Stderr = &srvErr
	if err := srv.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Wait() })
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if i == 200 {
			t.Fatalf("%s did not listen on %s: %s", filepath.Base(name), addr, srvErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
