package secureheaders

import (
	"context"
	"html/template"
	"net/http"
)

// Nonce returns the CSP nonce of r's response, or "" when its policy has no
// nonce slot. Put it in a nonce attribute: <script nonce="{{.Nonce}}">.
func Nonce(r *http.Request) string {
	return NonceFromContext(r.Context())
}

// NonceFromContext returns the CSP nonce carried by a request's context, or
// "" when its policy has no nonce slot or the engine did not run. A nil ctx
// carries no nonce.
func NonceFromContext(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	if s := stateFrom(ctx); s != nil {
		return s.nonce
	}
	return ""
}

// NonceAttr returns ` nonce="…"` for html/template, or "" without a nonce:
// <script{{.NonceAttr}}>…</script>. The nonce is unpadded base64url (22
// characters of A-Z a-z 0-9 - _), so the attribute needs no escaping.
func NonceAttr(r *http.Request) template.HTMLAttr {
	return nonceAttr(Nonce(r))
}

func nonceAttr(n string) template.HTMLAttr {
	if n == "" {
		return ""
	}
	return template.HTMLAttr(` nonce="` + n + `"`)
}

// TemplateFuncs returns html/template functions bound to the nonce that ctx
// carries (a request's context, once Handler has run):
//
//   - cspNonce returns the bare nonce: <script nonce="{{cspNonce}}">;
//   - cspNonceAttr returns the whole attribute with its leading space, or
//     nothing without a nonce: <script{{cspNonceAttr}}>.
//
// Neither takes an argument, so a nested template ({{template "scripts"}})
// uses them without the request being passed down to it.
//
// html/template fixes a template's functions when it is parsed and shares
// them between executions, so parse once with placeholders (any context
// without a nonce, such as context.Background()) and, per request, bind a
// Clone:
//
//	var base = template.Must(template.New("page").
//		Funcs(secureheaders.TemplateFuncs(context.Background())).
//		ParseFS(files, "*.html"))
//
//	func page(w http.ResponseWriter, r *http.Request) {
//		t, err := base.Clone()
//		if err != nil { … }
//		t.Funcs(secureheaders.TemplateFuncs(r.Context()))
//		t.ExecuteTemplate(w, "page.html", data)
//	}
//
// Never call base.Funcs per request instead of cloning: that rebinds the one
// template every request shares, a data race that can give one visitor's
// page another's nonce. Never execute base itself either: html/template
// refuses to Clone a template once it has run.
//
// The copy has a cost: Clone copies the template set and, because
// html/template escapes a template the first time it runs, every copy is
// escaped again. BenchmarkTemplateFuncs (nonce_test.go) measured it on a
// two-template page: 33-37 µs, 16.5 kB and 197 allocations per request with
// the Clone, against 5-7.5 µs, 1.4 kB and 45 allocations with NonceAttr(r)
// and Nonce(r) in the data (Go 1.26, amd64). For a hot page, pass those in
// the data and down with {{template "scripts" .}}.
//
// Bound to a context without a nonce, both functions return "": a page that
// forgot to rebind renders without nonces and the CSP blocks its inline
// scripts, which fails closed and shows in the browser console. The values
// are read once, when TemplateFuncs is called.
func TemplateFuncs(ctx context.Context) template.FuncMap {
	n := NonceFromContext(ctx)
	attr := nonceAttr(n)
	return template.FuncMap{
		"cspNonce":     func() string { return n },
		"cspNonceAttr": func() template.HTMLAttr { return attr },
	}
}
