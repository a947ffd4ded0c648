package htmlhash

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/secureheaders/secureheaders/csp"
)

// Options say how to hash. A nil *Options means the defaults.
type Options struct {
	// Alg is the digest algorithm: "sha256" (the default when empty),
	// "sha384" or "sha512".
	Alg string
	// Attrs also hashes event-handler attributes (onclick…) and style
	// attributes. A policy allows them by hash only with 'unsafe-hashes'.
	Attrs bool
}

// Kind says where an inline text was found.
type Kind uint8

const (
	Script     Kind = iota + 1 // an inline <script>
	Style                      // a <style> element
	ScriptAttr                 // an event-handler attribute (Options.Attrs)
	StyleAttr                  // a style attribute (Options.Attrs)
	External                   // the integrity of a <script src>
)

var kindNames = [...]string{Script: "script", Style: "style", ScriptAttr: "script-attr", StyleAttr: "style-attr", External: "external"}

// String returns "script", "style", "script-attr", "style-attr" or
// "external".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Inline is one hashed text of a document.
type Inline struct {
	Kind Kind
	// Text is what was hashed (for External, the integrity attribute).
	Text string
	// Source is the hash source, 'sha256-…'.
	Source csp.Source
}

// Find returns every inline text of doc that a policy must allow, in
// document order, hashed with opts.Alg. It returns an error, and no
// hashes, when doc cannot be hashed as a browser would: a charset other
// than UTF-8 declared with <meta>, or a <script> that is not closed before
// the end of the file (browsers do not run it). Find never panics on
// malformed HTML; its time and memory are linear in len(doc). It is safe
// for concurrent use.
func Find(doc []byte, opts *Options) ([]Inline, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Alg == "" {
		o.Alg = "sha256"
	}
	if _, err := csp.HashSource(o.Alg, nil); err != nil {
		return nil, err
	}
	text := decodeUTF8(doc)
	if err := checkClosed(text); err != nil {
		return nil, err
	}
	root, err := html.ParseWithOptions(bytes.NewReader(text), html.ParseOptionEnableScripting(true))
	if err != nil {
		return nil, fmt.Errorf("cannot parse the document as a browser would: %w", err)
	}
	f := finder{opts: o}
	f.walk(root)
	if f.err != nil {
		return nil, f.err
	}
	return f.out, nil
}

type finder struct {
	opts Options
	out  []Inline
	err  error
}

func (f *finder) add(k Kind, text string) {
	if k == Script || k == Style {
		text = strings.ReplaceAll(text, "\x00", "\uFFFD")
	}
	src, _ := csp.HashSource(f.opts.Alg, []byte(text)) // alg checked by Find
	f.out = append(f.out, Inline{Kind: k, Text: text, Source: src})
}

