package render_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

func TestWriteVariants(t *testing.T) {
	p := policy.None()
	p.CSP = csp.Policy{csp.DefaultSrc: {csp.Self}, csp.UpgradeInsecureRequests: nil}
	p.FrameOptions = policy.FrameDeny
	set, err := render.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		secure bool
		want   http.Header
	}{
		{true, http.Header{
			"Content-Security-Policy": {"default-src 'self'; upgrade-insecure-requests"},
			"X-Frame-Options":         {"DENY"},
		}},
		{false, http.Header{
			"Content-Security-Policy": {"default-src 'self'"},
			"X-Frame-Options":         {"DENY"},
		}},
	}
	for _, tt := range tests {
		h := http.Header{}
		set.Write(h, tt.secure, "")
		if diff := cmp.Diff(tt.want, h); diff != "" {
			t.Errorf("secure=%v (-want +got):\n%s", tt.secure, diff)
		}
	}
	var nilSet *render.Set
	if n := nilSet.Write(http.Header{}, true, "x"); n != "x" || nilSet.HasNonce() || nilSet.Fields(true) != nil {
		t.Error("a nil *Set must write nothing")
	}
}

func TestCompileError(t *testing.T) {
	p := policy.None()
	p.CSP = csp.Policy{"scirpt-src": {csp.Self}}
	set, err := render.Compile(p)
	if set != nil || err == nil {
		t.Fatalf("Compile = %v, %v; want nil and an error", set, err)
	}
	for e := range policy.AllErrors(err) {
		if !strings.HasPrefix(e.Path, "csp") {
			t.Errorf("error path %q does not start at csp", e.Path)
		}
	}
}

func ExampleSet_Write() {
	p := policy.None()
	p.CSP = csp.Policy{csp.ScriptSrc: {csp.Self, csp.RequestNonce}}
	set, err := render.Compile(p)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	nonce := set.Write(h, true, "")
	fmt.Println(len(nonce), strings.ReplaceAll(h.Get("Content-Security-Policy"), nonce, "{nonce}"))
	for _, f := range set.Fields(true) {
		fmt.Printf("%s: %s\n", f.Name, f.Value)
	}
	// Output:
	// 22 script-src 'self' 'nonce-{nonce}'
	// Content-Security-Policy: script-src 'self' 'nonce-{nonce}'
}
