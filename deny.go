package secureheaders

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/internal/https"
)

// denyKey is the context key of a refused request's denial.
type denyKey struct{}

// denial is what DenyReason reads.
type denial struct {
	status int
	reason string
}

// DenyReason returns the status (400, 403 or 405) and the reason of the
// refusal that Options.DenyHandler is called for, such as 400 and "Host not
// allowed". It returns 0 and "" for a request that was not refused, for
// instance in the application's handlers. The reason is a short English
// sentence without the request's bytes, safe to show to the client.
func DenyReason(r *http.Request) (status int, reason string) {
	d, _ := r.Context().Value(denyKey{}).(denial)
	return d.status, d.reason
}

// deny answers a request that the HTTPS decision d does not let through: a
// redirect (Location, no body), or a refusal, which is logged (rate-limited)
// and answered by Options.DenyHandler with the app policy's headers, or by
// a short text/plain explanation.
func (s *Engine) deny(w http.ResponseWriter, r *http.Request, st *state, d https.Decision) {
	if d.Location != "" {
		if d.Secure {
			// A redirect over HTTPS (to the canonical host) carries the
			// app policy's headers, HSTS among them: the HSTS preload list
			// requires it on the apex's redirect.
			writeAppHeaders(w, st, d)
		}
		writeDecision(w, d)
		return
	}
	level := slog.LevelDebug
	if https.Configurable(d.Reason) {
		level = slog.LevelInfo
	}
	st.refusals.Refused(r, d.Status, level, d.Reason, https.Fix(d.Reason))

	h := st.opts.DenyHandler
	if h == nil {
		writeDecision(w, d) // the reason as text/plain, Allow for a 405
		return
	}
	// The headers of the app policy: the DenyHandler's page is a page
	// like any other (it may be framed, run scripts, carry a nonce), but
	// never gets HSTS for a Host that the app does not serve. The default
	// answer is text/plain with nosniff, which nothing renders as active
	// content, and keeps to its three headers.
	rs := writeAppHeaders(w, st, d)
	rs.eng = s
	if d.Allow != "" {
		w.Header()["Allow"] = []string{d.Allow}
	}
	rs.Context = context.WithValue(r.Context(), denyKey{}, denial{d.Status, d.Reason})
	r = r.WithContext(rs)
	cw := st.cookies.Wrap(w, d.Secure)
	h.ServeHTTP(cw, r)
	st.cookies.Finish(cw)
}

// writeAppHeaders writes the app policy's headers for a response the engine
// answers itself (HSTS left out on a 400, whose Host the app does not
// serve), and returns the request state that carries their nonce.
func writeAppHeaders(w http.ResponseWriter, st *state, d https.Decision) *reqState {
	set := st.baseLay.set
	v := hdrset.VariantOf(d.Secure, d.NoHSTS || d.Status == http.StatusBadRequest)
	rs := newReqState(set.Len(v), set.BufLen(v))
	rs.st, rs.layer, rs.variant = st, st.baseLay, v
	rs.nonce = set.WriteInto(w.Header(), v, "", &rs.sc)
	return rs
}
