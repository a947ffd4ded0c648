package policy

import (
	"fmt"
	"testing"
)

// TestConstantsValidate pins every typed constant to a value its header's
// Validate accepts, and to the exact text sent.
func TestConstantsValidate(t *testing.T) {
	type value interface {
		validate() error
	}
	tests := []struct {
		v    value
		want string
	}{
		{FrameDeny, "DENY"},
		{FrameSameOrigin, "SAMEORIGIN"},
		{NoSniff, "nosniff"},
		{XSSOff, "0"},
		{XSSOn, "1"},
		{XSSBlock, "1; mode=block"},
		{NoOpen, "noopen"},
		{CrossDomainNone, "none"},
		{CrossDomainMasterOnly, "master-only"},
		{CrossDomainByContentType, "by-content-type"},
		{CrossDomainByFTPFilename, "by-ftp-filename"},
		{CrossDomainAll, "all"},
		{CrossDomainNoneThisResponse, "none-this-response"},
		{OpenerUnsafeNone, "unsafe-none"},
		{OpenerSameOriginAllowPopups, "same-origin-allow-popups"},
		{OpenerSameOrigin, "same-origin"},
		{OpenerNoopenerAllowPopups, "noopener-allow-popups"},
		{EmbedderUnsafeNone, "unsafe-none"},
		{EmbedderRequireCORP, "require-corp"},
		{EmbedderCredentialless, "credentialless"},
		{ResourceSameSite, "same-site"},
		{ResourceSameOrigin, "same-origin"},
		{ResourceCrossOrigin, "cross-origin"},
		{OriginKeyed, "?1"},
		{SiteKeyed, "?0"},
		{DNSPrefetchOn, "on"},
		{DNSPrefetchOff, "off"},
	}
	for _, tc := range tests {
		if err := tc.v.validate(); err != nil {
			t.Errorf("%T(%q).validate() = %v", tc.v, tc.want, err)
		}
		if got := fmt.Sprint(tc.v); got != tc.want {
			t.Errorf("%T constant = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestReferrerTokens(t *testing.T) {
	all := ReferrerPolicy{
		NoReferrer, NoReferrerWhenDowngrade, Origin, OriginWhenCrossOrigin,
		SameOrigin, StrictOrigin, StrictOriginWhenCrossOrigin, UnsafeURL,
	}
	if err := all.validate(); err != nil {
		t.Errorf("validate() = %v", err)
	}
	const want = "no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url"
	if got := all.String(); got != want {
		t.Errorf("String() = %q\nwant       %q", got, want)
	}
}

func TestSetText(t *testing.T) {
	var p Policy
	if !p.SetText("cross_origin_opener_policy", string(OpenerSameOrigin)) || p.OpenerPolicy != OpenerSameOrigin {
		t.Errorf("SetText by alias spelling: %+v", p)
	}
	if !p.SetText("Cache-Control", "no-store") || p.CacheControl != "no-store" {
		t.Errorf("SetText(Cache-Control): %q", p.CacheControl)
	}
	if p.SetText("Content-Security-Policy", "default-src 'self'") || p.SetText("X-Nope", "1") {
		t.Error("SetText took a header that is not a typed string")
	}
}
