package hdrset_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	render "github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/policy"
)

// nonced is the Recommended policy with the nonce slot in script-src and a
// report-only CSP that carries it twice.
func nonced() policy.Policy {
	p := policy.Recommended()
	p.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}
	p.CSPReportOnly = csp.Policy{
		csp.DefaultSrc:              {csp.None},
		csp.ScriptSrc:               {csp.RequestNonce},
		csp.StyleSrc:                {csp.RequestNonce},
		csp.UpgradeInsecureRequests: {},
	}
	return p
}

// pins is a valid HPKP policy (two pins).
func pins() *hpkp.Policy {
	return &hpkp.Policy{
		Pins: []hpkp.Pin{
			{Alg: "sha256", Hash: "d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="},
			{Alg: "sha256", Hash: "E9CZ9INDbd+2eRQozYqqbQ2yXLVKB9+xcprMF+44U1g="},
		},
		MaxAge: 30 * 24 * time.Hour,
	}
}

// fill replaces the nonce placeholder of a Fields value with n.
func fill(v, n string) string { return strings.ReplaceAll(v, "{nonce}", n) }

// want returns the header map Write must produce for set's variant, with
// the nonce n in every slot.
// vo is the Secure or Plain variant.
func vo(secure bool) render.Variant { return render.VariantOf(secure, false) }

func want(set *render.Set, secure bool, n string) http.Header {
	h := http.Header{}
	for i, f := range set.Fields(vo(secure)) {
		h[set.Keys(vo(secure))[i]] = []string{fill(f.Value, n)}
	}
	return h
}

