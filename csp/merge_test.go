package csp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

var cdn = Source{Host, "https://cdn.example"}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name      string
		base, add Policy
		want      Policy
	}{
		{"both nil", nil, nil, nil},
		{"both empty", Policy{}, Policy{}, nil},
		{"add nothing", Policy{DefaultSrc: {Self}}, nil, Policy{DefaultSrc: {Self}}},
		{"to nothing", nil, Policy{ScriptSrc: {Self}}, Policy{ScriptSrc: {Self}}},
		{"union in order, duplicates dropped",
			Policy{ScriptSrc: {Self, cdn}},
			Policy{ScriptSrc: {RequestNonce, cdn, Self, StrictDynamic, RequestNonce}},
			Policy{ScriptSrc: {Self, cdn, RequestNonce, StrictDynamic}}},
		{"base duplicates kept as they are",
			Policy{ScriptSrc: {Self, Self}}, Policy{ScriptSrc: {Self}}, Policy{ScriptSrc: {Self, Self}}},
		{"none replaced",
			Policy{ScriptSrc: {None}}, Policy{ScriptSrc: {Self}}, Policy{ScriptSrc: {Self}}},
		{"adding none changes nothing",
			Policy{ScriptSrc: {Self}}, Policy{ScriptSrc: {None}}, Policy{ScriptSrc: {Self}}},
		{"none to none",
			Policy{ScriptSrc: {None}}, Policy{ScriptSrc: {None}}, Policy{ScriptSrc: {None}}},
		{"trusted-types none replaced",
			Policy{TrustedTypes: {tok("'none'")}}, Policy{TrustedTypes: {tok("app")}}, Policy{TrustedTypes: {tok("app")}}},
		{"seeded from default-src",
			Policy{DefaultSrc: {Self, cdn}},
			Policy{ImgSrc: {{Scheme, "data:"}}},
			Policy{DefaultSrc: {Self, cdn}, ImgSrc: {Self, cdn, {Scheme, "data:"}}}},
		{"seeded from default-src 'none'",
			Policy{DefaultSrc: {None}},
			Policy{ScriptSrc: {Self, RequestNonce}},
			Policy{DefaultSrc: {None}, ScriptSrc: {Self, RequestNonce}}},
		{"seeded from the nearest fallback",
			Policy{DefaultSrc: {None}, ScriptSrc: {Self}, ChildSrc: {cdn}},
			Policy{ScriptSrcElem: {RequestNonce}, WorkerSrc: {{Scheme, "blob:"}}, FencedFrameSrc: {Self}},
			Policy{DefaultSrc: {None}, ScriptSrc: {Self}, ChildSrc: {cdn},
				ScriptSrcElem: {Self, RequestNonce}, WorkerSrc: {cdn, {Scheme, "blob:"}}, FencedFrameSrc: {cdn, Self}}},
		{"add's default-src does not seed",
			Policy{},
			Policy{DefaultSrc: {Self}, ImgSrc: {cdn}},
			Policy{DefaultSrc: {Self}, ImgSrc: {cdn}}},
		{"no seed without a fallback in base",
			Policy{ObjectSrc: {None}},
			Policy{ImgSrc: {cdn}},
			Policy{ObjectSrc: {None}, ImgSrc: {cdn}}},
		{"non-fetch directives are not seeded",
			Policy{DefaultSrc: {None}},
			Policy{BaseURI: {Self}, FormAction: {Self}, FrameAncestors: {Self}},
			Policy{DefaultSrc: {None}, BaseURI: {Self}, FormAction: {Self}, FrameAncestors: {Self}}},
		{"default-src itself is unioned",
			Policy{DefaultSrc: {Self}}, Policy{DefaultSrc: {cdn}}, Policy{DefaultSrc: {Self, cdn}}},
		{"valueless directives",
			Policy{UpgradeInsecureRequests: nil},
			Policy{Sandbox: nil},
			Policy{UpgradeInsecureRequests: nil, Sandbox: nil}},
		{"sandbox flags unioned",
			Policy{Sandbox: {tok("allow-forms")}}, Policy{Sandbox: {tok("allow-scripts")}},
			Policy{Sandbox: {tok("allow-forms"), tok("allow-scripts")}}},
		{"report-to replaced",
			Policy{ReportTo: {tok("old")}}, Policy{ReportTo: {tok("new")}}, Policy{ReportTo: {tok("new")}}},
		{"report-uri unioned",
			Policy{ReportURI: {tok("/a")}}, Policy{ReportURI: {tok("/b")}}, Policy{ReportURI: {tok("/a"), tok("/b")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, add := tt.base.Clone(), tt.add.Clone()
			got := Update(tt.base, tt.add)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Update (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(base, tt.base); diff != "" {
				t.Errorf("Update changed base (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(add, tt.add); diff != "" {
				t.Errorf("Update changed add (-before +after):\n%s", diff)
			}
			// Idempotence: adding the same thing again changes nothing.
			if diff := cmp.Diff(got, Update(got, tt.add)); diff != "" {
				t.Errorf("Update(Update(base, add), add) != Update(base, add) (-once +twice):\n%s", diff)
			}
			// Valid inputs give a valid result.
			if tt.base.Validate() == nil && tt.add.Validate() == nil {
				if err := got.Validate(); err != nil {
					t.Errorf("Update of valid policies is invalid: %v", err)
				}
			}
		})
	}
}

func TestUpdateIdentity(t *testing.T) {
	p := MustParse("default-src 'self'; script-src 'self' nonce https://cdn.example; object-src 'none'; " +
		"sandbox allow-scripts; upgrade-insecure-requests; report-to g")
	for name, got := range map[string]Policy{
		"Update(p, nil)":      Update(p, nil),
		"Update(p, Policy{})": Update(p, Policy{}),
		"Update(nil, p)":      Update(nil, p),
		"Update(p, p)":        Update(p, p),
	} {
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("%s != p (-want +got):\n%s", name, diff)
		}
	}
}

func TestUpdateNoAliasing(t *testing.T) {
	base := MustParse("default-src 'self'; script-src 'self'; upgrade-insecure-requests")
	add := MustParse("script-src https://cdn.example; img-src data:")
	baseBefore, addBefore := base.Clone(), add.Clone()

	got := Update(base, add)
	gotBefore := got.Clone()

	// Writing through the result must not reach the inputs...
	for d, srcs := range got {
		for i := range srcs {
			srcs[i] = Source{Host, "evil.example"}
		}
		got[d] = append(srcs, UnsafeInline)
	}
	got[ObjectSrc] = []Source{Self}
	if diff := cmp.Diff(baseBefore, base); diff != "" {
		t.Errorf("changing the result changed base (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(addBefore, add); diff != "" {
		t.Errorf("changing the result changed add (-before +after):\n%s", diff)
	}

	// ...and writing through the inputs must not reach a fresh result.
	got = Update(base, add)
	for _, p := range []Policy{base, add} {
		for d, srcs := range p {
			for i := range srcs {
				srcs[i] = Source{Host, "evil.example"}
			}
			p[d] = srcs
		}
	}
	if diff := cmp.Diff(gotBefore, got); diff != "" {
		t.Errorf("changing the inputs changed the result (-before +after):\n%s", diff)
	}
}

func TestClone(t *testing.T) {
	var nilPolicy Policy
	if nilPolicy.Clone() != nil {
		t.Error("nil.Clone() != nil")
	}
	p := Policy{DefaultSrc: {Self}, UpgradeInsecureRequests: nil, Sandbox: {}}
	c := p.Clone()
	if diff := cmp.Diff(p, c); diff != "" {
		t.Fatalf("Clone (-want +got):\n%s", diff)
	}
	c[DefaultSrc][0] = None
	c[ImgSrc] = []Source{Self}
	if p[DefaultSrc][0] != Self || len(p) != 3 {
		t.Errorf("changing the clone changed the original: %v", p)
	}
}
