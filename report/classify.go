package report

import (
	"net/url"
	"strings"
)

// Noise is why a violation report is not about the application's own
// policy breaking its own pages. Noise is grouped and counted like any
// report, never dropped, and a suggestion must never be built from it.
type Noise string

// The noise classes, in the order Classify tests them.
const (
	// NoiseExtension: a browser extension's script, style or request
	// (chrome-extension:, moz-extension:, safari-extension:,
	// safari-web-extension:, ms-browser-extension: and the like), as the
	// blocked URL or the source file.
	NoiseExtension Noise = "extension"
	// NoiseAbout: the document or the blocked resource is about: (about:blank
	// frames, browser pages).
	NoiseAbout Noise = "about"
	// NoiseForeignHost: the document is not on one of
	// AggregatorOptions.AllowedHosts — a forged report, a mirror, a cached
	// or translated copy.
	NoiseForeignHost Noise = "foreign-host"
	// NoiseInjected: the sample or source matches a script that browsers,
	// in-app browsers or proxies inject into every page (see
	// injectedSignatures).
	NoiseInjected Noise = "injected"
	// NoiseBlockerMedia: a data: image, font or media blocked in img-src,
	// media-src or font-src, which content blockers and browser features
	// inject; a page of yours that uses data: images shows up here too, so
	// look at the group before allowing data:.
	NoiseBlockerMedia Noise = "blocker-media"
)

// extensionSchemes are the URL schemes of browser extensions.
var extensionSchemes = []string{
	"chrome-extension", "moz-extension", "safari-extension", "safari-web-extension",
	"ms-browser-extension", "edge-extension", "opera-extension", "webkit-masked-url",
	"resource", "user-script",
}

// injectedSignatures are fragments of scripts injected into pages by
// browsers and in-app browsers (translation, password managers, reader
// modes), matched in a report's sample or source file.
var injectedSignatures = []string{
	"__firefox__", "__gCrWeb", "_AutofillCallbackHandler", "window.webkit.messageHandlers",
	"ucbrowser", "ucapi", "tmtbim", "ytcfg", "__show__deepen",
}

// Classify returns r's noise class, or "" for a violation that is about the
// application itself. hosts are the application's own document hosts
// ("example.com", "*.example.com"); empty, no document is foreign. An
// invalid host pattern is ignored.
func Classify(r Report, hosts ...string) Noise {
	m, _ := newHostMatcher(hosts)
	key, _ := keyOf(r)
	return classifyWith(r, key, m)
}

func (a *Aggregator) classify(r Report, key GroupKey) Noise {
	return classifyWith(r, key, a.hosts)
}

func classifyWith(r Report, key GroupKey, hosts hostMatcher) Noise {
	blockedScheme, _, _ := strings.Cut(r.BlockedURL, ":")
	sourceScheme, _, _ := strings.Cut(r.SourceFile, ":")
	for _, s := range extensionSchemes {
		if strings.EqualFold(blockedScheme, s) || strings.EqualFold(sourceScheme, s) {
			return NoiseExtension
		}
	}
	if strings.HasPrefix(strings.ToLower(r.BlockedURL), "about:") || strings.HasPrefix(strings.ToLower(r.URL), "about:") {
		return NoiseAbout
	}
	if !hosts.empty() {
		u, err := url.Parse(r.URL)
		if err != nil || !hosts.allows(u.Hostname()) {
			return NoiseForeignHost
		}
	}
	for _, sig := range injectedSignatures {
		if strings.Contains(r.Sample, sig) || strings.Contains(r.SourceFile, sig) {
			return NoiseInjected
		}
	}
	if key.Blocked == "data:" {
		switch strings.TrimSuffix(key.Directive, "-elem") {
		case "img-src", "media-src", "font-src":
			return NoiseBlockerMedia
		}
	}
	return ""
}

// blockedKeywords are the values browsers send in blockedURL instead of a
// URL.
var blockedKeywords = []string{"inline", "eval", "wasm-eval", "trusted-types-policy", "trusted-types-sink", "self"}

