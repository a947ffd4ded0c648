package secureheaders

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/policy"
)

func TestRoutePatterns(t *testing.T) {
	if got := (&Engine{}).RoutePatterns(); got != nil {
		t.Errorf("zero Engine: %q", got)
	}
	opts, err := ParseConfig([]byte(`{"routes": {"/embed/": {"remove": ["X-Frame-Options"]}, "GET /api/{id}": {"remove": ["X-Frame-Options"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	got := eng.RoutePatterns()
	if diff := cmp.Diff([]string{"/embed/", "GET /api/{id}"}, got); diff != "" {
		t.Errorf("patterns (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if eng.RoutePatterns()[0] != "/embed/" {
		t.Error("the slice is shared with the engine")
	}
	if err := eng.Reconfigure(&Options{Policy: &policy.Policy{}}); err != nil {
		t.Fatal(err)
	}
	if got := eng.RoutePatterns(); len(got) != 0 {
		t.Errorf("after Reconfigure without routes: %q", got)
	}
}
