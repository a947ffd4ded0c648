package cookies

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"

	"github.com/google/go-cmp/cmp"
)

func mustCookieFlags(t testing.TB, o Config) *Flags {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	return c
}

var cookieAll = Config{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode}

func TestCookieFlagsRewrite(t *testing.T) {
	tests := []struct {
		name   string
		opts   Config
		secure bool
		in     []string
		want   []string
	}{
		{"all on secure", cookieAll, true,
			[]string{"sid=abc; Path=/"},
			[]string{"sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax"}},
		{"no Secure on plain HTTP", cookieAll, false,
			[]string{"sid=abc; Path=/"},
			[]string{"sid=abc; Path=/; HttpOnly; SameSite=Lax"}},
		{"every cookie", cookieAll, true,
			[]string{"a=1", "b=2; Max-Age=60"},
			[]string{"a=1; Secure; HttpOnly; SameSite=Lax", "b=2; Max-Age=60; Secure; HttpOnly; SameSite=Lax"}},
		{"existing attributes any case", cookieAll, true,
			[]string{"a=1; secure; HTTPONLY; samesite=strict"},
			[]string{"a=1; secure; HTTPONLY; samesite=strict"}},
		{"explicit SameSite kept", cookieAll, true,
			[]string{"a=1; SameSite=None; Secure"},
			[]string{"a=1; SameSite=None; Secure; HttpOnly"}},
		{"empty SameSite counts as absent", Config{SameSite: http.SameSiteStrictMode}, true,
			[]string{"a=1; SameSite="},
			[]string{"a=1; SameSite=Strict"}},
		{"attribute names, not values", cookieAll, true,
			[]string{"secure=httponly; Path=/Secure; Domain=samesite.example"},
			[]string{"secure=httponly; Path=/Secure; Domain=samesite.example; Secure; HttpOnly; SameSite=Lax"}},
		{"spaces around attributes", cookieAll, true,
			[]string{"a=1 ;  Secure  ;HttpOnly=;\tSameSite = Lax"},
			[]string{"a=1 ;  Secure  ;HttpOnly=;\tSameSite = Lax"}},
		{"trailing semicolon", Config{HTTPOnly: true}, true,
			[]string{"a=1; Path=/; "},
			[]string{"a=1; Path=/; HttpOnly"}},
		{"expires with comma", Config{HTTPOnly: true}, false,
			[]string{"a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT"},
			[]string{"a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly"}},
		{"SameSite=None only on secure requests", Config{Secure: true, SameSite: http.SameSiteNoneMode}, true,
			[]string{"a=1"},
			[]string{"a=1; Secure; SameSite=None"}},
		{"SameSite=None not on plain HTTP", Config{Secure: true, SameSite: http.SameSiteNoneMode, HTTPOnly: true}, false,
			[]string{"a=1"},
			[]string{"a=1; HttpOnly"}},
		{"Strict", Config{SameSite: http.SameSiteStrictMode}, false,
			[]string{"a=1"},
			[]string{"a=1; SameSite=Strict"}},
		{"flags for some cookies only (v0.1's only)", Config{Rules: []Rule{{Names: []string{"sid", "csrftoken"}, HTTPOnly: true}}}, true,
			[]string{"sid=1", "pref=dark", "csrftoken=x", "SID=2"},
			[]string{"sid=1; HttpOnly", "pref=dark", "csrftoken=x; HttpOnly", "SID=2"}},
		{"only", Config{HTTPOnly: true, Only: []string{"sid", "csrftoken"}}, true,
			[]string{"sid=1", "pref=dark", "csrftoken=x", "SID=2"},
			[]string{"sid=1; HttpOnly", "pref=dark", "csrftoken=x; HttpOnly", "SID=2"}},
		{"except", Config{HTTPOnly: true, Except: []string{"csrftoken"}}, true,
			[]string{"sid=1", "csrftoken=x"},
			[]string{"sid=1; HttpOnly", "csrftoken=x"}},
		{"skip (v0.1's except)", Config{HTTPOnly: true, Rules: []Rule{{Names: []string{"csrftoken"}, Skip: true}}}, true,
			[]string{"sid=1", "csrftoken=x"},
			[]string{"sid=1; HttpOnly", "csrftoken=x"}},
		{"nameless and empty", Config{HTTPOnly: true}, true,
			[]string{"=v", "", " ; Path=/", "bare"},
			[]string{"=v; HttpOnly", "", " ; Path=/", "bare; HttpOnly"}},
		{"nameless with a rule", Config{Rules: []Rule{{Names: []string{"a"}, HTTPOnly: true}}}, true,
			[]string{"=v"},
			[]string{"=v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCookieFlags(t, tt.opts)
			h := http.Header{"Set-Cookie": append([]string(nil), tt.in...)}
			c.rewriteHeader(h, tt.secure)
			if diff := cmp.Diff(tt.want, h["Set-Cookie"]); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			c.rewriteHeader(h, tt.secure)
			if diff := cmp.Diff(tt.want, h["Set-Cookie"]); diff != "" {
				t.Errorf("second rewrite is not a no-op (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCookieFlagsHeaderKeys(t *testing.T) {
	c := mustCookieFlags(t, Config{HTTPOnly: true})
	shared := []string{"a=1"}
	h := http.Header{"Set-Cookie": shared, "set-cookie": {"b=2"}, "X-Set-Cookie": {"c=3"}}
	c.rewriteHeader(h, true)
	want := http.Header{"Set-Cookie": {"a=1; HttpOnly"}, "set-cookie": {"b=2; HttpOnly"}, "X-Set-Cookie": {"c=3"}}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if shared[0] != "a=1" {
		t.Errorf("the application's slice was edited in place: %q", shared)
	}
}

func TestNewCookieFlags(t *testing.T) {
	tests := []struct {
		name    string
		opts    Config
		wantNil bool
		wantErr []string
	}{
		{"zero", Config{}, true, nil},
		{"secure", Config{Secure: true}, false, nil},
		{"httpOnly", Config{HTTPOnly: true}, false, nil},
		{"sameSite", Config{SameSite: http.SameSiteLaxMode}, false, nil},
		{"None without Secure", Config{SameSite: http.SameSiteNoneMode}, true, []string{
			`cookies.sameSite: mode browsers reject without Secure "None" (set cookies.secure to true, or use "Lax")`,
		}},
		{"everything wrong", Config{HTTPOnly: true, SameSite: http.SameSiteDefaultMode, Rules: []Rule{
			{Names: []string{"sid", "bad name", "", "a*b", "csrf_*"}, HTTPOnly: true},
			{Names: []string{"sid", "csrf_token", "csrf_*", "csrf*"}, HTTPOnly: true},
			{Skip: true, Secure: true, SameSite: http.SameSiteNoneMode},
			{Names: []string{"*"}, SameSite: http.SameSiteNoneMode},
			{Names: []string{"late"}},
		}}, true, []string{
			`cookies.sameSite: unsupported mode "1" (http.SameSiteDefaultMode adds a bare SameSite, which browsers read as Lax: use http.SameSiteLaxMode, http.SameSiteStrictMode or http.SameSiteNoneMode ("Lax", "Strict" or "None" in JSON), or leave it unset)`,
			`cookies.rules[0].names[1]: invalid cookie name "bad name" (write the name exactly as the application sets it (an RFC 9110 token), or a prefix ending in "*")`,
			`cookies.rules[0].names[2]: empty cookie name (write the name exactly as the application sets it (an RFC 9110 token), or a prefix ending in "*")`,
			`cookies.rules[0].names[3]: invalid cookie name "a*b" (write the name exactly as the application sets it (an RFC 9110 token), or a prefix ending in "*")`,
			`cookies.rules[1].names[0]: never applies: cookies.rules[0] matches it first (with "sid"), in "sid" (move this rule before cookies.rules[0], or remove the name)`,
			`cookies.rules[1].names[1]: never applies: cookies.rules[0] matches it first (with "csrf_*"), in "csrf_token" (move this rule before cookies.rules[0], or remove the name)`,
			`cookies.rules[1].names[2]: never applies: cookies.rules[0] matches it first (with "csrf_*"), in "csrf_*" (move this rule before cookies.rules[0], or remove the name)`,
			`cookies.rules[2].skip: is set together with attributes, which it would ignore (remove skip to set the attributes, or remove the attributes to leave these cookies alone)`,
			`cookies.rules[2].names: rule without names (list the cookies it is for, e.g. ["session"] or ["__Host-*"])`,
			`cookies.rules[3].sameSite: mode browsers reject without Secure "None" (set cookies.rules[3].secure to true, or use "Lax")`,
			`cookies.rules[4].names[0]: never applies: cookies.rules[3] matches it first (with "*"), in "late" (move this rule before cookies.rules[3], or remove the name)`,
		}},
		{"only and except", Config{HTTPOnly: true, SameSite: http.SameSiteDefaultMode, Only: []string{"sid", "bad name"}, Except: []string{""}}, true, []string{
			`cookies.sameSite: unsupported mode "1" (http.SameSiteDefaultMode adds a bare SameSite, which browsers read as Lax: use http.SameSiteLaxMode, http.SameSiteStrictMode or http.SameSiteNoneMode ("Lax", "Strict" or "None" in JSON), or leave it unset)`,
			`cookies.only: only and except are both set (keep one of the two lists)`,
			`cookies.only[1]: invalid cookie name "bad name" (write the name exactly as the application sets it (an RFC 9110 token))`,
		}},
		{"except with rules", Config{HTTPOnly: true, Except: []string{"theme"}, Rules: []Rule{{Names: []string{"sid"}, Secure: true}}}, true, []string{
			`cookies.except: is set together with rules (move the names into a rule of their own, first in rules)`,
		}},
		{"lists without flags", Config{Only: []string{"sid"}}, true, []string{
			`cookies: only/except are set but no attribute is enabled, so they do nothing (enable secure, httpOnly or sameSite, or remove the lists)`,
		}},
		{"rules without flags", Config{Rules: []Rule{{Names: []string{"sid"}, Skip: true}}}, true, []string{
			`cookies.rules: are set but neither they nor the top level enable an attribute, so they do nothing (enable secure, httpOnly or sameSite at the top level or in a rule, or remove the rules)`,
		}},
		{"rules only", Config{Rules: []Rule{{Names: []string{"sid"}, Secure: true}}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			if (c == nil) != tt.wantNil {
				t.Errorf("New = %v, want nil: %v", c, tt.wantNil)
			}
			var got []string
			if err != nil {
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					var ce *cfgerr.Error
					if !errors.As(e, &ce) {
						t.Errorf("error %v is a %T, not a *cfgerr.Error", e, e)
					}
					got = append(got, e.Error())
				}
			}
			if diff := cmp.Diff(tt.wantErr, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCookieFlagsWrapReturnsWriterItself(t *testing.T) {
	rec := httptest.NewRecorder()
	var none *Flags
	if got := none.Wrap(rec, true); got != http.ResponseWriter(rec) {
		t.Errorf("nil Flags wrapped the writer: %T", got)
	}
	if got := mustCookieFlags(t, Config{Secure: true}).Wrap(rec, false); got != http.ResponseWriter(rec) {
		t.Errorf("Secure-only flags wrapped a plain-HTTP response: %T", got)
	}
	if got := mustCookieFlags(t, Config{Secure: true}).Wrap(rec, true); got == http.ResponseWriter(rec) {
		t.Error("Secure-only flags did not wrap a secure response")
	}
	none.Finish(rec) // must not panic
}

// TestCookieFlagsWriterTriggers checks that each way of starting the
// response rewrites the cookies set before it, and only those.
func TestCookieFlagsWriterTriggers(t *testing.T) {
	c := mustCookieFlags(t, Config{HTTPOnly: true})
	tests := []struct {
		name  string
		start func(w http.ResponseWriter)
		code  int
	}{
		{"WriteHeader", func(w http.ResponseWriter) { w.WriteHeader(http.StatusCreated) }, 201},
		{"Write", func(w http.ResponseWriter) { _, _ = w.Write([]byte("x")) }, 200},
		{"WriteString", func(w http.ResponseWriter) { _, _ = io.WriteString(w, "x") }, 200},
		{"ReadFrom", func(w http.ResponseWriter) { _, _ = w.(io.ReaderFrom).ReadFrom(strings.NewReader("x")) }, 200},
		{"Flush", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }, 200},
		{"ResponseController.Flush", func(w http.ResponseWriter) {
			if err := http.NewResponseController(w).Flush(); err != nil {
				panic(err)
			}
		}, 200},
		{"Finish", func(w http.ResponseWriter) { c.Finish(w) }, 200},
		{"Finish through another wrapper", func(w http.ResponseWriter) { c.Finish(cookieTestOuter{w}) }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			w := c.Wrap(rec, true)
			http.SetCookie(w, &http.Cookie{Name: "early", Value: "1"})
			tt.start(w)
			http.SetCookie(w, &http.Cookie{Name: "late", Value: "2"})
			c.Finish(w) // after the start: must not touch "late"
			res := rec.Result()
			if res.StatusCode != tt.code {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.code)
			}
			want := []string{"early=1; HttpOnly"}
			if tt.name == "Finish" || tt.name == "Finish through another wrapper" {
				want = []string{"early=1; HttpOnly", "late=2"} // the recorder snapshots at Result
			}
			if diff := cmp.Diff(want, res.Header.Values("Set-Cookie")); diff != "" {
				t.Errorf("Set-Cookie sent (-want +got):\n%s", diff)
			}
		})
	}
}

// cookieTestOuter is another middleware's wrapper around ours.
type cookieTestOuter struct{ http.ResponseWriter }

func (o cookieTestOuter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

func TestCookieFlagsInformational(t *testing.T) {
	c := mustCookieFlags(t, Config{HTTPOnly: true})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = c.Wrap(w, false)
		w.Header().Add("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		http.SetCookie(w, &http.Cookie{Name: "after", Value: "hints"})
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if diff := cmp.Diff([]string{"after=hints; HttpOnly"}, res.Header.Values("Set-Cookie")); diff != "" {
		t.Errorf("Set-Cookie after 103 (-want +got):\n%s", diff)
	}
}

// TestCookieFlagsServer runs the wrapper inside a real server: cookies set
// by a handler that writes nothing, deadlines through ResponseController,
// io.ReaderFrom and flushing.
func TestCookieFlagsServer(t *testing.T) {
	c := mustCookieFlags(t, cookieAll)
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter)
		body    string
	}{
		{"no body", func(w http.ResponseWriter) {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "1"})
		}, ""},
		{"deadlines and flush", func(w http.ResponseWriter) {
			rc := http.NewResponseController(w)
			if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
				panic(fmt.Sprint("SetWriteDeadline: ", err))
			}
			if err := rc.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
				panic(fmt.Sprint("SetReadDeadline: ", err))
			}
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "1"})
			if err := rc.Flush(); err != nil {
				panic(fmt.Sprint("Flush: ", err))
			}
			_, _ = io.WriteString(w, "flushed")
		}, "flushed"},
		{"ReadFrom", func(w http.ResponseWriter) {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "1"})
			if _, err := w.(io.ReaderFrom).ReadFrom(io.LimitReader(strings.NewReader("read from"), 9)); err != nil {
				panic(err)
			}
		}, "read from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ww := c.Wrap(w, r.TLS != nil)
				tt.handler(ww)
				c.Finish(ww)
			}))
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || string(body) != tt.body {
				t.Errorf("got %d %q, want 200 %q", res.StatusCode, body, tt.body)
			}
			if diff := cmp.Diff([]string{"sid=1; Secure; HttpOnly; SameSite=Lax"}, res.Header.Values("Set-Cookie")); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCookieFlagsHijack(t *testing.T) {
	c := mustCookieFlags(t, cookieAll)
	for _, via := range []string{"Hijacker", "ResponseController"} {
		t.Run(via, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w = c.Wrap(w, false)
				var conn net.Conn
				var buf *bufio.ReadWriter
				var err error
				if via == "Hijacker" {
					conn, buf, err = w.(http.Hijacker).Hijack()
				} else {
					conn, buf, err = http.NewResponseController(w).Hijack()
				}
				if err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				defer conn.Close()
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
				_ = buf.Flush()
			}))
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != "hijacked" {
				t.Errorf("body = %q, want %q", body, "hijacked")
			}
		})
	}
}

