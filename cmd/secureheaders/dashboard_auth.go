package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"

	"github.com/secureheaders/secureheaders/policy"
)

// dashboardTokenEnv names the environment variable that holds the bearer
// token of serve's dashboard. It is read from the environment, not a flag,
// so the token never shows in ps or a shell's history.
const dashboardTokenEnv = "SECUREHEADERS_DASHBOARD_TOKEN"

// minDashboardToken is the shortest token accepted: 16 characters of a
// random base64 text are 96 bits, past any guessing over the network.
const minDashboardToken = 16

// dashboardToken validates the token read from dashboardTokenEnv. An empty
// token is valid and means loopback only. The error never holds the token.
func dashboardToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	const fix = "set it to a random text of at least 16 characters, e.g. " + dashboardTokenEnv + "=$(openssl rand -base64 24)"
	if len(tok) < minDashboardToken {
		return "", &policy.Error{Path: dashboardTokenEnv, Reason: "the dashboard token is too short to resist guessing", Fix: fix}
	}
	if !token68(tok) {
		return "", &policy.Error{Path: dashboardTokenEnv, Reason: "the dashboard token holds a character a bearer token cannot carry (only letters, digits and -._~+/ with trailing =)", Fix: fix}
	}
	return tok, nil
}

// token68 reports whether s is an RFC 9110 token68, the syntax of a bearer
// token (RFC 6750 section 2.1).
func token68(s string) bool {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~+/", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// dashboardGuard serves h to loopback peers, and to any peer that sends
// Authorization: Bearer token when token is not empty. Without a token
// other peers get 404, as if the dashboard were not there; with one they
// get 401 and a WWW-Authenticate challenge. The comparison takes the same
// time whatever the bytes sent (both sides are hashed first, so neither
// their length nor a matching prefix shows), and nothing is logged: the
// token never reaches a log line.
func dashboardGuard(token string, h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loopbackPeer(r) {
			h.ServeHTTP(w, r)
			return
		}
		if token == "" {
			http.NotFound(w, r)
			return
		}
		got, sent := bearerToken(r.Header.Get("Authorization"))
		sum := sha256.Sum256([]byte(got))
		if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !sent {
			challenge := `Bearer realm="secureheaders reports"`
			if sent {
				challenge += `, error="invalid_token"`
			}
			w.Header().Set("WWW-Authenticate", challenge)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "401 Unauthorized: send Authorization: Bearer and the "+dashboardTokenEnv+" the server runs with", http.StatusUnauthorized)
			return
		}
		// The page holds users' URLs: no cache keeps a copy.
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// bearerToken returns the credentials of an Authorization header of the
// Bearer scheme (matched case-insensitively, RFC 9110 section 11.1), and
// whether there was one.
func bearerToken(auth string) (string, bool) {
	scheme, cred, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	cred = strings.TrimLeft(cred, " ")
	return cred, cred != ""
}

// loopbackPeer reports whether the request came from a loopback address.
func loopbackPeer(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
