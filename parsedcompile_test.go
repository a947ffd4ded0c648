package secureheaders

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

const parsedConfig = `{
  "update": {"X-Frame-Options": "DENY"},
  "routes": {"/embed/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}, "remove": ["X-Frame-Options"]}}
}`

// served returns the headers e sends for an HTTPS GET of path (the test
// policy has no nonce).
func served(t *testing.T, e *Engine, path string) map[string]string {
	t.Helper()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "https://example.com"+path, nil)
	e.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, r)
	got := map[string]string{}
	for k, v := range rec.Header() {
		got[k] = v[0]
	}
	return got
}

// TestParsedCompileReused: New given ParseConfig's Options serves from the
// compile ParseConfig made (no second compile), exactly what a compile of
// the same Options serves; a second New from them compiles anew.
func TestParsedCompileReused(t *testing.T) {
	opts, err := ParseConfig([]byte(parsedConfig))
	if err != nil {
		t.Fatal(err)
	}
	v, ok := parsedCompiles.Load(weak.Make(opts))
	if !ok {
		t.Fatal("ParseConfig kept no compile")
	}
	kept := v.(*parsedCompile).st
	fresh := opts.clone() // another *Options: compiled anew
	want := Must(New(&fresh))
	if want.state.Load().base == kept.base {
		t.Fatal("a copy of the Options used ParseConfig's compile")
	}
	got := Must(New(opts))
	if got.state.Load().base != kept.base {
		t.Error("New compiled ParseConfig's Options again")
	}
	again := Must(New(opts))
	if again.state.Load().base == kept.base {
		t.Error("a second New shares the first one's compile")
	}
	for _, path := range []string{"/", "/embed/x"} {
		w := served(t, want, path)
		for name, e := range map[string]*Engine{"first": got, "second": again} {
			if diff := cmp.Diff(w, served(t, e, path)); diff != "" {
				t.Errorf("%s New from ParseConfig, %s (-want +got):\n%s", name, path, diff)
			}
		}
	}
}

// TestParsedCompileChanged: Options changed after ParseConfig are compiled
// as they are, never served from the stale compile.
func TestParsedCompileChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *Options)
		path   string
		header string
		want   string
	}{
		{"policy", func(o *Options) { o.Policy.SetText("X-Frame-Options", "SAMEORIGIN") }, "/", "X-Frame-Options", "SAMEORIGIN"},
		{"route", func(o *Options) { o.Routes[0].Override.Remove = nil }, "/embed/x", "X-Frame-Options", "DENY"},
		{"routes", func(o *Options) {
			o.Routes = append(o.Routes, policy.Route{Pattern: "/new/", Override: policy.Override{Remove: []string{"X-Frame-Options"}}})
		}, "/new/x", "X-Frame-Options", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := ParseConfig([]byte(parsedConfig))
			if err != nil {
				t.Fatal(err)
			}
			tt.change(opts)
			e := Must(New(opts))
			if got := served(t, e, tt.path)[tt.header]; got != tt.want {
				t.Errorf("%s %s = %q, want %q", tt.path, tt.header, got, tt.want)
			}
		})
	}
}

// layeredConfig has routes covering one another (a host, a subtree, a
// method, a wildcard), which the decoder layers as the compile does.
const layeredConfig = `{
  "update": {"X-Frame-Options": "DENY", "CSP": {"img-src": ["self"]}},
  "routes": {
    "/": {"update": {"Cache-Control": "no-store"}},
    "/a/": {"update": {"CSP": {"img-src": ["https://a.example"]}}, "remove": ["X-Frame-Options"]},
    "/a/b": {"rewrite": {"Referrer-Policy": "no-referrer"}},
    "GET /a/{id}/": {"replaceDirectives": {"CSP": {"img-src": ["https://id.example"]}}},
    "example.com/a/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}, "redirect": false}
  }
}`

