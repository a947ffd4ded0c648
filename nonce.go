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
// "" when its policy has no nonce slot or the engine did not run.
func NonceFromContext(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.nonce
	}
	return ""
}

// NonceAttr returns ` nonce="…"` for html/template, or "" without a nonce:
// <script{{.NonceAttr}}>…</script>. The nonce is base64, so the attribute
// needs no escaping.
func NonceAttr(r *http.Request) template.HTMLAttr {
	n := Nonce(r)
	if n == "" {
		return ""
	}
	return template.HTMLAttr(` nonce="` + n + `"`)
}

// TemplateFuncs returns a template.FuncMap with "cspNonce", which renders
// the nonce attribute from the request: {{cspNonce .Request}}.
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{"cspNonce": NonceAttr}
}
