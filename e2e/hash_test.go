package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/htmlhash"
)

// mark is a script that records that it ran as data-<name>="ran" on <html>.
func mark(name string) string {
	return `document.documentElement.setAttribute("data-` + name + `", "ran");`
}

// staticSite serves fixed pages, each with the CSP computed from the bytes
// it was hashed from (which a test may then change).
type staticSite struct {
	mux *http.ServeMux
}

func (s *staticSite) page(t *testing.T, path string, hashed, served []byte, base csp.Policy, opts *htmlhash.Options) {
	t.Helper()
	h, err := htmlhash.Sources(hashed, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	value := h.Apply(base).String()
	t.Logf("%s: Content-Security-Policy: %s", path, value)
	s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", value)
		w.Write(served)
	})
}

func (s *staticSite) file(path, ctype, body string) {
	s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write([]byte(body))
	})
}

func ran(dom, name string) bool { return strings.Contains(dom, `data-`+name+`="ran"`) }

// TestBrowserHashes checks, in Chromium, that every hash htmlhash computes
// lets its script run, with strict-dynamic, and that a one-byte change
// blocks it.
func TestBrowserHashes(t *testing.T) {
	chromiumPath(t)
	base := csp.MustParse("default-src 'self'; script-src 'nonce' 'strict-dynamic'; style-src 'self' 'nonce'; object-src 'none'; base-uri 'none'")
	site := &staticSite{mux: http.NewServeMux()}

	// The golden files of htmlhash: one tricky script each, which marks the
	// file's base name when it runs.
	golden, err := filepath.Glob(filepath.Join("..", "htmlhash", "testdata", "golden", "*.html"))
	if err != nil || len(golden) == 0 {
		t.Fatal("no golden files", err)
	}
	var names []string
	for _, f := range golden {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		names = append(names, name)
		site.page(t, "/golden/"+name+".html", doc, doc, base, nil)
	}
	// Every inline element of a page, with strict-dynamic.
	module := []byte(`<!doctype html><meta charset=utf-8><script type="module">` + mark("module") + `</script>` +
		`<style>html { color: rgb(1, 2, 3) }</style><script>if (getComputedStyle(document.documentElement).color === "rgb(1, 2, 3)") {` + mark("style") + `}</script>` +
		`<script type="application/json">{"not": "run"}</script>`)
	site.page(t, "/module.html", module, module, base, nil)

	// One byte changed after hashing: that script is blocked, the rest run.
	orig := "<!doctype html><meta charset=utf-8><script>" + mark("control") + "</script><script>" + mark("changed") + "</script>"
	site.page(t, "/changed.html", []byte(orig), []byte(strings.Replace(orig, `"changed"`, `"changeD"`, 1)), base, nil)

	// An event-handler attribute needs 'unsafe-hashes'.
	attrs := []byte(`<!doctype html><meta charset=utf-8><body onload='` + mark("onload") + `'><script>` + mark("control") + `</script>`)
	site.page(t, "/attrs.html", attrs, attrs, base, &htmlhash.Options{Attrs: true})

	// Subresource Integrity: a good asset loads, a tampered one is refused.
	// With 'strict-dynamic', host sources are ignored: the external script
	// loads because its integrity digest is among the script hashes.
	site.file("/good.js", "text/javascript", mark("goodjs"))
	site.file("/bad.js", "text/javascript", mark("badjs"))
	site.file("/good.css", "text/css", "html { background-color: rgb(4, 5, 6) }")
	sri := []byte(`<!doctype html><meta charset=utf-8><link rel="stylesheet" href="/good.css"><script src="/good.js"></script><script src="/bad.js"></script>` +
		`<script>window.addEventListener("load", function () { if (getComputedStyle(document.documentElement).backgroundColor === "rgb(4, 5, 6)") {` + mark("goodcss") + `} });</script>`)
	files := map[string]string{"/good.js": mark("goodjs"), "/bad.js": mark("badjs") + "//", "/good.css": "html { background-color: rgb(4, 5, 6) }"}
	sri, _, err = htmlhash.AddIntegrity(sri, "sha384", func(u string) ([]byte, bool) {
		s, ok := files[u]
		return []byte(s), ok
	})
	if err != nil {
		t.Fatal(err)
	}
	site.page(t, "/sri.html", sri, sri, base, nil)
	// The same page with host sources and no strict-dynamic: SRI alone.
	site.page(t, "/sri-self.html", sri, sri, csp.MustParse("script-src 'self' 'nonce'; style-src 'self'"), nil)

	srv := httptest.NewServer(site.mux)
	t.Cleanup(srv.Close)

	for _, name := range names {
		if dom := dumpDOM(t, srv.URL+"/golden/"+name+".html"); !ran(dom, name) {
			t.Errorf("golden/%s.html: the script did not run: its hash differs from Chromium's; DOM:\n%s", name, dom)
		}
	}
	dom := dumpDOM(t, srv.URL+"/module.html")
	if !ran(dom, "module") || !ran(dom, "style") {
		t.Errorf("module.html: want the module and the style applied; DOM:\n%s", dom)
	}
	dom = dumpDOM(t, srv.URL+"/changed.html")
	if !ran(dom, "control") || ran(dom, "changeD") {
		t.Errorf("changed.html: want control to run and the changed script blocked; DOM:\n%s", dom)
	}
	dom = dumpDOM(t, srv.URL+"/attrs.html")
	if !ran(dom, "control") || !ran(dom, "onload") {
		t.Errorf("attrs.html: want both the script and the hashed onload to run; DOM:\n%s", dom)
	}
	for _, p := range []string{"/sri.html", "/sri-self.html"} {
		dom = dumpDOM(t, srv.URL+p)
		if !ran(dom, "goodjs") || ran(dom, "badjs") || !ran(dom, "goodcss") {
			t.Errorf("%s: want good.js and good.css to load and bad.js refused; DOM:\n%s", p, dom)
		}
	}
}