// TestParsedCompileLayered: the compile ParseConfig makes from the
// policies its decoder layered (compileDecoded) is the compile New makes of
// the same Options: the same policy and the same headers for every route.
func TestParsedCompileLayered(t *testing.T) {
	opts, err := ParseConfig([]byte(layeredConfig))
	if err != nil {
		t.Fatal(err)
	}
	fresh := opts.clone() // another *Options: compiled by New, not decoded
	want := Must(New(&fresh))
	got := Must(New(opts))
	if len(opts.Routes) != 5 {
		t.Fatalf("%d routes, want 5", len(opts.Routes))
	}
	for _, r := range opts.Routes {
		wp, _ := want.RoutePolicy(r.Pattern)
		gp, ok := got.RoutePolicy(r.Pattern)
		if !ok {
			t.Errorf("no route %q", r.Pattern)
		}
		if diff := cmp.Diff(wp, gp); diff != "" {
			t.Errorf("RoutePolicy(%q) (-want +got):\n%s", r.Pattern, diff)
		}
	}
	for _, path := range []string{"/", "/a/", "/a/b", "/a/7/", "/x"} {
		if diff := cmp.Diff(served(t, want, path), served(t, got, path)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
}

// variants returns values of type t that differ in one place each: the
// zero value, then, for a string "x", a bool true, a number 1, an empty
// and a one-item slice or map (the item a variant), a pointer to each
// variant of its element, and a struct with one field set to one of its
// variants. Every field of a new type is so varied without naming it.
func variants(t reflect.Type) []reflect.Value {
	out := []reflect.Value{reflect.Zero(t)}
	set := func(v reflect.Value) { out = append(out, v) }
	switch t.Kind() {
	case reflect.String:
		v := reflect.New(t).Elem()
		v.SetString("x")
		set(v)
	case reflect.Bool:
		v := reflect.New(t).Elem()
		v.SetBool(true)
		set(v)
	case reflect.Int, reflect.Int64, reflect.Uint8:
		v := reflect.New(t).Elem()
		if t.Kind() == reflect.Uint8 {
			v.SetUint(1)
		} else {
			v.SetInt(1)
		}
		set(v)
	case reflect.Slice:
		set(reflect.MakeSlice(t, 0, 0))
		for _, e := range variants(t.Elem()) {
			set(reflect.Append(reflect.MakeSlice(t, 0, 1), e))
		}
	case reflect.Map:
		set(reflect.MakeMap(t))
		for _, k := range variants(t.Key())[1:2] {
			for _, e := range variants(t.Elem()) {
				m := reflect.MakeMap(t)
				m.SetMapIndex(k, e)
				set(m)
			}
		}
	case reflect.Pointer:
		for _, e := range variants(t.Elem()) {
			p := reflect.New(t.Elem())
			p.Elem().Set(e)
			set(p)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			for _, f := range variants(t.Field(i).Type)[1:] {
				v := reflect.New(t).Elem()
				v.Field(i).Set(f)
				set(v)
			}
		}
	default:
		panic("variants: add kind " + t.Kind().String())
	}
	return out
}

// TestSameAsDeepEqual: samePolicy and sameRoutes, which parsedFor
// uses to see that the Options changed since ParseConfig, answer as
// reflect.DeepEqual does for every pair of variants of a route (each
// field of a Route, its Override and their Policies set in turn), built
// twice so that equal values never share memory.
func TestSameAsDeepEqual(t *testing.T) {
	rt := reflect.TypeFor[policy.Route]()
	as, bs := variants(rt), variants(rt)
	if len(as) < 100 {
		t.Fatalf("only %d variants of a Route", len(as))
	}
	equal := 0
	for i, a := range as {
		for j, b := range bs {
			ra, rb := []policy.Route{a.Interface().(policy.Route)}, []policy.Route{b.Interface().(policy.Route)}
			want := reflect.DeepEqual(ra, rb)
			if got := sameRoutes(ra, rb); got != want {
				t.Fatalf("sameRoutes(variant %d, variant %d) = %v, reflect.DeepEqual %v:\n%#v\n%#v", i, j, got, want, ra, rb)
			}
			if got := samePolicy(&ra[0].Override.Update, &rb[0].Override.Update); got != reflect.DeepEqual(ra[0].Override.Update, rb[0].Override.Update) {
				t.Fatalf("samePolicy(variant %d, variant %d) = %v", i, j, got)
			}
			if want {
				equal++
			}
		}
	}
	if equal < len(as) {
		t.Errorf("%d equal pairs of %d variants: each should equal its twin", equal, len(as))
	}
	for _, tt := range []struct{ a, b []policy.Route }{{nil, nil}, {nil, []policy.Route{}}, {[]policy.Route{{}}, nil}, {[]policy.Route{{}}, []policy.Route{{}, {}}}} {
		if got, want := sameRoutes(tt.a, tt.b), reflect.DeepEqual(tt.a, tt.b); got != want {
			t.Errorf("sameRoutes(%#v, %#v) = %v, want %v", tt.a, tt.b, got, want)
		}
	}
}

// TestParsedCompileOwnsRoutes: the engine New builds from ParseConfig's
// compile keeps its own routes (ParseConfig's copy, not opts.Routes):
// changing the Options afterwards changes neither what it serves nor what
// Options returns.
func TestParsedCompileOwnsRoutes(t *testing.T) {
	opts, err := ParseConfig([]byte(parsedConfig))
	if err != nil {
		t.Fatal(err)
	}
	want := opts.clone()
	e := Must(New(opts))
	opts.Routes[0].Override.Remove[0] = "Cache-Control"
	opts.Routes[0].Override.Update.CSP[csp.FrameAncestors][0].Value = "https://other.example"
	opts.Routes[0].Pattern = "/other/"
	got := e.Options()
	if diff := cmp.Diff(want.Routes, got.Routes); diff != "" {
		t.Errorf("Options().Routes (-want +got):\n%s", diff)
	}
	if h := served(t, e, "/embed/x"); h["X-Frame-Options"] != "" || !strings.Contains(h["Content-Security-Policy"], "https://partner.example") {
		t.Errorf("/embed/x headers: %q", h)
	}
}
