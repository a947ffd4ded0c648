package secureheaders_test

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
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

func TestResponseNonce(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"none", http.Header{}, ""},
		{"enforced", http.Header{"Content-Security-Policy": {"script-src 'self' 'nonce-abc_-1'; object-src 'none'"}}, "abc_-1"},
		{"report-only only", http.Header{"Content-Security-Policy-Report-Only": {"script-src 'nonce-ro'"}}, "ro"},
		{"enforced first", http.Header{
			"Content-Security-Policy":             {"script-src 'nonce-en'"},
			"Content-Security-Policy-Report-Only": {"script-src 'nonce-ro'"},
		}, "en"},
		{"second value", http.Header{"Content-Security-Policy": {"default-src 'self'", "script-src 'nonce-two'"}}, "two"},
		{"no nonce source", http.Header{"Content-Security-Policy": {"script-src 'self'"}}, ""},
		{"unterminated", http.Header{"Content-Security-Policy": {"script-src 'nonce-abc"}}, ""},
		{"empty", http.Header{"Content-Security-Policy": {"script-src 'nonce-'"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			maps.Copy(w.Header(), tt.header)
			if got := secureheaders.ResponseNonce(w); got != tt.want {
				t.Errorf("ResponseNonce = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNonceFromResponseEngine checks the option end to end: the response's
// nonce is the one ResponseNonce reads, fresh per request, and the request
// reaches the handler uncopied (Nonce(r) is ""); with a Route registered
// the context carries it as before.
func TestNonceFromResponseEngine(t *testing.T) {
	for _, withRoute := range []bool{false, true} {
		t.Run(fmt.Sprint("route=", withRoute), func(t *testing.T) {
			p := withNonce()
			sh := secureheaders.Must(secureheaders.New(&secureheaders.Options{Policy: &p, NonceFromResponse: true}))
			if withRoute {
				sh.MustWrap(http.NotFoundHandler(), policy.Override{})
			}
			var read, inCtx string
			var sameRequest bool
			in := httptest.NewRequest(http.MethodGet, "https://example.com/", nil)
			h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				read, inCtx, sameRequest = secureheaders.ResponseNonce(w), secureheaders.Nonce(r), r == in
			}))
			seen := map[string]bool{}
			for range 3 {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, in)
				csp := rec.Header().Get("Content-Security-Policy")
				if read == "" || !strings.Contains(csp, "'nonce-"+read+"'") {
					t.Fatalf("ResponseNonce %q, header %q", read, csp)
				}
				if seen[read] {
					t.Errorf("nonce %q twice", read)
				}
				seen[read] = true
				if withRoute != (inCtx == read) || withRoute == sameRequest {
					t.Errorf("route=%v: Nonce(r) = %q (response %q), same request %v", withRoute, inCtx, read, sameRequest)
				}
			}
		})
	}
}
