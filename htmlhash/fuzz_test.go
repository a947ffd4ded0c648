package htmlhash

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzFind checks that no input panics, that every hashed text is valid
// UTF-8, and that AddIntegrity only inserts bytes.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		`<script>a</script>`, "<script>\r\n</script>", `<svg><script><![CDATA[x]]></script></svg>`,
		`<script><!--<script></script>--></script>`, "\xEF\xBB\xBF<style>\xFF</style>",
		`<a onclick="x" style=y>`, `<link rel=stylesheet href=a.css/><script src=a.js />`,
		`<meta charset=latin1>`, `<script>`, `<template><script>t</script></template>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		found, err := Find(doc, &Options{Attrs: true})
		if err == nil {
			for _, in := range found {
				if !utf8.ValidString(in.Text) {
					t.Fatalf("hashed text %q is not UTF-8", in.Text)
				}
			}
		}
		out, _, err := AddIntegrity(doc, "sha256", func(string) ([]byte, bool) { return []byte("x"), true })
		if err != nil {
			return
		}
		// Deleting every inserted attribute gives doc back.
		sri, _ := Integrity("sha256", []byte("x"))
		back := bytes.ReplaceAll(out, []byte(` integrity="`+sri+`"`), nil)
		back = bytes.ReplaceAll(back, []byte(`integrity="`+sri+`" `), nil)
		if len(out) < len(doc) || !bytes.Equal(back, doc) && !bytes.Contains(doc, []byte("integrity")) {
			t.Fatalf("AddIntegrity changed more than it inserted:\n%q\n%q", doc, out)
		}
	})
}

// FuzzScripts checks that no input panics Scripts and that it finds no
// more scripts than the document has "<script" start tags (any case).
func FuzzScripts(f *testing.F) {
	for _, s := range []string{`<script src=a.js integrity=x crossorigin>`, `<template><script src=b></template>`, "<scr\x00ipt>", `<svg><script>`, "<table><script src=t>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := Scripts(doc)
		if n := bytes.Count(bytes.ToLower(doc), []byte("<script")); len(got) > n {
			t.Fatalf("%d scripts in a document with %d <script tags: %q", len(got), n, doc)
		}
	})
}