func TestCompileRejectsInvalid(t *testing.T) {
	tests := []struct {
		name  string
		p     policy.Policy
		paths []string
	}{
		{
			name:  "one",
			p:     policy.Policy{FrameOptions: "BAD"},
			paths: []string{"x-frame-options"},
		},
		{
			name: "every problem joined",
			p: policy.Policy{
				CSP:          csp.Policy{csp.ScriptSrc: {{Kind: csp.Keyword, Value: "unsafe-inlin"}}},
				HSTS:         &hsts.Policy{MaxAge: -time.Second},
				FrameOptions: "BAD",
			},
			paths: []string{"csp.script-src[0]", "hsts.max-age", "x-frame-options"},
		},
		{
			name:  "HPKP with one pin",
			p:     policy.Policy{HPKP: &hpkp.Policy{Pins: pins().Pins[:1], MaxAge: time.Hour}},
			paths: []string{"hpkp"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := render.Compile(tt.p)
			if err == nil {
				t.Fatal("Compile: no error")
			}
			if set != nil {
				t.Errorf("Compile returned a *Set with the error")
			}
			var paths []string
			for e := range policy.AllErrors(err) {
				paths = append(paths, e.Path)
			}
			// Only the header part of the path is compared: the leaf
			// packages own the exact item paths.
			for i, p := range paths {
				if i < len(tt.paths) && strings.HasPrefix(p, tt.paths[i]) {
					paths[i] = tt.paths[i]
				}
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("error paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if !panics(func() { render.MustCompile(tt.p) }) {
				t.Errorf("MustCompile did not panic")
			}
		})
	}
}

func panics(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

func TestCompileVariants(t *testing.T) {
	p := nonced()
	p.HPKP = pins()
	set := render.MustCompile(p)

	secure := []policy.Field{
		{Name: "Content-Security-Policy", Value: "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; upgrade-insecure-requests"},
		{Name: "Content-Security-Policy-Report-Only", Value: "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; upgrade-insecure-requests"},
		{Name: "Strict-Transport-Security", Value: "max-age=31536000; includeSubDomains"},
		{Name: "Public-Key-Pins", Value: `pin-sha256="d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="; pin-sha256="E9CZ9INDbd+2eRQozYqqbQ2yXLVKB9+xcprMF+44U1g="; max-age=2592000`},
		{Name: "X-Frame-Options", Value: "SAMEORIGIN"},
		{Name: "X-Content-Type-Options", Value: "nosniff"},
		{Name: "Referrer-Policy", Value: "strict-origin-when-cross-origin"},
		{Name: "Cross-Origin-Opener-Policy", Value: "same-origin"},
		{Name: "Cross-Origin-Resource-Policy", Value: "same-origin"},
		{Name: "Origin-Agent-Cluster", Value: "?1"},
		{Name: "X-XSS-Protection", Value: "0"},
		{Name: "X-DNS-Prefetch-Control", Value: "off"},
		{Name: "X-Download-Options", Value: "noopen"},
		{Name: "X-Permitted-Cross-Domain-Policies", Value: "none"},
	}
	plain := []policy.Field{
		{Name: "Content-Security-Policy", Value: "default-src 'none'; connect-src 'self'; font-src 'self'; frame-src 'self'; img-src 'self' data:; manifest-src 'self'; media-src 'self'; object-src 'none'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; style-src 'self'; worker-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"},
		{Name: "Content-Security-Policy-Report-Only", Value: "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'"},
		secure[4], secure[5], secure[6], secure[7], secure[8], secure[9], secure[10], secure[11], secure[12], secure[13],
	}
	ignoreParts := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Parts" }, cmp.Ignore())
	for _, tt := range []struct {
		name   string
		secure bool
		want   []policy.Field
	}{
		{"secure", true, secure},
		{"plain", false, plain},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := set.Fields(vo(tt.secure))
			if diff := cmp.Diff(tt.want, got, ignoreParts); diff != "" {
				t.Errorf("Fields(%v) (-want +got):\n%s", tt.secure, diff)
			}
			for _, f := range got {
				if j := strings.Join(f.Parts, "{nonce}"); j != f.Value {
					t.Errorf("%s: Parts joined = %q, Value %q", f.Name, j, f.Value)
				}
			}
			if n := set.Len(vo(tt.secure)); n != len(tt.want) {
				t.Errorf("Len(%v) = %d, want %d", tt.secure, n, len(tt.want))
			}
			h := http.Header{}
			set.Write(h, vo(tt.secure), "")
			for _, k := range []string{"Strict-Transport-Security", "Public-Key-Pins"} {
				if _, ok := h[k]; ok != tt.secure {
					t.Errorf("%s written: %v, want %v", k, ok, tt.secure)
				}
			}
			if got := strings.Contains(h.Get("Content-Security-Policy"), "upgrade-insecure-requests"); got != tt.secure {
				t.Errorf("CSP has upgrade-insecure-requests: %v, want %v", got, tt.secure)
			}
		})
	}
	// Compile keeps nothing of p: changing p afterwards changes no header.
	before := set.Fields(vo(true))
	p.CSP[csp.DefaultSrc][0] = csp.None
	p.FrameOptions = policy.FrameDeny
	if diff := cmp.Diff(before, set.Fields(vo(true))); diff != "" {
		t.Errorf("set changed with its policy (-before +after):\n%s", diff)
	}
}

func TestKeys(t *testing.T) {
	set := render.MustCompile(policy.Recommended())
	wantKeys := []string{
		"Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options",
		"X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy",
		"Cross-Origin-Resource-Policy", "Origin-Agent-Cluster", "X-Xss-Protection",
		"X-Dns-Prefetch-Control", "X-Download-Options", "X-Permitted-Cross-Domain-Policies",
	}
	if diff := cmp.Diff(wantKeys, set.Keys(vo(true))); diff != "" {
		t.Errorf("Keys(true) (-want +got):\n%s", diff)
	}
	plainKeys := append(wantKeys[:1:1], wantKeys[2:]...)
	if diff := cmp.Diff(plainKeys, set.Keys(vo(false))); diff != "" {
		t.Errorf("Keys(false) (-want +got):\n%s", diff)
	}
	for _, k := range set.Keys(vo(true)) {
		if c := http.CanonicalHeaderKey(k); c != k {
			t.Errorf("key %q is not canonical (%q)", k, c)
		}
	}
}

func TestZeroAndNilSet(t *testing.T) {
	for name, set := range map[string]*render.Set{
		"nil":         nil,
		"zero":        {},
		"zero policy": render.MustCompile(policy.Policy{}),
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{"X-App": {"1"}}
			for _, secure := range []bool{true, false} {
				if n := set.Write(h, vo(secure), ""); n != "" {
					t.Errorf("Write(secure=%v) nonce = %q, want none", secure, n)
				}
				if set.Len(vo(secure)) != 0 || set.Keys(vo(secure)) != nil || set.Fields(vo(secure)) != nil {
					t.Errorf("Len/Keys/Fields(%v) not empty", secure)
				}
			}
			if diff := cmp.Diff(http.Header{"X-App": {"1"}}, h); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if set.HasNonce() {
				t.Error("HasNonce = true")
			}
		})
	}
}

