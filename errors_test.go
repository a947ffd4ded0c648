package secureheaders_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	secureheaders "github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// TestEngineErrorText pins the exact text of engine-level configuration
// errors: each path printed once, every error a *policy.Error, all of them
// reported together.
func TestEngineErrorText(t *testing.T) {
	tests := []struct {
		name string
		opts secureheaders.Options
		want []string
	}{
		{"bad pattern, path once", secureheaders.Options{Routes: []policy.Route{{Pattern: "/a/{x"}}}, []string{
			`routes./a/{x: invalid ServeMux pattern: at offset 3: bad wildcard segment (must end with '}') (write "/path/", "GET /api/{id}" or "example.com/path")`,
		}},
		{"other routers' syntax", secureheaders.Options{Routes: []policy.Route{
			{Pattern: "/embed/*"}, {Pattern: "GET /posts/:slug"}, {Pattern: "/u/{id:[0-9]+}"}, {Pattern: "/a/*/b"},
		}}, []string{
			`routes./embed/*: invalid ServeMux pattern: "*" is another router's wildcard (ServeMux matches a subtree with a trailing "/": write "/embed/")`,
			`"routes.GET /posts/:slug": invalid ServeMux pattern: ":slug" is another router's parameter (ServeMux writes it "{slug}")`,
			`routes./u/{id:[0-9]+}: invalid ServeMux pattern: "{id:[0-9]+}" is another router's regular-expression parameter (ServeMux has none: write "{id}" and check the value in the handler)`,
			`routes./a/*/b: invalid ServeMux pattern: "*" is another router's wildcard (ServeMux names one segment "{name}" and the rest of the path "{name...}")`,
		}},
		{"pattern given twice, no file:line of ours", secureheaders.Options{Routes: []policy.Route{{Pattern: "/a/"}, {Pattern: "/a/"}}}, []string{
			`routes./a/: invalid ServeMux pattern: pattern given twice (keep one of them)`,
		}},
		{"conflicting patterns", secureheaders.Options{Routes: []policy.Route{{Pattern: "/a/{x}"}, {Pattern: "/a/{y}"}}}, []string{
			`routes./a/{y}: matches the same requests as the route "/a/{x}" (keep one of the two routes)`,
		}},
		{"overlapping patterns with conflicting rewrites", secureheaders.Options{Routes: []policy.Route{
			{Pattern: "/{x}/b", Override: policy.Override{Rewrite: policy.Policy{FrameOptions: policy.FrameDeny}}},
			{Pattern: "/a/{y}", Override: policy.Override{Rewrite: policy.Policy{FrameOptions: policy.FrameSameOrigin}}},
		}}, []string{
			`routes./a/{y}: overlaps the route "/{x}/b", neither being more specific (both match "/a/b") (remove one, or make one more specific than the other (a method, a host, or a literal segment where the other has a wildcard))`,
		}},
		{"route override", secureheaders.Options{Routes: []policy.Route{{Pattern: "/a/", Override: policy.Override{Remove: []string{"X-Nope"}}}}}, nil},
		{"one proxy list for everything", secureheaders.Options{
			TrustedProxies: []string{"10.0.0.0/8", "proxy.internal", "fe80::1%eth0", "::ffff:10.0.0.1"},
			Reports:        &report.Options{TrustedProxies: []string{"10.0.0.0/8"}, MaxBytes: -1},
		}, []string{
			`trustedProxies[1]: neither a CIDR nor an IP address "proxy.internal" (write a CIDR such as "10.0.0.0/8" or an address such as "192.0.2.7")`,
			`trustedProxies[2]: IPv6 address with a zone, which peers' addresses never carry "fe80::1%eth0" (drop the %zone)`,
			`trustedProxies[3]: IPv4-mapped IPv6 address "::ffff:10.0.0.1" (write the IPv4 form, e.g. 10.0.0.1)`,
			`reports.trustedProxies: is set on the engine's report receiver (list the proxies once, in the top-level trustedProxies (Options.TrustedProxies))`,
			`reports.maxBytes: is negative (use 0 for the default of 65536)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := secureheaders.New(&tt.opts)
			if e != nil || err == nil {
				t.Fatalf("New = %v, %v; want nil and an error", e, err)
			}
			var got []string
			for pe := range policy.AllErrors(err) {
				got = append(got, pe.Error())
				if strings.Count(pe.Error(), pe.Path) > 1 && pe.Path != "" {
					t.Errorf("path %q printed twice: %s", pe.Path, pe)
				}
			}
			var target *policy.Error
			if !errors.As(err, &target) {
				t.Errorf("errors.As(*policy.Error) failed on %v", err)
			}
			if tt.want == nil {
				return // only the properties above
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
