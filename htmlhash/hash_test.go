package htmlhash

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/csp"
)

func TestFindText(t *testing.T) {
	tests := []struct {
		name, doc string
		attrs     bool
		want      []string // kind:text
	}{
		{"plain", `<script>alert(1)</script>`, false, []string{"script:alert(1)"}},
		{"crlf", "<script>\r\na()\r\nb()\r</script>", false, []string{"script:\na()\nb()\n"}},
		{"entities kept", `<script>x="&amp;&lt;"</script><style>a::after{content:"&gt;"}</style>`, false,
			[]string{`script:x="&amp;&lt;"`, `style:a::after{content:"&gt;"}`}},
		{"end tag in string", `<script>s="</scr"+"ipt>"; t="<\/script>"</script>`, false, []string{`script:s="</scr"+"ipt>"; t="<\/script>"`}},
		{"escaped comment", `<script><!--<script>x</script>y--></script>`, false, []string{`script:<!--<script>x</script>y-->`}},
		{"no trimming", "<script>\n  f()  \n</script>", false, []string{"script:\n  f()  \n"}},
		{"bom", "\xEF\xBB\xBF<script>\xEF\xBB\xBFa</script>", false, []string{"script:\uFEFFa"}},
		{"invalid utf8", "<script>'\xE9\xE2\x82A\xFF'</script>", false, []string{"script:'\uFFFD\uFFFDA\uFFFD'"}},
		{"nul", "<script>a\x00b</script>", false, []string{"script:a\uFFFDb"}},
		{"cdata-like in html", `<script><![CDATA[x]]></script>`, false, []string{`script:<![CDATA[x]]>`}},
		{"svg cdata", `<svg><script><![CDATA[a<b]]>&amp;</script></svg>`, false, []string{`script:a<b&`}},
		{"types", `<script type=module>m</script><script type="application/ld+json">{}</script>` +
			`<script type=importmap>{"imports":{}}</script><script type=text/template>t</script>` +
			`<script type=" TEXT/JavaScript ">j</script><script language=vbscript>v</script><script src=x.js></script>`,
			false, []string{"script:m", `script:{"imports":{}}`, "script:j"}},
		{"skipped", `<template><script>t</script></template><noscript><style>n</style></noscript>`, false, nil},
		{"empty", `<script></script>`, false, []string{"script:"}},
		{"attrs off", `<a onclick="go()" style="color:red">x</a>`, false, nil},
		{"attrs", `<a onclick="go(&quot;a&quot;)" style="color:red">x</a>`, true,
			[]string{`script-attr:go("a")`, "style-attr:color:red"}},
		{"external integrity", `<script src=a.js integrity="sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI= md5-x"></script>`, false,
			[]string{"external:sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI= md5-x"}},
		{"malformed", `<div><p><b><script>a</b></script></i></table>`, false, []string{"script:a</b>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := Find([]byte(tt.doc), &Options{Attrs: tt.attrs})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range found {
				got = append(got, in.Kind.String()+":"+in.Text)
				if in.Kind != External {
					want, _ := csp.HashSource("sha256", []byte(in.Text))
					if in.Source != want {
						t.Errorf("%q: source %v, want %v", in.Text, in.Source, want)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestGolden pins the digest of the one script of each
// testdata/golden/*.html in testdata/golden/hashes.txt (rewritten with
// -update). e2e.TestBrowserHashes serves each file with its hash and checks
// that Chromium runs the script.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatal("no golden files", err)
	}
	var got strings.Builder
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Sources(doc, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(h.Script) != 1 {
			t.Fatalf("%s: %d script hashes, want 1", f, len(h.Script))
		}
		got.WriteString(filepath.Base(f) + " " + h.Script[0].String() + "\n")
	}
	path := filepath.Join("testdata", "golden", "hashes.txt")
	if *update {
		os.WriteFile(path, []byte(got.String()), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestFindErrors(t *testing.T) {
	if _, err := Find([]byte(`<p><script>never closed`), nil); !errors.Is(err, ErrUnclosedScript) {
		t.Errorf("unclosed: %v", err)
	}
	if _, err := Find([]byte(`<meta charset="windows-1252"><script>a</script>`), nil); err == nil || !strings.Contains(err.Error(), "windows-1252") {
		t.Errorf("charset: %v", err)
	}
	if _, err := Find([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">`), nil); err == nil {
		t.Error("http-equiv charset: no error")
	}
	if _, err := Find(nil, &Options{Alg: "md5"}); err == nil {
		t.Error("md5: no error")
	}
	if _, err := Find([]byte(`<meta charset=UTF-8><script>a</script>`), nil); err != nil {
		t.Error(err)
	}
}

func TestFindDeep(t *testing.T) {
	doc := bytes.Repeat([]byte("<div><b><i>"), 50000)
	doc = append(doc, "<script>x</script>"...)
	// x/net/html refuses more than 512 open elements (Chromium's parser
	// has the same limit, and reparents instead): an error, not a hang.
	if _, err := Find(doc, nil); err == nil || !strings.Contains(err.Error(), "512") {
		t.Fatalf("deep nesting: %v", err)
	}
	doc = append(bytes.Repeat([]byte("<b>x</b>"), 200000), "<script>x</script>"...)
	if found, err := Find(doc, nil); err != nil || len(found) != 1 {
		t.Fatalf("long: %v %v", found, err)
	}
}

func TestApply(t *testing.T) {
	h, err := Sources([]byte(`<script>a</script><style>s</style><p onclick="c">`), &Options{Attrs: true})
	if err != nil {
		t.Fatal(err)
	}
	p := csp.Policy{
		"default-src": {csp.Self},
		"script-src":  {csp.RequestNonce, csp.StrictDynamic},
		"style-src":   {csp.Self, csp.RequestNonce},
		"img-src":     {csp.RequestNonce},
	}
	got := h.Apply(p).String()
	sa, _ := csp.HashSource("sha256", []byte("a"))
	ss, _ := csp.HashSource("sha256", []byte("s"))
	sc, _ := csp.HashSource("sha256", []byte("c"))
	want := csp.Policy{
		"default-src": {csp.Self},
		"script-src":  {sa, sc, csp.UnsafeHashes, csp.StrictDynamic},
		"style-src":   {csp.Self, ss},
		"img-src":     {csp.None},
	}.String()
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if p["script-src"][0] != csp.RequestNonce {
		t.Error("Apply modified its input")
	}
}

func TestDecodeUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"\xEF\xBB\xBFabc", "abc"},
		{"\xE2\x82", "\uFFFD"},
		{"\xE2\x82A", "\uFFFDA"},
		{"\xF0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xC0\xAF", "\uFFFD\uFFFD"},
		{"\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"é\xFF€", "é\uFFFD€"},
	}
	for _, tt := range tests {
		if got := string(decodeUTF8([]byte(tt.in))); got != tt.want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
