package htmlhash

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"

	"golang.org/x/net/html"
)

// Integrity returns the Subresource Integrity value of data, such as
// "sha384-…", for alg "sha256", "sha384" or "sha512" (SRI recommends
// sha384). It is what an integrity attribute holds.
func Integrity(alg string, data []byte) (string, error) {
	var h hash.Hash
	switch strings.ToLower(alg) {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		return "", fmt.Errorf("unsupported SRI algorithm %q (use sha256, sha384 or sha512)", alg)
	}
	h.Write(data)
	return strings.ToLower(alg) + "-" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// Link is one <script src> or <link rel=stylesheet href> of a document.
type Link struct {
	Offset int    // byte offset of its start tag in the document
	URL    string // the src or href attribute, as written
	// Integrity is the value added, or "" when the element was left alone
	// (it has one, or open returned false).
	Integrity string
}

// AddIntegrity adds an integrity attribute to every <script src> and
// <link rel=stylesheet> of doc that lacks one and whose URL open resolves
// to the file's contents (open returns false for a URL that is not a local
// file). It changes nothing else: every other byte of doc is kept, the
// attribute being inserted just before the tag's closing ">" (or "/>").
// No crossorigin attribute is added: a local file is same-origin, and a
// same-origin fetch checks integrity without CORS. A document with a
// <base href> is refused, since its URLs would not resolve to local files
// the way open sees them. The result is a new slice; doc is not modified.
func AddIntegrity(doc []byte, alg string, open func(url string) ([]byte, bool)) ([]byte, []Link, error) {
	if _, err := Integrity(alg, nil); err != nil {
		return nil, nil, err
	}
	z := html.NewTokenizer(bytes.NewReader(doc))
	var out bytes.Buffer
	var links []Link
	off, copied := 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		start := off
		off += len(raw)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		if tag == "base" {
			attrs := readAttrs(z, hasAttr)
			if _, ok := attrs["href"]; ok {
				return nil, nil, fmt.Errorf("byte %d: the document has <base href>, so its URLs are not resolved relative to its file; add integrity by hand", start)
			}
			continue
		}
		if tag != "script" && tag != "link" {
			continue
		}
		attrs := readAttrs(z, hasAttr)
		key := "src"
		if tag == "link" {
			key = "href"
			if !hasToken(attrs["rel"], "stylesheet") {
				continue
			}
		}
		u, ok := attrs[key]
		if !ok {
			continue
		}
		l := Link{Offset: start, URL: u}
		if _, has := attrs["integrity"]; !has {
			if data, ok := open(u); ok {
				l.Integrity, _ = Integrity(alg, data)
			}
		}
		links = append(links, l)
		if l.Integrity == "" {
			continue
		}
		at := len(raw) - 1 // before ">"
		if bytes.HasSuffix(raw, []byte("/>")) && len(raw) >= 3 && strings.IndexByte(" \t\n\f\r\"'", raw[len(raw)-3]) >= 0 {
			at = len(raw) - 2 // before "/>", which would otherwise end an unquoted value
		}
		out.Write(doc[copied : start+at])
		sep := " "
		if at > 0 && strings.IndexByte(" \t\n\f\r", raw[at-1]) >= 0 {
			sep = ""
		}
		fmt.Fprintf(&out, `%sintegrity="%s"`, sep, l.Integrity)
		if sep == "" {
			out.WriteByte(' ')
		}
		copied = start + at
	}
	out.Write(doc[copied:])
	return out.Bytes(), links, nil
}

func readAttrs(z *html.Tokenizer, more bool) map[string]string {
	m := map[string]string{}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if _, dup := m[string(k)]; !dup {
			m[string(k)] = string(v)
		}
	}
	return m
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
