package secureheaders_test

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
)

// noncePage is a layout whose scripts sit in a nested template that is not
// given the request.
const noncePage = `{{define "page"}}<!doctype html><title>{{.Title}}</title>
<p>{{.Body}}</p>
{{template "scripts"}}{{end}}
{{define "scripts"}}<script{{cspNonceAttr}}>init()</script>
<script nonce="{{cspNonce}}" src="/app.js"></script>
<style nonce="{{cspNonce}}">p { margin: 0 }</style>{{end}}`

var nonceBase = template.Must(template.New("").Funcs(secureheaders.TemplateFuncs(context.Background())).Parse(noncePage))

// renderNonced runs the handler pattern TemplateFuncs documents.
func renderNonced(w io.Writer, r *http.Request) error {
	t, err := nonceBase.Clone()
	if err != nil {
		return err
	}
	t.Funcs(secureheaders.TemplateFuncs(r.Context()))
	return t.ExecuteTemplate(w, "page", map[string]string{"Title": "T", "Body": "<b>escaped</b>"})
}

var nonceAttrRE = regexp.MustCompile(`nonce="([^"]*)"`)

// TestTemplateFuncsNested checks that a nested template gets the header's
// nonce, unescaped, through both functions, on every response.
func TestTemplateFuncsNested(t *testing.T) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := renderNonced(w, r); err != nil {
			t.Error(err)
		}
	}))
	seen := map[string]bool{}
	for i := range 200 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, get("https://example.com/"))
		_, rest, ok := strings.Cut(rec.Header().Get("Content-Security-Policy"), "'nonce-")
		nonce, _, _ := strings.Cut(rest, "'")
		if !ok || len(nonce) != 22 || seen[nonce] {
			t.Fatalf("request %d: header nonce %q: want 22 fresh characters", i, nonce)
		}
		seen[nonce] = true
		body := rec.Body.String()
		attrs := nonceAttrRE.FindAllStringSubmatch(body, -1)
		if len(attrs) != 3 {
			t.Fatalf("request %d: %d nonce attributes in\n%s", i, len(attrs), body)
		}
		for _, a := range attrs {
			if a[1] != nonce {
				t.Fatalf("request %d: attribute nonce %q, header nonce %q\n%s", i, a[1], nonce, body)
			}
		}
		if !strings.Contains(body, "&lt;b&gt;escaped&lt;/b&gt;") {
			t.Fatalf("request %d: data not escaped:\n%s", i, body)
		}
	}
}

// Without a nonce slot, and with the parse-time placeholders, the page
// renders with empty nonces: no attribute from cspNonceAttr.
func TestTemplateFuncsNoNonce(t *testing.T) {
	for name, ctx := range map[string]context.Context{
		"background": context.Background(),
		"nil":        nil,
	} {
		m := secureheaders.TemplateFuncs(ctx)
		if got := m["cspNonce"].(func() string)(); got != "" {
			t.Errorf("%s: cspNonce() = %q", name, got)
		}
		if got := m["cspNonceAttr"].(func() template.HTMLAttr)(); got != "" {
			t.Errorf("%s: cspNonceAttr() = %q", name, got)
		}
	}
	sh, err := secureheaders.New(nil) // Recommended: no nonce slot
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := renderNonced(w, r); err != nil {
			t.Error(err)
		}
	})).ServeHTTP(rec, get("https://example.com/"))
	if body := rec.Body.String(); !strings.Contains(body, "<script>init()</script>") || !strings.Contains(body, `<script nonce="" src="/app.js">`) {
		t.Errorf("page without a nonce slot:\n%s", body)
	}
}

// BenchmarkTemplateFuncs measures the per-request Clone that TemplateFuncs
// needs against threading NonceAttr through the data.
func BenchmarkTemplateFuncs(b *testing.B) {
	p := withNonce()
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		b.Fatal(err)
	}
	var req *http.Request
	sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { req = r })).
		ServeHTTP(httptest.NewRecorder(), get("https://example.com/"))

	b.Run("bind=clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := renderNonced(io.Discard, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bind=data", func(b *testing.B) {
		threaded := strings.NewReplacer("{{cspNonceAttr}}", "{{.Attr}}", "{{cspNonce}}", "{{.Nonce}}", `{{template "scripts"}}`, `{{template "scripts" .}}`).Replace(noncePage)
		t := template.Must(template.New("").Parse(threaded))
		b.ReportAllocs()
		for b.Loop() {
			data := map[string]any{"Title": "T", "Body": "<b>escaped</b>", "Attr": secureheaders.NonceAttr(req), "Nonce": secureheaders.Nonce(req)}
			if err := t.ExecuteTemplate(io.Discard, "page", data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
