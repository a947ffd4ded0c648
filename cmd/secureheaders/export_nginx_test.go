package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders"
)

// nginxConf is the two parts of an nginx export read back the way nginx
// reads them: per header, its fixed value or its map.
type nginxConf struct {
	fixed map[string]string
	maps  map[string]nginxMap // by variable
	vars  map[string]string   // header name → variable
	order []string            // header names in add_header order
}

type nginxMap struct {
	def     string
	keys    []*regexp.Regexp
	values  []string
	methods bool // the source is "$request_method $uri"
}

var (
	mapOpen   = regexp.MustCompile(`^map (\$uri|"\$request_method \$uri") (\$sh_[a-z_]+) \{$`)
	mapEntry  = regexp.MustCompile(`^\t("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*");(?: # .*)?$`)
	mapDef    = regexp.MustCompile(`^\tdefault ("(?:[^"\\]|\\.)*");$`)
	addHeader = regexp.MustCompile(`^add_header ([A-Za-z-]+) (\$sh_[a-z_]+|"(?:[^"\\]|\\.)*") always;$`)
)

func readNginx(t *testing.T, httpPart, serverPart string) nginxConf {
	t.Helper()
	c := nginxConf{fixed: map[string]string{}, maps: map[string]nginxMap{}, vars: map[string]string{}}
	unq := func(s string) string {
		v, ok := unquoteConf(s, `"\`)
		if !ok {
			t.Fatalf("bad quoted string %s", s)
		}
		return v
	}
	var cur string
	for _, l := range strings.Split(httpPart, "\n") {
		switch m := mapOpen.FindStringSubmatch(l); {
		case l == "" || strings.HasPrefix(l, "#"):
		case m != nil:
			cur = m[2]
			c.maps[cur] = nginxMap{methods: m[1] != "$uri"}
		case l == "}":
			cur = ""
		case cur != "" && mapDef.MatchString(l):
			nm := c.maps[cur]
			nm.def = unq(mapDef.FindStringSubmatch(l)[1])
			c.maps[cur] = nm
		case cur != "" && mapEntry.MatchString(l):
			e := mapEntry.FindStringSubmatch(l)
			key, ok := strings.CutPrefix(unq(e[1]), "~")
			if !ok || !strings.HasPrefix(key, "^") {
				t.Fatalf("map key %s: want an anchored, case-sensitive regular expression (~^…)", e[1])
			}
			nm := c.maps[cur]
			nm.keys = append(nm.keys, regexp.MustCompile(key))
			nm.values = append(nm.values, unq(e[2]))
			c.maps[cur] = nm
		default:
			t.Fatalf("http part: unexpected line %q", l)
		}
	}
	for _, l := range strings.Split(serverPart, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := addHeader.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("server part: unexpected line %q", l)
		}
		c.order = append(c.order, m[1])
		if strings.HasPrefix(m[2], "$") {
			if _, ok := c.maps[m[2]]; !ok {
				t.Fatalf("%s: no map defines %s", m[1], m[2])
			}
			c.vars[m[1]] = m[2]
		} else {
			c.fixed[m[1]] = unq(m[2])
		}
	}
	return c
}

// serve returns the headers nginx sends for a request whose $uri is uri.
func (c nginxConf) serve(method, uri string) map[string]string {
	out := map[string]string{}
	for _, n := range c.order {
		v, ok := c.fixed[n]
		if !ok {
			m := c.maps[c.vars[n]]
			src := uri
			if m.methods {
				src = method + " " + uri
			}
			v = m.def
			for i, k := range m.keys {
				if k.MatchString(src) {
					v = m.values[i]
					break
				}
			}
		}
		if v != "" {
			out[http.CanonicalHeaderKey(n)] = v
		}
	}
	return out
}

// TestNginxMapsAgreeWithEngine reads the two parts of the nginx export
// back as nginx evaluates them (the first matching expression of a map
// wins; an empty value sends nothing) and compares, for route paths, the
// paths around them and each method, the headers with the engine's.
// e2e.TestNginxIncludeRoutes does the same through a real nginx.
func TestNginxMapsAgreeWithEngine(t *testing.T) {
	paths := []string{"/", "/x", "/api", "/api/", "/api/upload", "/api/upload/", "/api/v1", "/API/",
		"/download", "/download/", "/download/f.zip", "/downloads", "/embed", "/embed/", "/embed/x",
		"/embed/deep", "/embed/deep/", "/embed/deep/x", "/embedx", "/account", "/account/", "/account/x", "/Account/",
		"/x", "/x/", "/x/z", "/x/y", "/x/y/", "/x/y/z", "/v1.2/a", "/v1x2/a", "/v1.2", "/apix"}
	for _, config := range []string{"testdata/routes.json", "testdata/methods.json", "testdata/route-edges.json"} {
		t.Run(config, func(t *testing.T) {
			render := func(part string) string {
				code, stdout, stderr := runCmd(t, "render", "-config", config, "-format", "nginx", "-nginx-part", part)
				if code != 0 {
					t.Fatalf("render -nginx-part %s: exit %d: %s", part, code, stderr)
				}
				return stdout
			}
			conf := readNginx(t, render("http"), render("server"))
			opts, err := secureheaders.LoadConfig(config)
			if err != nil {
				t.Fatal(err)
			}
			eng, err := secureheaders.New(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			h := eng.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			for _, method := range []string{"GET", "HEAD", "POST", "PUT"} {
				for _, p := range paths {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(method, "https://example.com"+p, nil))
					want := map[string]string{}
					for n, vs := range rec.Header() {
						want[n] = strings.Join(vs, "\n")
					}
					if diff := cmp.Diff(want, conf.serve(method, p)); diff != "" {
						t.Errorf("%s %s (-engine +nginx):\n%s", method, p, diff)
					}
				}
			}
		})
	}
}
