package https

import (
	"net/http"
	"strings"
)

// This file holds the Location upgrade for apps behind a TLS proxy, which
// build absolute redirects from the scheme they see ("http://"). With
// UpgradeLocation on, the Location of a response to a secure request is
// rewritten from http:// to https:// when, and only when, it is
//
//	"http://" host [":80"] [ "/" | "?" | "#" rest ]
//
// with the scheme in any case, host a valid host (see Gate) matched by
// allowedHosts, and no control byte anywhere. Anything else is left as the
// app wrote it: other hosts ("http://allowed.example.evil/"), userinfo
// ("http://evil@allowed.example/", "http://allowed.example@evil/"), a
// backslash in the authority ("http://allowed.example\@evil/", which
// browsers read as a path), another port (":8080" is another service),
// several Location values, a relative or https:// Location. Only the scheme
// and the port change: the host is kept as written (case, trailing dot),
// ":80" is dropped, and the Port option's port is added as for redirects.

// compileUpgradeLocation records UpgradeLocation, which needs allowedHosts:
// they are the hosts it may rewrite.
func (h *Gate) compileUpgradeLocation(opts Config, bad func(path, value, reason, fix string)) {
	if !opts.UpgradeLocation {
		return
	}
	if !h.restrictHosts {
		bad("https.upgradeLocation", "", "is true but https.allowedHosts is empty, so no Location host could be trusted",
			`list the app's hosts in https.allowedHosts, e.g. ["example.com"]`)
		return
	}
	h.upgradeLocation = true
}

// UpgradesLocation reports whether UpgradeLocation is on. Safe on a nil *Gate.
func (h *Gate) UpgradesLocation() bool { return h != nil && h.upgradeLocation }

// UpgradeLocation rewrites hdr's Location as described above, replacing
// the value slice (never editing it in place: the app may share it). It
// does nothing unless UpgradeLocation is on. Call it for responses to
// secure requests only.
func (h *Gate) UpgradeLocation(hdr http.Header) {
	if !h.UpgradesLocation() {
		return
	}
	vs := hdr["Location"]
	if len(vs) != 1 {
		return
	}
	if loc, ok := h.upgradedLocation(vs[0]); ok {
		hdr["Location"] = []string{loc}
	}
}

// upgradedLocation returns the https:// form of loc, or false when loc is
// not an http:// URL of an allowed host.
func (h *Gate) upgradedLocation(loc string) (string, bool) {
	const scheme = "http://"
	if len(loc) < len(scheme) || !strings.EqualFold(loc[:len(scheme)], scheme) {
		return "", false
	}
	for i := 0; i < len(loc); i++ {
		if c := loc[i]; c < ' ' || c == 0x7F {
			return "", false
		}
	}
	rest := loc[len(scheme):]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	host, ok := parseHTTPSHost(authority)
	if !ok || host.port != 0 && host.port != 80 || !h.allowed.allows(host) {
		return "", false
	}
	// The host as the app wrote it: "example.com." and "Example.com" stay
	// so (a trailing dot is another origin to browsers); only the scheme
	// and the port change.
	hostText := authority
	if host.port != 0 {
		hostText = authority[:strings.LastIndexByte(authority, ':')]
	}
	var b strings.Builder
	b.Grow(len("https://") + len(hostText) + len(h.portSuffix) + len(tail))
	b.WriteString("https://")
	b.WriteString(hostText)
	b.WriteString(h.portSuffix)
	b.WriteString(tail)
	return b.String(), true
}
