package htmlhash_test

import (
	"embed"
	"fmt"
	"io/fs"
	"log"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/htmlhash"
)

//go:embed testdata/site
var site embed.FS

// An app serving pre-rendered pages from an embed.FS computes the hashes of
// every page once, at start-up, and puts them in its policy instead of a
// per-request nonce.
func ExampleSources_embedFS() {
	var all htmlhash.Hashes
	err := fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		doc, err := site.ReadFile(path)
		if err != nil {
			return err
		}
		h, err := htmlhash.Sources(doc, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		all.Merge(h)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	p := all.Apply(csp.MustParse("script-src 'nonce' 'strict-dynamic'; style-src 'self' 'nonce'; object-src 'none'; base-uri 'none'"))
	// Give p to policy.Policy.CSP; the engine then needs no nonce.
	fmt.Println(p)
	// Output:
	// object-src 'none'; script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=' 'strict-dynamic'; style-src 'self' 'sha256-/D8wWMrWSOjeD/K4IHepvRvJjPxqJbouCB3qbqmBaqY='; base-uri 'none'
}

// Find shows what it hashes: the CRLF of the file is hashed as LF, the JSON
// data block is not a script, and the handler is hashed only with Attrs.
func ExampleFind() {
	doc := []byte("<script>\r\nalert(1)\r\n</script><script type=application/ld+json>{}</script><button onclick=\"go()\">go</button>")
	found, err := htmlhash.Find(doc, &htmlhash.Options{Attrs: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range found {
		fmt.Printf("%s %q %s\n", in.Kind, in.Text, in.Source)
	}
	// Output:
	// script "\nalert(1)\n" 'sha256-J8+4/wmqNoqVGih0Xof49bzVEIwR8aHhR5HvZK1wlzY='
	// script-attr "go()" 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='
}
