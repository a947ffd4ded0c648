package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/secureheaders/secureheaders"
)

// sameOriginPage loads one resource of every kind a same-origin app uses,
// and one cross-origin image as a control, and prints the CSP violations the
// browser reported.
const sameOriginPage = `<!doctype html><html><head>
<script src="/app.js"></script>
<link rel="stylesheet" href="/app.css">
<link rel="manifest" href="/app.webmanifest">
</head><body>
<p class="font">text in the web font</p>
<img src="/logo.svg" alt="">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<img src="https://cross-origin.invalid/x.png" alt="">
<video src="/clip.webm"></video>
<iframe src="/frame/"></iframe>
<p id="result">pending</p>
</body></html>`

const sameOriginScript = `var violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  violations.push(e.effectiveDirective + " " + e.blockedURI);
});
window.addEventListener("load", function () {
  var worker = new Promise(function (resolve) {
    var w = new Worker("/worker.js");
    w.onmessage = function (m) { resolve(m.data); };
    w.onerror = function () { resolve("worker failed"); };
  });
  Promise.all([fetch("/data").then(function (r) { return r.text(); }), worker, document.fonts.ready]).then(function (got) {
    setTimeout(function () {
      document.getElementById("result").textContent = "fetch=" + got[0] + " worker=" + got[1] + " violations=" + violations.sort().join(",");
    }, 200);
  }, function (e) { document.getElementById("result").textContent = "failed: " + e; });
});`

// TestBrowserSameOriginApp: the recommended preset (default-src 'none' with
// 'self' per resource kind) lets a same-origin app load its scripts,
// styles, fonts, images, media, manifest, workers, frames and fetch to
// itself; only the cross-origin control image is blocked.
func TestBrowserSameOriginApp(t *testing.T) {
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sh.Close)
	mux := http.NewServeMux()
	serve := func(path, ctype, body string) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			io.WriteString(w, body)
		})
	}
	serve("/{$}", "text/html; charset=utf-8", sameOriginPage)
	serve("/app.js", "text/javascript", sameOriginScript)
	serve("/app.css", "text/css", `@font-face { font-family: app; src: url(/font.woff2) format("woff2"); } .font { font-family: app; background: url(/bg.svg); }`)
	serve("/app.webmanifest", "application/manifest+json", `{"name": "app"}`)
	serve("/font.woff2", "font/woff2", "not really a font")
	serve("/logo.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	serve("/bg.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	serve("/clip.webm", "video/webm", "")
	serve("/frame/", "text/html; charset=utf-8", `<!doctype html><p>framed</p>`)
	serve("/worker.js", "text/javascript", `postMessage("ok");`)
	serve("/data", "text/plain", "ok")
	srv := httptest.NewTLSServer(sh.Handler(mux))
	t.Cleanup(srv.Close)

	dom := dumpDOM(t, srv.URL+"/")
	got := textOf(dom, "result")
	want := "fetch=ok worker=ok violations=img-src https://cross-origin.invalid/x.png"
	if got != want {
		t.Errorf("same-origin app under the recommended preset:\n got %q\nwant %q", got, want)
	}
}
