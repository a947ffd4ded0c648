package cookies

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Config is the engine's CookieOptions (documented there). The zero value
// changes nothing.
type Config struct {
	Secure, HTTPOnly bool
	SameSite         http.SameSite
	Rules            []Rule // rules.go
	// Only and Except are v0.1's shorthands for one rule (compileShorthand).
	Only, Except []string
	// SecureHook, when set, is called with the response header of every
	// secure request when it is sent, before the cookies are rewritten:
	// the engine's one other header rewrite at that moment (the Location
	// upgrade of HTTPSOptions.UpgradeLocation) rides on this wrapper
	// instead of wrapping the writer a second time.
	SecureHook func(http.Header)
}

// Flags rewrites the Set-Cookie headers of responses to add the
// attributes of a Config. Build one with New; a nil
// *Flags is valid and changes nothing. A Flags is immutable and
// safe for concurrent use; the writers it wraps are not (like any
// http.ResponseWriter).
type Flags struct {
	def        attrs             // for cookies no rule matches
	rules      []rule            // rules.go
	needPlain  bool              // some cookie can gain an attribute on plain HTTP
	needSecure bool              // … on a secure request
	hook       func(http.Header) // Config.SecureHook
}

// New validates and compiles opts. It returns a nil *Flags (no hook either)
// and no error when opts enables no attribute. On invalid options it returns
// every problem, joined, each a *CookieOptionError. opts is copied.
func New(opts Config) (*Flags, error) {
	var errs []error
	bad := func(path, value, reason, fix string) {
		errs = append(errs, cfgerr.New(path, value, reason, fix))
	}
	c := &Flags{def: compileAttrs("cookies", opts.Secure, opts.HTTPOnly, opts.SameSite, bad), hook: opts.SecureHook}
	if len(opts.Only) > 0 || len(opts.Except) > 0 {
		c.def, c.rules = compileShorthand(opts, c.def, bad)
	} else {
		c.rules = compileRules(opts.Rules, bad)
	}
	enabled := c.def.adds()
	c.needPlain, c.needSecure = c.def.needed(false), c.def.needed(true)
	for _, r := range c.rules {
		enabled = enabled || r.attrs.adds()
		c.needPlain = c.needPlain || r.attrs.needed(false)
		c.needSecure = c.needSecure || r.attrs.needed(true)
	}
	if !enabled && len(opts.Rules) > 0 {
		bad("cookies.rules", "", "are set but neither they nor the top level enable an attribute, so they do nothing",
			"enable secure, httpOnly or sameSite at the top level or in a rule, or remove the rules")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if !enabled && c.hook == nil {
		return nil, nil
	}
	return c, nil
}

// cookieFlagsNeeded reports whether a response to a request with the given
// security can gain an attribute at all.
func (c *Flags) cookieFlagsNeeded(secure bool) bool {
	if c == nil {
		return false
	}
	if secure {
		return c.needSecure || c.hook != nil
	}
	return c.needPlain
}

// Wrap returns a ResponseWriter that adds the attributes to every Set-Cookie
// header when the response headers are sent: at the first WriteHeader (1xx
// excepted), Write, WriteString, ReadFrom or Flush, or at Finish. secure
// tells whether the request is secure (see Decision.Secure).
//
// Wrap returns w itself when c is nil or nothing could change (e.g. only
// Secure is enabled and secure is false). The wrapper implements
// http.Flusher, http.Hijacker and io.ReaderFrom whatever w supports (Hijack
// returns an error wrapping http.ErrNotSupported and Flush does nothing when
// w cannot), and Unwrap, so http.ResponseController reaches w's deadlines.
//
// Call Finish after the handler returns: a handler that sets a cookie but
// writes nothing leaves the header for the server to send, past the wrapper.
func (c *Flags) Wrap(w http.ResponseWriter, secure bool) http.ResponseWriter {
	if !c.cookieFlagsNeeded(secure) || w == nil {
		return w
	}
	return &cookieFlagsWriter{rw: w, flags: c, secure: secure}
}

// Finish rewrites the Set-Cookie headers of w if w (or a writer it unwraps
// to) is a wrapper made by c.Wrap that has not sent its headers yet. Call it
// after the wrapped handler returns. It does nothing on any other writer, or
// when c is nil.
func (c *Flags) Finish(w http.ResponseWriter) {
	for c != nil && w != nil {
		if cw, ok := w.(*cookieFlagsWriter); ok && cw.flags == c {
			cw.send()
			return
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return
		}
		w = u.Unwrap()
	}
}

// rewriteHeader adds the attributes to every Set-Cookie value in h, whatever
// the case of the key. A changed list is copied, never edited in place: the
// application may share its []string between responses.
func (c *Flags) rewriteHeader(h http.Header, secure bool) {
	if secure && c.hook != nil {
		c.hook(h)
	}
	for k, vs := range h {
		if len(k) != len("Set-Cookie") || !strings.EqualFold(k, "Set-Cookie") {
			continue
		}
		var out []string
		for i, v := range vs {
			nv := c.rewriteCookie(v, secure)
			if nv == v {
				continue
			}
			if out == nil {
				out = append(make([]string, 0, len(vs)), vs...)
			}
			out[i] = nv
		}
		if out != nil {
			h[k] = out
		}
	}
}

// rewriteCookie returns v with the missing attributes appended, or v itself.
// Attribute names are matched case-insensitively; explicit attributes win.
//
// A SameSite attribute counts only with a value browsers know ("Strict",
// "Lax" or "None", in any case; RFC 6265bis §5.6.7): a bare "SameSite", an
// empty value or "SameSite=Nonee" is ignored by browsers, which apply their
// own default. When SameSite is configured, such attributes are dropped,
// and the configured one is added unless a valid one remains.
func (c *Flags) rewriteCookie(v string, secure bool) string {
	pair, attrs, _ := strings.Cut(v, ";")
	// A pair without "=" is a nameless cookie whose value is the pair
	// (RFC 6265bis §5.6), so the rules see the name "" as browsers do.
	name, _, hasName := strings.Cut(pair, "=")
	if !hasName {
		name = ""
	}
	name = strings.Trim(name, " \t")
	if strings.Trim(pair, " \t") == "" {
		return v
	}
	a := c.attrsFor(name)
	if a.skip {
		return v
	}
	var hasSecure, hasHTTPOnly, hasSameSite, badSameSite bool
	for rest := attrs; rest != ""; {
		var a string
		a, rest, _ = strings.Cut(rest, ";")
		an, av, _ := strings.Cut(a, "=")
		switch an = strings.Trim(an, " \t"); {
		case strings.EqualFold(an, "Secure"):
			hasSecure = true
		case strings.EqualFold(an, "HttpOnly"):
			hasHTTPOnly = true
		case strings.EqualFold(an, "SameSite"):
			if validSameSite(av) {
				hasSameSite = true
			} else {
				badSameSite = true
			}
		}
	}
	addSecure := a.secure && secure && !hasSecure
	addHTTPOnly := a.httpOnly && !hasHTTPOnly
	addSameSite := a.sameSite != "" && !hasSameSite && (secure || a.sameSite != "None")
	dropSameSite := a.sameSite != "" && badSameSite && (hasSameSite || addSameSite)
	if !addSecure && !addHTTPOnly && !addSameSite && !dropSameSite {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + len("; Secure; HttpOnly; SameSite=Strict"))
	if dropSameSite {
		b.WriteString(strings.TrimRight(pair, " \t"))
		for rest := attrs; rest != ""; {
			var a string
			a, rest, _ = strings.Cut(rest, ";")
			an, av, _ := strings.Cut(a, "=")
			if strings.EqualFold(strings.Trim(an, " \t"), "SameSite") && !validSameSite(av) {
				continue
			}
			if a = strings.Trim(a, " \t"); a != "" {
				b.WriteString("; ")
				b.WriteString(a)
			}
		}
	} else {
		b.WriteString(strings.TrimRight(v, " \t;"))
	}
	if addSecure {
		b.WriteString("; Secure")
	}
	if addHTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if addSameSite {
		b.WriteString("; SameSite=")
		b.WriteString(a.sameSite)
	}
	return b.String()
}

// validSameSite reports whether a SameSite attribute value is one browsers
// enforce: "Strict", "Lax" or "None", case-insensitively, spaces around.
func validSameSite(v string) bool {
	v = strings.Trim(v, " \t")
	return strings.EqualFold(v, "Strict") || strings.EqualFold(v, "Lax") || strings.EqualFold(v, "None")
}

// cookieFlagsWriter is the ResponseWriter returned by Flags.Wrap.
type cookieFlagsWriter struct {
	rw     http.ResponseWriter
	flags  *Flags
	secure bool
	sent   bool // headers rewritten for the final response
}

// send rewrites the headers once, before the final response header leaves.
func (w *cookieFlagsWriter) send() {
	if !w.sent {
		w.sent = true
		w.flags.rewriteHeader(w.rw.Header(), w.secure)
	}
}

// Header returns the underlying writer's header map.
func (w *cookieFlagsWriter) Header() http.Header { return w.rw.Header() }

// WriteHeader rewrites the cookies and sends the header. An informational
// status (1xx other than 101) is sent with the cookies rewritten so far, and
// the final header is rewritten again later.
func (w *cookieFlagsWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.flags.rewriteHeader(w.rw.Header(), w.secure)
	} else {
		w.send()
	}
	w.rw.WriteHeader(code)
}

