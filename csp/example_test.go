package csp_test

import (
	"errors"
	"fmt"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

func ExampleParse() {
	p, err := csp.Parse("script-src self nonce strict-dynamic; default-src 'none'; img-src 'self' data:; upgrade-insecure-requests")
	if err != nil {
		panic(err)
	}
	fmt.Println(p)
	fmt.Println(p[csp.ScriptSrc][1] == csp.RequestNonce)
	// Output:
	// default-src 'none'; img-src 'self' data:; script-src 'self' 'nonce-{nonce}' 'strict-dynamic'; upgrade-insecure-requests
	// true
}

// Parse reports every problem at once, each with its path and a fix.
func ExampleParse_errors() {
	_, err := csp.Parse("default-src 'self'; scirpt-src 'self'; img-src 'slef' unsafe-inlin; object-src")
	fmt.Println(err)

	var first *policy.Error // the module's one configuration error type
	if errors.As(err, &first) {
		fmt.Printf("%s | %s\n", first.Path, first.Fix)
	}
	// Output:
	// scirpt-src: unknown directive (did you mean "script-src"?)
	// img-src[0]: unknown keyword "'slef'" (did you mean "'self'"?)
	// img-src[1]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)
	// object-src: empty source list (write 'none' to allow nothing)
	// scirpt-src | did you mean "script-src"?
}

func ExampleParseSource() {
	for _, s := range []string{"self", "'unsafe-inline'", "selfie.example.com", "HTTPS://CDN.example.com", "nonce"} {
		src, err := csp.ParseSource(s)
		fmt.Println(src.Kind, src, err)
	}
	// Output:
	// keyword 'self' <nil>
	// keyword 'unsafe-inline' <nil>
	// host selfie.example.com <nil>
	// host https://cdn.example.com <nil>
	// nonce slot 'nonce-{nonce}' <nil>
}

func ExampleUpdate() {
	base := csp.MustParse("default-src 'self'; object-src 'none'")
	route := csp.Policy{
		csp.ImgSrc:    {{Kind: csp.Host, Value: "https://img.example"}},
		csp.ObjectSrc: {{Kind: csp.Host, Value: "https://player.example"}},
	}
	fmt.Println(csp.Update(base, route))
	fmt.Println(base) // unchanged
	// Output:
	// default-src 'self'; img-src 'self' https://img.example; object-src https://player.example
	// default-src 'self'; object-src 'none'
}

func ExamplePolicy_Template() {
	p := csp.MustParse("default-src 'self'; script-src 'self' nonce; style-src 'self' nonce")
	parts := p.Template()
	fmt.Printf("%q\n", parts)

	// What a header writer does for each response, with a fresh nonce:
	nonce := "rAnd0m=="
	value := parts[0]
	for _, part := range parts[1:] {
		value += nonce + part
	}
	fmt.Println(value)
	// Output:
	// ["default-src 'self'; script-src 'self' 'nonce-" "'; style-src 'self' 'nonce-" "'"]
	// default-src 'self'; script-src 'self' 'nonce-rAnd0m=='; style-src 'self' 'nonce-rAnd0m=='
}

func ExampleHashSource() {
	h, err := csp.HashSource("sha256", []byte("alert(1)"))
	if err != nil {
		panic(err)
	}
	p := csp.Policy{csp.ScriptSrc: {csp.Self, h}}
	fmt.Println(p)
	// Output:
	// script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='
}
