package csp

import "testing"

func TestEffective(t *testing.T) {
	p := MustParse("default-src 'self'; script-src 'none'; child-src https://c.example")
	tests := []struct {
		d    Directive
		want Directive
		ok   bool
	}{
		{ScriptSrcElem, ScriptSrc, true},
		{WorkerSrc, ChildSrc, true},
		{FrameSrc, ChildSrc, true},
		{ImgSrc, DefaultSrc, true},
		{DefaultSrc, DefaultSrc, true},
		{BaseURI, "", false}, // not a fetch directive: no fallback
	}
	for _, tt := range tests {
		if got, ok := p.Effective(tt.d); got != tt.want || ok != tt.ok {
			t.Errorf("Effective(%s) = %s, %v; want %s, %v", tt.d, got, ok, tt.want, tt.ok)
		}
	}
	if got := Fallbacks(FencedFrameSrc); len(got) != 3 || got[0] != FrameSrc {
		t.Errorf("Fallbacks(fenced-frame-src) = %v", got)
	}
	f := Fallbacks(ScriptSrcElem)
	f[0] = ImgSrc // the caller's copy
	if Fallbacks(ScriptSrcElem)[0] != ScriptSrc {
		t.Error("Fallbacks shares its slice")
	}
}