// cookieTestBare is a ResponseWriter with no optional interface.
type cookieTestBare struct{ h http.Header }

func (b *cookieTestBare) Header() http.Header         { return b.h }
func (b *cookieTestBare) Write(p []byte) (int, error) { return len(p), nil }
func (b *cookieTestBare) WriteHeader(int)             {}

func TestCookieFlagsUnsupported(t *testing.T) {
	c := mustCookieFlags(t, Config{HTTPOnly: true})
	bare := &cookieTestBare{h: http.Header{}}
	w := c.Wrap(bare, true)
	if _, _, err := w.(http.Hijacker).Hijack(); !errors.Is(err, http.ErrNotSupported) {
		t.Errorf("Hijack error = %v, want http.ErrNotSupported", err)
	}
	rc := http.NewResponseController(w)
	if err := rc.SetWriteDeadline(time.Now()); !errors.Is(err, http.ErrNotSupported) {
		t.Errorf("SetWriteDeadline error = %v, want http.ErrNotSupported", err)
	}
	bare.h.Set("Set-Cookie", "a=1")
	if err := rc.Flush(); !errors.Is(err, http.ErrNotSupported) {
		t.Errorf("Flush error = %v, want http.ErrNotSupported", err)
	}
	if got := bare.h.Get("Set-Cookie"); got != "a=1; HttpOnly" {
		t.Errorf("Set-Cookie after a failed flush = %q, want it rewritten", got)
	}
	if n, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader("abc")); n != 3 || err != nil {
		t.Errorf("ReadFrom = %d, %v", n, err)
	}
	if got := w.(interface{ Unwrap() http.ResponseWriter }).Unwrap(); got != http.ResponseWriter(bare) {
		t.Errorf("Unwrap = %T", got)
	}
}

