package htmlhash_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/htmlhash"
)

func TestScripts(t *testing.T) {
	type el = htmlhash.ScriptElement
	for _, tc := range []struct {
		name string
		doc  string
		want []el
	}{
		{"none", `<p>hi</p>`, nil},
		{"inline and external", `<script>a()</script><script src="https://cdn.example/a.js" integrity="sha384-x" crossorigin="use-credentials"></script>`,
			[]el{{}, {Src: "https://cdn.example/a.js", Integrity: "sha384-x", CrossOrigin: "use-credentials"}}},
		{"empty crossorigin is anonymous", `<script src=a.js crossorigin></script>`, []el{{Src: "a.js", CrossOrigin: "anonymous"}}},
		{"src as written", `<SCRIPT SRC=" //cdn.example/a.js ">`, []el{{Src: " //cdn.example/a.js "}}},
		{"entities decoded", `<script src="/a.js?x=1&amp;y=2"></script>`, []el{{Src: "/a.js?x=1&y=2"}}},
		{"template and noscript skipped", `<template><script src=t.js></script></template><noscript><script src=n.js></script></noscript><script src=r.js></script>`,
			[]el{{Src: "r.js"}}},
		{"SVG script skipped", `<svg><script href="s.js"></script></svg>`, nil},
		{"script text is not markup", `<script>"<script src=x.js></script>"</script>`, []el{{}}},
		{"after the body", `</html><script src=late.js></script>`, []el{{Src: "late.js"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, htmlhash.Scripts([]byte(tc.doc))); diff != "" {
				t.Errorf("Scripts (-want +got):\n%s", diff)
			}
		})
	}
}

// Scripts lists the scripts a page loads, for checks such as "every script
// from another site carries integrity".
func ExampleScripts() {
	doc := []byte(`<!DOCTYPE html>
<script src="/app.js"></script>
<script src="https://cdn.example.net/lib.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC" crossorigin></script>
<script>start()</script>`)
	for _, s := range htmlhash.Scripts(doc) {
		fmt.Printf("src=%q integrity=%t crossorigin=%q\n", s.Src, s.Integrity != "", s.CrossOrigin)
	}
	// Output:
	// src="/app.js" integrity=false crossorigin=""
	// src="https://cdn.example.net/lib.js" integrity=true crossorigin="anonymous"
	// src="" integrity=false crossorigin=""
}
