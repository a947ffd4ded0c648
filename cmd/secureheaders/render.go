package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/secureheaders/secureheaders/policy"
)

const formatList = "http, nginx, caddy, apache, netlify or json"

func runRender(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("render", stderr)
	configPath := fs.String("config", "", "JSON configuration file (default: the recommended preset)")
	route := fs.String("route", "", "render the policy of the config route matching this request path")
	plain := fs.Bool("plain", false, "render what a plain-HTTP response gets (no HSTS, no upgrade-insecure-requests)")
	format := fs.String("format", "http", "output format: "+formatList)
	nonceComment := fs.Bool("nonce-comment", false, "static formats: write a header that needs a per-request nonce as a comment instead of failing")
	nonce := fs.String("nonce", "placeholder", "http and json formats: show the per-request nonce as the placeholder 'nonce-{nonce}', or as a random sample nonce (sample) so the output can be pasted into a grader")
	hashesDir := fs.String("hashes", "", "static formats: put the hashes of the inline scripts and styles of the HTML files under `DIR` in place of the nonce, one block per page")
	mergeHashes := fs.Bool("merge", false, "with -hashes: one site-wide policy with the hashes of every page")
	nginxPart := fs.String("nginx-part", "", "nginx format: which of the two includes to write, `http` (the map blocks, for the http block) or server (the add_header lines, for the server block); needed when routes or pages change headers by path")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	static, isStatic := staticFormats[*format]
	if !isStatic && *format != "http" && *format != "json" {
		fmt.Fprintf(stderr, "secureheaders render: unknown -format %q (use %s)\n", *format, formatList)
		return 2
	}
	switch {
	case *nonce != "placeholder" && *nonce != "sample":
		fmt.Fprintf(stderr, "secureheaders render: unknown -nonce %q (use placeholder or sample)\n", *nonce)
		return 2
	case *nginxPart != "" && *nginxPart != "http" && *nginxPart != "server":
		fmt.Fprintf(stderr, "secureheaders render: unknown -nginx-part %q (use http or server)\n", *nginxPart)
		return 2
	case *nginxPart != "" && *format != "nginx":
		fmt.Fprintf(stderr, "secureheaders render: -nginx-part is for -format nginx, not %q\n", *format)
		return 2
	case *nonce == "sample" && isStatic:
		fmt.Fprintf(stderr, "secureheaders render: -nonce sample is for the http and json formats: a static %s config would send the sample on every response\n", *format)
		return 2
	}
	fail := func(err error) int {
		printErrors(stderr, "secureheaders render", err)
		return 1
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	secure := !*plain
	var blocks []block
	if *hashesDir != "" {
		if blocks, err = hashBlocks(cfg, *hashesDir, *mergeHashes, secure, *format, stderr); err != nil {
			return fail(err)
		}
	} else if *route != "" || *format == "http" {
		// One set: the app's, or the one route's.
		p, err := routePolicy(cfg, *route)
		if err != nil {
			return fail(err)
		}
		fields, err := compileFields(p, secure)
		if err != nil {
			return fail(err)
		}
		blocks = []block{{match: pathMatch{path: "/"}, fields: fields}}
	} else if blocks, err = appBlocks(cfg, secure, static); err != nil {
		return fail(err)
	}

	if *nonce == "sample" {
		fillNonce(blocks, sampleNonce())
	}
	var out string
	switch {
	case isStatic:
		e := &exporter{format: static, secure: secure, nonceComment: *nonceComment, nginxPart: *nginxPart}
		if out, err = exportStatic(e, blocks); err != nil {
			return fail(err)
		}
	case *format == "json":
		out = renderJSON(blocks, secure)
	default:
		var b strings.Builder
		for _, f := range blocks[0].fields {
			fmt.Fprintf(&b, "%s: %s\n", f.Name, f.Value)
		}
		out = b.String()
	}
	io.WriteString(stdout, out)
	return 0
}

// jsonField is one header of the json format.
type jsonField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Nonce marks a value with the per-request nonce slot, shown as
	// 'nonce-{nonce}'.
	Nonce bool `json:"nonce,omitempty"`
}

type jsonRoute struct {
	Pattern string      `json:"pattern"`
	Headers []jsonField `json:"headers"`
}

type jsonExport struct {
	// Secure is true for the headers of HTTPS responses, false with -plain.
	Secure  bool        `json:"secure"`
	Headers []jsonField `json:"headers"`
	Routes  []jsonRoute `json:"routes,omitempty"`
}

// renderJSON renders blocks (the app block first) as one JSON document,
// headers as ordered lists because their order is part of the output.
func renderJSON(blocks []block, secure bool) string {
	conv := func(fs []policy.Field) []jsonField {
		out := []jsonField{}
		for _, f := range fs {
			out = append(out, jsonField{Name: f.Name, Value: f.Value, Nonce: len(f.Parts) > 1})
		}
		return out
	}
	doc := jsonExport{Secure: secure, Headers: conv(blocks[0].fields)}
	for _, b := range blocks[1:] {
		doc.Routes = append(doc.Routes, jsonRoute{Pattern: b.pattern, Headers: conv(b.fields)})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(doc) // cannot fail: strings and bools only
	return buf.String()
}

// routePolicy returns the app policy, or with route set, the policy of the
// config route whose ServeMux pattern matches a GET of that path (the app
// policy when none matches).
func routePolicy(cfg *config, route string) (policy.Policy, error) {
	if route == "" || len(cfg.Routes) == 0 {
		return cfg.Policy, nil
	}
	u, err := url.ParseRequestURI(route)
	if err != nil {
		return policy.Policy{}, fmt.Errorf("-route %q: %v (write a path such as /embed/)", route, err)
	}
	mux := http.NewServeMux()
	for _, r := range cfg.Routes {
		if err := handlePattern(mux, r.Pattern); err != nil {
			return policy.Policy{}, err
		}
	}
	_, pattern := mux.Handler(&http.Request{Method: http.MethodGet, URL: u, Host: u.Host})
	for _, r := range cfg.Routes {
		if r.Pattern == pattern {
			return cfg.routePolicy(r)
		}
	}
	return cfg.Policy, nil
}

// handlePattern registers pattern on mux, turning ServeMux's panic on an
// invalid or conflicting pattern into an error.
func handlePattern(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("routes.%s: invalid ServeMux pattern: %v", pattern, r)
		}
	}()
	mux.Handle(pattern, http.NotFoundHandler())
	return nil
}

// sampleNonce returns a random nonce as the middleware makes them: 16
// random bytes, base64url without padding (22 characters).
func sampleNonce() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand.Read documents it)
	return base64.RawURLEncoding.EncodeToString(b)
}

// fillNonce writes n into every nonce slot of the fields of blocks.
func fillNonce(blocks []block, n string) {
	for _, b := range blocks {
		for i, f := range b.fields {
			if len(f.Parts) > 1 {
				b.fields[i].Value = strings.Join(f.Parts, n)
			}
		}
	}
}