func TestCookieFlagsWrapAllocs(t *testing.T) {
	c := mustCookieFlags(t, cookieAll)
	rec := httptest.NewRecorder()
	rec.Header()["Set-Cookie"] = []string{"a=1; Secure; HttpOnly; SameSite=Lax"}
	n := testing.AllocsPerRun(100, func() {
		w := c.Wrap(rec, true)
		c.Finish(w)
	})
	if n > 1 {
		t.Errorf("Wrap+Finish with nothing to change allocates %v times, want at most 1 (the wrapper)", n)
	}
}

// FuzzCookieFlagsRewrite checks that the rewrite only appends known
// attributes, is idempotent, and never duplicates one.
func FuzzCookieFlagsRewrite(f *testing.F) {
	for _, s := range []string{"a=1", "a=1; secure", "a=1;;", "=;", "a=1; SameSite", `a="x;Secure"`, "a=1\r\n", "sid=x; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT"} {
		f.Add(s, true, uint8(7))
		f.Add(s, false, uint8(7|16))
	}
	f.Fuzz(func(t *testing.T, v string, secure bool, bits uint8) {
		o := Config{Secure: bits&1 != 0, HTTPOnly: bits&2 != 0, SameSite: []http.SameSite{0, http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteNoneMode}[bits>>2&3]}
		if o.SameSite == http.SameSiteNoneMode {
			o.Secure = true
		}
		cfg := o
		if bits&16 != 0 {
			// The same attributes from rules (a prefix, then a
			// catch-all): the rules must give the same answers.
			r := Rule{Names: []string{"a*"}, Secure: o.Secure, HTTPOnly: o.HTTPOnly, SameSite: o.SameSite}
			all := r
			all.Names = []string{"*"}
			cfg = Config{Rules: []Rule{r, all}}
			if !o.Secure && !o.HTTPOnly && o.SameSite == 0 {
				return // rules without any attribute are refused
			}
		}
		c := mustCookieFlags(t, cfg)
		if c == nil {
			return
		}
		got := c.rewriteCookie(v, secure)
		if got != v {
			// got is the original (or the original without its invalid
			// SameSite attributes, which are dropped) plus added flags.
			problem := ""
			for _, base := range []string{strings.TrimRight(v, " \t;"), withoutInvalidSameSite(v)} {
				problem = addedOnly(v, got, base, secure)
				if problem == "" {
					break
				}
			}
			if problem != "" {
				t.Fatal(problem)
			}
		}
		if again := c.rewriteCookie(got, secure); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", v, got, again)
		}
		// With SameSite configured (and sendable), the SameSite browsers
		// apply, the last one, is a valid one.
		pair, _, _ := strings.Cut(v, ";")
		if o.SameSite != 0 && (secure || o.SameSite != http.SameSiteNoneMode) && strings.Trim(pair, " \t") != "" {
			last := ""
			for _, a := range strings.Split(got, ";")[1:] {
				if n, val, _ := strings.Cut(a, "="); strings.EqualFold(strings.Trim(n, " \t"), "SameSite") {
					last = strings.Trim(val, " \t")
				}
			}
			if !validSameSite(last) {
				t.Fatalf("%q -> %q: the SameSite in effect is %q", v, got, last)
			}
		}
	})
}

