package main

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta returns what the <meta> elements of an HTML page declare, as the
// Observatory reads them: the content of each <meta
// http-equiv=Content-Security-Policy> (non-empty), and the content of the
// last <meta name=referrer> that has one (a meta with both http-equiv and
// content is never a referrer one). Elements inside <template> are not
// read. Malformed HTML is read as browsers recover from it.
func pageMeta(doc []byte) (csp []string, referrer string) {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, ""
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			switch n.DataAtom {
			case atom.Template:
				return
			case atom.Meta:
				equiv, hasEquiv := htmlAttr(n, "http-equiv")
				content, hasContent := htmlAttr(n, "content")
				switch {
				case hasEquiv && hasContent:
					if content != "" && strings.ToLower(strings.TrimSpace(equiv)) == "content-security-policy" {
						csp = append(csp, content)
					}
				default:
					if name, _ := htmlAttr(n, "name"); strings.ToLower(strings.TrimSpace(name)) == "referrer" && content != "" {
						referrer = content
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return csp, referrer
}

func htmlAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
