package hdrset_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
	render "github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/policy"
)

// route is Recommended with an embed-style override: framing by a partner,
// no X-Frame-Options, a Permissions-Policy added.
func route(base policy.Policy) policy.Policy {
	p, err := policy.Override{
		Update: policy.Policy{
			CSP:               csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}},
			PermissionsPolicy: policy.PermissionsPolicy{"camera": {}},
		},
		Remove: []string{"X-Frame-Options"},
	}.Apply(base)
	if err != nil {
		panic(err)
	}
	return p
}

func TestDeltaApply(t *testing.T) {
	withHSTS := func(p policy.Policy, d time.Duration) policy.Policy {
		p.HSTS = &hsts.Policy{MaxAge: d}
		return p
	}
	tests := []struct {
		name     string
		from, to policy.Policy
		// changed and removed are the keys Apply must write and delete on a
		// secure response; every other key must keep its slice.
		changed, removed []string
	}{
		{
			name:    "route override",
			from:    policy.Recommended(),
			to:      route(policy.Recommended()),
			changed: []string{"Content-Security-Policy", "Permissions-Policy"},
			removed: []string{"X-Frame-Options"},
		},
		{
			name:    "nonce route over nonce base",
			from:    nonced(),
			to:      route(nonced()),
			changed: []string{"Content-Security-Policy", "Permissions-Policy"},
			removed: []string{"X-Frame-Options"},
		},
		{
			name:    "route adds the first nonce slot",
			from:    policy.Recommended(),
			to:      nonced(),
			changed: []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"},
		},
		{
			name:    "route removes the CSP",
			from:    nonced(),
			to:      must(policy.Remove(nonced(), "CSP", "Content-Security-Policy-Report-Only")),
			removed: []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"},
		},
		{
			name:    "secure-only change",
			from:    policy.Recommended(),
			to:      withHSTS(policy.Recommended(), time.Hour),
			changed: []string{"Strict-Transport-Security"},
		},
		{
			name: "identical",
			from: nonced(),
			to:   nonced(),
		},
		{
			name:    "from the zero policy",
			from:    policy.Policy{},
			to:      policy.Policy{FrameOptions: policy.FrameDeny},
			changed: []string{"X-Frame-Options"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := render.MustCompile(tt.from), render.MustCompile(tt.to)
			d := render.NewDelta(from, to)
			if got, want := d.Empty(), len(tt.changed)+len(tt.removed) == 0; got != want {
				t.Errorf("Empty() = %v, want %v", got, want)
			}
			for _, secure := range []bool{true, false} {
				h := http.Header{"X-App": {"kept"}}
				n := from.Write(h, vo(secure), "")
				before := make(map[string]*string, len(h))
				for k, v := range h {
					before[k] = unsafe.SliceData(v)
				}
				got := d.Apply(h, vo(secure), n)

				// The result is what the target set writes, with the nonce
				// Apply reports.
				w := want(to, secure, got)
				w["X-App"] = []string{"kept"}
				if diff := cmp.Diff(w, h); diff != "" {
					t.Fatalf("secure=%v: after Apply (-want +got):\n%s", secure, diff)
				}
				if n != "" && to.HasNonce() && got != n {
					t.Errorf("secure=%v: Apply changed the nonce %q to %q", secure, n, got)
				}
				if n == "" && to.HasNonce() && len(got) != render.NonceLen {
					t.Errorf("secure=%v: Apply gave nonce %q, want a fresh one", secure, got)
				}
				if !secure {
					continue
				}
				changed := map[string]bool{}
				for _, k := range tt.changed {
					changed[k] = true
				}
				for k, p := range before {
					if _, ok := h[k]; !ok {
						continue
					}
					if touched := unsafe.SliceData(h[k]) != p; touched != changed[k] {
						t.Errorf("%s rewritten: %v, want %v", k, touched, changed[k])
					}
				}
				var removed []string
				for _, k := range from.Keys(vo(true)) {
					if _, ok := h[k]; !ok {
						removed = append(removed, k)
					}
				}
				if diff := cmp.Diff(tt.removed, removed); diff != "" {
					t.Errorf("removed keys (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestDeltaSecureOnlyChangeLeavesPlainAlone(t *testing.T) {
	from := render.MustCompile(policy.Recommended())
	p := policy.Recommended()
	p.HSTS.Preload = true
	p.HSTS.MaxAge = 2 * 365 * 24 * time.Hour
	d := render.NewDelta(from, render.MustCompile(p))
	h := http.Header{}
	from.Write(h, vo(false), "")
	snapshot := h.Clone()
	d.Apply(h, vo(false), "")
	if diff := cmp.Diff(snapshot, h); diff != "" {
		t.Errorf("plain response changed by an HSTS-only delta (-want +got):\n%s", diff)
	}
}

func must(p policy.Policy, err error) policy.Policy {
	if err != nil {
		panic(err)
	}
	return p
}

// TestApplyIntoKeepsTheNonce writes a set and then a delta into one
// Scratch, as the engine does for a Route under Handler: the nonce Write
// returned is a slice of the first CSP value's bytes, so the delta's
// values, taken from the same scratch, must come from bytes after it. The
// nonce and every value written first stay as they were, and every nonce
// slot of the result holds that nonce.
func TestApplyIntoKeepsTheNonce(t *testing.T) {
	over := func(o policy.Override) policy.Policy {
		p, err := o.Apply(nonced())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name string
		to   policy.Policy
	}{
		{"CSP changed", route(nonced())},
		{"report-only changed", over(policy.Override{Update: policy.Policy{CSPReportOnly: csp.Policy{csp.ImgSrc: {csp.Self}}}})},
		{"nonce dropped from CSP, kept in report-only", over(policy.Override{ReplaceDirectives: policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.Self}}}})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from := render.MustCompile(nonced())
			d := render.NewDelta(from, render.MustCompile(tt.to))
			v := vo(true)
			sc := &render.Scratch{Vals: make([]string, from.Len(v)+d.Len(v)), Buf: make([]byte, from.BufLen(v)+d.BufLen(v))}
			h := http.Header{}
			n := from.WriteInto(h, v, "", sc)
			nonce := strings.Clone(n)
			first := map[string]string{}
			for k, vs := range h {
				first[k] = vs[0]
			}
			firstCopy := map[string]string{}
			for k, s := range first {
				firstCopy[k] = strings.Clone(s)
			}
			if got := d.ApplyInto(h, v, n, sc); got != n {
				t.Errorf("ApplyInto returned %q, want the nonce given, %q", got, n)
			}
			if n != nonce {
				t.Fatalf("nonce changed from %q to %q by ApplyInto", nonce, n)
			}
			if diff := cmp.Diff(firstCopy, first); diff != "" {
				t.Fatalf("values written first changed by ApplyInto (-then +now):\n%s", diff)
			}
			slots := 0
			for k, vs := range h {
				for rest := vs[0]; ; {
					i := strings.Index(rest, "'nonce-")
					if i < 0 {
						break
					}
					rest = rest[i+len("'nonce-"):]
					slots++
					if got, _, _ := strings.Cut(rest, "'"); got != nonce {
						t.Errorf("%s holds nonce %q, want %q", k, got, nonce)
					}
				}
			}
			if slots == 0 {
				t.Error("no nonce slot in the result")
			}
		})
	}
}