// withoutInvalidSameSite is v with its SameSite attributes of unknown
// values removed and the rest joined with "; ", written independently of
// rewriteCookie for the fuzz property.
func withoutInvalidSameSite(v string) string {
	parts := strings.Split(v, ";")
	out := []string{strings.TrimRight(parts[0], " \t")}
	for _, a := range parts[1:] {
		a = strings.Trim(a, " \t")
		n, val, _ := strings.Cut(a, "=")
		n, val = strings.ToLower(strings.Trim(n, " \t")), strings.ToLower(strings.Trim(val, " \t"))
		if a == "" || n == "samesite" && val != "lax" && val != "strict" && val != "none" {
			continue
		}
		out = append(out, a)
	}
	return strings.Join(out, "; ")
}

// TestInvalidSameSiteCountsAsAbsent is issue 12 item 11: browsers ignore a
// SameSite attribute with an unknown value (or none) and apply their own
// default, so such an attribute must not block the configured one: it is
// replaced.
func TestInvalidSameSiteCountsAsAbsent(t *testing.T) {
	strict := Config{SameSite: http.SameSiteStrictMode}
	tests := []struct {
		name   string
		opts   Config
		secure bool
		in     string
		want   string
	}{
		{"misspelt value", strict, true, "sid=1; Path=/; SameSite=Nonee; Secure", "sid=1; Path=/; Secure; SameSite=Strict"},
		{"bare SameSite", strict, true, "sid=1; SameSite; HttpOnly", "sid=1; HttpOnly; SameSite=Strict"},
		{"empty value", strict, false, "sid=1; samesite=  ", "sid=1; SameSite=Strict"},
		{"several invalid", strict, true, "sid=1; SameSite=x; Path=/; SameSite=Laxx", "sid=1; Path=/; SameSite=Strict"},
		{"an earlier valid one stays in effect", strict, true, "sid=1; SameSite=Lax; SameSite=bogus", "sid=1; SameSite=Lax"},
		{"valid, any case, kept", strict, true, "sid=1; samesite=NONE; Secure", "sid=1; samesite=NONE; Secure"},
		{"None not sendable on plain HTTP: left alone", Config{Secure: true, SameSite: http.SameSiteNoneMode}, false,
			"sid=1; SameSite=Nonee", "sid=1; SameSite=Nonee"},
		{"SameSite not configured: left alone", Config{HTTPOnly: true}, true, "sid=1; SameSite=Nonee", "sid=1; SameSite=Nonee; HttpOnly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCookieFlags(t, tt.opts)
			got := c.rewriteCookie(tt.in, tt.secure)
			if got != tt.want {
				t.Errorf("rewriteCookie(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := c.rewriteCookie(got, tt.secure); again != got {
				t.Errorf("second rewrite changed %q to %q", got, again)
			}
		})
	}
}