// Write rewrites the cookies if not done yet and writes p.
func (w *cookieFlagsWriter) Write(p []byte) (int, error) {
	w.send()
	return w.rw.Write(p)
}

// WriteString is Write for strings, without a copy when w supports it.
func (w *cookieFlagsWriter) WriteString(s string) (int, error) {
	w.send()
	return io.WriteString(w.rw, s)
}

// ReadFrom rewrites the cookies if not done yet and copies src, through the
// underlying io.ReaderFrom when there is one (sendfile).
func (w *cookieFlagsWriter) ReadFrom(src io.Reader) (int64, error) {
	w.send()
	if rf, ok := w.rw.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.rw, src)
}

// Flush rewrites the cookies if not done yet and flushes, when the
// underlying writer can.
func (w *cookieFlagsWriter) Flush() { _ = w.FlushError() }

// FlushError is Flush reporting an error (wrapping http.ErrNotSupported when
// the underlying writer cannot flush). http.ResponseController uses it.
func (w *cookieFlagsWriter) FlushError() error {
	w.send()
	return http.NewResponseController(w.rw).Flush()
}

// Hijack hands over the connection of the underlying writer, or returns an
// error wrapping http.ErrNotSupported.
func (w *cookieFlagsWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.rw).Hijack()
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *cookieFlagsWriter) Unwrap() http.ResponseWriter { return w.rw }
