package suggestcsp

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// ro is a policy whose report-only CSP is header.
func ro(header string) policy.Policy {
	return policy.Policy{CSPReportOnly: csp.MustParse(header)}
}

func TestSuggestAdds(t *testing.T) {
	tests := []struct {
		name       string
		policy     string
		directive  string
		blocked    string
		wantAdd    string // the report-only CSP's additions, rendered; "" for none
		wantAction string // a fragment of the note's action
		wantRisk   bool
	}{
		{"script host into script-src", "default-src 'self'; script-src 'self' 'nonce-{nonce}'", "script-src-elem", "https://cdn.example",
			"script-src https://cdn.example", "'strict-dynamic'", true},
		{"script host without nonce: no strict-dynamic advice", "script-src 'self'", "script-src-elem", "https://cdn.example",
			"script-src https://cdn.example", "allow the script host", true},
		{"only default-src: the directive's own list", "default-src 'self'", "script-src-elem", "https://cdn.example",
			"script-src https://cdn.example", "allow the script host", true},
		{"frame host", "default-src 'self'", "frame-src", "https://video.example",
			"frame-src https://video.example", "allow https://video.example in frame-src", false},
		{"under strict-dynamic, no host", "script-src 'nonce-{nonce}' 'strict-dynamic'", "script-src-elem", "https://cdn.example",
			"", "browsers ignore host sources", false},
		{"inline with a nonce: put it on the element", "script-src 'self' 'nonce-{nonce}'", "script-src-elem", "inline",
			"", "nonce attribute", false},
		{"inline without a nonce: add the nonce", "script-src 'self'", "script-src-elem", "inline",
			"script-src 'nonce-{nonce}'", "add the nonce to script-src", false},
		{"inline handler", "script-src 'self'", "script-src-attr", "inline",
			"", "addEventListener", false},
		{"inline style", "default-src 'self'", "style-src-elem", "inline",
			"style-src 'nonce-{nonce}'", "<style>", false},
		{"eval", "script-src 'self'", "script-src", "eval",
			"", "remove the eval", false},
		{"wasm", "script-src 'self'", "script-src", "wasm-eval",
			"", "'wasm-unsafe-eval'", false},
		{"data: image", "default-src 'self'", "img-src", "data:",
			"img-src data:", "data: images", false},
		{"data: font is not proposed", "default-src 'self'", "font-src", "data:",
			"", "not proposed", false},
		{"blob: is not proposed", "default-src 'self'", "worker-src", "blob:",
			"", "not proposed", false},
		{"already allowed", "script-src https://cdn.example", "script-src-elem", "https://cdn.example",
			"", "already allowed", false},
		{"not restricted", "img-src 'self'", "script-src-elem", "https://cdn.example",
			"", "does not restrict", false},
		{"frame-ancestors", "frame-ancestors 'none'", "frame-ancestors", "https://partner.example",
			"frame-ancestors https://partner.example", "allow", true},
		{"object-src", "object-src 'none'", "object-src", "https://plugins.example",
			"", "plugins", false},
		{"a wildcard host from a hostile report", "script-src 'self'", "script-src-elem", "https://*.evil.example",
			"", "not an origin", false},
		{"no blocked URL", "script-src 'self'", "script-src-elem", "",
			"", "does not say", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ro(tt.policy)
			s := Suggest(p, nil, []Violation{{Disposition: "report", Directive: tt.directive, Blocked: tt.blocked, Path: "/", Count: 2}})
			got := ""
			if len(s.Targets) == 1 {
				got = s.Targets[0].Add.CSPReportOnly.String()
				if diff := cmp.Diff(policy.Update(p, s.Targets[0].Add), s.Targets[0].After); diff != "" {
					t.Errorf("After is not Before updated with Add (-want +got):\n%s", diff)
				}
			} else if len(s.Targets) > 1 {
				t.Fatalf("%d targets", len(s.Targets))
			}
			if diff := cmp.Diff(tt.wantAdd, got); diff != "" {
				t.Errorf("added (-want +got):\n%s", diff)
			}
			if len(s.Notes) != 1 {
				t.Fatalf("%d notes, want 1", len(s.Notes))
			}
			n := s.Notes[0]
			if !contains(n.Action, tt.wantAction) {
				t.Errorf("action %q lacks %q", n.Action, tt.wantAction)
			}
			if (n.Risk != "") != tt.wantRisk {
				t.Errorf("risk %q, want one: %v", n.Risk, tt.wantRisk)
			}
			if n.Count != 2 {
				t.Errorf("count %d, want 2", n.Count)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestSuggestRoutes: a document goes to the route the engine would serve it
// with; the enforced CSP takes the enforce reports.
func TestSuggestRoutes(t *testing.T) {
	app := policy.Policy{CSP: csp.MustParse("default-src 'self'"), CSPReportOnly: csp.MustParse("default-src 'self'")}
	embed := policy.Update(app, policy.Policy{CSP: csp.MustParse("frame-ancestors https://partner.example")})
	deep := embed.Clone()
	routes := []Route{{"/embed/", embed}, {"/embed/deep/{$}", deep}, {"GET /api/{id}", app}}
	vs := []Violation{
		{Disposition: "report", Directive: "img-src", Blocked: "https://img.example", Path: "/", Count: 1},
		{Disposition: "enforce", Directive: "img-src", Blocked: "https://img.example", Path: "/embed/x", Count: 1},
		{Disposition: "report", Directive: "img-src", Blocked: "https://deep.example", Path: "/embed/deep/", Count: 1},
		{Disposition: "report", Directive: "img-src", Blocked: "https://api.example", Path: "/api/7", Count: 1},
		{Disposition: "report", Directive: "img-src", Blocked: "https://app.example", Path: "/api/7/x", Count: 1},
	}
	s := Suggest(app, routes, vs)
	got := map[string][2]string{}
	for _, tg := range s.Targets {
		got[tg.Pattern] = [2]string{tg.Add.CSP.String(), tg.Add.CSPReportOnly.String()}
	}
	want := map[string][2]string{
		"":                {"", "img-src https://img.example https://app.example"},
		"/embed/":         {"img-src https://img.example", ""},
		"/embed/deep/{$}": {"", "img-src https://deep.example"},
		"GET /api/{id}":   {"", "img-src https://api.example"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("additions by route (-want +got):\n%s", diff)
	}
}

// TestSuggestNeverUnsafe: whatever a report says, no keyword that weakens
// script or style protection, and no wildcard or bare scheme but data: in
// img-src, is ever proposed.
func TestSuggestNeverUnsafe(t *testing.T) {
	blocked := []string{"inline", "eval", "wasm-eval", "data:", "blob:", "https:", "*", "https://*.example", "'unsafe-inline'",
		"unsafe-eval", "https://cdn.example", "trusted-types-sink", "self", "http://a.example:8080", "javascript:", "filesystem:"}
	dirs := []string{"script-src", "script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr", "img-src", "default-src", "worker-src", "frame-src", "object-src", "connect-src"}
	for _, base := range []string{"default-src 'self'", "script-src 'self' 'nonce-{nonce}'; style-src 'self'", "default-src 'none'"} {
		var vs []Violation
		for _, d := range dirs {
			for _, b := range blocked {
				vs = append(vs, Violation{Disposition: "report", Directive: d, Blocked: b, Path: "/p", Count: 1})
			}
		}
		s := Suggest(ro(base), nil, vs)
		for _, tg := range s.Targets {
			checkSafe(t, tg.Add.CSPReportOnly)
		}
	}
}

func checkSafe(t *testing.T, c csp.Policy) {
	t.Helper()
	for d, srcs := range c {
		for _, s := range srcs {
			switch {
			case s.Kind == csp.Keyword:
				t.Errorf("%s: proposed the keyword %s", d, s)
			case s.Kind == csp.Host && (contains(s.Value, "*") || !contains(s.Value, "://")):
				t.Errorf("%s: proposed the host %s", d, s)
			case s.Kind == csp.Scheme && (s.Value != "data:" || d != csp.ImgSrc):
				t.Errorf("%s: proposed the scheme %s", d, s)
			case s.Kind == csp.Hash || s.Kind == csp.Nonce || s.Kind == csp.Token:
				t.Errorf("%s: proposed %s", d, s)
			}
		}
	}
}

// TestSuggestHashOnlyForWholeSamples: a sample shorter than the browsers'
// cut is the whole script and gets its hash; a 40-character one may be cut
// and does not.
func TestSuggestHashOnlyForWholeSamples(t *testing.T) {
	short := "alert(1)"
	cut := "document.getElementById('x').textContent" // 40 characters, as Chromium cuts
	s := Suggest(ro("script-src 'nonce-{nonce}'"), nil, []Violation{
		{Disposition: "report", Directive: "script-src-elem", Blocked: "inline", Path: "/a", Count: 1, Samples: []Sample{{SourceFile: "https://app.example/a", Line: 4, Sample: short}}},
		{Disposition: "report", Directive: "script-src-elem", Blocked: "inline", Path: "/b", Count: 1, Samples: []Sample{{SourceFile: "https://app.example/b", Line: 9, Sample: cut}}},
	})
	if len(s.Notes) != 1 {
		t.Fatalf("%d notes, want the two paths in one", len(s.Notes))
	}
	n := s.Notes[0]
	if !contains(n.Action, "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='") {
		t.Errorf("no hash of %q in %q", short, n.Action)
	}
	if c := countOf(n.Action, "'sha256-"); c != 1 {
		t.Errorf("%d hashes in %q, want only the whole sample's", c, n.Action)
	}
	if diff := cmp.Diff([]string{"/a: https://app.example/a:4", "/b: https://app.example/b:9"}, n.Where); diff != "" {
		t.Errorf("where (-want +got):\n%s", diff)
	}
}

func countOf(s, sub string) int {
	n := 0
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			n++
		}
	}
	return n
}

// TestSuggestWhereBounded: a note lists at most 10 places and counts the
// rest.
func TestSuggestWhereBounded(t *testing.T) {
	var vs []Violation
	for i := range 25 {
		vs = append(vs, Violation{Disposition: "report", Directive: "img-src", Blocked: "https://img.example", Path: "/p" + string(rune('a'+i)), Count: 1})
	}
	s := Suggest(ro("default-src 'self'"), nil, vs)
	if len(s.Notes) != 1 || len(s.Notes[0].Where) != 10 || s.Notes[0].More != 15 || s.Notes[0].Count != 25 {
		t.Errorf("notes %+v", s.Notes)
	}
}

func TestSuggestNoCSP(t *testing.T) {
	s := Suggest(policy.Policy{CSP: csp.MustParse("default-src 'self'")}, nil, []Violation{{Disposition: "report", Directive: "img-src", Blocked: "https://img.example", Path: "/", Count: 1}})
	if len(s.Targets) != 0 || len(s.Notes) != 1 || !contains(s.Notes[0].Action, "sends no such CSP") {
		t.Errorf("%+v", s)
	}
}

// TestSuggestBoundedAdds: a flood of distinct hosts adds at most maxAdds
// sources to a directive, the most reported first; the others get a note.
func TestSuggestBoundedAdds(t *testing.T) {
	var vs []Violation
	for i := range 1000 {
		vs = append(vs, Violation{Disposition: "report", Directive: "img-src", Blocked: "https://h" + strconv.Itoa(i) + ".example", Path: "/", Count: uint64(1000 - i)})
	}
	s := Suggest(ro("default-src 'self'"), nil, vs)
	if len(s.Targets) != 1 {
		t.Fatalf("%d targets", len(s.Targets))
	}
	got := s.Targets[0].Add.CSPReportOnly[csp.ImgSrc]
	if len(got) != maxAdds || got[0].Value != "https://h0.example" || got[maxAdds-1].Value != "https://h31.example" {
		t.Errorf("added %d sources: %v", len(got), got)
	}
	if n := s.Notes[maxAdds]; n.Added != "" || !contains(n.Action, "not added") {
		t.Errorf("note past the bound: %+v", n)
	}
}