func Example_wrap() {
	flags, err := New(Config{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode})
	if err != nil {
		panic(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", SameSite: http.SameSiteStrictMode})
		_, _ = io.WriteString(w, "hello")
	})
	for _, secure := range []bool{true, false} {
		rec := httptest.NewRecorder()
		w := flags.Wrap(rec, secure)
		app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		flags.Finish(w)
		fmt.Println(strings.Join(rec.Result().Header.Values("Set-Cookie"), "\n"))
	}
	// Output:
	// session=abc; Path=/; Secure; HttpOnly; SameSite=Lax
	// theme=dark; SameSite=Strict; Secure; HttpOnly
	// session=abc; Path=/; HttpOnly; SameSite=Lax
	// theme=dark; SameSite=Strict; HttpOnly
}

// addedOnly returns "" when got is base followed only by flags the cookie
// options add (each at most once, Secure only on secure requests), or what
// is wrong.
func addedOnly(v, got, base string, secure bool) string {
	if !strings.HasPrefix(got, base) {
		return fmt.Sprintf("%q -> %q does not keep the original", v, got)
	}
	added := got[len(base):]
	if !secure && strings.Contains(added, "Secure") {
		return fmt.Sprintf("%q -> %q adds Secure on plain HTTP", v, got)
	}
	for _, a := range []string{"; Secure", "; HttpOnly", "; SameSite=Lax", "; SameSite=Strict", "; SameSite=None"} {
		if strings.Count(added, a) > 1 {
			return fmt.Sprintf("%q -> %q adds %q twice", v, got, a)
		}
		added = strings.Replace(added, a, "", 1)
	}
	if added != "" {
		return fmt.Sprintf("%q -> %q adds unexpected %q", v, got, added)
	}
	return ""
}
