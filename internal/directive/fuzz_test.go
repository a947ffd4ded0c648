package directive

import (
	"strings"
	"testing"
)

// FuzzScan checks that Scan never panics, that no Item holds a byte that
// could split a header, that names are lower-case tokens, that offsets point
// into the input, and that a value written back as a quoted-string scans to
// the same Item.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"", "max-age=31536000; includeSubDomains; preload", `pin-sha256="a+/="; max-age=1; report-uri="/r"`,
		" ;\ta = \"1\" ;; ", `a="x\"y\\z"`, `a="x\`, `a "b;c"; d`, "a=1, b", "=", `"`, "a=1\r\nb", "a\x00",
		"\xc3\xa9", "a=b=c", "a;=;b", `a="";b=`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		items, probs := Scan(h, "X-Test")
		clean := CheckBytes(h) == nil
		if !clean && (items != nil || len(probs) != 1) {
			t.Fatalf("Scan(%q) with a bad byte = %d items, %d problems; want none and one", h, len(items), len(probs))
		}
		for _, p := range probs {
			if p.Offset < 0 || p.Offset >= len(h) {
				t.Fatalf("Scan(%q): problem offset %d outside the input", h, p.Offset)
			}
			if p.Reason == "" || p.Fix == "" {
				t.Fatalf("Scan(%q): problem %+v lacks a reason or a fix", h, p)
			}
		}
		for i, it := range items {
			for _, s := range []string{it.Name, it.Raw, it.Value} {
				if strings.ContainsAny(s, "\r\n\x00") {
					t.Fatalf("Scan(%q) item %d %+v holds CR, LF or NUL", h, i, it)
				}
			}
			if it.Name == "" || it.Name != strings.ToLower(it.Raw) || strings.ContainsAny(it.Raw, " \t;,=\"") {
				t.Fatalf("Scan(%q) item %d has name %q, raw %q", h, i, it.Name, it.Raw)
			}
			if it.Broken && (i != len(items)-1 || it.Value != "" || !it.HasValue) {
				t.Fatalf("Scan(%q) broken item %d %+v is not the last or has a value", h, i, it)
			}
			if !it.HasValue && (it.Value != "" || it.Quoted) {
				t.Fatalf("Scan(%q) item %d %+v has a value without '='", h, i, it)
			}
			if it.Broken || !it.HasValue {
				continue
			}
			again := it.Raw + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(it.Value) + `"`
			got, gotProbs := Scan(again, "X-Test")
			want := it
			want.Quoted = true
			if len(gotProbs) != 0 || len(got) != 1 || got[0] != want {
				t.Fatalf("Scan(%q) = %+v, %+v; want %+v (from Scan(%q))", again, got, gotProbs, want, h)
			}
		}
	})
}
