package policy_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/secureheaders/secureheaders/policy"
)

// TestConstantsValidate pins every typed constant to a value its header's
// Validate accepts, and to the exact text sent.
func TestConstantsValidate(t *testing.T) {
	type value interface {
		Validate() error
	}
	tests := []struct {
		v    value
		want string
	}{
		{policy.FrameDeny, "DENY"},
		{policy.FrameSameOrigin, "SAMEORIGIN"},
		{policy.NoSniff, "nosniff"},
		{policy.XSSOff, "0"},
		{policy.XSSOn, "1"},
		{policy.XSSBlock, "1; mode=block"},
		{policy.NoOpen, "noopen"},
		{policy.CrossDomainNone, "none"},
		{policy.CrossDomainMasterOnly, "master-only"},
		{policy.CrossDomainByContentType, "by-content-type"},
		{policy.CrossDomainByFTPFilename, "by-ftp-filename"},
		{policy.CrossDomainAll, "all"},
		{policy.CrossDomainNoneThisResponse, "none-this-response"},
		{policy.OpenerUnsafeNone, "unsafe-none"},
		{policy.OpenerSameOriginAllowPopups, "same-origin-allow-popups"},
		{policy.OpenerSameOrigin, "same-origin"},
		{policy.OpenerNoopenerAllowPopups, "noopener-allow-popups"},
		{policy.EmbedderUnsafeNone, "unsafe-none"},
		{policy.EmbedderRequireCORP, "require-corp"},
		{policy.EmbedderCredentialless, "credentialless"},
		{policy.ResourceSameSite, "same-site"},
		{policy.ResourceSameOrigin, "same-origin"},
		{policy.ResourceCrossOrigin, "cross-origin"},
		{policy.OriginKeyed, "?1"},
		{policy.SiteKeyed, "?0"},
		{policy.DNSPrefetchOn, "on"},
		{policy.DNSPrefetchOff, "off"},
	}
	for _, tc := range tests {
		if err := tc.v.Validate(); err != nil {
			t.Errorf("%T(%q).Validate() = %v", tc.v, tc.want, err)
		}
		if got := fmt.Sprint(tc.v); got != tc.want {
			t.Errorf("%T constant = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestReferrerTokens(t *testing.T) {
	all := policy.ReferrerPolicy{
		policy.NoReferrer, policy.NoReferrerWhenDowngrade, policy.Origin, policy.OriginWhenCrossOrigin,
		policy.SameOrigin, policy.StrictOrigin, policy.StrictOriginWhenCrossOrigin, policy.UnsafeURL,
	}
	if err := all.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	const want = "no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url"
	if got := all.String(); got != want {
		t.Errorf("String() = %q\nwant       %q", got, want)
	}
	// A JSON configuration decodes to the same typed tokens.
	cfg, err := policy.DecodeConfig([]byte(`{"preset": "none", "update": {"Referrer-Policy": "no-referrer, strict-origin-when-cross-origin"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Policy.ReferrerPolicy, (policy.ReferrerPolicy{policy.NoReferrer, policy.StrictOriginWhenCrossOrigin}); !slices.Equal(got, want) {
		t.Errorf("decoded %v, want %v", got, want)
	}
}