func TestWriteReplacesPreviousValues(t *testing.T) {
	set := render.MustCompile(policy.Recommended())
	h := http.Header{
		"X-Frame-Options":  {"ALLOW-FROM https://evil.example"},
		"X-Xss-Protection": {"1", "1; mode=block"},
		"Content-Type":     {"text/html"},
	}
	if n := set.Write(h, vo(true), ""); n != "" {
		t.Errorf("nonce %q from a policy without a slot", n)
	}
	w := want(set, true, "")
	w["Content-Type"] = []string{"text/html"}
	if diff := cmp.Diff(w, h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if got := h.Values("X-XSS-Protection"); len(got) != 1 || got[0] != "0" {
		t.Errorf("X-XSS-Protection = %q, want [0]", got)
	}
}

func TestWriteNonce(t *testing.T) {
	set := render.MustCompile(nonced())
	if !set.HasNonce() {
		t.Fatal("HasNonce = false")
	}
	seen := map[string]bool{}
	for i := range 1000 {
		for _, secure := range []bool{true, false} {
			h := http.Header{}
			n := set.Write(h, vo(secure), "")
			if len(n) != render.NonceLen {
				t.Fatalf("nonce %q: length %d, want 22", n, len(n))
			}
			raw, err := base64.RawURLEncoding.DecodeString(n)
			if err != nil || len(raw) != render.NonceBytes {
				t.Fatalf("nonce %q: %d bytes, %v; want 16 bytes of unpadded base64url", n, len(raw), err)
			}
			if strings.ContainsAny(n, "+/=") {
				t.Fatalf("nonce %q holds a byte html/template escapes in an attribute", n)
			}
			if seen[n] {
				t.Fatalf("nonce %q repeated after %d responses", n, i)
			}
			seen[n] = true
			if i == 0 {
				if diff := cmp.Diff(want(set, secure, n), h); diff != "" {
					t.Errorf("secure=%v header (-want +got):\n%s", secure, diff)
				}
			}
			// The same nonce in the enforced and the report-only policy.
			for _, k := range []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"} {
				if !strings.Contains(h.Get(k), "'nonce-"+n+"'") {
					t.Fatalf("%s = %q lacks 'nonce-%s'", k, h.Get(k), n)
				}
				if c := strings.Count(h.Get(k), "'nonce-"); c != strings.Count(h.Get(k), "'nonce-"+n+"'") {
					t.Fatalf("%s = %q holds another nonce", k, h.Get(k))
				}
			}
		}
	}
}

