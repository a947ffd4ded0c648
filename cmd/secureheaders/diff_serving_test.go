package main

import (
	"testing"
)

// TestHostCovered checks when an allowedHosts entry of B lets in nothing A
// did not: the same name in another case or with a final dot, a name or a
// deeper wildcard under a wildcard, an address or a range inside a range.
func TestHostCovered(t *testing.T) {
	a := []string{"Example.com", "*.example.net", "10.0.0.0/16", "2001:db8::/48", "192.0.2.7"}
	tests := []struct {
		entry string
		want  bool
	}{
		{"example.com", true},
		{"EXAMPLE.COM.", true},
		{"www.example.com", false}, // an exact name covers no subdomain
		{"api.example.net", true},
		{"a.b.example.net", true},
		{"*.eu.example.net", true},
		{"*.example.net", true},
		{"example.net", false}, // "*." is not the apex
		{"*.net", false},
		{"10.0.3.4", true},
		{"10.0.0.0/24", true},
		{"10.0.0.0/8", false},
		{"10.1.0.1", false},
		{"192.0.2.7", true},
		{"[2001:db8::1]", true},
		{"2001:db8::/32", false},
		{"192.0.2.8", false},
	}
	for _, tt := range tests {
		if got := hostCovered(a, tt.entry); got != tt.want {
			t.Errorf("hostCovered(%q) = %v, want %v", tt.entry, got, tt.want)
		}
	}
}

// TestProxyCovered checks when a trustedProxies entry of B trusts no peer A
// did not; the IPv4 and IPv6 families never cover each other.
func TestProxyCovered(t *testing.T) {
	a := []string{"10.0.0.0/8", " 192.0.2.7 ", "::1"}
	tests := []struct {
		entry string
		want  bool
	}{
		{"10.1.2.3", true},
		{"10.0.0.0/8", true},
		{"10.128.0.0/9", true},
		{"0.0.0.0/0", false},
		{"192.0.2.7", true},
		{"192.0.2.0/24", false},
		{"::1", true},
		{"::/0", false},
		{"::ffff:10.0.0.1", false},
	}
	for _, tt := range tests {
		if got := proxyCovered(a, tt.entry); got != tt.want {
			t.Errorf("proxyCovered(%q) = %v, want %v", tt.entry, got, tt.want)
		}
	}
}