// keyOf groups r; ok is false for reports that are not CSP violations.
func keyOf(r Report) (GroupKey, bool) {
	if r.Type != TypeCSP {
		return GroupKey{}, false
	}
	k := GroupKey{Disposition: clip(r.Disposition), Directive: clip(r.EffectiveDirective)}
	if k.Directive == "" {
		k.Directive, _, _ = strings.Cut(clip(r.ViolatedDirective), " ")
	}
	if k.Disposition == "" {
		k.Disposition = "enforce"
	}
	k.Blocked = blockedOf(r.BlockedURL)
	k.Path = pathOf(r.URL)
	return k, true
}

// blockedOf reduces a blocked URL to what a policy can allow: an origin, a
// scheme, or the browser's keyword.
func blockedOf(b string) string {
	for _, kw := range blockedKeywords {
		if strings.EqualFold(b, kw) {
			return kw
		}
	}
	switch l := strings.ToLower(b); l {
	case "data", "blob", "filesystem", "mediastream":
		return l + ":" // what browsers send for a data:, blob:… URL
	}
	if i := strings.Index(b, "://"); i > 0 && isScheme(b[:i]) {
		rest := b[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			rest = rest[:j]
		}
		if !strings.Contains(rest, "@") {
			// scheme://host[:port], lower-cased; a substring of b when it
			// already is, so the common case does not allocate.
			origin := b[:i+3+len(rest)]
			return clip(strings.ToLower(origin))
		}
	}
	u, err := url.Parse(b)
	switch {
	case b == "":
		return ""
	case err != nil || u.Scheme == "":
		return clip(b)
	case u.Host == "" || u.Opaque != "":
		return strings.ToLower(u.Scheme) + ":"
	}
	return clip(strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host))
}

// isScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, "+", "-" or ".").
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// pathOf returns the path of a document URL, without query and fragment:
// "/" for "https://a.example", "" for a URL that has no path of its own
// (about:blank).
func pathOf(doc string) string {
	i := strings.Index(doc, "://")
	if i <= 0 || !isScheme(doc[:i]) {
		if u, err := url.Parse(doc); err == nil && u.Path != "" {
			return clip(u.EscapedPath())
		}
		return ""
	}
	rest := doc[i+3:]
	j := strings.IndexAny(rest, "/?#")
	if j < 0 || rest[j] != '/' {
		return "/"
	}
	p := rest[j:]
	if k := strings.IndexAny(p, "?#"); k >= 0 {
		p = p[:k]
	}
	return clip(p)
}

// browserFamily names the browser of a User-Agent string.
func browserFamily(ua string) string {
	switch {
	case ua == "":
		return ""
	case strings.Contains(ua, "Edg/"):
		return "Edge"
	case strings.Contains(ua, "Firefox/"):
		return "Firefox"
	case strings.Contains(ua, "Chrome/") || strings.Contains(ua, "Chromium/"):
		return "Chrome"
	case strings.Contains(ua, "Safari/"):
		return "Safari"
	}
	return "other"
}

// hostMatcher matches document hosts: exact names and "*.suffix".
type hostMatcher struct {
	exact    []string
	suffixes []string // ".example.com"
}

type hostError struct {
	index         int
	value, reason string
}

func newHostMatcher(hosts []string) (hostMatcher, []hostError) {
	var m hostMatcher
	var errs []hostError
	for i, h := range hosts {
		l := strings.ToLower(strings.TrimSuffix(h, "."))
		switch {
		case l == "" || strings.ContainsAny(l, "/:@ *?#") && !strings.HasPrefix(l, "*.") || strings.Count(l, "*") > 1:
			errs = append(errs, hostError{i, h, "not a host name or *.suffix pattern"})
		case strings.HasPrefix(l, "*."):
			m.suffixes = append(m.suffixes, l[1:])
		default:
			m.exact = append(m.exact, l)
		}
	}
	return m, errs
}

func (m hostMatcher) empty() bool { return len(m.exact) == 0 && len(m.suffixes) == 0 }

func (m hostMatcher) allows(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, e := range m.exact {
		if host == e {
			return true
		}
	}
	for _, s := range m.suffixes {
		if len(host) > len(s) && strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}