func TestWriteGivenNonce(t *testing.T) {
	set := render.MustCompile(nonced())
	const n = "AAAAAAAAAAAAAAAAAAAAAA=="
	h := http.Header{}
	if got := set.Write(h, vo(true), n); got != n {
		t.Errorf("Write returned nonce %q, want the given %q", got, n)
	}
	if diff := cmp.Diff(want(set, true, n), h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

// TestWriteNoSharedSlices guards against rs/cors issue #198: a handler that
// edits w.Header()[k] in place, or appends to it, must not change what
// another key or another response gets.
func TestWriteNoSharedSlices(t *testing.T) {
	for _, tt := range []struct {
		name string
		p    policy.Policy
	}{
		{"no nonce", policy.Recommended()},
		{"nonce", nonced()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := render.MustCompile(tt.p)
			keys := set.Keys(vo(true))
			h1 := http.Header{}
			n1 := set.Write(h1, render.Secure, "")
			w1 := want(set, true, n1)

			// Appending to one key's slice must not overwrite the next key's.
			for _, k := range keys {
				h1[k] = append(h1[k], "appended")
			}
			for _, k := range keys {
				if diff := cmp.Diff(append(w1[k][:1:1], "appended"), h1[k]); diff != "" {
					t.Fatalf("%s after appending to every key (-want +got):\n%s", k, diff)
				}
			}
			// Overwrite every value in place, then serve another response.
			for _, k := range keys {
				h1[k][0] = "corrupted"
			}
			h2 := http.Header{}
			n2 := set.Write(h2, render.Secure, "")
			if diff := cmp.Diff(want(set, true, n2), h2); diff != "" {
				t.Errorf("next response after the first was edited (-want +got):\n%s", diff)
			}
			for _, k := range keys {
				if unsafe.SliceData(h1[k]) == unsafe.SliceData(h2[k]) {
					t.Errorf("%s: two responses share one backing array", k)
				}
			}
		})
	}
}

func TestWriteInto(t *testing.T) {
	set := render.MustCompile(nonced())
	vals := make([]string, set.Len(vo(true))+2)
	buf := make([]byte, set.BufLen(vo(true))+5)
	sc := &render.Scratch{Vals: vals, Buf: buf}
	h := http.Header{}
	n := set.WriteInto(h, vo(true), "", sc)
	if diff := cmp.Diff(want(set, true, n), h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if unsafe.SliceData(h["Content-Security-Policy"]) != &vals[0] {
		t.Error("WriteInto did not use the given backing array")
	}
	if cspValue := h["Content-Security-Policy"][0]; unsafe.StringData(cspValue) != &buf[0] {
		t.Error("WriteInto did not build the nonce-bearing value in the given buffer")
	}
	if len(sc.Vals) != 2 || len(sc.Buf) != 5 {
		t.Errorf("scratch left: %d slots, %d bytes; want 2 and 5", len(sc.Vals), len(sc.Buf))
	}
	// A scratch too small for the next write makes it allocate, and the
	// strings already handed out stay intact.
	before := h.Clone()
	h2 := http.Header{}
	n2 := set.WriteInto(h2, render.Secure, "", sc)
	if diff := cmp.Diff(want(set, true, n2), h2); diff != "" {
		t.Errorf("second write (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, h); diff != "" {
		t.Errorf("first response changed by the second write (-want +got):\n%s", diff)
	}
	var nilSet *render.Set
	if got := nilSet.WriteInto(h, vo(true), "", nil); got != "" {
		t.Errorf("nil Set WriteInto = %q", got)
	}
}

func TestMustCompilePanicMessage(t *testing.T) {
	defer func() {
		r := recover()
		s, _ := r.(string)
		if !strings.HasPrefix(s, "render: x-frame-options") {
			t.Errorf("panic value %#v, want a string starting with %q", r, "render: x-frame-options")
		}
	}()
	render.MustCompile(policy.Policy{FrameOptions: "nope"})
}

func TestCompileErrorIsTyped(t *testing.T) {
	_, err := render.Compile(policy.Policy{FrameOptions: "nope"})
	var pe *policy.Error
	if !errors.As(err, &pe) || pe.Path != "x-frame-options" || pe.Fix == "" {
		t.Errorf("error %v: want a *policy.Error for x-frame-options with a fix", err)
	}
}

// TestCompileSecureNoHSTS checks the third variant: the secure headers
// without Strict-Transport-Security and Public-Key-Pins, CSP's
// upgrade-insecure-requests kept.
func TestCompileSecureNoHSTS(t *testing.T) {
	p := policy.Recommended()
	p.CSP = csp.MustParse("default-src 'self'; script-src 'nonce-{nonce}'; upgrade-insecure-requests")
	set := render.MustCompile(p)
	var want []string
	for _, k := range set.Keys(render.Secure) {
		if k != "Strict-Transport-Security" && k != "Public-Key-Pins" {
			want = append(want, k)
		}
	}
	if diff := cmp.Diff(want, set.Keys(render.SecureNoHSTS)); diff != "" {
		t.Errorf("Keys(SecureNoHSTS) (-want +got):\n%s", diff)
	}
	h := http.Header{}
	n := set.Write(h, render.SecureNoHSTS, "")
	if h.Get("Strict-Transport-Security") != "" || !strings.Contains(h.Get("Content-Security-Policy"), "upgrade-insecure-requests") || n == "" {
		t.Errorf("SecureNoHSTS wrote %v (nonce %q)", h, n)
	}
	if render.VariantOf(false, true) != render.Plain || render.VariantOf(true, true) != render.SecureNoHSTS || render.VariantOf(true, false) != render.Secure {
		t.Error("VariantOf")
	}
}
