package htmlhash

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ScriptElement is one HTML <script> element of a document.
type ScriptElement struct {
	// Src is its src attribute as written; "" for an inline script (or an
	// empty src, which loads nothing).
	Src string
	// Integrity is its integrity attribute as written, "" when it has none.
	Integrity string
	// CrossOrigin is its crossorigin attribute, "" when it has none (an
	// empty attribute is "anonymous").
	CrossOrigin string
}

// Scripts returns the <script> elements of doc in the HTML namespace, in
// document order, as a browser's parser builds them: elements inside
// <template> and <noscript> are left out (they do not run when the page
// loads), and so are SVG scripts. It never fails: malformed HTML is
// parsed as browsers recover from it, in time and memory linear in
// len(doc). Bytes that are not UTF-8 become U+FFFD. It is safe for
// concurrent use.
func Scripts(doc []byte) []ScriptElement {
	root, err := html.ParseWithOptions(bytes.NewReader(decodeUTF8(doc)), html.ParseOptionEnableScripting(true))
	if err != nil {
		return nil // only a failing reader makes Parse fail
	}
	var out []ScriptElement
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			switch n.DataAtom {
			case atom.Template, atom.Noscript:
				return
			case atom.Script:
				s := ScriptElement{}
				s.Src, _ = attr(n, "src")
				s.Integrity, _ = attr(n, "integrity")
				if co, ok := attr(n, "crossorigin"); ok {
					s.CrossOrigin = co
					if co == "" {
						s.CrossOrigin = "anonymous"
					}
				}
				out = append(out, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}
