package directive

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScan(t *testing.T) {
	const (
		sep     = "separate directives with ';'"
		nameFix = "write name or name=value, separated by ';'"
		quoteFx = `end it with '"'; write \" for a quote inside it`
		byteFix = "remove it: a header value is visible ASCII, spaces and tabs; CR, LF and NUL can split or cut the header"
	)
	tests := []struct {
		name      string
		in        string
		wantItems []Item
		wantProbs []Problem
	}{
		{"empty", "", nil, nil},
		{"only separators and space", " ;\t;; ", nil, nil},
		{"valueless", "preload", []Item{{Name: "preload", Raw: "preload"}}, nil},
		{"name lower-cased, raw kept", "includeSubDomains",
			[]Item{{Name: "includesubdomains", Raw: "includeSubDomains"}}, nil},
		{"token value", "max-age=60", []Item{{Name: "max-age", Raw: "max-age", Value: "60", HasValue: true}}, nil},
		{"empty value", "a=", []Item{{Name: "a", Raw: "a", HasValue: true}}, nil},
		{"empty value before ;", "a= ;b", []Item{{Name: "a", Raw: "a", HasValue: true}, {Name: "b", Raw: "b"}}, nil},
		{"spaces around = and ;", " a \t= 1 ;\tB ", []Item{
			{Name: "a", Raw: "a", Value: "1", HasValue: true}, {Name: "b", Raw: "B"}}, nil},
		{"quoted value", `pin-sha256="x=="`, []Item{
			{Name: "pin-sha256", Raw: "pin-sha256", Value: "x==", HasValue: true, Quoted: true}}, nil},
		{"empty quoted value", `a=""`, []Item{{Name: "a", Raw: "a", HasValue: true, Quoted: true}}, nil},
		{"quoted-pairs resolved", `a="x\"y\\z\q"`, []Item{
			{Name: "a", Raw: "a", Value: `x"y\zq`, HasValue: true, Quoted: true}}, nil},
		{"separators inside quotes", `a="1;2,3"; b`, []Item{
			{Name: "a", Raw: "a", Value: "1;2,3", HasValue: true, Quoted: true}, {Name: "b", Raw: "b"}}, nil},
		{"comma", "a=1, b", []Item{{Name: "a", Raw: "a", Value: "1", HasValue: true}, {Name: "b", Raw: "b"}},
			[]Problem{{Offset: 3, Reason: "comma at offset 3: two X-Test headers were folded into one",
				Fix: "send the header once; separate directives with ';'"}}},
		{"missing ;", "a=1 b; c", []Item{{Name: "a", Raw: "a", Value: "1", HasValue: true}, {Name: "c", Raw: "c"}},
			[]Problem{{Offset: 4, Reason: "unexpected 'b' at offset 4 after a", Fix: sep}}},
		{"resync skips a quoted ;", `a "x;y"; b`, []Item{{Name: "a", Raw: "a"}, {Name: "b", Raw: "b"}},
			[]Problem{{Offset: 2, Reason: `unexpected '"' at offset 2 after a`, Fix: sep}}},
		{"no name", "=1; b", []Item{{Name: "b", Raw: "b"}},
			[]Problem{{Offset: 0, Reason: "expected a directive name at offset 0, found '='", Fix: nameFix}}},
		{"quoted name", `a; "b"`, []Item{{Name: "a", Raw: "a"}},
			[]Problem{{Offset: 3, Reason: `expected a directive name at offset 3, found '"'`, Fix: nameFix}}},
		{"name not a token", "a/b=1; c", []Item{{Name: "c", Raw: "c"}},
			[]Problem{{Offset: 0, Reason: `directive name "a/b" at offset 0 is not a token`, Fix: nameFix}}},
		{"unterminated quote ends the scan", `a=1; b="x; c`, []Item{
			{Name: "a", Raw: "a", Value: "1", HasValue: true}, {Name: "b", Raw: "b", HasValue: true, Broken: true}},
			[]Problem{{Offset: 7, Reason: "quoted-string at offset 7 has no closing quote", Fix: quoteFx}}},
		{"escaped closing quote", `b="x\"`, []Item{{Name: "b", Raw: "b", HasValue: true, Broken: true}},
			[]Problem{{Offset: 2, Reason: "quoted-string at offset 2 has no closing quote", Fix: quoteFx}}},
		{"unterminated quote while resyncing", `a "x; b`, []Item{{Name: "a", Raw: "a"}},
			[]Problem{{Offset: 2, Reason: `unexpected '"' at offset 2 after a`, Fix: sep}}},
		{"every problem in order", "=; a=1 x, b", []Item{{Name: "a", Raw: "a", Value: "1", HasValue: true}, {Name: "b", Raw: "b"}},
			[]Problem{
				{Offset: 0, Reason: "expected a directive name at offset 0, found '='", Fix: nameFix},
				{Offset: 7, Reason: "unexpected 'x' at offset 7 after a", Fix: sep},
				{Offset: 8, Reason: "comma at offset 8: two X-Test headers were folded into one",
					Fix: "send the header once; separate directives with ';'"},
			}},
		{"tab allowed", "a\t;\tb", []Item{{Name: "a", Raw: "a"}, {Name: "b", Raw: "b"}}, nil},
		{"CR refused, nothing scanned", "a=1\r\nb: c", nil,
			[]Problem{{Offset: 3, Reason: `byte '\r' at offset 3 is not allowed in a header value`, Fix: byteFix}}},
		{"NUL inside quotes refused", "a=\"\x00\"", nil,
			[]Problem{{Offset: 3, Reason: `byte '\x00' at offset 3 is not allowed in a header value`, Fix: byteFix}}},
		{"non-ASCII after a tab", "a;\tb\u00e9", nil,
			[]Problem{{Offset: 4, Reason: "byte 0xC3 at offset 4 is not allowed in a header value", Fix: byteFix}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, probs := Scan(tt.in, "X-Test")
			if diff := cmp.Diff(tt.wantItems, items); diff != "" {
				t.Errorf("Scan(%q) items (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.wantProbs, probs); diff != "" {
				t.Errorf("Scan(%q) problems (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCheckBytes(t *testing.T) {
	tests := []struct {
		in   string
		want int // offset of the problem, -1 for none
	}{
		{"", -1},
		{"max-age=1; preload", -1},
		{"\t\t \t", -1},
		{"~!\"#$%&'()*+,-./:<=>?@[\\]^_`{|}", -1},
		{"\t\x7f", 1},
		{"a\nb", 1},
		{"\x00", 0},
		{"ab\xff", 2},
		{"\t\t\x01", 2},
	}
	for _, tt := range tests {
		got := -1
		if p := CheckBytes(tt.in); p != nil {
			got = p.Offset
		}
		if got != tt.want {
			t.Errorf("CheckBytes(%q) offset = %d, want %d", tt.in, got, tt.want)
		}
	}
}
