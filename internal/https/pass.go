package https

import "net/http"

// Pass is Decide for the usual request, in a few nanoseconds instead of
// Decide's frame: ok reports that r is to be served (Decide's Status 0),
// with secure and noHSTS as Decide would set them. When ok is false Pass
// has decided nothing, and the caller must call Decide, which handles
// every case.
//
// Pass decides alone only a request whose Host (not a forwarded one) was
// accepted before (the Host memo), that arrived over TLS, or through a
// trusted proxy whose ProxyHeader (not Forwarded, not LastElement) is
// exactly ProxyValue, or without that header; and that is due neither a
// redirect to HTTPS nor one to CanonicalHost (a secure request for the
// canonical host itself is decided here). FuzzPass holds it to Decide.
// Safe on a nil *Gate and for concurrent use; it never allocates.
func (h *Gate) Pass(r *http.Request) (secure, noHSTS, ok bool) {
	if h == nil {
		h = &httpsZero
	}
	secure = r.TLS != nil
	if !secure && h.protoHeader != "" {
		if vs := r.Header[h.protoHeader]; len(vs) > 0 && h.trustsPeer(r) {
			if h.protoForwarded || h.last || vs[0] != h.protoValue {
				return false, false, false
			}
			secure = true
		}
	}
	if h.forwardedHost || r.Host == "" || (!secure && h.redirect && !h.development) {
		return false, false, false // a redirect may be due: Decide knows
	}
	host := h.accepted.lookup(r.Host)
	if host == nil || (secure && h.hasCanonical && !h.development && !h.isCanonical(host.host)) {
		return false, false, false
	}
	return secure, secure && host.noHSTS, true
}
