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
