package htmlhash

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRootDoesNotImportXNet keeps golang.org/x/net out of what a plain
// middleware user compiles: only this package may import it. (The standard
// library's own vendored copies, vendor/golang.org/x/net/…, are not the
// module.)
func TestRootDoesNotImportXNet(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	for _, pkg := range []string{"github.com/secureheaders/secureheaders", "github.com/secureheaders/secureheaders/csp",
		"github.com/secureheaders/secureheaders/policy", "github.com/secureheaders/secureheaders/render"} {
		out, err := exec.Command(gobin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "golang.org/x/net/") {
				t.Errorf("%s imports %s", pkg, dep)
			}
		}
	}
}