func (f *finder) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		html := n.Namespace == ""
		switch {
		case html && (n.DataAtom == atom.Template || n.DataAtom == atom.Noscript):
			return
		case html && n.DataAtom == atom.Meta:
			f.checkCharset(n)
		case (html || n.Namespace == "svg") && n.Data == "script":
			f.script(n)
		case (html || n.Namespace == "svg") && n.Data == "style":
			if t, ok := attr(n, "type"); !ok || t == "" || strings.EqualFold(strings.TrimSpace(t), "text/css") {
				f.add(Style, childText(n))
			}
		}
		if f.opts.Attrs {
			for _, a := range n.Attr {
				switch {
				case a.Namespace != "":
				case a.Key == "style":
					f.add(StyleAttr, a.Val)
				case strings.HasPrefix(a.Key, "on") && len(a.Key) > 2:
					f.add(ScriptAttr, a.Val)
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		f.walk(c)
	}
}

func (f *finder) script(n *html.Node) {
	if _, ok := attr(n, "src"); ok {
		integ, _ := attr(n, "integrity")
		for _, tok := range strings.Fields(integ) {
			tok, _, _ = strings.Cut(tok, "?") // options are reserved
			if s, err := csp.ParseSource("'" + tok + "'"); err == nil && s.Kind == csp.Hash {
				f.out = append(f.out, Inline{Kind: External, Text: integ, Source: s})
			}
		}
		return
	}
	if executable(n) {
		f.add(Script, childText(n))
	}
}

// executable reports whether a script element's type is one the HTML
// standard runs and checks against script-src: classic, module, importmap
// or speculationrules.
func executable(n *html.Node) bool {
	t, hasType := attr(n, "type")
	if !hasType || t == "" {
		lang, hasLang := attr(n, "language")
		if !hasType && hasLang && lang != "" {
			t = "text/" + lang
		} else {
			return true
		}
	}
	t = strings.ToLower(strings.Trim(t, " \t\n\f\r"))
	switch t {
	case "module", "importmap", "speculationrules":
		return true
	}
	return slices.Contains(jsTypes, t)
}

// jsTypes are the JavaScript MIME type essence matches of the MIME
// Sniffing standard.
var jsTypes = []string{
	"application/ecmascript", "application/javascript", "application/x-ecmascript",
	"application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
	"text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
	"text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}

func (f *finder) checkCharset(n *html.Node) {
	cs, ok := attr(n, "charset")
	if !ok {
		if he, _ := attr(n, "http-equiv"); strings.EqualFold(he, "content-type") {
			content, _ := attr(n, "content")
			if i := strings.Index(strings.ToLower(content), "charset="); i >= 0 {
				cs, ok = strings.Trim(content[i+len("charset="):], `"' ;`), true
			}
		}
	}
	if ok && !strings.EqualFold(strings.TrimSpace(cs), "utf-8") && !strings.EqualFold(strings.TrimSpace(cs), "utf8") && f.err == nil {
		f.err = fmt.Errorf("the document declares charset %q: only UTF-8 documents are hashed (re-save it as UTF-8)", cs)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// childText is the concatenated text of n's text children: the script's or
// style's child text content.
func childText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// ErrUnclosedScript is returned (wrapped) by Find for a <script> start tag
// without a matching end tag before the end of the file.
var ErrUnclosedScript = errors.New("a <script> is not closed before the end of the file, so browsers do not run it")

// checkClosed finds an HTML <script> without its end tag.
func checkClosed(doc []byte) error {
	z := html.NewTokenizer(bytes.NewReader(doc))
	off, open := 0, -1
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if open >= 0 {
				return fmt.Errorf("byte %d: %w", open, ErrUnclosedScript)
			}
			return nil
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" {
				open = off
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" {
				open = -1
			}
		}
		off += len(z.Raw())
	}
}

// Hashes are the hash sources of one document or site, grouped by the
// directive that needs them, without duplicates.
type Hashes struct {
	Script     []csp.Source // inline scripts, and integrity of external ones
	Style      []csp.Source // <style> elements
	ScriptAttr []csp.Source // event-handler attributes (need 'unsafe-hashes')
	StyleAttr  []csp.Source // style attributes (need 'unsafe-hashes')
}

// Sources hashes doc (see Find) and groups the sources.
func Sources(doc []byte, opts *Options) (Hashes, error) {
	found, err := Find(doc, opts)
	if err != nil {
		return Hashes{}, err
	}
	var h Hashes
	for _, in := range found {
		h.add(in.Kind, in.Source)
	}
	return h, nil
}

func (h *Hashes) add(k Kind, s csp.Source) {
	l := map[Kind]*[]csp.Source{Script: &h.Script, External: &h.Script, Style: &h.Style, ScriptAttr: &h.ScriptAttr, StyleAttr: &h.StyleAttr}[k]
	if l != nil && !slices.Contains(*l, s) {
		*l = append(*l, s)
	}
}

// Merge adds the sources of o that h lacks, in order.
func (h *Hashes) Merge(o Hashes) {
	for _, s := range o.Script {
		h.add(Script, s)
	}
	for _, s := range o.Style {
		h.add(Style, s)
	}
	for _, s := range o.ScriptAttr {
		h.add(ScriptAttr, s)
	}
	for _, s := range o.StyleAttr {
		h.add(StyleAttr, s)
	}
}

// Apply returns a copy of p where each per-request nonce slot is replaced by
// the hashes its directive governs: script-src gets Script (and
// ScriptAttr with 'unsafe-hashes'), script-src-elem Script,
// script-src-attr ScriptAttr; the style directives likewise; default-src
// both. A directive left with no source becomes 'none'. Other sources,
// 'strict-dynamic' among them, are kept. p is not modified.
func (h Hashes) Apply(p csp.Policy) csp.Policy {
	out := p.Clone()
	for d, list := range out {
		i := slices.Index(list, csp.RequestNonce)
		if i < 0 {
			continue
		}
		var add []csp.Source
		var attrs bool
		switch d {
		case "script-src":
			add, attrs = concat(h.Script, h.ScriptAttr), len(h.ScriptAttr) > 0
		case "script-src-elem":
			add = h.Script
		case "script-src-attr":
			add, attrs = h.ScriptAttr, len(h.ScriptAttr) > 0
		case "style-src":
			add, attrs = concat(h.Style, h.StyleAttr), len(h.StyleAttr) > 0
		case "style-src-elem":
			add = h.Style
		case "style-src-attr":
			add, attrs = h.StyleAttr, len(h.StyleAttr) > 0
		case "default-src":
			add = concat(h.Script, h.ScriptAttr, h.Style, h.StyleAttr)
			attrs = len(h.ScriptAttr)+len(h.StyleAttr) > 0
		}
		if attrs {
			add = append(slices.Clone(add), csp.UnsafeHashes)
		}
		var nl []csp.Source
		for _, s := range slices.Concat(list[:i], add, list[i+1:]) {
			if s != csp.RequestNonce && !slices.Contains(nl, s) {
				nl = append(nl, s)
			}
		}
		if len(nl) == 0 {
			nl = []csp.Source{csp.None}
		} else if len(nl) > 1 {
			nl = slices.DeleteFunc(nl, func(s csp.Source) bool { return s == csp.None })
		}
		out[d] = nl
	}
	return out
}

func concat(lists ...[]csp.Source) []csp.Source { return slices.Concat(lists...) }
